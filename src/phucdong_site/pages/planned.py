"""What every page type's planner takes and gives: the site as planners read it, and one
planned HTML file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.models import Article, Site
from phucdong_site.pages import urls
from phucdong_site.pages.indexes import SiteIndex
from phucdong_site.pages.structured_data import Crumb

HOME = Crumb("Trang chủ", urls.HOME)


@dataclass(frozen=True, slots=True)
class PageOutput:
    """One HTML file to write: where, from which template, with what."""

    path: str                    # relative to the output folder
    template: str
    context: dict
    source: Path | None = None   # the article it shows, for error messages
    lastmod: datetime | None = field(default=None)   # newest article shown, for sitemap.xml
    in_sitemap: bool = True      # False: a page with nothing of its own to find (404, search)

    @property
    def url(self) -> str:
        """The page's URL path under the site root: "", "tin-tuc/", "404.html"."""
        return self.path.removesuffix("index.html")


@dataclass(frozen=True, slots=True)
class Planned:
    """What every planner of a page type may read: the site, its indexes, its settings."""

    site: Site
    config: SiteConfig
    index: SiteIndex
    related: Mapping[str, Sequence[Article]]    # each article's related articles, by URL
    newest: datetime | None                     # the newest article's date: lastmod of
                                                # pages that list the whole site
