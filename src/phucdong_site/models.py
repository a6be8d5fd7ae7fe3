"""The site's data, frozen once loaded. No I/O here (a cached Body reads its file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from phucdong_site.errors import ContentError


class BodySpans(Protocol):
    """Where the build cache keeps bodies (cache.bodies.BodiesFile): spans read on use."""

    name: str

    def read(self, start: int, length: int) -> bytes: ...


class Body:
    """The HTML of a body. MD_LINKS: whether it may hold links to .md files (see
    content.links.link_sources), None until someone looked."""

    __slots__ = ("_text", "file", "start", "length", "md_links")

    def __init__(self, text: str | None = None, *, file: BodySpans | str | None = None,
                 start: int = 0, length: int = 0, md_links: bool | None = None):
        self._text, self.file, self.start, self.length = text, file, start, length
        self.md_links = md_links

    @classmethod
    def stored(cls, name: str, start: int, length: int, md_links: bool | None) -> Body:
        """A body in the cache's bodies file NAME; the cache opens that file once loaded."""
        return cls(file=name, start=start, length=length, md_links=md_links)

    @property
    def html(self) -> str:
        """The text; a stored body is read each time, not kept: a page reads its body once,
        and a cold build's workers would otherwise each keep what they rendered."""
        if self._text is None:
            assert not isinstance(self.file, str), "a stored body read before it was placed"
            return self.file.read(self.start, self.length).decode("utf-8")
        return self._text

    @property
    def loaded(self) -> bool:
        return self._text is not None

    def store(self, file: BodySpans, start: int, length: int) -> None:
        """The body is now that span of FILE: its text leaves memory until read again."""
        self.file, self.start, self.length, self._text = file, start, length, None

    def __eq__(self, other: object) -> bool:
        return self is other or isinstance(other, Body) and self.html == other.html

    def __hash__(self) -> int:
        return hash(self.html)

    def __repr__(self) -> str:
        return f"Body({self.html[:40]!r}…)" if self.loaded else f"Body({self.file}@{self.start})"

    def __reduce__(self):
        # Written to the cache as its span when it has one (see ArticleCache.save); else,
        # as in page keys, as its text.
        if self.file is not None:
            name = self.file if isinstance(self.file, str) else self.file.name
            return Body.stored, (name, self.start, self.length, self.md_links)
        return _body, (self.html, self.md_links)


def _body(text: str, md_links: bool | None) -> Body:
    return Body(text, md_links=md_links)


@dataclass(frozen=True, slots=True)
class Photo:
    src: str                     # as the editor wrote it in front matter or the body
    source: Path                 # the file, relative to the site root
    caption: str = ""
    width: int = 0
    height: int = 0
    digest: str = ""             # sha256 of the file's bytes: names the published copies


@dataclass(frozen=True, slots=True)
class Attachment:
    """A document (PDF, DOCX, XLSX, ...) published as it is, beside the page that links it."""

    src: str                     # as the editor wrote it in attachments: or the body
    source: Path                 # the file, relative to the site root
    title: str                   # what the "Tài liệu đính kèm" block shows
    name: str                    # its published name beside the page: ke-hoach-12.pdf
    size: int                    # in bytes, as published
    kind: str                    # "PDF", "DOCX", ...: what the download says it is
    digest: str = ""             # sha256 of its bytes: names its copy in the build cache

    def size_label(self, lang: str = "vi") -> str:
        """"1,2 MB" (English pages: "1.2 MB"), "340 KB"."""
        return file_size(self.size, lang)

    @property
    def media_type(self) -> str:
        """Its MIME type, for feeds' enclosures and JSON-LD: from a fixed table, not the
        machine's (mimetypes reads /etc/mime.types or Windows' registry, which differ:
        .docx unknown without mime-support, .zip application/x-zip-compressed on Windows)."""
        return MEDIA_TYPES.get(self.kind, "application/octet-stream")


# The MIME type of each kind of attachment (content/attachments.py: DOCUMENT_KINDS).
MEDIA_TYPES = {
    "PDF": "application/pdf", "DOC": "application/msword",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "XLS": "application/vnd.ms-excel",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ODT": "application/vnd.oasis.opendocument.text",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet", "ZIP": "application/zip"}


def file_size(size: int, lang: str = "vi") -> str:
    """SIZE in bytes as a reader reads it: KB below a megabyte, else MB with one decimal;
    Vietnamese writes the decimal with a comma."""
    if size < 2**20:
        return f"{max(1, round(size / 2**10))} KB"
    text = f"{size / 2**20:.1f}"
    return f"{text if lang == 'en' else text.replace('.', ',')} MB"


@dataclass(frozen=True, slots=True)
class MenuPlace:
    """Where a page puts itself in the header's menu (its menu: field)."""

    parent: str = ""             # "": a top-level entry; else the title or URL of one
    title: str = ""              # the entry's text; "": the page's title
    order: int = 0               # entries of one level by order, then as written


