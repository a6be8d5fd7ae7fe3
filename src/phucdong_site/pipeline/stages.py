"""The build pipeline, read top to bottom: load, plan, reuse-or-render, photos, search, texts
and statics, commit, remember. check() stops before writing."""

from __future__ import annotations

import gc
import hashlib
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import jinja2

from phucdong_site import system
from phucdong_site.cache import (
    ArticleCache,
    PageCache,
    kept_postings_files,
    publish_files,
    related_lists,
    remember_build,
    scan_inputs,
    search_fragment,
    unchanged_build,
    usable_cache,
)
from phucdong_site.config import SiteConfig
from phucdong_site.content import (
    Extra,
    KnownArticles,
    build_time,
    link_sources,
    load_site,
    public_site,
)
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.models import LeftOut, Site
from phucdong_site.output import Staging, output_folder, precompress
from phucdong_site.pages import (
    MAP_FILE,
    RELATED_COUNT,
    PageOutput,
    SiteIndex,
    aliases,
    build_index,
    feed_files,
    identity_files,
    plan_pages,
    redirect_map,
    register_index_files,
    robots,
    sitemap,
)
from phucdong_site.photos import SourceIndex, cover_image, publish_photos
from phucdong_site.pipeline.first_look import LastBuild, first_look
from phucdong_site.render import (
    REPLACEABLE,
    ROOT_FOLDER,
    StaticFile,
    render_pages,
    root_clashes,
    root_files,
    site_environment,
    static_files,
)
from phucdong_site.report import Progress
from phucdong_site.search import Postings, fragment_path
from phucdong_site.workers import Background

MANY_PARSED = 200                # articles parsed in one build that make it a large one
OUTPUT_TREES = "output-files.pickle"   # under .cache/: the files of the output and the previous
COMPILED_TEMPLATES = "templates"       # under .cache/: Jinja's compiled templates


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
    left_out: LeftOut = LeftOut()
    compressed: int = 0          # files given .gz/.br copies this time; the others reused them


@dataclass(frozen=True, slots=True)
class Plan:
    """What a build publishes: the public articles, their indexes and every HTML page."""

    site: Site
    index: SiteIndex
    pages: list[PageOutput]
    left_out: LeftOut = LeftOut()

    @property
    def warnings(self) -> tuple[ContentError, ...]:
        """Problems that do not stop the build: the articles' notes, then the indexes'."""
        notes = [note for document in self.site.documents for note in document.notes]
        return (*sorted(notes, key=ContentError.sort_key), *self.index.warnings)


def plan(config: SiteConfig, progress: Progress = Progress()) -> Plan:
    """Load the content and plan every page; raises ErrorList with every content problem."""
    site, left_out = publishable(config, progress)
    return plan_site(site, config, left_out)


def publishable(config: SiteConfig, progress: Progress = Progress(),
                known: KnownArticles | None = None, extra: Extra | None = None,
                sources: SourceIndex | None = None, jobs: int | None = None
                ) -> tuple[Site, LeftOut]:
    """The public articles, and those left out: drafts, and the ones dated after now.

    Body links to .md files are pointed at their pages once the public articles are known.
    """
    loaded = load_site(config, progress, known, extra, sources, jobs)
    site, left_out = public_site(loaded, build_time(), config.drafts)
    return link_sources(site, config), left_out


def plan_site(site: Site, config: SiteConfig, left_out: LeftOut,
              remembered: bool = False) -> Plan:
    """The indexes and pages of SITE; REMEMBERED: related lists from the build cache."""
    index = build_index(site, config)
    related = (related_lists(site.articles, RELATED_COUNT, config.cache_dir)
               if remembered else None)
    return Plan(site, index, plan_pages(site, config, index, related), left_out)


def text_files(planned: Plan, config: SiteConfig, env: jinja2.Environment,
               published: Path | None = None) -> list[tuple[str, str | bytes]]:
    """Feeds, sitemap.xml, robots.txt, redirects.map, and the icons and web manifest made
    from the logo: (path, text or bytes).

    PUBLISHED is the folder holding the processed photos, for the feeds' enclosure sizes.
    """
    absolute_url = env.globals["absolute_url"]      # the one the pages use
    files = feed_files(planned.site, config, planned.index, absolute_url,
                       lambda article: cover_image(article.cover, config.images, published)
                       if article.cover else None)
    public = [(page.url, page.lastmod) for page in planned.pages if page.in_sitemap]
    files.append(("sitemap.xml", sitemap(public, absolute_url)))
    files.append(("robots.txt", robots(config)))
    files.append((MAP_FILE, redirect_map(aliases(planned.site.documents), config.base_path)))
    files += identity_files(planned.index.identity, config)
    files += register_index_files(planned.site.register, config)
    return files


