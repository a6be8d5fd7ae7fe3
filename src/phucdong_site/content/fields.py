"""What every content kind's field table is made of: a file's problems placed at their
lines, its text read and bounded, and the validators of fields that articles, pages and the
kinds after them share (text, dates, flags, photos, the body with its photos)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from phucdong_site.config import SiteConfig
from phucdong_site.content.attachments import (
    ATTACHMENT_KEYS,
    Attachments,
    DocumentProblem,
    document_kind,
)
from phucdong_site.content.frontmatter_yaml import FrontMatterProblem, Split, split
from phucdong_site.content.hints import field_hint, photo_shape
from phucdong_site.content.markup import BodyTooComplex, render_body
from phucdong_site.errors import ContentError, ErrorList, field_label
from phucdong_site.files import leaves
from phucdong_site.language import N_, Deferred, _, decimal, deferred
from phucdong_site.models import Attachment, Photo
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

PHOTO_KEYS = ("src", "caption")
MAX_TEXT_BYTES = 2 * 2**20      # the longest real article is a few hundred KB
MIN_YEAR, MAX_YEAR = 1900, 2999   # a date outside these is a typo, and keeps tz math in range
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?")
_PORTAL = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*\|?\s*(\d{1,2}):(\d{2}))?")


class FileProblems:
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


def read_source(path: Path, config: SiteConfig) -> tuple[Path, Split]:
    """A content file's path as messages show it, and its front matter and body; raises
    ErrorList. A committed link to a file outside the site is refused: it would publish
    any file of the machine."""
    shown = path.relative_to(config.site_dir)
    if leaves(path, config.site_dir):   # a link, or a file in a linked folder
        raise ErrorList([ContentError(shown, None, field_label("file") + ": " + _(
            "is a link to a file outside the site; copy the article into content/"))])
    try:
        return shown, split(read_text(path, shown))
    except ContentError as error:
        raise ErrorList([error])
    except FrontMatterProblem as problem:
        raise ErrorList([ContentError(shown, each.line, each.message, each.hint)
                         for each in (problem, *problem.more)])


def read_text(path: Path, shown: Path) -> str:
    """The file's text, NFC, LF line ends, without a BOM; raises ContentError."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise ContentError(shown, None, field_label("file") + ": " + _(
            "{size} MB is too large for an article (the limit is {limit} MB of text)").format(
                size=decimal(size / 2**20, 1), limit=MAX_TEXT_BYTES // 2**20),
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


def note_placeholders(photos: tuple[Photo, ...], body_photos: list[Photo], site_dir: Path,
                       parts, problems: FileProblems) -> None:
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
                line=line_of(parts.body, photo.src, parts.body_line))


def distinct_photos(photos: Iterable[Photo]) -> tuple[Photo, ...]:
    """One Photo per file. Two files with the same bytes stay two: their published names
    differ, though photos/publish.py processes their content once."""
    return tuple({(photo.digest, photo.source): photo for photo in photos}.values())


def line_of(body: str, needle: str, first_line: int) -> int:
    index = body.find(needle)
    return first_line + body.count("\n", 0, index) if index >= 0 else first_line


SHOWN_CHARS = 80                 # of a value quoted in a message: a pasted page is not


def show(value: object) -> str:
    """VALUE as a message quotes it, cut short when long."""
    text = f'"{value}"' if isinstance(value, str) else repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS - 2]}…{text[-1]}"


def text_field(meta: dict, key: str, problems: FileProblems, required: str = "") -> str:
    """KEY's text, spaces collapsed. REQUIRED: the message for a missing one ("" if optional)."""
    value = meta.get(key)
    if value is None:
        if required:
            problems.add(key, required, line=1 if key not in problems.lines else None)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.add(key, _("expected text, got {kind}").format(kind=kind(value)))
        return ""
    text = re.sub(r"\s+", " ", str(value)).strip()
    if required and not text:
        problems.add(key, _("is empty"))
    return text


def kind(value: object) -> str:
    return {list: _("a list"), dict: _("a group of fields"), bool: _("true/false")}.get(
        type(value), type(value).__name__)