def article_url(published: datetime, slug: str) -> str:
    """An article's path under the site root: YYYY/MM/slug/."""
    return f"{published:%Y/%m}/{slug}/"


class Shown:
    """What every kind with a page of its own gives its templates: the body's HTML, the
    cover (the first photo) and the front matter's unknown keys."""

    __slots__ = ()
    body: Body
    photos: tuple[Photo, ...]
    extra: tuple[tuple[str, object], ...]

    @property
    def body_html(self) -> str:
        return self.body.html

    @property
    def cover(self) -> Photo | None:
        return self.photos[0] if self.photos else None

    @property
    def meta(self) -> dict[str, object]:
        return dict(self.extra)


@dataclass(frozen=True, slots=True)
class Article(Shown):
    source: Path                 # content/2021/abc.md, relative to the site root
    title: str
    published: datetime          # timezone-aware, in the site's time zone
    slug: str
    category: str                # category slug
    views: int = 0               # front matter's (the old portal's count), plus those counted
    photos: tuple[Photo, ...] = ()   # front-matter photos, in order; the first is the cover
    tags: tuple[str, ...] = ()
    featured: bool = False
    draft: bool = False
    summary: str = ""            # plain text: front matter's, else the first paragraph
    body: Body = field(default_factory=Body)   # the body's HTML, with its figures and
                                               # unplaced photos after it: see body_html
    extra: tuple[tuple[str, object], ...] = ()   # unknown front-matter keys, for templates
    images: tuple[Photo, ...] = ()   # every photo file the page shows, body images included
    url_line: int = 1            # the line of slug: (or title:), where URL clashes are reported
    expires: datetime | None = None   # after this it leaves listings, feeds, search, sitemap
    attachments: tuple[Attachment, ...] = ()   # documents it publishes beside its page
    aliases: tuple[str, ...] = ()    # old addresses, paths under the site root (fields.alias_path)
    alias_lines: tuple[int, ...] = ()   # the line of each, for clashes found when planning
    recent_views: int = 0        # views counted in [views] popular_days up to the last count
    # Warnings about this file (a photo without a caption, an import's placeholder photo):
    # reported by every build that publishes it, never stopping one.
    notes: tuple[ContentError, ...] = field(default=(), compare=False, repr=False)
    # The article's path under the site root: YYYY/MM/slug/. Made once: listings, related
    # blocks and page keys ask for it a hundred thousand times in a build of 10,000.
    url: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", article_url(self.published, self.slug))


@dataclass(frozen=True, slots=True)
class Page(Shown):
    """A page without a date in the news: Giới thiệu, Liên hệ, Lịch tiếp công dân. Its URL is
    its path under content/trang/ (English ones under en/)."""

    source: Path                 # content/trang/gioi-thieu.md, relative to the site root
    title: str
    url: str                     # its path under the site root: gioi-thieu/, en/contact/
    lang: str = "vi"
    updated: datetime | None = None   # "Cập nhật dd/mm/yyyy" when given
    summary: str = ""
    photos: tuple[Photo, ...] = ()
    body: Body = field(default_factory=Body)
    extra: tuple[tuple[str, object], ...] = ()
    images: tuple[Photo, ...] = ()
    menu: MenuPlace | None = None     # None: not in the menu by itself
    translation: str = ""        # the URL of the same page in the other language
    draft: bool = False
    expires: datetime | None = None
    url_line: int = 1            # where URL clashes are reported
    attachments: tuple[Attachment, ...] = ()
    aliases: tuple[str, ...] = ()
    alias_lines: tuple[int, ...] = ()
    notes: tuple[ContentError, ...] = field(default=(), compare=False, repr=False)


# What a document's status may be, as the register's pages and index name it.
IN_FORCE, NOT_YET, EXPIRED, REPLACED = "con-hieu-luc", "chua-hieu-luc", "het-hieu-luc", "bi-thay-the"
STATUSES = (IN_FORCE, NOT_YET, EXPIRED, REPLACED)


