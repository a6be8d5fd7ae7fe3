"""JSON-LD (schema.org NewsArticle, BreadcrumbList) for search engines, safe inside <script>."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from phucdong_site.config import SiteConfig
from phucdong_site.models import Article
from phucdong_site.photos import CoverImage


@dataclass(frozen=True, slots=True)
class Crumb:
    name: str
    path: str                    # under the site root; "" is the home page


def script_json(data: object) -> Markup:
    """DATA as JSON that cannot end its <script> element early, nor be read as markup."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def breadcrumb_list(crumbs: Sequence[Crumb], absolute_url: Callable[[str], str]) -> dict:
    return {"@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": position, "name": crumb.name,
                                 "item": absolute_url(crumb.path)}
                                for position, crumb in enumerate(crumbs, start=1)]}


def news_article(article: Article, config: SiteConfig, cover: CoverImage | None,
                 absolute_url: Callable[[str], str]) -> dict:
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": article.title,
            "description": article.summary,
            "datePublished": article.published.isoformat(),
            "dateModified": article.published.isoformat(),
            "mainEntityOfPage": absolute_url(article.url),
            "url": absolute_url(article.url),
            "inLanguage": "vi",
            "articleSection": config.category_name(article.category),
            "author": {"@type": "Organization", "name": config.name, "url": absolute_url("")},
            "publisher": {"@type": "Organization", "name": config.name,
                          "url": absolute_url("")}}
    if article.tags:
        data["keywords"] = list(article.tags)
    if cover:
        data["image"] = [absolute_url(cover.path)]
    return data