def date_field(meta: dict, key: str, config: SiteConfig, problems: FileProblems,
               required: bool = True) -> datetime | None:
    """KEY as a moment in the site's time zone; a required one missing is a problem (and
    1970 stands in for it), an optional one missing is None."""
    fallback = datetime(1970, 1, 1, tzinfo=config.tz)
    value = meta.get(key)
    if value is None:
        if not required:
            return None
        problems.add(key, _("missing (expected YYYY-MM-DD HH:MM)"), line=None if key in
                     problems.lines else 1)
        return fallback
    text = str(value).strip()
    parts = parse_date_parts(text)
    if parts is None:
        problems.add(key, _("{value} is not a date (expected YYYY-MM-DD HH:MM)").format(
            value=show(value)))
        return fallback if required else None
    fields, offset = parts
    if not MIN_YEAR <= fields[0] <= MAX_YEAR:
        problems.add(key, _("{value} has an unlikely year (expected {first}–{last})").format(
            value=show(text), first=MIN_YEAR, last=MAX_YEAR))
        return fallback if required else None
    try:
        moment = datetime(*fields)
        if offset is None:
            return moment.replace(tzinfo=config.tz)
        return datetime.fromisoformat(f"{moment.isoformat()}{offset}").astimezone(config.tz)
    except ValueError:
        problems.add(key, _("{value} is not a real date (expected YYYY-MM-DD HH:MM)").format(
            value=show(text)))
        return fallback if required else None


def parse_date_parts(text: str) -> tuple[tuple[int, ...], str | None] | None:
    if match := _ISO.fullmatch(text):
        year, month, day, hour, minute, second, zone = match.groups()
        offset = None if zone is None else ("+00:00" if zone == "Z" else
                                            f"{zone[:3]}:{zone[-2:]}")
        return tuple(int(x or 0) for x in (year, month, day, hour, minute, second)), offset
    if match := _PORTAL.fullmatch(text):
        day, month, year, hour, minute = match.groups()
        return tuple(int(x or 0) for x in (year, month, day, hour, minute)), None
    return None


def flag_field(meta: dict, key: str, problems: FileProblems) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        problems.add(key, _("{value} should be true or false").format(value=show(value)))
        return False
    return value


def photos_field(value: object, resolve, problems: FileProblems) -> tuple[Photo, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add("photos", _("expected a list of photos, each '- src: …' with 'caption: …'"),
                     hint=photo_shape())
        return ()
    photos = []
    listed: dict[Path, int] = {}         # each file, and the item that lists it first
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
                             kind=kind(src)),
                         line=problems.lines.get(f"{field}.src") or problems.lines.get(field))
            continue
        if caption is None or isinstance(caption, bool) or not isinstance(caption, (str, int, float)):
            problems.add(f"{field}.caption", _("expected text, got {kind}").format(
                kind=kind(caption)))
            caption = ""
        try:
            found = resolve(src)
        except PhotoProblem as problem:
            problems.add(f"{field}.src", str(problem), hint=problem.hint)
            continue
        if found.source in listed:
            # A page shows each photo once, with one caption: the second would be lost.
            problems.add(f"{field}.src", _("{path} is already photos[{number}]: one photo has "
                                           "one caption").format(path=src.strip(),
                                                                 number=listed[found.source]),
                         hint=_("remove this item, or join the two captions into one"),
                         line=problems.lines.get(f"{field}.src") or problems.lines.get(field))
            continue
        listed[found.source] = index
        caption = re.sub(r"\s+", " ", str(caption)).strip()
        if not caption:
            problems.note(f"{field}.caption", deferred(N_(
                "missing; the caption is also what blind readers hear instead of the photo "
                "(its alt text)")), deferred(N_('add caption: "…" under src:, saying who or '
                                                'what the photo shows')),
                line=problems.lines.get(f"{field}.caption") or problems.lines.get(field))
        photos.append(make_photo(src, caption, found))
    return tuple(photos)


def attachment_shape(key: str = "attachments") -> str:
    return _('an attachment is written as "{key}:", "  - src: tai-lieu/ke-hoach.pdf" '
             'and "    title: …", with title: exactly under src:').format(key=key)


