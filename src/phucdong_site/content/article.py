"""One article file → a validated, frozen Article, or every problem in it.

The article kind's field table (KNOWN_KEYS, PHOTO_KEYS) and its validators live here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.content.frontmatter_yaml import FrontMatterProblem, split
from phucdong_site.content.hints import field_hint
from phucdong_site.content.markup import BodyTooComplex, render_body, shorten
from phucdong_site.errors import ContentError, ErrorList, did_you_mean
from phucdong_site.models import Article, Body, Photo
from phucdong_site.photos import (
    PhotoFile,
    PhotoProblem,
    SourceIndex,
    inspect,
    locate,
    make_photo,
    picture,
)
from phucdong_site.text import is_slug, slugify

KNOWN_KEYS = ("title", "date", "views", "photos", "category", "tags", "featured",
              "summary", "draft", "slug")
PHOTO_KEYS = ("src", "caption")
DATE_FORMAT_HINT = "expected YYYY-MM-DD HH:MM"
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

    def add(self, field: str, message: str, hint: str = "", line: int | None = None) -> None:
        where = line or self.lines.get(field) or self.default_line
        self.errors.append(ContentError(self.source, where, f"{field}: {message}", hint))


def read_text(path: Path, shown: Path) -> str:
    """The file's text, NFC, LF line ends, without a BOM; raises ContentError."""
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ContentError(shown, None, f"file: {size / 2**20:.1f} MB is too large for an article "
                           f"(the limit is {MAX_ARTICLE_BYTES // 2**20} MB of text)",
                           hint="split it into several articles; photos go in photos:, not the text")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(shown, line, f"file: not UTF-8 text (byte 0x{data[error.start]:02x})",
                           hint="save the file as UTF-8 in your editor")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def parse_article(path: Path, config: SiteConfig,
                  photo_files: dict[Path, PhotoFile | PhotoProblem] | None = None,
                  sources: SourceIndex | None = None) -> Article:
    """One article file → Article, or an ErrorList of every problem in it."""
    shown = path.relative_to(config.site_dir)
    photo_files = {} if photo_files is None else photo_files
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
        if key not in KNOWN_KEYS and (hint := field_hint(str(key), KNOWN_KEYS)):
            problems.add(str(key), "unknown field", hint=hint)

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

    def picture_of(photo: Photo, alt: str, eager: bool):
        return picture(photo, alt, eager=eager, config=config.images, base=config.base_path)

    try:
        body = render_body(parts.body, photos, resolve_body_image, picture_of)
    except BodyTooComplex as problem:
        problems.add("body", str(problem), line=parts.body_line)
        raise ErrorList(problems.errors)
    for problem in body.problems:
        problems.add("body", f"image {problem.message}",
                     line=_line_of(parts.body, problem.src, parts.body_line))

    if problems.errors:
        raise ErrorList(problems.errors)
    extra = tuple((str(k), v) for k, v in meta.items() if k not in KNOWN_KEYS)
    images = distinct_photos((*photos, *body_photos))
    return Article(source=shown, title=title, published=published, slug=slug,
                   category=category, views=views, photos=photos, tags=tags,
                   featured=featured, draft=draft,
                   summary=summary or shorten(body.first_paragraph),
                   body=Body(body.html), extra=extra,
                   images=images,
                   url_line=parts.lines.get("slug") or parts.lines.get("title") or 1)


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
            problems.add(key, "missing; every article needs one", line=1 if key not in
                         problems.lines else None)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.add(key, f"expected text, got {_kind(value)}")
        return ""
    text = re.sub(r"\s+", " ", str(value)).strip()
    if required and not text:
        problems.add(key, "is empty")
    return text


