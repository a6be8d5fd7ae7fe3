"""The build pipeline: load → plan → render → write → swap in. Read top to bottom."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from phucdong_site.config import SiteConfig
from phucdong_site.content import ArticleParser, load_site, parse_article
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.links import broken_references, iter_outputs, link_sources
from phucdong_site.listings import paginate
from phucdong_site.models import Site
from phucdong_site.output import Staging
from phucdong_site.progress import Progress
from phucdong_site.render import environment, render
from phucdong_site.theme import static_files

LISTING_BASE = "tin-tuc/"


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


def load_linked_site(config: SiteConfig, progress: Progress = Progress(),
                     parse: ArticleParser = parse_article) -> Site:
    """The validated site, with body links to .md files pointing at their pages."""
    return link_sources(load_site(config, progress, parse), config)


def check(config: SiteConfig, progress: Progress = Progress()) -> Site:
    """Validate everything a build would, and every link and image in bodies; write nothing."""
    try:
        site = load_linked_site(config, progress)
        statics = static_files(config.site_dir)
        pages = plan_pages(site, config)
        progress.stage("render", len(pages))
        errors = ErrorList()
        try:
            for _ in render_pages(pages, environment(config, statics)):
                progress.advance()
        except ErrorList as problems:
            errors.extend(problems.errors)
        outputs = iter_outputs((page.path for page in pages), site,
                               (static.output_path for static in statics.values()))
        errors.extend(broken_references(site, config, outputs))
    finally:
        progress.finish()
    errors.raise_if_any()
    return site


def build(config: SiteConfig, progress: Progress = Progress(), *, preview: bool = False,
          parse: ArticleParser = parse_article) -> BuildReport:
    """Build the site into config.output_dir, replacing it only if everything succeeded.

    serve passes preview=True (no flush to disk, old output removed in the background)
    and a parse that remembers unchanged articles between rebuilds.
    """
    started = time.perf_counter()
    try:
        site = load_linked_site(config, progress, parse)
        statics = static_files(config.site_dir)
        pages = plan_pages(site, config)
        with Staging(config.output_dir, preview=preview) as staging:
            progress.stage("render", len(pages))
            for page, html in render_pages(pages, environment(config, statics)):
                staging.write_text(page.path, html, page.source)
                progress.advance()
            progress.stage("photos", len(site.photos))
            for photo in site.photos:
                staging.copy(photo.output_path, config.site_dir / photo.source, photo.source)
                progress.advance()
            for static in statics.values():
                staging.copy(static.output_path, static.source)
            staging.commit()
    finally:
        progress.finish()
    return BuildReport(articles=len(site.articles), pages=len(pages), photos=len(site.photos),
                       seconds=time.perf_counter() - started, output_dir=config.output_dir)