def attachments_field(value: object, found: Attachments, problems: FileProblems,
                      key: str = "attachments") -> None:
    """The documents listed in attachments: (or KEY:), into FOUND, in order."""
    if value is None:
        return
    if not isinstance(value, list):
        problems.add(key, _("expected a list of documents, each '- src: …' with "
                                      "'title: …'"), hint=attachment_shape(key))
        return
    for index, item in enumerate(value):
        field = f"{key}[{index}]"
        line = problems.lines.get(f"{field}.src") or problems.lines.get(field)
        if isinstance(item, str):
            item = {"src": item}
        if not isinstance(item, dict):
            problems.add(field, _("expected 'src:' and 'title:' fields"),
                         hint=attachment_shape(key))
            continue
        for name in item:
            if name not in ATTACHMENT_KEYS:
                problems.add(f"{field}.{name}", _("unknown field"),
                             hint=field_hint(str(name), ATTACHMENT_KEYS))
        src, title = item.get("src"), item.get("title", "")
        if not isinstance(src, str):
            problems.add(f"{field}.src", _("missing; give the document's path")
                         if src is None else _("expected a path, got {kind}").format(
                             kind=kind(src)), line=line)
            continue
        if title is None or isinstance(title, bool) or not isinstance(title, (str, int, float)):
            problems.add(f"{field}.title", _("expected text, got {kind}").format(
                kind=kind(title)))
            title = ""
        try:
            found.add(src, re.sub(r"\s+", " ", str(title)).strip())
        except DocumentProblem as problem:
            problems.add(f"{field}.src", str(problem), hint=problem.hint, line=line)


def document_link(href: str) -> str | None:
    """The path of a document file a body link names, or None: a link elsewhere (a web
    address, a page of the site by its address, an anchor, not a document)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = unquote(parts.path)
    return path if document_kind(path) else None


def misplaced_photo_keys(meta: dict, problems: FileProblems) -> None:
    """caption: or src: written at the top level, where a photo's fields do not belong."""
    for key in meta:
        if key in PHOTO_KEYS:
            problems.add(str(key), _("belongs to a photo; write it inside its item under photos:"),
                         hint=photo_shape())


def unknown_keys(meta: dict, known: tuple[str, ...], problems: FileProblems) -> None:
    """Keys that look like a typo of a known one (unknown keys are kept for templates)."""
    for key in meta:
        if key not in known and key not in PHOTO_KEYS and (hint := field_hint(str(key), known)):
            problems.add(str(key), _("unknown field"), hint=hint)


@dataclass(frozen=True, slots=True)
class Illustrated:
    """A body rendered with its photos: the front matter's, the body's own, and all of them
    once each (what the page shows, for publishing)."""

    photos: tuple[Photo, ...]
    html: str
    first_paragraph: str
    images: tuple[Photo, ...]
    attachments: tuple[Attachment, ...] = ()


def illustrated_body(meta: dict, parts: Split, shown: Path, config: SiteConfig,
                     problems: FileProblems,
                     photo_files: dict[Path, PhotoFile | PhotoProblem] | None = None,
                     sources: SourceIndex | None = None, url: str = "",
                     lang: str = "vi", attachments_key: str = "attachments") -> Illustrated:
    """The photos: and attachments: fields and the Markdown body, rendered with figures and
    pictures, its links to documents pointed at their copies beside the page at URL (in
    LANG's words); raises ErrorList when the body cannot be rendered at all."""
    photo_files = {} if photo_files is None else photo_files

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

    photos = photos_field(meta.get("photos"), resolve, problems)
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

    documents = Attachments(shown, config.site_dir)
    attachments_field(meta.get(attachments_key), documents, problems, attachments_key)
    link_problems: dict[str, DocumentProblem] = {}

    def link_of(href: str, text: str) -> tuple[str, str] | None:
        path = document_link(href)
        if path is None:
            return None
        try:
            found = documents.add(path, text)
        except DocumentProblem as problem:
            link_problems.setdefault(href, problem)
            return None
        fragment = urlsplit(href).fragment
        return (f"{config.base_path}{url}{found.name}" + (f"#{fragment}" if fragment else ""),
                f"({found.kind}, {found.size_label(lang)})")

    try:
        body = render_body(parts.body, photos, resolve_body_image, picture_of, link_of)
    except BodyTooComplex as problem:
        problems.add(field_label("body"), str(problem), line=parts.body_line)
        raise ErrorList(problems.errors)
    for problem in body.problems:
        problems.add(field_label("body"), _("image {problem}").format(problem=problem.message),
                     problem.hint, line=line_of(parts.body, problem.src, parts.body_line))
    for href, problem in link_problems.items():
        problems.add(field_label("body"), _("link {problem}").format(problem=problem),
                     problem.hint, line=line_of(parts.body, href, parts.body_line))
    note_placeholders(photos, body_photos, config.site_dir, parts, problems)
    for src in undescribed:
        problems.note(field_label("body"), deferred(N_(
            "image {path} has no description: blind readers hear nothing of it (its alt "
            "text is empty)"), path=src), deferred(N_(
                "write what it shows between the brackets, ![Ảnh: …]({path}), or list it "
                "under photos: with a caption:"), path=src),
            line=line_of(parts.body, src, parts.body_line))
    return Illustrated(photos, body.html, body.first_paragraph,
                       distinct_photos((*photos, *body_photos)), documents.all)


