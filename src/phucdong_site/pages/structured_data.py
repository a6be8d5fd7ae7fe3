"""JSON-LD (schema.org NewsArticle, Legislation, BreadcrumbList) for search engines, safe
inside <script>."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from phucdong_site.config import SiteConfig
from phucdong_site.models import EXPIRED, NOT_YET, REPLACED, Article, OfficialDocument
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


# schema.org's legislationLegalForce values for a document's status: one not yet in force
# is not in force at the build time (its legislationDateOfApplicability says from when).
_LEGAL_FORCE = {EXPIRED: "https://schema.org/NotInForce",
                REPLACED: "https://schema.org/NotInForce",
                NOT_YET: "https://schema.org/NotInForce"}


def legislation(document: OfficialDocument, config: SiteConfig,
                absolute_url: Callable[[str], str]) -> dict:
    """A văn bản as schema.org Legislation: its number, type, issuer, dates, force and
    files."""
    data = {"@context": "https://schema.org", "@type": "Legislation",
            "name": document.title,
            "legislationIdentifier": document.number,
            "legislationType": document.kind,
            "abstract": document.summary,
            "legislationDate": document.issued.date().isoformat(),
            "datePublished": document.issued.date().isoformat(),
            "legislationPassedBy": {"@type": "GovernmentOrganization", "name": document.issuer},
            "legislationLegalForce": _LEGAL_FORCE.get(document.status,
                                                      "https://schema.org/InForce"),
            "inLanguage": "vi",
            "url": absolute_url(document.url),
            "publisher": {"@type": "GovernmentOrganization", "name": config.name,
                          "url": absolute_url("")}}
    if document.effective:
        data["legislationDateOfApplicability"] = document.effective.date().isoformat()
    if document.ends:
        data["expires"] = document.ends.date().isoformat()
    if document.signer:
        data["legislationResponsible"] = {"@type": "Person", "name": document.signer}
    data["encoding"] = [{"@type": "MediaObject", "name": file.title,
                         "contentUrl": absolute_url(document.url + file.name),
                         "encodingFormat": file.media_type,
                         "contentSize": f"{file.size} B"}
                        for file in document.attachments]
    return data
