"""One article file → a validated, frozen Article, or every problem in it.

The article kind's field table (KNOWN_KEYS, PHOTO_KEYS) and its validators live here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.content.frontmatter_yaml import FrontMatterProblem, split
from phucdong_site.content.hints import field_hint, photo_shape
from phucdong_site.content.markup import BodyTooComplex, render_body, shorten
from phucdong_site.errors import ContentError, ErrorList, did_you_mean, field_label
from phucdong_site.language import N_, Deferred, _, deferred
from phucdong_site.models import Article, Body, Photo
from phucdong_site.photos import (
    PhotoFile,
    PhotoProblem,
    SourceIndex,
    inspect,
    is_placeholder,
    locate,
    make_photo,
    picture,
)
from phucdong_site.text import is_slug, slugify

KNOWN_KEYS = ("title", "date", "views", "photos", "category", "tags", "featured",
              "summary", "draft", "slug")
PHOTO_KEYS = ("src", "caption")
MAX_ARTICLE_BYTES = 2 * 2**20   # the longest real article is a few hundred KB
MIN_YEAR, MAX_YEAR = 1900, 2999   # a news date outside these is a typo, and keeps tz math in range
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?")
_PORTAL = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*\|?\s*(\d{1,2}):(\d{2}))?")


class _FileProblems:
    """The problems of one file, each placed at the line of the field it concerns."""

    def __init__(self, source: Path, lines: dict[str, int], default_line: int):
        self.source, self.lines, self.default_line = source, lines, default_line
        self.errors: list[ContentError] = []
        self.notes: list[ContentError] = []

    def add(self, field: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.errors.append(self._error(field, message, hint, line))

    def note(self, field: str, message: Deferred, hint: Deferred,
             line: int | None = None) -> None:
        """A warning: reported, but the article is published. Its text is Deferred: it is
        kept with the article in the build cache, and shown in the language of each run."""
        where = line or self.lines.get(field) or self.default_line
        self.notes.append(ContentError(self.source, where,
                                       replace(message, prefix=f"{field}: "), hint))

    def _error(self, field: str, message: str, hint: str, line: int | None) -> ContentError:
        where = line or self.lines.get(field) or self.default_line
        return ContentError(self.source, where, f"{field}: {message}", hint)


def read_text(path: Path, shown: Path) -> str:
    """The file's text, NFC, LF line ends, without a BOM; raises ContentError."""
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ContentError(shown, None, field_label("file") + ": " + _(
            "{size:.1f} MB is too large for an article (the limit is {limit} MB of text)").format(
                size=size / 2**20, limit=MAX_ARTICLE_BYTES // 2**20),
            hint=_("split it into several articles; photos go in photos:, not the text"))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(shown, line, field_label("file") + ": " + _("not UTF-8 text (byte 0x{byte:02x})").format(
            byte=data[error.start]), hint=_("save the file as UTF-8 in your editor"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def parse_article(path: Path, config: SiteConfig,
                  photo_files: dict[Path, PhotoFile | PhotoProblem] | None = None,
                  sources: SourceIndex | None = None) -> Article:
    """One article file → Article, or an ErrorList of every problem in it."""
    shown = path.relative_to(config.site_dir)
    photo_files = {} if photo_files is None else photo_files
    if path.is_symlink() and not path.resolve().is_relative_to(config.site_dir.resolve()):
        # a committed link to any file of the machine would publish that file's text
        raise ErrorList([ContentError(shown, None, field_label("file") + ": " + _(
            "is a link to a file outside the site; copy the article into content/"))])
    try:
        text = read_text(path, shown)
        parts = split(text)
    except ContentError as error:
        raise ErrorList([error])
    except FrontMatterProblem as problem:
        raise ErrorList([ContentError(shown, problem.line, problem.message, problem.hint)])

    meta = parts.metadata
    problems = _FileProblems(shown, parts.lines, default_line=2)
    for key in meta:
        if key in PHOTO_KEYS:
            problems.add(str(key), _("belongs to a photo; write it inside its item under photos:"),
                         hint=photo_shape())
        elif key not in KNOWN_KEYS and (hint := field_hint(str(key), KNOWN_KEYS)):
            problems.add(str(key), _("unknown field"), hint=hint)

    title = _text(meta, "title", problems, required=True)
    published = _date(meta, config, problems)
    views = _views(meta.get("views", 0), problems)
    category = _category(meta.get("category", config.default_category), config, problems)
    tags = _tags(meta.get("tags"), problems)
    featured = _flag(meta, "featured", problems)
    draft = _flag(meta, "draft", problems)
    summary = _text(meta, "summary", problems)
    slug = _slug(meta, title, problems)

    def resolve(src: str) -> PhotoFile:
        found = locate(src, shown, config.site_dir)
        if found not in photo_files:
            try:
                photo_files[found] = inspect(found, config.site_dir, sources)
            except PhotoProblem as problem:
                photo_files[found] = problem
        result = photo_files[found]
        if isinstance(result, PhotoProblem):
            raise result
        return result

    photos = _photos(meta.get("photos"), resolve, problems)

    body_photos: list[Photo] = []

    def resolve_body_image(src: str) -> Photo | None:
        if "://" in src or src.startswith(("//", "data:")):
            return None          # a web address: left to the editor (check reports it)
        photo = make_photo(src, "", resolve(src))
        body_photos.append(photo)
        return photo

    listed = {photo.source for photo in photos}      # their captions are checked above
    undescribed: dict[str, None] = {}

    def picture_of(photo: Photo, alt: str, eager: bool):
        if not alt.strip() and photo.source not in listed:
            undescribed[photo.src] = None
        return picture(photo, alt, eager=eager, config=config.images, base=config.base_path)

    try:
        body = render_body(parts.body, photos, resolve_body_image, picture_of)
    except BodyTooComplex as problem:
        problems.add(field_label("body"), str(problem), line=parts.body_line)
        raise ErrorList(problems.errors)
    for problem in body.problems:
        problems.add(field_label("body"), _("image {problem}").format(problem=problem.message), problem.hint,
                     line=_line_of(parts.body, problem.src, parts.body_line))

    if problems.errors:
        raise ErrorList(problems.errors)
    extra = tuple((str(k), v) for k, v in meta.items() if k not in KNOWN_KEYS)
    images = distinct_photos((*photos, *body_photos))
    _note_placeholders(photos, body_photos, config.site_dir, parts, problems)
    for src in undescribed:
        problems.note(field_label("body"), deferred(N_(
            "image {path} has no description: blind readers hear nothing of it (its alt "
            "text is empty)"), path=src), deferred(N_(
                "write what it shows between the brackets, ![Ảnh: …]({path}), or list it "
                "under photos: with a caption:"), path=src),
            line=_line_of(parts.body, src, parts.body_line))
    return Article(source=shown, title=title, published=published, slug=slug,
                   category=category, views=views, photos=photos, tags=tags,
                   featured=featured, draft=draft,
                   summary=summary or shorten(body.first_paragraph),
                   body=Body(body.html), extra=extra,
                   images=images,
                   url_line=parts.lines.get("slug") or parts.lines.get("title") or 1,
                   notes=tuple(problems.notes))


def _note_placeholders(photos: tuple[Photo, ...], body_photos: list[Photo], site_dir: Path,
                       parts, problems: _FileProblems) -> None:
    """A note for each grey placeholder (made by import) still standing in for a photo."""
    hint = deferred(N_("copy the original photo over this file, keeping its name, then delete "
                       "the line # ẢNH THIẾU above it"))
    seen = set()
    for index, photo in enumerate(photos):
        seen.add(photo.source)
        if is_placeholder(site_dir / photo.source):
            problems.note(f"photos[{index}].src", deferred(N_(
                "{path} is a grey placeholder made by import, not the real photo: residents "
                "see a grey box"), path=photo.src), hint)
    for photo in body_photos:
        if photo.source not in seen and is_placeholder(site_dir / photo.source):
            seen.add(photo.source)
            problems.note(field_label("body"), deferred(N_(
                "image {path} is a grey placeholder made by import, not the real photo: "
                "residents see a grey box"), path=photo.src), hint,
                line=_line_of(parts.body, photo.src, parts.body_line))


def distinct_photos(photos: Iterable[Photo]) -> tuple[Photo, ...]:
    """One Photo per file. Two files with the same bytes stay two: their published names
    differ, though photos/publish.py processes their content once."""
    return tuple({(photo.digest, photo.source): photo for photo in photos}.values())


def _line_of(body: str, needle: str, first_line: int) -> int:
    index = body.find(needle)
    return first_line + body.count("\n", 0, index) if index >= 0 else first_line


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _text(meta: dict, key: str, problems: _FileProblems, required: bool = False) -> str:
    value = meta.get(key)
    if value is None:
        if required:
            problems.add(key, _("missing; every article needs one"), line=1 if key not in
                         problems.lines else None)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.add(key, _("expected text, got {kind}").format(kind=_kind(value)))
        return ""
    text = re.sub(r"\s+", " ", str(value)).strip()
    if required and not text:
        problems.add(key, _("is empty"))
    return text


def _kind(value: object) -> str:
    return {list: _("a list"), dict: _("a group of fields"), bool: _("true/false")}.get(
        type(value), type(value).__name__)


def _date(meta: dict, config: SiteConfig, problems: _FileProblems) -> datetime:
    fallback = datetime(1970, 1, 1, tzinfo=config.tz)
    value = meta.get("date")
    if value is None:
        problems.add("date", _("missing (expected YYYY-MM-DD HH:MM)"), line=None if "date" in
                     problems.lines else 1)
        return fallback
    text = str(value).strip()
    parts = _parse_date_parts(text)
    if parts is None:
        problems.add("date", _("{value} is not a date (expected YYYY-MM-DD HH:MM)").format(
            value=_show(value)))
        return fallback
    fields, offset = parts
    if not MIN_YEAR <= fields[0] <= MAX_YEAR:
        problems.add("date", _("{value} has an unlikely year (expected {first}–{last})").format(
            value=_show(text), first=MIN_YEAR, last=MAX_YEAR))
        return fallback
    try:
        moment = datetime(*fields)
        if offset is None:
            return moment.replace(tzinfo=config.tz)
        return datetime.fromisoformat(f"{moment.isoformat()}{offset}").astimezone(config.tz)
    except ValueError:
        problems.add("date", _("{value} is not a real date (expected YYYY-MM-DD HH:MM)").format(
            value=_show(text)))
        return fallback


def _parse_date_parts(text: str) -> tuple[tuple[int, ...], str | None] | None:
    if match := _ISO.fullmatch(text):
        year, month, day, hour, minute, second, zone = match.groups()
        offset = None if zone is None else ("+00:00" if zone == "Z" else
                                            f"{zone[:3]}:{zone[-2:]}")
        return tuple(int(x or 0) for x in (year, month, day, hour, minute, second)), offset
    if match := _PORTAL.fullmatch(text):
        day, month, year, hour, minute = match.groups()
        return tuple(int(x or 0) for x in (year, month, day, hour, minute)), None
    return None


def _views(value: object, problems: _FileProblems) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add("views", _("{value} is not a whole number").format(value=_show(value)))
        return 0
    if value < 0:
        problems.add("views", _("{value} is negative; a view count is 0 or more").format(
            value=value))
        return 0
    return value


def _flag(meta: dict, key: str, problems: _FileProblems) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        problems.add(key, _("{value} should be true or false").format(value=_show(value)))
        return False
    return value


def _category(value: object, config: SiteConfig, problems: _FileProblems) -> str:
    if not isinstance(value, str) or not slugify(value):
        problems.add("category", _("{value} is not a category name").format(value=_show(value)))
        return config.default_category
    slug = value if is_slug(value) else slugify(value)
    known = [known_slug for known_slug, _ in config.categories]
    if known and slug not in known:
        problems.add("category", _("{value} is not one of the categories in site.toml").format(
            value=_show(value)), hint=did_you_mean(slug, known) or _("choose one of: {names}").format(
                names=", ".join(known)))
    return slug


def _tags(value: object, problems: _FileProblems) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list):
        problems.add("tags", _("expected a list, e.g. tags: [xây dựng Đảng, năm 2021]"))
        return ()
    tags: dict[str, str] = {}
    for index, tag in enumerate(value):
        if isinstance(tag, bool) or not isinstance(tag, (str, int)) or not slugify(str(tag)):
            problems.add(f"tags[{index}]", _("{value} is not a tag").format(value=_show(tag)))
            continue
        text = re.sub(r"\s+", " ", str(tag)).strip()
        tags.setdefault(slugify(text), text)
    return tuple(tags.values())


def _slug(meta: dict, title: str, problems: _FileProblems) -> str:
    value = meta.get("slug")
    if value is None:
        slug = slugify(title)
        if title and not slug:
            problems.add("title", _("has no letters or digits to make a URL from"),
                         hint=_("add slug: with a few words in plain a-z letters"))
        return slug or "bai-viet"
    if not isinstance(value, str) or not is_slug(value):
        problems.add("slug", _("{value} may use only a-z, 0-9 and single hyphens").format(
            value=_show(value)), hint=_('e.g. slug: "{slug}"').format(
                slug=slugify(str(value)) or "bai-viet"))
        return slugify(str(value)) or "bai-viet"
    return value


def _photos(value: object, resolve, problems: _FileProblems) -> tuple[Photo, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add("photos", _("expected a list of photos, each '- src: …' with 'caption: …'"),
                     hint=photo_shape())
        return ()
    photos = []
    for index, item in enumerate(value):
        field = f"photos[{index}]"
        if isinstance(item, str):
            item = {"src": item}
        if not isinstance(item, dict):
            problems.add(field, _("expected 'src:' and 'caption:' fields"), hint=photo_shape())
            continue
        for key in item:
            if key not in PHOTO_KEYS:
                problems.add(f"{field}.{key}", _("unknown field"),
                             hint=field_hint(str(key), PHOTO_KEYS))
        src, caption = item.get("src"), item.get("caption", "")
        if not isinstance(src, str):
            problems.add(f"{field}.src", _("missing; give the photo's path")
                         if src is None else _("expected a path, got {kind}").format(
                             kind=_kind(src)),
                         line=problems.lines.get(f"{field}.src") or problems.lines.get(field))
            continue
        if caption is None or isinstance(caption, bool) or not isinstance(caption, (str, int, float)):
            problems.add(f"{field}.caption", _("expected text, got {kind}").format(
                kind=_kind(caption)))
            caption = ""
        try:
            found = resolve(src)
        except PhotoProblem as problem:
            problems.add(f"{field}.src", str(problem), hint=problem.hint)
            continue
        caption = re.sub(r"\s+", " ", str(caption)).strip()
        if not caption:
            problems.note(f"{field}.caption", deferred(N_(
                "missing; the caption is also what blind readers hear instead of the photo "
                "(its alt text)")), deferred(N_('add caption: "…" under src:, saying who or '
                                                'what the photo shows')),
                line=problems.lines.get(f"{field}.caption") or problems.lines.get(field))
        photos.append(make_photo(src, caption, found))
    return tuple(photos)