class Warm:
    """What serve keeps in memory from one build to the next: the build cache's parsed
    articles, read from .cache/ once rather than before every build (10,000 articles
    unpickled each time) and used as a build uses them, search entries included; the
    search postings, brought up to date by the articles that changed; and what the last
    successful build planned and rendered with, for a first look (which may run on another
    thread, beside a build being dropped)."""

    def __init__(self) -> None:
        self._articles: ArticleCache | None = None
        self.last: LastBuild | None = None       # the last build that succeeded
        self.postings = Postings()               # the search index's, brought up to date
        self._failed: dict = {}                  # first look's failed parses, for the build
        self._handing = threading.Lock()         # over _failed

    def articles(self, config: SiteConfig) -> ArticleCache:
        if self._articles is None or self._articles.config != config:
            self._articles = ArticleCache(config)
        self._articles.stored = 0        # counts this build's parses (see _few_parsed)
        with self._handing:
            self._articles.failed, self._failed = self._failed, {}
        return self._articles

    def first_look(self, config: SiteConfig, edited: list[Path]) -> dict[str, bytes] | None:
        """The pages of EDITED article files if only their bodies changed: see first_look."""
        failed: dict = {}
        try:
            return first_look(self.last, config, edited, failed)
        finally:
            with self._handing:          # for the next build to start, not one under way
                self._failed.update(failed)


def build(config: SiteConfig, progress: Progress = Progress(), *, preview: bool = False,
          warm: Warm | None = None) -> BuildReport:
    """Build the site into config.output_dir, replacing it only if everything succeeded.

    serve passes preview=True (no flush to disk, no forked workers beside its threads) and
    WARM, the caches it keeps in memory between rebuilds.
    """
    # Tens of thousands of articles, cache entries and pages, alive until the end and
    # without reference cycles: the collector's repeated passes over them were ~8% of a
    # one-edit rebuild of 10,000 articles. What cycles the build leaves go after it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # A .cache/ this user cannot use (a file in its place, unreadable): built without.
        with usable_cache(config) as (config, unusable):
            report = _build(config, progress, preview, warm)
        return report if unusable is None else replace(report, warnings=(unusable,
                                                                         *report.warnings))
    finally:
        if collecting:
            gc.enable()


def _build(config: SiteConfig, progress: Progress, preview: bool,
           warm: Warm | None) -> BuildReport:
    started = time.perf_counter()
    output_folder(config.output_dir)     # a bad link: refused before the caches are touched
    inputs = None if preview else scan_inputs(config)
    if inputs is not None and (last := unchanged_build(config, inputs, build_time())):
        return BuildReport(articles=last.articles, pages=last.pages, photos=last.photos,
                           photos_processed=0, seconds=time.perf_counter() - started,
                           output_dir=config.output_dir, warnings=last.problems(),
                           unchanged=True, left_out=last.left_out)
    sources = SourceIndex.load(config.cache_dir)
    cache = ArticleCache(config) if warm is None else warm.articles(config)
    try:
        site, left_out = load(config, progress, cache, sources, 1 if preview else None)
        progress.between()
        search = start_search(site, cache, background=not preview,
                              postings=(warm.postings.files if warm is not None else
                                        partial(kept_postings_files, config.cache_dir)))
        progress.between()
        planned = plan_site(site, config, left_out, remembered=True)
        progress.between()
        statics = static_files(config.site_dir)
        root = root_files(config.site_dir)
        env = site_environment(config, statics, planned.site, planned.index,
                               compiled=config.cache_dir / COMPILED_TEMPLATES)
        with Staging(config.output_dir, preview=preview,
                     trees_file=config.cache_dir / OUTPUT_TREES, progress=progress) as staging:
            page_cache = PageCache(config, statics, env.globals, sorted(site.scheduled),
                                   cache.article_digest)
            rendered = reuse_or_render(planned.pages, env, staging, page_cache, progress,
                                       1 if preview else config.jobs)
            search.start()       # if not yet: beside the photos, once the render is done
            photos = publish_photos(site.photos, config, staging.link, _photo_steps(progress))
            publish_files(site.files, config, staging.link)
            progress.between()
            write_search(search, staging)
            progress.between()
            write_texts_and_statics(planned, config, env, statics, staging, root)
            write_root_files(root, staging)      # last: every file the build makes is known
            compressed = (None if preview else
                          precompress(staging, config.cache_dir, config.jobs, progress))
            staging.commit()
    finally:
        progress.finish()
    remember(config, inputs, planned, staging, sources, cache, page_cache)
    if warm is not None:
        warm.last = LastBuild(config, planned.site, tuple(planned.pages), env, sources)
    return BuildReport(articles=len(site.articles), pages=len(planned.pages),
                       photos=len(site.photos), photos_processed=photos.processed,
                       seconds=time.perf_counter() - started, output_dir=config.output_dir,
                       warnings=planned.warnings, rendered=rendered, left_out=left_out,
                       compressed=compressed.compressed if compressed else 0)


