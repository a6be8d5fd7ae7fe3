"""The site's data, frozen once loaded. No I/O here (a cached Body reads its file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from phucdong_site.body import Body


@dataclass(frozen=True, slots=True)
class Photo:
    src: str                     # as the editor wrote it in front matter or the body
    source: Path                 # the file, relative to the site root
    caption: str = ""
    width: int = 0
    height: int = 0
    digest: str = ""             # sha256 of the file's bytes: names the published copies


@dataclass(frozen=True, slots=True)
class Article:
    source: Path                 # content/2021/abc.md, relative to the site root
    title: str
    published: datetime          # timezone-aware, in the site's time zone
    slug: str
    category: str                # category slug
    views: int = 0
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
    og_image: str = ""           # 1200×630 JPEG of the first photo, under the site root (og:image)
    # The article's path under the site root: YYYY/MM/slug/. Made once: listings, related
    # blocks and page keys ask for it a hundred thousand times in a build of 10,000.
    url: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", f"{self.published:%Y/%m}/{self.slug}/")

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
    """Every published article, newest first, and the photos they use."""

    articles: tuple[Article, ...]
    photos: tuple[Photo, ...] = field(default=())   # each photo file once
    # URLs of articles dated after the build time, shown (marked) only by --drafts builds.
    scheduled: frozenset[str] = frozenset()
