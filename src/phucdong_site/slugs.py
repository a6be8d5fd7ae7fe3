"""Vietnamese text → ASCII slugs and accent-free keys."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80

# "đ" has no Unicode decomposition, so NFD alone would keep it.
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Text without tones, marks or "đ", in NFC: "Phúc Đồng" → "Phuc Dong"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary."""
    # Letters outside ASCII that survive folding are dropped; punctuation and spaces of any
    # kind (en dashes, curly quotes) separate words.
    words = "".join(ch if ch.isascii() or not ch.isalnum() else ""
                    for ch in unicodedata.normalize("NFKD", fold(text)))
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-")


def is_slug(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text) is not None
