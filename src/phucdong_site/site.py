"""The build pipeline: load → plan → render → write → swap in. Read top to bottom."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from phucdong_site.config import SiteConfig
from phucdong_site.content import load_site
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.listings import paginate
from phucdong_site.models import Site
from phucdong_site.output import Staging
from phucdong_site.render import environment, render
from phucdong_site.search_index import index_files
from phucdong_site.theme import static_files

LISTING_BASE = "tin-tuc/"
SEARCH_WORKER = "tim-kiem/sw.js"


@dataclass(frozen=True, slots=True)
class PageOutput:
    """One HTML file to write: where, from which template, with what."""

    path: str                    # relative to the output folder
    template: str
    context: dict
    source: Path | None = None   # the article it shows, for error messages


@dataclass(frozen=True, slots=True)
class BuildReport:
    articles: int
    pages: int
    photos: int
    seconds: float
    output_dir: Path


def plan_pages(site: Site, config: SiteConfig) -> list[PageOutput]:
    """Every HTML page of the site, in a fixed order."""
    listing = paginate(site.articles, config.per_page, LISTING_BASE, config.section_title)
    pages = [PageOutput("index.html", "listing.html", {"page": listing[0], "is_home": True})]
    pages += [PageOutput(f"{page.url}index.html", "listing.html", {"page": page, "is_home": False})
              for page in listing]
    pages += [PageOutput(f"{article.url}index.html", "article.html", {"article": article},
                         article.source)
              for article in site.articles]
    pages.append(PageOutput("tim-kiem/index.html", "search.html", {}))
    pages.append(PageOutput("404.html", "404.html", {}))
    return pages


def render_pages(pages: list[PageOutput], env: jinja2.Environment) -> Iterator[tuple[PageOutput, str]]:
    """Each page rendered in turn; at the end, an ErrorList with every template problem."""
    errors, seen = ErrorList(), set()
    for page in pages:
        try:
            yield page, render(env, page.template, page.source,
                               page_path=page.path.removesuffix("index.html"), **page.context)
        except ContentError as error:
            if str(error) not in seen:    # one broken template line fails every page
                seen.add(str(error))
                errors.append(error)
    errors.raise_if_any()


def check(config: SiteConfig) -> Site:
    """Validate everything a build would, writing nothing."""
    site = load_site(config)
    for _ in render_pages(plan_pages(site, config), environment(config, static_files(config.site_dir))):
        pass
    return site


def build(config: SiteConfig) -> BuildReport:
    """Build the site into config.output_dir, replacing it only if everything succeeded."""
    started = time.perf_counter()
    site = load_site(config)
    statics = static_files(config.site_dir)
    pages = plan_pages(site, config)
    with Staging(config.output_dir) as staging:
        for page, html in render_pages(pages, environment(config, statics)):
            staging.write_text(page.path, html, page.source)
        for photo in site.photos:
            staging.copy(photo.output_path, config.site_dir / photo.source, photo.source)
        for static in statics.values():
            staging.copy(static.output_path, static.source)
        for relative, text in index_files(site.articles).items():
            staging.write_text(relative, text)
        # A service worker's scope is its folder: the search page's one lives beside it.
        staging.copy(SEARCH_WORKER, statics["js/search-sw.js"].source)
        staging.commit()
    return BuildReport(articles=len(site.articles), pages=len(pages), photos=len(site.photos),
                       seconds=time.perf_counter() - started, output_dir=config.output_dir)
