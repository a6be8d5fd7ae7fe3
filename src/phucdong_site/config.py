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
from phucdong_site.text import is_slug, slugify

CONFIG_NAME = "site.toml"


@dataclass(frozen=True, slots=True)
class Contact:
    address: str = ""
    phone: str = ""
    email: str = ""
    responsible: str = ""        # "Chịu trách nhiệm chính", shown in the footer
    agency: str = ""             # "Cơ quan chủ quản"
    licence: str = ""            # "Giấy phép": the portal's licence line


# What a [[menu]] entry may point at (exactly one; none for a group that has items), and
# the site's own listings a `listing =` may name (pages.urls spells the same addresses).
MENU_TARGETS = ("page", "category", "listing", "url")
MENU_LISTINGS = ("tin-tuc/", "noi-bat/", "doc-nhieu/", "chuyen-muc/", "tag/", "luu-tru/",
                 "tim-kiem/", "van-ban/")


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One [[menu]] entry of site.toml, or one of its [[menu.items]]."""

    key: str                     # where site.toml writes it: "menu[0]", "menu[0].items[1]"
    title: str = ""              # "": the page's title, the category's or listing's name
    kind: str = ""               # one of MENU_TARGETS; "": a group of its items only
    target: str = ""             # page or listing path ("gioi-thieu/"), slug, or address
    items: tuple[MenuEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class FooterLink:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Notice:
    """[notice]: shown near the top of every page (an archive's, for example)."""

    text: str = ""
    link: str = ""
    link_text: str = ""          # "": the address itself


@dataclass(frozen=True, slots=True)
class English:
    """[english]: the shell's words on English pages; "" falls back to the Vietnamese."""

    name: str = ""
    banner: tuple[str, ...] = ()
    agency: str = ""
    address: str = ""
    notice: str = ""
    notice_link_text: str = ""


# The types of administrative documents of Nghị định 30/2020/NĐ-CP (Phụ lục III), with
# Công văn: what a ward issues. A site lists its own in [documents] types.
DOCUMENT_TYPES = (
    "Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo",
    "Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo",
    "Biên bản", "Tờ trình", "Hợp đồng", "Công văn", "Công điện", "Bản ghi nhớ",
    "Bản thỏa thuận", "Giấy ủy quyền", "Giấy mời", "Giấy giới thiệu", "Giấy nghỉ phép",
    "Phiếu gửi", "Phiếu chuyển", "Phiếu báo", "Thư công")


@dataclass(frozen=True, slots=True)
class DocumentsConfig:
    """[documents]: the register of văn bản."""

    types: tuple[str, ...] = DOCUMENT_TYPES    # what loai: may say
    issuer: str = ""             # co_quan: when a document does not say; "": required
    free_numbers: bool = False   # True: a number not shaped N/SYMBOL is a warning only


@dataclass(frozen=True, slots=True)
class ViewsConfig:
    """[views]: views counted from the web server's logs (phucdong-site views)."""

    popular_days: int = 0        # "Tin đọc nhiều" ranks by the views of the last N counted
                                 # days; 0: by every view ever counted
    hosts: tuple[str, ...] = ()  # host names the site is also served under, besides
                                 # base_url's (and its www. twin): their log lines count


DEPLOY_TYPES = ("folder", "ssh", "s3")
# The settings each type of [[deploy]] target takes (besides name and type), and those it needs.
DEPLOY_KEYS = {"folder": ("path",),
               "ssh": ("host", "user", "port", "path", "identity", "ssh_config"),
               "s3": ("bucket", "prefix", "endpoint", "region")}
DEPLOY_REQUIRED = {"folder": ("path",), "ssh": ("host", "path"), "s3": ("bucket",)}
# Setting names that hold a secret: site.toml is committed (and may be published), so a
# login never goes there: ssh reads the agent and ~/.ssh/config, boto3 AWS_* and ~/.aws.
CREDENTIAL_WORDS = ("password", "passwd", "secret", "token", "passphrase", "credential")


@dataclass(frozen=True, slots=True)
class DeployTarget:
    """One [[deploy]] entry of site.toml: where `phucdong-site deploy NAME` puts build/."""

    name: str
    type: str                    # one of DEPLOY_TYPES
    key: str = ""                # where site.toml writes it: "deploy[0]"
    path: str = ""               # folder: the web root; ssh: the folder on the server
    host: str = ""               # ssh: a host name or an alias of ~/.ssh/config
    user: str = ""
    port: int = 0                # 0: ssh's own default (22, or ~/.ssh/config's)
    identity: str = ""           # ssh: a private key file (its path, never the key)
    ssh_config: str = ""         # ssh: a config file used instead of ~/.ssh/config (ssh -F)
    bucket: str = ""
    prefix: str = ""             # s3: a folder in the bucket, "" or "site/" (ends with /)
    endpoint: str = ""           # s3: an S3-compatible service's address; "": AWS
    region: str = ""

    def where(self) -> str:
        """The target's place, for messages and for telling a moved target from its state."""
        if self.type == "folder":
            return self.path
        if self.type == "ssh":
            user = f"{self.user}@" if self.user else ""
            port = f":{self.port}" if self.port else ""
            return f"{user}{self.host}{port}:{self.path}"
        return f"s3://{self.bucket}/{self.prefix}" + (f" ({self.endpoint})" if self.endpoint
                                                       else "")


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
    logo: str = ""               # an image in the site, relative to its root: icons, header
    banner: tuple[str, ...] = ()     # the header's lines, above or instead of the name
    short_name: str = ""         # the web manifest's short name; "": the name
    theme_color: str = "#a30d0d"
    menu: tuple[MenuEntry, ...] | None = None    # None: the default navigation
    footer_links: tuple[FooterLink, ...] = ()    # [[footer.links]]: related state portals
    notice: Notice | None = None
    english: English = English()
    documents: DocumentsConfig = DocumentsConfig()
    deploy: tuple[DeployTarget, ...] = ()        # [[deploy]]: the first is the default
    views: ViewsConfig = ViewsConfig()
    # Where the build cache is, when not .cache/ (which this user cannot use): see
    # cache.usable_cache.
    cache_folder: Path | None = None

    @property
    def content_dir(self) -> Path:
        return self.site_dir / "content"

    @property
    def cache_dir(self) -> Path:
        return self.cache_folder or self.site_dir / ".cache"

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
                                         or c in _NOT_IN_ADDRESSES
                                         or unicodedata.category(c) == "Cf" for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port                       # raises on a port that is not a number
    except ValueError:
        return False
    return (parts.scheme in {"http", "https"} and _is_host(parts.hostname or "")
            and not parts.query and not parts.fragment and "?" not in value
            and "#" not in value and parts.username is None)


# What an address never holds (RFC 3986): quotes, <>, \ (a browser reads it as /), {} …;
# Unicode format characters (a zero-width space) are refused with them, being invisible.
_NOT_IN_ADDRESSES = set('"<>\\^`{|}')
_LABEL = re.compile(r"[^\W_]([^\W_]|-)*(?<!-)")


def _is_host(host: str) -> bool:
    """A host name (letters of any language, digits and inner hyphens, in dotted labels)
    or an IP address."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    return len(host) <= 253 and all(_LABEL.fullmatch(label) and len(label) <= 63
                                    for label in labels)


def _is_slug(value: object) -> bool:
    return isinstance(value, str) and is_slug(value)


def is_web_address(value: object) -> bool:
    """An http(s) address a visitor can follow: a host, no spaces, control characters or
    credentials (a query is fine)."""
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 or ord(c) == 127
                                         for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname) and parts.username is None


def _is_site_path(value: object) -> bool:
    """A file's path relative to the site's root: no "..", not absolute."""
    if not _is_text(value) or "\\" in value or value.startswith("/"):
        return False
    return ".." not in value.split("/") and not any(ord(c) < 32 for c in value)


def _is_lines(value: object) -> bool:
    return isinstance(value, list) and 0 < len(value) <= 4 and all(_is_text(v) for v in value)


def _is_colour(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value) is not None


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
    "logo": (_is_site_path, N_('the path of an image in the site, relative to its folder, '
                               'e.g. "anh/logo.png"')),
    "banner": (_is_lines, N_('a list of one to four lines, e.g. ["ỦY BAN NHÂN DÂN PHƯỜNG '
                             'PHÚC ĐỒNG", "CỔNG THÔNG TIN ĐIỆN TỬ"]')),
    "short_name": (_is_text, N_("a non-empty text")),
    "theme_color": (_is_colour, N_('a colour written #rrggbb, e.g. "#a30d0d"')),
}
TABLES = {"categories", "contact", "images", "menu", "footer", "notice", "english",
          "documents", "deploy", "views"}
CONTACT_KEYS = {field for field in Contact.__slots__}


def key_lines(text: str) -> dict[str, int]:
    """Map "key" and "table.key" to their 1-based line in a TOML file."""
    lines: dict[str, int] = {}
    table = ""
    arrays: dict[str, int] = {}      # each [[array]] of tables: how many written so far
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if header := re.fullmatch(r"\[\[\s*([^\]]+?)\s*\]\]\s*(#.*)?", stripped):
            table = _table_path(header.group(1), arrays, new_entry=True)
            lines.setdefault(table, number)
        elif header := re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", stripped):
            table = _table_path(header.group(1), arrays, new_entry=False)
            lines.setdefault(table, number)
        elif key := re.match(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""", line):
            name = key.group(1).strip("\"'")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _table_path(header: str, arrays: dict[str, int], new_entry: bool) -> str:
    """A table header's name with the entry of each array of tables in it:
    [[menu]] → "menu[2]", then [[menu.items]] → "menu[2].items[0]"."""
    path = ""
    names = [part.strip().strip("\"'") for part in header.split(".")]
    for number, name in enumerate(names, start=1):
        path = f"{path}.{name}" if path else name
        if number == len(names) and new_entry:
            arrays[path] = arrays.get(path, 0) + 1
            path += f"[{arrays[path] - 1}]"
        elif path in arrays:
            path += f"[{arrays[path] - 1}]"
    return path


