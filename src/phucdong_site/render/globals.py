"""What the theme's templates may call on every page: the portal's functions and data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from phucdong_site.config import SiteConfig
from phucdong_site.models import Article, OfficialDocument, Photo, Site
from phucdong_site.pages import (
    Crumb,
    SiteIndex,
    breadcrumb_list,
    legislation,
    news_article,
    script_json,
    tag_slug,
    tag_url,
)
from phucdong_site.photos import cover_image
from phucdong_site.render.jinja import environment
from phucdong_site.render.theme import StaticFile


def site_environment(config: SiteConfig, statics: dict[str, StaticFile], site: Site,
                     index: SiteIndex, compiled: Path | None = None) -> jinja2.Environment:
    """The build's Jinja environment, with the portal's functions for templates; COMPILED:
    a folder that keeps compiled templates between builds (see jinja.environment)."""
    env = environment(config, statics, compiled)
    env.globals.update(template_globals(site, config, index, env.globals["absolute_url"]))
    return env


def template_globals(site: Site, config: SiteConfig, index: SiteIndex, absolute_url) -> dict:
    """Functions and data the theme's templates use on every page."""

    def cover(photo: Photo):
        return cover_image(photo, config.images)

    def breadcrumb_json(crumbs: Sequence[Crumb]):
        return script_json(breadcrumb_list(crumbs, absolute_url))

    def article_json(article: Article):
        return script_json(news_article(article, config, cover(article.cover)
                                        if article.cover else None, absolute_url))

    def document_json(document: OfficialDocument):
        return script_json(legislation(document, config, absolute_url))

    def is_scheduled(article: Article) -> bool:
        return article.url in site.scheduled

    return {"cover": cover, "breadcrumb_json": breadcrumb_json, "article_json": article_json,
            "document_json": document_json,
            "is_scheduled": is_scheduled,
            "nav_categories": tuple(category.link for category in index.categories),
            "menus": index.menus, "identity": index.identity,
            "category_name": config.category_name,
            "tag_url": lambda name: tag_url(tag_slug(name)),
            # The day of the last count of data/luot-xem.csv (None without counts): the
            # views shown are as of it. Data: the page cache's globals digest covers it.
            "views_as_of": site.views_as_of}
