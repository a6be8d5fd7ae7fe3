"""Hints for misspelt or translated front-matter field names."""

from __future__ import annotations

from collections.abc import Iterable

from phucdong_site.errors import did_you_mean
from phucdong_site.language import _
from phucdong_site.text import slugify

# Field names editors write in Vietnamese (folded to ASCII, words joined by "-"), and the
# English name the front matter uses.
VIETNAMESE_FIELDS = {
    "tieu-de": "title", "ten-bai": "title", "ngay": "date", "ngay-dang": "date",
    "thoi-gian": "date", "luot-xem": "views", "so-luot-xem": "views", "anh": "photos",
    "hinh-anh": "photos", "chuyen-muc": "category", "danh-muc": "category", "tu-khoa": "tags",
    "the": "tags", "noi-bat": "featured", "tin-noi-bat": "featured", "tom-tat": "summary",
    "nhap": "draft", "ban-nhap": "draft", "duong-dan": "slug", "chu-thich": "caption",
    "duong-dan-anh": "src", "tep-anh": "src",
}


def field_hint(key: str, known: Iterable[str]) -> str:
    """'did you mean …' for a misspelt KEY, or the English name of a Vietnamese one; or ""."""
    known = list(known)
    english = VIETNAMESE_FIELDS.get(slugify(key))
    if english in known:
        return _("field names are in English: write {english}: instead of {key}:").format(
            english=english, key=key)
    return did_you_mean(key, known)


def photo_shape() -> str:
    """How a photo is written, for an editor whose src: or caption: is out of place."""
    return _('a photo is written as three lines, "photos:", "  - src: photos/anh.jpg" and '
             '"    caption: …", with caption: exactly under src:')
