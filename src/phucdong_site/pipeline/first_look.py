"""serve's first look: the pages of articles whose body or title alone was edited,
rendered from the last build's plan in milliseconds, so the browser shows the edit before
the whole build.

Only such an edit qualifies: every other field of the article (date, address, tags,
photos, documents, views) is the one the last build planned with, so the plan is still the
site's and the article's own pages are right once its title is put in their breadcrumb
(pages.retitled). Its summary may change with its first paragraph, and its title is shown
by listings, neighbours and related blocks: those come with the whole build, which runs
after a first look in every case (serve holds requests for pages until it is done, and
compares its pages with the ones shown first). Anything else (an article added or removed,
a title that moves the article's address, a template, a photo) goes to the whole build
alone.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jinja2

from phucdong_site.config import SiteConfig
from phucdong_site.content import link_sources, parse_article
from phucdong_site.errors import ContentError, ErrorList, SiteError
from phucdong_site.files import FileStamp
from phucdong_site.models import Article, Site
from phucdong_site.pages import PageOutput, retitled
from phucdong_site.photos import SourceIndex
from phucdong_site.render import render_pages

# The fields a body edit changes (the summary is the first paragraph unless the front
# matter gives one), and a title edit that keeps the address (a slug: line); a difference
# anywhere else needs the whole build.
BODY_FIELDS = ("body", "summary", "notes")
LOOKED_FIELDS = (*BODY_FIELDS, "title")
# Counted views are added to the parsed article when the site is loaded.
COUNTED_FIELDS = ("views", "recent_views")


@dataclasses.dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last successful build of serve planned and rendered with."""

    config: SiteConfig
    site: Site
    pages: tuple[PageOutput, ...]
    env: jinja2.Environment
    sources: SourceIndex


def first_look(last: LastBuild | None, config: SiteConfig, edited: list[Path],
               failed: dict[str, tuple[FileStamp, list[ContentError]]] | None = None
               ) -> dict[str, bytes] | None:
    """Each page (by path in the output) of the EDITED article files (relative to the
    site), rendered with their new bodies and titles; None when an edit is more than that,
    or cannot be parsed: the whole build reports it, and FAILED gets the problems with the
    file's stamp, so that the build need not parse it again (a body stopped by the time
    bound would take that time twice)."""
    if last is None or config != last.config or not edited:
        return None
    by_source = {article.source: article for article in last.site.articles}
    replaced: dict[int, Article] = {}
    for path in edited:
        old = by_source.get(path)
        if old is None:
            return None
        try:
            stamp = FileStamp.of(config.site_dir / path)
            new = parse_article(config.site_dir / path, config, {}, last.sources)
        except ErrorList as problems:
            if failed is not None:
                failed[path.as_posix()] = (stamp, problems.errors)
            return None
        except (SiteError, OSError):
            return None
        if _beyond_body(old, new):
            return None
        replaced[id(old)] = dataclasses.replace(
            old, **{name: getattr(new, name) for name in LOOKED_FIELDS})
    # Body links to other articles' files are resolved as a build resolves them.
    site = link_sources(dataclasses.replace(last.site, articles=tuple(
        replaced.get(id(article), article) for article in last.site.articles)), config)
    sources = set(edited)
    fresh = {id(by_source[article.source]): article for article in site.articles
             if article.source in sources}
    pages = []
    for page in last.pages:
        if page.source in sources:
            old = by_source[page.source]
            planned = retitled(page, old, fresh[id(old)], fresh)
            if planned is None:
                return None
            pages.append(planned)
    try:
        return {page.path: html.encode() for page, html in render_pages(pages, last.env, 1)}
    except (ErrorList, SiteError):
        return None


def _beyond_body(old: Article, new: Article) -> bool:
    """Whether NEW differs from OLD anywhere but in its body and title (views: as parsed)."""
    unchanged = {name: getattr(old, name) for name in (*LOOKED_FIELDS, *COUNTED_FIELDS)}
    if not old.recent_views and old.views != new.views:
        return True              # the front matter's views, when none are counted
    return dataclasses.replace(new, **unchanged) != old
