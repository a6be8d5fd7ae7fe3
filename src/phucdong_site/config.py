"""site.toml → a frozen SiteConfig; every bad key reported with its line."""

from __future__ import annotations

import ipaddress
import json
import re
import tomllib
import unicodedata
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from phucdong_site.errors import ContentError, ErrorList, did_you_mean
from phucdong_site.language import N_, _, choose
from phucdong_site.text import is_slug

CONFIG_NAME = "site.toml"


@dataclass(frozen=True, slots=True)
class Contact:
    address: str = ""
    phone: str = ""
    email: str = ""
    responsible: str = ""        # "Chịu trách nhiệm chính", shown in the footer


IMAGE_FORMATS = ("webp", "jpeg")     # in <source> order: the first that a browser takes wins


@dataclass(frozen=True, slots=True)
class ImageConfig:
    """The [images] table: which published copies every photo gets."""

    widths: tuple[int, ...] = (480, 960, 1600)   # body photos; never above the original
    cover_widths: tuple[int, ...] = (480, 960)   # 16:9 crops for listing cards
    quality: int = 82            # JPEG quality
    webp_quality: int = 80
    formats: tuple[str, ...] = IMAGE_FORMATS     # "jpeg" is required: the <img> fallback
    sizes: str = "(max-width: 46rem) 100vw, 46rem"   # the body column width, for srcset