def setting_line(site_dir: Path, key: str) -> int | None:
    """The line of KEY ("logo", "menu[1].page") in SITE_DIR's site.toml, or of the
    table that holds it, for problems found after loading."""
    try:
        lines = key_lines((Path(site_dir) / CONFIG_NAME).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    return lines.get(_written(key, lines))


def _written(key: str, lines: dict[str, int]) -> str:
    """KEY (or the first entry of an array of tables KEY), or the nearest table holding it
    that LINES knows ("" if none)."""
    if f"{key}[0]" in lines and key not in lines:
        return f"{key}[0]"
    while key and key not in lines:
        shorter = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", key)
        key = shorter if shorter != key else ""
    return key


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
        elif key in PORTAL_TABLES:
            values.update(PORTAL_TABLES[key](value, lines, shown, errors))
        else:
            errors.append(ContentError(shown, lines.get(key), f"{key}: " + _("unknown setting"),
                                       hint=did_you_mean(key, [*TOP_LEVEL, *TABLES])))
    if problem := _default_category_problem(raw, values, lines, shown):
        errors.append(problem)
    errors.raise_if_any()

    if "banner" in values:
        values["banner"] = tuple(values["banner"])
    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    config = SiteConfig(site_dir=site_dir, output_dir=Path(output_dir or site_dir / "build"),
                        **values)
    return replace(config, **{k: v for k, v in overrides.items() if v is not None})


def _default_category_problem(raw: dict, values: dict, lines: dict[str, int],
                              shown: Path) -> ContentError | None:
    """The default category (written, or the built-in one) missing from [categories]: told
    once, here, rather than to every article that takes it."""
    slugs = [slug for slug, _name in values.get("categories", ())]
    given = raw.get("categories")
    if not slugs or not isinstance(given, dict) or len(slugs) != len(given):
        return None              # no categories (any is fine), or their own problems told
    hint = did_you_mean(values.get("default_category", ""), slugs) or _(
        "choose one of: {names}").format(names=", ".join(slugs))
    if "default_category" in raw:
        if raw["default_category"] in slugs or "default_category" not in values:
            return None
        return ContentError(shown, lines.get("default_category"), "default_category: " + _(
            "{value} is not one of [categories]").format(
                value=_describe(raw["default_category"])), hint=hint)
    default = SiteConfig.__dataclass_fields__["default_category"].default
    if default in slugs:
        return None
    return ContentError(shown, lines.get("categories"), "categories: " + _(
        "the default category {value} is not one of them").format(value=_describe(default)),
        hint=_('add it, or write default_category = "…" with one of these: {names}').format(
            names=", ".join(slugs)))


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


def _problem(shown: Path, lines: dict[str, int], key: str, message: str,
             hint: str = "") -> ContentError:
    """A problem with KEY ("menu[1].page"), at its line or at its table's; shown without
    the entries' numbers ("menu.page"), which the line number says."""
    shown_key = re.sub(r"\[\d+\]", "", key)
    return ContentError(shown, lines.get(_written(key, lines)), f"{shown_key}: " + message,
                        hint=hint)


def _expected(what: str, value: object) -> str:
    return _("expected {what}, got {value}").format(what=what, value=_describe(value))


def _table_of_texts(value: object, table: str, keys: dict[str, str], lines: dict[str, int],
                    shown: Path, errors: ErrorList) -> dict[str, object]:
    """The texts of a [TABLE] whose KEYS map to "text" or "lines" (a list of texts)."""
    if not isinstance(value, dict):
        errors.append(_problem(shown, lines, table, _("expected a table [{name}]").format(
            name=table)))
        return {}
    fields: dict[str, object] = {}
    for key, text in value.items():
        if key not in keys:
            errors.append(_problem(shown, lines, f"{table}.{key}", _("unknown setting"),
                                   hint=did_you_mean(key, keys)))
        elif keys[key] == "lines" and _is_lines(text):
            fields[key] = tuple(text)
        elif keys[key] == "lines":
            errors.append(_problem(shown, lines, f"{table}.{key}", _expected(
                _("a list of one to four lines"), text)))
        elif keys[key] == "address" and not is_web_address(text):
            errors.append(_problem(shown, lines, f"{table}.{key}", _expected(
                _('an address such as "https://dichvucong.gov.vn/"'), text)))
        elif not _is_text(text):
            errors.append(_problem(shown, lines, f"{table}.{key}", _expected(
                _("a non-empty text"), text)))
        else:
            fields[key] = text.strip()
    return fields


def _load_menu(value: object, lines: dict[str, int], shown: Path,
               errors: ErrorList) -> dict[str, object]:
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        errors.append(_problem(shown, lines, "menu", _(
            "expected [[menu]] entries, each with title = and one of page =, category =, "
            "listing = or url =")))
        return {}
    entries = [_menu_entry(entry, f"menu[{number}]", lines, shown, errors)
               for number, entry in enumerate(value)]
    return {"menu": tuple(entry for entry in entries if entry is not None)}


def _menu_entry(raw: dict, key: str, lines: dict[str, int], shown: Path, errors: ErrorList,
                nested: bool = False) -> MenuEntry | None:
    """One entry, or None (its problems in ERRORS)."""
    before = len(errors.errors)
    allowed = ("title", *MENU_TARGETS) if nested else ("title", *MENU_TARGETS, "items")
    for name in raw:
        if name not in allowed:
            hint = (_("the menu has one level of items: put this entry beside the others")
                    if name == "items" else did_you_mean(name, allowed))
            errors.append(_problem(shown, lines, f"{key}.{name}", _("unknown setting"), hint))
    title = raw.get("title", "")
    if not isinstance(title, str) or ("title" in raw and not title.strip()):
        errors.append(_problem(shown, lines, f"{key}.title", _expected(_("a non-empty text"),
                                                                        title)))
    targets = [name for name in MENU_TARGETS if name in raw]
    items = raw.get("items", []) if not nested else []
    kind = targets[0] if targets else ""
    target = raw.get(kind, "")
    if len(targets) > 1:
        errors.append(_problem(shown, lines, key, _(
            "an entry links to one place: it has {names}").format(names=", ".join(targets)),
            hint=_("keep one of page =, category =, listing = and url =, or make the others "
                   "its [[menu.items]]")))
    elif not targets and not items:
        errors.append(_problem(shown, lines, key, _("this entry links nowhere"), hint=_(
            'give it page = "/gioi-thieu/", category = "tin-tuc-su-kien", '
            'listing = "/tin-tuc/" or url = "https://…"')))
    elif kind == "page" and not (_is_text(target) and "://" not in target):
        errors.append(_problem(shown, lines, f"{key}.page", _expected(
            _('the address of a page of the site, e.g. "/gioi-thieu/"'), target)))
    elif kind == "category" and not _is_slug(target):
        errors.append(_problem(shown, lines, f"{key}.category", _expected(
            _("a category slug such as tin-tuc-su-kien"), target)))
    elif kind == "listing" and (not isinstance(target, str)
                                or target.strip("/") + "/" not in MENU_LISTINGS):
        errors.append(_problem(shown, lines, f"{key}.listing", _(
            "{value} is not one of the site's listings").format(value=_describe(target)),
            hint=did_you_mean(str(target).strip("/") + "/", MENU_LISTINGS) or _(
                "one of {names}").format(names=", ".join(f"/{name}" for name in MENU_LISTINGS))))
    elif kind == "url" and not is_web_address(target):
        errors.append(_problem(shown, lines, f"{key}.url", _expected(
            _('an address such as "https://dichvucong.gov.vn/"'), target)))
    elif kind in ("url", "") and not title:
        errors.append(_problem(shown, lines, key, _("title = is missing"), hint=_(
            "a link to another site, or a group of items, needs the text the menu shows")))
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        errors.append(_problem(shown, lines, f"{key}.items", _(
            "expected [[menu.items]] entries, each with title = and one of page =, "
            "category =, listing = or url =")))
        items = []
    children = [_menu_entry(item, f"{key}.items[{number}]", lines, shown, errors, nested=True)
                for number, item in enumerate(items)]
    if len(errors.errors) > before:
        return None
    if kind in ("page", "listing"):
        target = target.strip().strip("/") + "/" if target.strip().strip("/") else ""
    return MenuEntry(key, title.strip(), kind, target.strip() if kind == "url" else target,
                     tuple(child for child in children if child is not None))


def _load_footer(value: object, lines: dict[str, int], shown: Path,
                 errors: ErrorList) -> dict[str, object]:
    if not isinstance(value, dict):
        errors.append(_problem(shown, lines, "footer", _("expected a table [footer]")))
        return {}
    for key in value:
        if key != "links":
            errors.append(_problem(shown, lines, f"footer.{key}", _("unknown setting"),
                                   hint=did_you_mean(key, ["links"])))
    links = value.get("links", [])
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        errors.append(_problem(shown, lines, "footer.links", _(
            "expected [[footer.links]] entries, each with title = and url =")))
        return {}
    found = []
    for number, link in enumerate(links):
        fields = _table_of_texts(link, f"footer.links[{number}]",
                                 {"title": "text", "url": "address"}, lines, shown, errors)
        missing = [key for key in ("title", "url") if key not in link]
        for key in missing:
            errors.append(_problem(shown, lines, f"footer.links[{number}]", _(
                "{key} = is missing").format(key=key)))
        if len(fields) == 2:
            found.append(FooterLink(**fields))
    return {"footer_links": tuple(found)}


def _load_notice(value: object, lines: dict[str, int], shown: Path,
                 errors: ErrorList) -> dict[str, object]:
    fields = _table_of_texts(value, "notice", {"text": "text", "link": "address",
                                               "link_text": "text"}, lines, shown, errors)
    if isinstance(value, dict) and "text" not in value:
        errors.append(_problem(shown, lines, "notice", _("text = is missing"), hint=_(
            'e.g. text = "Từ ngày 01/07/2025, phường Phúc Đồng đã được sáp nhập …"')))
    return {"notice": Notice(**fields)} if "text" in fields else {}


def _load_english(value: object, lines: dict[str, int], shown: Path,
                  errors: ErrorList) -> dict[str, object]:
    keys = {"name": "text", "banner": "lines", "agency": "text", "address": "text",
            "notice": "text", "notice_link_text": "text"}
    return {"english": English(**_table_of_texts(value, "english", keys, lines, shown, errors))}


def _load_documents(value: object, lines: dict[str, int], shown: Path,
                    errors: ErrorList) -> dict[str, object]:
    if not isinstance(value, dict):
        errors.append(_problem(shown, lines, "documents", _("expected a table [documents]")))
        return {}
    fields: dict[str, object] = {}
    for key, setting in value.items():
        if key == "types" and isinstance(setting, list) and setting and all(
                _is_text(name) for name in setting):
            if names := _document_types(setting, lines, shown, errors):
                fields["types"] = names
        elif key == "types":
            errors.append(_problem(shown, lines, "documents.types", _expected(
                _('a list of document types, e.g. ["Kế hoạch", "Thông báo", "Quyết định"]'),
                setting)))
        elif key == "issuer" and _is_text(setting):
            fields["issuer"] = setting.strip()
        elif key == "issuer":
            errors.append(_problem(shown, lines, "documents.issuer", _expected(
                _("a non-empty text"), setting)))
        elif key == "free_numbers" and isinstance(setting, bool):
            fields["free_numbers"] = setting
        elif key == "free_numbers":
            errors.append(_problem(shown, lines, "documents.free_numbers", _expected(
                _("true or false"), setting)))
        else:
            errors.append(_problem(shown, lines, f"documents.{key}", _("unknown setting"),
                                   hint=did_you_mean(key, DocumentsConfig.__slots__)))
    return {"documents": DocumentsConfig(**fields)}


MAX_POPULAR_DAYS = 3660         # ten years: longer is every view ever counted (0)


def _load_views(value: object, lines: dict[str, int], shown: Path,
                errors: ErrorList) -> dict[str, object]:
    if not isinstance(value, dict):
        errors.append(_problem(shown, lines, "views", _("expected a table [views]")))
        return {}
    fields: dict[str, object] = {}
    for key, setting in value.items():
        if key == "popular_days" and isinstance(setting, int) and not isinstance(
                setting, bool) and 0 <= setting <= MAX_POPULAR_DAYS:
            fields["popular_days"] = setting
        elif key == "popular_days":
            errors.append(_problem(shown, lines, "views.popular_days", _expected(
                _("a number of days from 1 to {most}, or 0 for every view counted").format(
                    most=MAX_POPULAR_DAYS), setting)))
        elif key == "hosts" and isinstance(setting, list) and all(
                isinstance(host, str) and _HOST.fullmatch(host) for host in setting):
            fields["hosts"] = tuple(host.lower().rstrip(".") for host in setting)
        elif key == "hosts":
            errors.append(_problem(shown, lines, "views.hosts", _expected(
                _('a list of host names, e.g. ["phucdong.longbien.gov.vn"]'), setting)))
        else:
            errors.append(_problem(shown, lines, f"views.{key}", _("unknown setting"),
                                   hint=did_you_mean(key, ViewsConfig.__slots__)))
    return {"views": ViewsConfig(**fields)}


_HOST = re.compile(r"(?=.{1,253}\.?$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?")


MAX_DOCUMENT_TYPES = 200        # Nghị định 30/2020 lists 29; each type is a listing page


def _document_types(names: list[str], lines: dict[str, int], shown: Path,
                    errors: ErrorList) -> tuple[str, ...]:
    """[documents] types, spaces collapsed, each once; () after a problem. Two that differ
    only by tones or capitals would be one type to loai: and share one listing's address,
    and a type needs a letter or digit for its listing's address."""
    if len(names) > MAX_DOCUMENT_TYPES:
        errors.append(_problem(shown, lines, "documents.types", _(
            "{count} types; the limit is {limit}").format(count=len(names),
                                                          limit=MAX_DOCUMENT_TYPES)))
        return ()
    found: dict[str, str] = {}
    before = len(errors.errors)
    for name in dict.fromkeys(" ".join(name.split()) for name in names):
        key = slugify(name)
        if not key:
            errors.append(_problem(shown, lines, "documents.types", _(
                "{name} has no letters or digits").format(name=json.dumps(name,
                                                                            ensure_ascii=False))))
        elif key in found:
            errors.append(_problem(shown, lines, "documents.types", _(
                "{name} and {other} are one type written twice (they differ only by tones "
                "or capitals)").format(name=json.dumps(name, ensure_ascii=False),
                                       other=json.dumps(found[key], ensure_ascii=False)),
                hint=_("keep one of the two")))
        else:
            found[key] = name
    return tuple(found.values()) if len(errors.errors) == before else ()


def _load_deploy(value: object, lines: dict[str, int], shown: Path,
                 errors: ErrorList) -> dict[str, object]:
    """[[deploy]] targets, each checked whole: every problem of every entry is told."""
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        errors.append(_problem(shown, lines, "deploy", _(
            'expected [[deploy]] entries, each with name = and type = "folder", "ssh" or '
            '"s3"')))
        return {}
    targets, names = [], set()
    for number, raw in enumerate(value):
        target = _deploy_target(raw, f"deploy[{number}]", lines, shown, errors)
        if target is not None and target.name in names:
            errors.append(_problem(shown, lines, f"deploy[{number}].name", _(
                "two targets are named {name}").format(name=target.name),
                hint=_("give each [[deploy]] its own name")))
        elif target is not None:
            names.add(target.name)
            targets.append(target)
    return {"deploy": tuple(targets)}


def is_credential_key(name: str) -> bool:
    """A setting's name that says it holds a secret: password, secret_key, access_key,
    token, key, …"""
    word = name.lower()
    return (any(part in word for part in CREDENTIAL_WORDS) or word in ("key", "pass")
            or word.endswith(("_key", "-key", "_key_id", "_pass")))


def _deploy_target(raw: dict, key: str, lines: dict[str, int], shown: Path,
                   errors: ErrorList) -> DeployTarget | None:
    before = len(errors.errors)
    kind = raw.get("type")
    if kind not in DEPLOY_TYPES:
        errors.append(_problem(shown, lines, f"{key}.type" if "type" in raw else key, _(
            "{key} = is missing").format(key="type") if "type" not in raw else _expected(
                _('"folder", "ssh" or "s3"'), kind),
            hint=_('type = "folder" (a folder on this computer), "ssh" (a server, through '
                   'rsync over ssh) or "s3" (object storage)')))
    allowed = ("name", "type", *DEPLOY_KEYS.get(kind, sum(DEPLOY_KEYS.values(), ())))
    fields: dict[str, object] = {}
    for name, setting in raw.items():
        where = f"{key}.{name}"
        if is_credential_key(name):
            errors.append(_problem(shown, lines, where, _(
                "a password, key or token does not belong in site.toml: the file is "
                "committed with the site and may be published"), hint=_(
                "remove this line. ssh logs in with the SSH agent or ~/.ssh/config "
                "(IdentityFile; identity = names a key file); S3 reads AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws/credentials (AWS_PROFILE)")))
        elif name not in allowed:
            errors.append(_problem(shown, lines, where, _("unknown setting"),
                                   hint=did_you_mean(name, allowed)))
        elif name == "type":
            continue
        elif name == "port":
            if isinstance(setting, int) and not isinstance(setting, bool) and \
                    1 <= setting <= 65535:
                fields[name] = setting
            else:
                errors.append(_problem(shown, lines, where, _expected(
                    _("a port number from 1 to 65535"), setting)))
        elif name == "prefix" and setting == "":
            continue                    # the bucket's top: as if not written
        elif not _is_text(setting) or any(ord(c) < 32 for c in setting):
            errors.append(_problem(shown, lines, where, _expected(_("a non-empty text"),
                                                                  setting)))
        elif problem := _deploy_value_problem(name, setting.strip()):
            errors.append(_problem(shown, lines, where, problem))
        else:
            fields[name] = setting.strip()
    if "name" not in raw:
        errors.append(_problem(shown, lines, key, _("name = is missing"), hint=_(
            'e.g. name = "may-chu": phucdong-site deploy may-chu')))
    for name in DEPLOY_REQUIRED.get(kind, ()):
        if name not in raw:
            errors.append(_problem(shown, lines, key, _("{key} = is missing").format(key=name)))
    if len(errors.errors) > before:
        return None
    if "prefix" in fields:
        fields["prefix"] = fields["prefix"].strip("/") + "/" if fields["prefix"].strip("/") \
            else ""
    return DeployTarget(type=kind, key=key, **fields)


def _deploy_value_problem(name: str, value: str) -> str:
    """Why VALUE cannot be the [[deploy]] setting NAME ("" if it can)."""
    if name == "name" and not is_slug(value):
        return _("a target's name uses only a-z, 0-9 and hyphens, e.g. may-chu")
    if name == "endpoint" and not (is_site_address(value.rstrip("/") + "/")
                                   or is_site_address(value)):
        return _('expected an http(s) address such as "https://s3.example.vn" (no user name '
                 'or password in it)')
    if name == "bucket" and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", value):
        return _("a bucket name has 3 to 63 characters: a-z, 0-9, dots and hyphens")
    if name == "host" and (re.search(r"[\s/@]", value) or value.startswith("-")):
        return _("a host name or an alias of ~/.ssh/config (the user goes in user =)")
    if name == "user" and (re.search(r"[\s/@:]", value) or value.startswith("-")):
        return _("a user name on the server")
    return ""


PORTAL_TABLES = {"menu": _load_menu, "footer": _load_footer, "notice": _load_notice,
                 "english": _load_english, "documents": _load_documents,
                 "deploy": _load_deploy, "views": _load_views}


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