def _kind(value: object) -> str:
    return {list: "a list", dict: "a group of fields", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _date(meta: dict, config: SiteConfig, problems: _FileProblems) -> datetime:
    fallback = datetime(1970, 1, 1, tzinfo=config.tz)
    value = meta.get("date")
    if value is None:
        problems.add("date", f"missing ({DATE_FORMAT_HINT})", line=None if "date" in
                     problems.lines else 1)
        return fallback
    text = str(value).strip()
    parts = _parse_date_parts(text)
    if parts is None:
        problems.add("date", f"{_show(value)} is not a date ({DATE_FORMAT_HINT})")
        return fallback
    fields, offset = parts
    if not MIN_YEAR <= fields[0] <= MAX_YEAR:
        problems.add("date", f"{_show(text)} has an unlikely year (expected {MIN_YEAR}–{MAX_YEAR})")
        return fallback
    try:
        moment = datetime(*fields)
        if offset is None:
            return moment.replace(tzinfo=config.tz)
        return datetime.fromisoformat(f"{moment.isoformat()}{offset}").astimezone(config.tz)
    except ValueError:
        problems.add("date", f"{_show(text)} is not a real date ({DATE_FORMAT_HINT})")
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
        problems.add("views", f"{_show(value)} is not a whole number")
        return 0
    if value < 0:
        problems.add("views", f"{value} is negative; a view count is 0 or more")
        return 0
    return value


def _flag(meta: dict, key: str, problems: _FileProblems) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        problems.add(key, f"{_show(value)} should be true or false")
        return False
    return value


def _category(value: object, config: SiteConfig, problems: _FileProblems) -> str:
    if not isinstance(value, str) or not slugify(value):
        problems.add("category", f"{_show(value)} is not a category name")
        return config.default_category
    slug = value if is_slug(value) else slugify(value)
    known = [known_slug for known_slug, _ in config.categories]
    if known and slug not in known:
        problems.add("category", f"{_show(value)} is not one of the categories in site.toml",
                     hint=did_you_mean(slug, known) or f"choose one of: {', '.join(known)}")
    return slug


def _tags(value: object, problems: _FileProblems) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list):
        problems.add("tags", "expected a list, e.g. tags: [xây dựng Đảng, năm 2021]")
        return ()
    tags: dict[str, str] = {}
    for index, tag in enumerate(value):
        if isinstance(tag, bool) or not isinstance(tag, (str, int)) or not slugify(str(tag)):
            problems.add(f"tags[{index}]", f"{_show(tag)} is not a tag")
            continue
        text = re.sub(r"\s+", " ", str(tag)).strip()
        tags.setdefault(slugify(text), text)
    return tuple(tags.values())


def _slug(meta: dict, title: str, problems: _FileProblems) -> str:
    value = meta.get("slug")
    if value is None:
        slug = slugify(title)
        if title and not slug:
            problems.add("title", "has no letters or digits to make a URL from",
                         hint="add slug: with a few words in plain a-z letters")
        return slug or "bai-viet"
    if not isinstance(value, str) or not is_slug(value):
        problems.add("slug", f"{_show(value)} may use only a-z, 0-9 and single hyphens",
                     hint=f'e.g. slug: "{slugify(str(value)) or "bai-viet"}"')
        return slugify(str(value)) or "bai-viet"
    return value


def _photos(value: object, resolve, problems: _FileProblems) -> tuple[Photo, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add("photos", "expected a list of photos, each '- src: …' with 'caption: …'")
        return ()
    photos = []
    for index, item in enumerate(value):
        field = f"photos[{index}]"
        if isinstance(item, str):
            item = {"src": item}
        if not isinstance(item, dict):
            problems.add(field, "expected 'src:' and 'caption:' fields")
            continue
        for key in item:
            if key not in PHOTO_KEYS:
                problems.add(f"{field}.{key}", "unknown field",
                             hint=field_hint(str(key), PHOTO_KEYS))
        src, caption = item.get("src"), item.get("caption", "")
        if not isinstance(src, str):
            problems.add(f"{field}.src", "missing; give the photo's path"
                         if src is None else f"expected a path, got {_kind(src)}",
                         line=problems.lines.get(f"{field}.src") or problems.lines.get(field))
            continue
        if caption is None or isinstance(caption, bool) or not isinstance(caption, (str, int, float)):
            problems.add(f"{field}.caption", f"expected text, got {_kind(caption)}")
            caption = ""
        try:
            found = resolve(src)
        except PhotoProblem as problem:
            problems.add(f"{field}.src", str(problem))
            continue
        photos.append(make_photo(src, re.sub(r"\s+", " ", str(caption)).strip(), found))
    return tuple(photos)
