"""The build pipeline: load → plan → render → write → swap in. Read top to bottom."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from phucdong_site import freshness, parallel_render
from phucdong_site.background import Background
from phucdong_site.article_cache import ArticleCache, read_checked, write_checked
from phucdong_site.config import SiteConfig
from phucdong_site.content import ArticleParser, load_site, parse_article
from phucdong_site.covers import cover_image
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.feeds import feed_files, robots, sitemap
from phucdong_site.indexes import SiteIndex, build_index
from phucdong_site.links import broken_references, iter_outputs, link_sources
from phucdong_site.models import Site
from phucdong_site.output import Staging
from phucdong_site.page_cache import PageCache
from phucdong_site.pages import RELATED_COUNT, PageOutput, plan_pages, template_globals
from phucdong_site.progress import Progress
from phucdong_site.publishing import build_time, public_site
from phucdong_site.related_cache import related_lists
from phucdong_site.photo_cache import publish_photos
from phucdong_site.photos import SourceIndex
from phucdong_site.render import environment, render
from phucdong_site.search_index import fragment_path, postings_files
from phucdong_site.theme import StaticFile, static_files

SEARCH_WORKER = "tim-kiem/sw.js"
MANY_PARSED = 200                # articles parsed in one build that make it a large one
OUTPUT_TREES = "output-files.pickle"   # under .cache/: the files of the output and the previous


@dataclass(frozen=True, slots=True)
class BuildReport:
    articles: int
    pages: int
    photos: int
    photos_processed: int        # photos decoded this time; 0 when the cache had everything
    seconds: float
    output_dir: Path
    warnings: tuple[ContentError, ...] = ()   # problems that do not stop the build
    unchanged: bool = False      # nothing had changed: the previous output was kept as it is
    rendered: int = 0            # pages rendered this time; the others were published again


@dataclass(frozen=True, slots=True)
class Plan:
    """What a build publishes: the public articles, their indexes and every HTML page."""

    site: Site
    index: SiteIndex
    pages: list[PageOutput]
    next_publication: datetime | None = None    # when the first waiting article goes public


def plan(config: SiteConfig, progress: Progress = Progress(),
         parse: ArticleParser = parse_article, sources: SourceIndex | None = None,
         cache: ArticleCache | None = None) -> Plan:
    """Load the content and plan every page; raises ErrorList with every content problem."""
    site, next_publication = publishable(config, progress, parse, sources, cache)
    return plan_site(site, config, next_publication)


def publishable(config: SiteConfig, progress: Progress = Progress(),
                parse: ArticleParser = parse_article, sources: SourceIndex | None = None,
                cache: ArticleCache | None = None) -> tuple[Site, datetime | None]:
    """The public articles, and when the first waiting one goes public.

    Body links to .md files are pointed at their pages once the public articles are known.
    """
    loaded = load_site(config, progress, parse, sources, cache)
    now = build_time()
    waiting = (article.published for article in loaded.articles if article.published > now)
    return (link_sources(public_site(loaded, now, config.drafts), config),
            min(waiting, default=None))


def plan_site(site: Site, config: SiteConfig, next_publication: datetime | None,
              remembered: bool = False) -> Plan:
    """The indexes and pages of SITE; REMEMBERED: related lists from the build cache."""
    index = build_index(site, config)
    related = (related_lists(site.articles, RELATED_COUNT, config.cache_dir)
               if remembered else None)
    return Plan(site, index, plan_pages(site, config, index, related), next_publication)


def site_environment(config: SiteConfig, statics: dict[str, StaticFile],
                     planned: Plan) -> jinja2.Environment:
    """The build's Jinja environment, with the portal's functions for templates."""
    env = environment(config, statics)
    env.globals.update(template_globals(planned.site, config, planned.index,
                                        env.globals["absolute_url"]))
    return env


def text_files(planned: Plan, config: SiteConfig, env: jinja2.Environment,
               published: Path | None = None) -> list[tuple[str, str]]:
    """Feeds, sitemap.xml and robots.txt: (path, text).

    PUBLISHED is the folder holding the processed photos, for the feeds' enclosure sizes.
    """
    absolute_url = env.globals["absolute_url"]      # the one the pages use
    files = feed_files(planned.site, config, planned.index, absolute_url,
                       lambda article: cover_image(article.cover, config.images, published)
                       if article.cover else None)
    # The search page has no content of its own to index, and no date.
    public = [(page.url, page.lastmod) for page in planned.pages
              if page.path not in ("404.html", "tim-kiem/index.html")]
    files.append(("sitemap.xml", sitemap(public, absolute_url)))
    files.append(("robots.txt", robots(config)))
    return files


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


def check(config: SiteConfig, progress: Progress = Progress()) -> Plan:
    """Validate everything a build would, and every link and image in bodies; write nothing."""
    errors = ErrorList()
    try:
        planned = plan(config, progress)
        statics = static_files(config.site_dir)
        env = site_environment(config, statics, planned)
        progress.stage("render", len(planned.pages))
        files: list[tuple[str, str]] = []
        try:
            for _ in render_pages(planned.pages, env):
                progress.advance()
            files = text_files(planned, config, env)
        except ErrorList as problems:
            errors.extend(problems.errors)
        written = [*(page.path for page in planned.pages), *(path for path, _ in files)]
        outputs = iter_outputs(written, planned.site,
                               (static.output_path for static in statics.values()), config.images)
        errors.extend(broken_references(planned.site, config, outputs))
    finally:
        progress.finish()
    errors.raise_if_any()
    return planned


def build(config: SiteConfig, progress: Progress = Progress(), *, preview: bool = False,
          parse: ArticleParser = parse_article) -> BuildReport:
    """Build the site into config.output_dir, replacing it only if everything succeeded.

    serve passes preview=True (no flush to disk, old output removed in the background)
    and a parse that remembers unchanged articles between rebuilds.
    """
    # Tens of thousands of articles, cache entries and pages, alive until the end and
    # without reference cycles: the collector's repeated passes over them were ~8% of a
    # one-edit rebuild of 10,000 articles. What cycles the build leaves go after it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(config, progress, preview, parse)
    finally:
        if collecting:
            gc.enable()


def _build(config: SiteConfig, progress: Progress, preview: bool,
           parse: ArticleParser) -> BuildReport:
    started = time.perf_counter()
    inputs = None if preview else freshness.scan_inputs(config)
    if inputs is not None and (known := freshness.unchanged(config, inputs, build_time())):
        return BuildReport(articles=known.articles, pages=known.pages, photos=known.photos,
                           photos_processed=0, seconds=time.perf_counter() - started,
                           output_dir=config.output_dir, warnings=known.problems(),
                           unchanged=True)
    sources = SourceIndex.load(config.cache_dir)
    cache = ArticleCache(config)
    try:
        site, next_publication = publishable(config, progress, parse, sources, cache)
        few_parsed = cache.stored <= max(MANY_PARSED, len(site.articles) // 10)
        if not few_parsed:
            # Many pages will be rendered: the parsed bodies go to the cache now and leave
            # memory before render workers are forked (each page reads its own body).
            cache.save()
            _return_freed_memory()
        searched = [cache.search_entry(article) for article in site.articles]
        terms = [article_terms for _, article_terms in searched]
        # The search index's postings need only the articles: made on another core while
        # this one plans the pages and sorts out which to render. Unless many articles
        # were parsed: then many pages will be rendered, the render workers have the
        # cores, and the child starts after them rather than hold its memory beside theirs.
        postings = Background(postings_files, terms, fork=not preview) if few_parsed else None
        planned = plan_site(site, config, next_publication, remembered=True)
        pages = planned.pages
        statics = static_files(config.site_dir)
        env = site_environment(config, statics, planned)
        trees = read_checked(config.cache_dir / OUTPUT_TREES)
        with Staging(config.output_dir, preview=preview,
                     known_trees=trees if isinstance(trees, dict) else None) as staging:
            progress.stage("render", len(pages))
            page_cache = PageCache(config, statics, env.globals, sorted(site.scheduled),
                                   cache.article_digest)
            keys, todo = {}, []
            for page in pages:
                keys[page.path] = key = page_cache.key(page.path, page.template, page.context)
                known = page_cache.unchanged(page.path, key)
                if known is not None and (stamp := staging.reuse(page.path, known[1], known[2],
                                                                  page.source)):
                    page_cache.record(page.path, key, known[1], stamp)
                    progress.advance()
                else:
                    todo.append(page)
            # Forked workers and serve's threads do not mix: serve renders in-process.
            for page, html in parallel_render.render_pages(todo, env,
                                                           1 if preview else config.jobs):
                data = html.encode()
                staging.write_bytes(page.path, data, page.source)
                page_cache.record(page.path, keys[page.path], hashlib.sha256(data).hexdigest(),
                                  staging.stamp(page.path))
                progress.advance()
            if postings is None:
                postings = Background(postings_files, terms, fork=not preview)
            photos = publish_photos(site.photos, config, staging.link, _photo_steps(progress))
            for path, text in text_files(planned, config, env, staging.path):
                staging.write_text(path, text)
            for static in statics.values():
                staging.copy(static.output_path, static.source)
            for doc_id, (fragment, _) in enumerate(searched):
                if isinstance(fragment, Path):
                    staging.link(fragment_path(doc_id), fragment)
                else:
                    staging.write_text(fragment_path(doc_id), fragment)
            for relative, text in postings.result().items():
                staging.write_text(relative, text)
            # A service worker's scope is its folder: the search page's one lives beside it.
            staging.copy(SEARCH_WORKER, statics["js/search-sw.js"].source)
            staging.commit()
    finally:
        progress.finish()
    write_checked(config.cache_dir / OUTPUT_TREES, staging.known_trees)
    sources.save(config.cache_dir, site.photos)
    cache.save()
    page_cache.save()
    if inputs is not None:
        freshness.remember(config, inputs, planned.next_publication, len(site.articles),
                           len(pages), len(site.photos), planned.index.warnings,
                           staging.written)
    return BuildReport(articles=len(site.articles), pages=len(pages), photos=len(site.photos),
                       photos_processed=photos.processed,
                       seconds=time.perf_counter() - started, output_dir=config.output_dir,
                       warnings=planned.index.warnings, rendered=len(todo))


def _return_freed_memory() -> None:
    """Give the memory freed so far back to the system (glibc keeps it otherwise, and
    forked workers would share, and count, it). With the bodies saved first, a cold
    10,000-article build's main process peaked at 269 MB instead of 330 MB."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass                     # not glibc: the memory stays with this process


def _photo_steps(progress: Progress):
    """The photo pool's (done, total) reports as progress stages and steps."""
    def report(done: int, total: int) -> None:
        if done == 0:
            progress.stage("photos", total)
        else:
            progress.advance()
    return report