def load(config: SiteConfig, progress: Progress, cache: ArticleCache, sources: SourceIndex,
         jobs: int | None) -> tuple[Site, LeftOut]:
    """The public articles: the build cache's, the rest parsed (with their search fragments,
    over JOBS workers). After a large parse, the parsed bodies go to the cache and leave
    memory before the render workers are forked (each page reads its own body)."""
    loaded = publishable(config, progress, cache, partial(search_fragment, cache.fragments),
                         sources, jobs)
    if not _few_parsed(cache, loaded[0]):
        cache.save()
        _return_freed_memory()
    return loaded


def _few_parsed(cache: ArticleCache, site: Site) -> bool:
    return cache.stored <= max(MANY_PARSED, len(site.articles) // 10)


@dataclass(slots=True)
class Search:
    """The search index under way: each article's fragment (its file in the build cache,
    or its text) and the postings, made in a forked child or else when written."""

    fragments: list[Path | str]
    terms: list
    background: bool
    make: Callable[[list], dict[str, str]]       # the postings files from terms
    postings: Background | None = None

    def start(self) -> None:
        if self.postings is None:
            self.postings = Background(self.make, self.terms, fork=self.background)


def start_search(site: Site, cache: ArticleCache, background: bool,
                 postings: Callable[[list], dict[str, str]]) -> Search:
    """The search entries of every article; the postings need only those: made on another
    core while this one plans the pages and sorts out which to render. Unless many articles
    were parsed: then many pages will be rendered, the render workers have the cores, and
    the child starts after them rather than hold its memory beside theirs."""
    searched = [cache.search_entry(document) for document in site.searchable]
    search = Search([fragment for fragment, _ in searched], [terms for _, terms in searched],
                    background, postings)
    if _few_parsed(cache, site):
        search.start()
    return search


def reuse_or_render(pages: list[PageOutput], env: jinja2.Environment, staging: Staging,
                    page_cache: PageCache, progress: Progress, jobs: int | None) -> int:
    """Every page into STAGING: published again when its inputs are those of a page the
    output holds, else rendered (over JOBS workers; forked workers and serve's threads do
    not mix: serve passes 1). Returns how many were rendered."""
    progress.stage("render", len(pages))
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
    for page, html in render_pages(todo, env, jobs):
        data = html.encode()
        staging.write_bytes(page.path, data, page.source)
        page_cache.record(page.path, keys[page.path], hashlib.sha256(data).hexdigest(),
                          staging.stamp(page.path))
        progress.advance()
    return len(todo)


def write_search(search: Search, staging: Staging) -> None:
    """The search index: each article's fragment (a link of the cache's file where there is
    one), then the postings."""
    search.start()
    for doc_id, fragment in enumerate(search.fragments):
        if isinstance(fragment, Path):
            staging.link(fragment_path(doc_id), fragment)
        else:
            staging.write_text(fragment_path(doc_id), fragment)
    for relative, text in search.postings.result().items():
        staging.write_text(relative, text)


def write_texts_and_statics(planned: Plan, config: SiteConfig, env: jinja2.Environment,
                            statics: dict[str, StaticFile], staging: Staging,
                            root: dict[str, Path] | None = None) -> None:
    """Feeds, sitemap.xml, robots.txt and redirects.map (after the photos: feeds give their
    sizes), but not a text the site's root/ replaces; and the theme's static files."""
    for path, text in text_files(planned, config, env, staging.path):
        if path not in REPLACEABLE or path not in (root or {}):
            if isinstance(text, bytes):
                staging.write_bytes(path, text)
            else:
                staging.write_text(path, text)
    for static in statics.values():
        staging.copy(static.output_path, static.source)


def write_root_files(root: dict[str, Path], staging: Staging) -> None:
    """The site's root/ files, as they are, at the output's root; raises ErrorList when one
    is on a file the build made."""
    ErrorList(root_clashes(root, staging.written)).raise_if_any()
    for relative, path in root.items():
        staging.copy(relative, path, Path(ROOT_FOLDER, relative))


def remember(config: SiteConfig, inputs, planned: Plan, staging: Staging,
             sources: SourceIndex, cache: ArticleCache, page_cache: PageCache) -> None:
    """What the next build reuses: the output's files, photo sources, parsed articles, page
    keys, and (unless serve's) every input's stamp."""
    with suppress(OSError):      # after the swap: the output is the new one whatever fails
        sources.save(config.cache_dir, planned.site.photos)
    cache.save()
    page_cache.save()
    if inputs is not None:
        remember_build(config, inputs, planned.left_out, len(planned.site.articles),
                       len(planned.pages), len(planned.site.photos), planned.warnings,
                       staging.written)


def _return_freed_memory() -> None:
    """Give the memory freed so far back to the system (glibc keeps it otherwise, and
    forked workers would share, and count, it). With the bodies saved first, a cold
    10,000-article build's main process peaked at 269 MB instead of 330 MB."""
    system.trim_memory()         # not glibc: the memory stays with this process


def _photo_steps(progress: Progress):
    """The photo pool's (done, total) reports as progress stages and steps."""
    def report(done: int, total: int) -> None:
        if done == 0:
            progress.stage("photos", total)
        else:
            progress.advance()
    return report