@dataclass(frozen=True, slots=True)
class SiteConfig:
    site_dir: Path               # the folder holding site.toml, content/, templates/
    output_dir: Path             # build/ unless -o says otherwise
    name: str = "Phường Phúc Đồng"
    section_title: str = "tin tức - sự kiện nổi bật"
    description: str = ""
    base_url: str = "http://localhost:8000/"   # always ends with "/"
    per_page: int = 10
    timezone: str = "Asia/Ho_Chi_Minh"
    default_category: str = "tin-tuc-su-kien"
    categories: tuple[tuple[str, str], ...] = ()   # (slug, display name), in file order
    contact: Contact = Contact()
    drafts: bool = False         # --drafts: build unpublished articles too, marked
    images: ImageConfig = ImageConfig()
    jobs: int | None = None      # --jobs: worker processes; None = one per core

    @property
    def content_dir(self) -> Path:
        return self.site_dir / "content"

    @property
    def cache_dir(self) -> Path:
        return self.site_dir / ".cache"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: "/" or "/sub/path/"."""
        return urlsplit(self.base_url).path or "/"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def category_name(self, slug: str) -> str:
        return dict(self.categories).get(slug, slug)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_timezone(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def is_site_address(value: object) -> bool:
    """An http(s) address with a host and nothing a link could not be built on: no query,
    no fragment, no spaces or control characters (a newline would add a line to
    robots.txt), no user name or password."""
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 or ord(c) == 127
                                         for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port                       # raises on a port that is not a number
    except ValueError:
        return False
    return (parts.scheme in {"http", "https"} and bool(parts.hostname) and not parts.query
            and not parts.fragment and "?" not in value and "#" not in value
            and parts.username is None)


def _is_slug(value: object) -> bool:
    return isinstance(value, str) and is_slug(value)


# key -> (check, what the key expects, in the words of the error message)
TOP_LEVEL = {
    "name": (_is_text, N_("a non-empty text")),
    "section_title": (_is_text, N_("a non-empty text")),
    "description": (lambda v: isinstance(v, str), N_("a text")),
    "base_url": (is_site_address, N_('an http(s) address such as "https://phucdong.gov.vn/" '
                                     '(no ?query, #fragment or spaces)')),
    "per_page": (_is_positive_int, N_("a whole number of at least 1")),
    "timezone": (_is_timezone, N_('a time zone name such as "Asia/Ho_Chi_Minh"')),
    "default_category": (_is_slug, N_("a category slug such as tin-tuc-su-kien")),
}
TABLES = {"categories", "contact", "images"}
CONTACT_KEYS = {field for field in Contact.__slots__}


def key_lines(text: str) -> dict[str, int]:
    """Map "key" and "table.key" to their 1-based line in a TOML file."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if header := re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", stripped):
            table = header.group(1)
            lines.setdefault(table, number)
        elif key := re.match(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""", line):
            name = key.group(1).strip("\"'")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return {bool: _("true/false"), int: _("a number"), float: _("a number"), list: _("a list"),
            dict: _("a table")}.get(type(value), type(value).__name__)


def _toml_problem(error: tomllib.TOMLDecodeError) -> str:
    """tomllib's words (English) without their "(at line …)", which the line number shows;
    in Vietnamese, the common ones translated and the rare ones left to the line number."""
    problem = re.sub(r"\s*\(at [^)]*\)$", "", str(error))
    if choose() == "en":
        return problem
    known = {
        "Invalid value": _("a value that is not a quoted text, number, true/false or list"),
        "Cannot declare": _("a [table] written twice"),
        "Expected newline or end of document": _("more text after the value on this line"),
        "Unclosed inline table": _("a table { … } that is not closed with }"),
        "Expected '=' after a key": _("a key without '=' after it"),
        "Invalid statement": _("a line that is not key = value"),
        "Cannot overwrite a value": _("a key written twice"),
        "Unclosed array": _("a list [ … ] that is not closed with ]"),
        "Illegal character": _("a character that TOML does not allow here"),
        "Unterminated string": _("a text whose quote is not closed"),
    }
    return next((text for start, text in known.items() if problem.startswith(start)),
                _("check the quotes and the '=' on this line"))


def load_config(site_dir: Path, output_dir: Path | None = None, **overrides) -> SiteConfig:
    """Read SITE_DIR/site.toml (optional) into a SiteConfig, or raise every problem."""
    site_dir = Path(site_dir)
    path = site_dir / CONFIG_NAME
    shown = Path(CONFIG_NAME)
    raw: dict = {}
    lines: dict[str, int] = {}
    if path.exists():
        try:
            text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8-sig"))
            raw = tomllib.loads(text)
        except UnicodeDecodeError:
            raise ErrorList([ContentError(shown, None, _("not UTF-8 text; save it as UTF-8"))])
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            raise ErrorList([ContentError(shown, int(line.group(1)) if line else None,
                                          _("not valid TOML: {problem}").format(
                                              problem=_toml_problem(error)))])
        lines = key_lines(text)

    errors = ErrorList()
    values: dict = {}
    for key, value in raw.items():
        if key in TOP_LEVEL:
            check, expected = TOP_LEVEL[key]
            if check(value):
                values[key] = value
            else:
                errors.append(ContentError(shown, lines.get(key),
                                           f"{key}: " + _("expected {what}, got {value}").format(
                                               what=_(expected), value=_describe(value))))
        elif key == "categories":
            values["categories"] = _load_categories(value, lines, shown, errors)
        elif key == "contact":
            values["contact"] = _load_contact(value, lines, shown, errors)
        elif key == "images":
            values["images"] = _load_images(value, lines, shown, errors)
        else:
            errors.append(ContentError(shown, lines.get(key), f"{key}: " + _("unknown setting"),
                                       hint=did_you_mean(key, [*TOP_LEVEL, *TABLES])))
    errors.raise_if_any()

    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    config = SiteConfig(site_dir=site_dir, output_dir=Path(output_dir or site_dir / "build"),
                        **values)
    return replace(config, **{k: v for k, v in overrides.items() if v is not None})


def _load_categories(value: object, lines: dict[str, int], shown: Path,
                     errors: ErrorList) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        errors.append(ContentError(shown, lines.get("categories"),
                                   "categories: " + _('expected a table [categories] of '
                                                      'slug = "Name"')))
        return ()
    pairs = []
    for slug, name in value.items():
        where = lines.get(f"categories.{slug}")
        if not _is_slug(slug):
            errors.append(ContentError(shown, where, f"categories.{slug}: " + _(
                "a category slug uses only a-z, 0-9 and hyphens")))
        elif not _is_text(name):
            errors.append(ContentError(shown, where, f"categories.{slug}: " + _(
                "expected a display name, got {value}").format(value=_describe(name))))
        else:
            pairs.append((slug, name))
    return tuple(pairs)


def _load_contact(value: object, lines: dict[str, int], shown: Path,
                  errors: ErrorList) -> Contact:
    if not isinstance(value, dict):
        errors.append(ContentError(shown, lines.get("contact"), "contact: " + _("expected a table [contact]")))
        return Contact()
    fields = {}
    for key, text in value.items():
        where = lines.get(f"contact.{key}")
        if key not in CONTACT_KEYS:
            errors.append(ContentError(shown, where, f"contact.{key}: " + _("unknown setting"),
                                       hint=did_you_mean(key, CONTACT_KEYS)))
        elif not isinstance(text, str):
            errors.append(ContentError(shown, where,
                                       f"contact.{key}: " + _("expected {what}, got {value}").format(
                                           what=_("a text"), value=_describe(text))))
        else:
            fields[key] = text
    return Contact(**fields)


def _is_widths(value: object) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(_is_positive_int(w) and 16 <= w <= 8192 for w in value))


def _is_quality(value: object) -> bool:
    return _is_positive_int(value) and value <= 100


def _is_formats(value: object) -> bool:
    return (isinstance(value, list) and "jpeg" in value
            and all(v in IMAGE_FORMATS for v in value))


IMAGE_KEYS = {
    "widths": (_is_widths, N_("a list of pixel widths between 16 and 8192, e.g. "
                                "[480, 960, 1600]")),
    "cover_widths": (_is_widths, N_("a list of pixel widths between 16 and 8192, e.g. "
                                      "[480, 960]")),
    "quality": (_is_quality, N_("a whole number from 1 to 100")),
    "webp_quality": (_is_quality, N_("a whole number from 1 to 100")),
    "formats": (_is_formats, N_('a list of "webp" and "jpeg" that includes "jpeg"')),
    "sizes": (_is_text, N_('a sizes attribute, e.g. "(max-width: 46rem) 100vw, 46rem"')),
}


def _load_images(value: object, lines: dict[str, int], shown: Path,
                 errors: ErrorList) -> ImageConfig:
    if not isinstance(value, dict):
        errors.append(ContentError(shown, lines.get("images"), "images: " + _("expected a table [images]")))
        return ImageConfig()
    fields: dict = {}
    for key, setting in value.items():
        where = lines.get(f"images.{key}")
        if key not in IMAGE_KEYS:
            errors.append(ContentError(shown, where, f"images.{key}: " + _("unknown setting"),
                                       hint=did_you_mean(key, IMAGE_KEYS)))
            continue
        check, expected = IMAGE_KEYS[key]
        if not check(setting):
            got = json.dumps(setting, ensure_ascii=False) if isinstance(setting, list) \
                else _describe(setting)
            errors.append(ContentError(shown, where, f"images.{key}: " + _(
                "expected {what}, got {value}").format(what=_(expected), value=got)))
        elif key in ("widths", "cover_widths"):
            fields[key] = tuple(sorted(set(setting)))
        elif key == "formats":
            # <source> order is fixed (WebP first); the list only says which are made.
            fields[key] = tuple(f for f in IMAGE_FORMATS if f in setting)
        else:
            fields[key] = setting
    return ImageConfig(**fields)


def find_site(start: Path) -> Path | None:
    """The site holding START: the nearest folder, START or above, with a site.toml (as git
    finds its repository); relative to START when above it ("..", "../.."). None if none."""
    here = Path(start)
    absolute = here.absolute()
    for depth, folder in enumerate((absolute, *absolute.parents)):
        if (folder / CONFIG_NAME).is_file():
            return here if depth == 0 else here.joinpath(*[".."] * depth)
    return None


# Addresses that cannot be the portal's: this computer or the office network (a name or IP
# no resident can reach), or a placeholder from documentation (RFC 2606, 6761 reserve them).
_LOCAL_NAMES = ("localhost", ".localhost", ".local", ".lan", ".internal", ".home.arpa")
_PLACEHOLDER_NAMES = ("example.com", "example.org", "example.net", ".example.com",
                      ".example.org", ".example.net", ".example", ".test", ".invalid")


def unpublishable_address(url: str) -> str:
    """Why URL cannot be where the site is published: "local", "placeholder", or ""."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        return "local" if not ip.is_global else ""
    if host.endswith(_PLACEHOLDER_NAMES) or host in _PLACEHOLDER_NAMES:
        return "placeholder"
    if host.endswith(_LOCAL_NAMES) or host in _LOCAL_NAMES or "." not in host:
        return "local"
    return ""


def address_warning(config: SiteConfig, from_command_line: bool) -> ContentError | None:
    """A warning when the build would publish links to an address that is not the portal's."""
    kind = unpublishable_address(config.base_url)
    if not kind:
        return None
    if from_command_line:
        where, line = Path("--base-url"), None
    else:
        where, line = Path(CONFIG_NAME), _line_of_key(config.site_dir / CONFIG_NAME, "base_url")
    what = (_("{url} is a local address (this computer or the office network)")
            if kind == "local" else
            _("{url} is a placeholder, not the portal's address")).format(url=config.base_url)
    return ContentError(where, line, "base_url: " + what + "; " + _(
        "share buttons, canonical links, RSS and Atom feeds, sitemap.xml, robots.txt and "
        "printed pages will point there"),
        hint=_('write the portal\'s address in site.toml, e.g. base_url = '
               '"https://phucdong.gov.vn/", or build with --base-url https://…'))


def _line_of_key(path: Path, key: str) -> int | None:
    try:
        return key_lines(path.read_text(encoding="utf-8")).get(key)
    except (OSError, UnicodeDecodeError):
        return None