@dataclass(frozen=True, slots=True)
class OfficialDocument(Shown):
    """A văn bản of the register: a plan, a decision, a notice the ward issued, with its
    number, type, dates, status and files. Published at van-ban/<its number's slug>/."""

    source: Path                 # content/van-ban/2021/12-kh-ubnd.md, relative to the site
    number: str                  # so_ky_hieu as written: "12/KH-UBND"
    slug: str                    # its URL's last part: the number folded, "12-kh-ubnd"
    kind: str                    # loai, as site.toml lists it: "Kế hoạch"
    issuer: str                  # co_quan
    issued: datetime             # ngay_ban_hanh
    summary: str                 # trich_yeu
    signer: str = ""             # nguoi_ky
    effective: datetime | None = None    # ngay_hieu_luc
    ends: datetime | None = None         # het_hieu_luc: a date
    repealed: bool = False               # het_hieu_luc: true (no longer in force, no date)
    replaced_by: str = ""        # thay_the_boi: the number of the document replacing it
    related: tuple[str, ...] = ()        # lien_quan: numbers of related documents
    attachments: tuple[Attachment, ...] = ()   # tep: the document's files
    body: Body = field(default_factory=Body)
    photos: tuple[Photo, ...] = ()
    images: tuple[Photo, ...] = ()
    extra: tuple[tuple[str, object], ...] = ()
    draft: bool = False
    aliases: tuple[str, ...] = ()
    alias_lines: tuple[int, ...] = ()
    lines: tuple[tuple[str, int], ...] = ()   # field -> line, for problems found across files
    # Set by content.public_site once the register is known: the status at the build time
    # (one of STATUSES), and the URLs of the documents around this one.
    status: str = IN_FORCE
    replaced_by_url: str = ""    # the document replacing it
    replaces: tuple[str, ...] = ()   # the documents it replaces
    related_urls: tuple[str, ...] = ()   # related either way, newest first
    notes: tuple[ContentError, ...] = field(default=(), compare=False, repr=False)
    url: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", f"van-ban/{self.slug}/")

    @property
    def title(self) -> str:
        """"Kế hoạch 12/KH-UBND": how lists, feeds and search name it."""
        return f"{self.kind} {self.number}"

    @property
    def lang(self) -> str:
        return "vi"

    @property
    def expires(self) -> None:
        return None              # a document's end of force changes its status, not its place

    @property
    def url_line(self) -> int:
        return self.line("so_ky_hieu")

    def line(self, key: str) -> int:
        return dict(self.lines).get(key) or 1


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One page of a paginated list of articles."""

    title: str
    articles: tuple[Article, ...]
    number: int                  # 1-based
    total: int                   # how many pages the listing has
    url: str                     # this page's path under the site root, e.g. tin-tuc/page/2/
    prev_url: str | None = None
    next_url: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    """Every published article, newest first, every page, and the photos they use."""

    articles: tuple[Article, ...]
    photos: tuple[Photo, ...] = field(default=())   # each photo file once
    pages: tuple[Page, ...] = ()     # by URL
    # Articles and pages whose expires: has passed: their own page stays, marked, but no
    # listing, feed, search or sitemap shows them.
    expired: tuple[Article | Page, ...] = ()
    # URLs of articles dated after the build time, shown (marked) only by --drafts builds.
    scheduled: frozenset[str] = frozenset()
    drafts_left_out: int = 0     # draft articles found but not published
    register: tuple[OfficialDocument, ...] = ()     # the văn bản, newest first
    views_as_of: date | None = None  # the last count of data/luot-xem.csv (ViewCounts.as_of)

    @property
    def searchable(self) -> tuple[Article | Page | OfficialDocument, ...]:
        """What search finds: the articles, newest first, then the pages, then the
        register's documents."""
        return (*self.articles, *self.pages, *self.register)

    @property
    def documents(self) -> tuple[Article | Page | OfficialDocument, ...]:
        """Everything with a page of its own: articles, pages, the expired ones, and the
        register's documents."""
        return (*self.articles, *self.pages, *self.expired, *self.register)

    @property
    def files(self) -> tuple[tuple[str, Attachment], ...]:
        """Files published as they are, beside the page that links them: (output path, file)."""
        return tuple((f"{document.url}{attachment.name}", attachment)
                     for document in self.documents for attachment in document.attachments)


@dataclass(frozen=True, slots=True)
class LogSpan:
    """Lines of a web server's log that `views` has counted, known by their content: the
    first LINES lines of any log whose first line has the time FIRST and whose first LINES
    lines hash to SHA256. A rotated, compressed or grown copy of them is not counted twice."""

    first: datetime              # the first line's time, timezone-aware
    last: datetime               # the latest time among the lines
    lines: int
    sha256: str                  # of the LINES lines' bytes, newlines included, as hex
    # (n, the first 16 hex digits of the sha256 of the first n lines) at n = 64, 256, 1024…
    # up to LINES: a shorter copy of these lines, read later, is known by them.
    marks: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ViewCounts:
    """The data file of `views` (data/luot-xem.csv): views per page per day, and which log
    lines they were counted from. Nothing in it names a visitor."""

    daily: tuple[tuple[date, str, int], ...] = ()   # (day, page path "/2021/01/slug/",
                                                     # views), by day then path, each once
    spans: tuple[LogSpan, ...] = ()                  # by first, then lines

    @property
    def as_of(self) -> date | None:
        """The day of the last count: the latest line read, else the latest day counted."""
        if self.spans:
            return max(span.last for span in self.spans).date()
        return self.daily[-1][0] if self.daily else None


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Articles a build found but did not publish, so that it can say why one is missing."""

    drafts: int = 0
    scheduled: int = 0           # dated after the build
    next_publication: datetime | None = None    # when the first of those goes public
    expired: tuple[str, ...] = ()   # the files of those past their expires:, kept marked
    # When the first public article or page expires, or a document's status changes: a
    # build after it is not skipped as unchanged.
    next_expiry: datetime | None = None