MAX_ALIASES = 100                # old addresses of one page; an import gives one or two
MAX_ALIAS_PART = 255             # bytes in one part of a path: a file name's limit


class AliasProblem(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def aliases_field(meta: dict, problems: FileProblems) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """aliases: the page's old addresses, each as a path under the site root (see
    alias_path), and the line of each."""
    value = meta.get("aliases")
    if value is None:
        return (), ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.add("aliases", _("expected a list of old addresses"),
                     hint=_("e.g. aliases: [/tin-tuc/bai-cu.html]"))
        return (), ()
    if len(value) > MAX_ALIASES:
        problems.add("aliases", _("{count} old addresses; the limit is {limit}").format(
            count=len(value), limit=MAX_ALIASES))
        return (), ()
    paths: dict[str, int] = {}
    for index, item in enumerate(value):
        field = f"aliases[{index}]"
        line = problems.lines.get(field) or problems.lines.get("aliases")
        try:
            path = alias_path(item)
        except AliasProblem as problem:
            problems.add(field, problem.message, problem.hint, line=line)
            continue
        paths.setdefault(path, line or problems.default_line)
    return tuple(paths), tuple(paths.values())


def alias_path(value: object) -> str:
    """An old address (/tin-tuc/abc.html, tin-tuc/abc/, or a full http(s) URL of the old
    portal, whose host is dropped) as a path under the site root, percent-escapes decoded,
    without its leading slash: tin-tuc/abc.html, tin-tuc/abc/. A query (?id=123) is kept:
    no file can answer for it, so such an alias goes to the web server's map only. Raises
    AliasProblem."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise AliasProblem(_("expected an address, got {kind}").format(kind=kind(value)))
    text = str(value).strip()
    if not text:
        raise AliasProblem(_("is empty"), _("remove the line, or write the old address"))
    not_an_address = AliasProblem(
        _("{value} is not a path or an http(s) address").format(value=show(text)),
        _("write the old address as a path, /tin-tuc/bai-cu.html, or in full, "
          "https://phucdong.longbien.hanoi.gov.vn/tin-tuc/bai-cu.html"))
    if _has_control(text):
        raise AliasProblem(_("{value} holds a control character").format(value=show(text)))
    if "\\" in text or any(char.isspace() for char in text):
        raise not_an_address
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise not_an_address
    if parts.fragment or text.endswith("#"):
        raise AliasProblem(_("{value} has a #… part, which browsers never send to the "
                             "server").format(value=show(text)),
                           _("write the address without the # and what follows it"))
    path = unquote(parts.path)
    if _has_control(path) or "\\" in path:
        raise AliasProblem(_("{value} holds a control character").format(value=show(text)))
    names = [name for name in path.split("/") if name not in ("", ".")]
    if ".." in names:
        raise AliasProblem(_("{value} has a \"..\" part; an old address is a path from the "
                             "site's root").format(value=show(text)),
                           _("write the whole path, e.g. /tin-tuc/bai-cu.html"))
    if any(len(name.encode()) > MAX_ALIAS_PART for name in names):
        raise AliasProblem(_("{value} has a part longer than {limit} bytes").format(
            value=show(text), limit=MAX_ALIAS_PART))
    query = parts.query
    if not names and not query:
        raise AliasProblem(_("{value} is the site's home page, not an old address of this "
                             "page").format(value=show(text)))
    joined = "/".join(names)
    if names and path.endswith("/"):
        joined += "/"
    return f"{joined}?{query}" if query else joined


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)
