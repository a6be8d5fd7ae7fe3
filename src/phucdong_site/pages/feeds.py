"""RSS 2.0, Atom, sitemap.xml and robots.txt. The feeds are written with ElementTree so
they are always well-formed and escaped; the sitemap, one element shape repeated for every
page, as text escaped the same way. Every date comes from the articles, never from the
clock."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from email.utils import format_datetime

from phucdong_site.config import SiteConfig
from phucdong_site.models import Article, OfficialDocument, Site
from phucdong_site.pages.indexes import SiteIndex
from phucdong_site.pages.register import FEED as REGISTER_FEED
from phucdong_site.pages.register import REGISTER

FEED_SIZE = 20                   # the latest articles each feed carries
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NO_ARTICLES = datetime(1970, 1, 1, tzinfo=timezone.utc)   # a feed's date when it is empty
# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("atom", ATOM_NS)

Cover = Callable[[Article], "CoverImage | None"]   # photos.CoverImage
Absolute = Callable[[str], str]


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _document(root: ET.Element) -> str:
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'


def rss(articles: Sequence[Article], config: SiteConfig, *, title: str, link: str,
        self_path: str, absolute_url: Absolute, cover: Cover) -> str:
    """An RSS 2.0 feed of the latest FEED_SIZE of ARTICLES (newest first)."""
    root = ET.Element("rss", {"version": "2.0"})
    channel = _add(root, "channel")
    _add(channel, "title", title)
    _add(channel, "link", absolute_url(link))
    _add(channel, "description", config.description or config.section_title)
    _add(channel, "language", "vi")
    _add(channel, f"{{{ATOM_NS}}}link", href=absolute_url(self_path), rel="self",
         type="application/rss+xml")
    latest = articles[:FEED_SIZE]
    _add(channel, "lastBuildDate", format_datetime(latest[0].published if latest else NO_ARTICLES))
    for article in latest:
        item = _add(channel, "item")
        _add(item, "title", article.title)
        _add(item, "link", absolute_url(article.url))
        _add(item, "guid", absolute_url(article.url), isPermaLink="true")
        _add(item, "pubDate", format_datetime(article.published))
        # RSS readers take <description> as HTML: escape the plain-text summary as HTML
        # first, so "<" and "&" in it reach the reader as text (ElementTree then escapes
        # it again for XML).
        _add(item, "description", html.escape(article.summary, quote=False))
        _add(item, "category", config.category_name(article.category))
        if image := cover(article):
            _add(item, "enclosure", url=absolute_url(image.path), length=str(image.length),
                 type=image.media_type)
    return _document(root)


def atom(articles: Sequence[Article], config: SiteConfig, *, title: str, link: str,
         self_path: str, absolute_url: Absolute, cover: Cover) -> str:
    """An Atom 1.0 feed of the latest FEED_SIZE of ARTICLES (newest first)."""
    # Plain names under an xmlns attribute: ElementTree's default_namespace option would
    # refuse the unqualified attributes (rel, href) that Atom uses.
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "vi"})
    latest = articles[:FEED_SIZE]
    _add(root, "id", absolute_url(self_path))
    _add(root, "title", title)
    if config.description:
        _add(root, "subtitle", config.description)
    _add(root, "updated", (latest[0].published if latest else NO_ARTICLES).isoformat())
    _add(root, "link", rel="self", type="application/atom+xml", href=absolute_url(self_path))
    _add(root, "link", rel="alternate", type="text/html", href=absolute_url(link))
    author = _add(root, "author")
    _add(author, "name", config.name)
    for article in latest:
        entry = _add(root, "entry")
        _add(entry, "id", absolute_url(article.url))
        _add(entry, "title", article.title)
        _add(entry, "link", rel="alternate", type="text/html", href=absolute_url(article.url))
        _add(entry, "published", article.published.isoformat())
        _add(entry, "updated", article.published.isoformat())
        _add(entry, "summary", article.summary)
        _add(entry, "category", term=article.category,
             label=config.category_name(article.category))
        if image := cover(article):
            _add(entry, "link", rel="enclosure", type=image.media_type,
                 length=str(image.length), href=absolute_url(image.path))
    return _document(root)


def register_rss(register: Sequence[OfficialDocument], config: SiteConfig, *, path: str,
                 link: str, absolute_url: Absolute) -> str:
    """An RSS 2.0 feed of the register's latest FEED_SIZE documents, each with its first
    file as the enclosure (a feed reader can fetch the PDF itself)."""
    root = ET.Element("rss", {"version": "2.0"})
    channel = _add(root, "channel")
    _add(channel, "title", f"Văn bản – {config.name}")
    _add(channel, "link", absolute_url(link))
    _add(channel, "description", f"Văn bản mới ban hành của {config.name}")
    _add(channel, "language", "vi")
    _add(channel, f"{{{ATOM_NS}}}link", href=absolute_url(path), rel="self",
         type="application/rss+xml")
    latest = register[:FEED_SIZE]
    _add(channel, "lastBuildDate", format_datetime(latest[0].issued if latest else NO_ARTICLES))
    for document in latest:
        item = _add(channel, "item")
        _add(item, "title", f"{document.title}: {document.summary}")
        _add(item, "link", absolute_url(document.url))
        _add(item, "guid", absolute_url(document.url), isPermaLink="true")
        _add(item, "pubDate", format_datetime(document.issued))
        _add(item, "description", html.escape(document.summary, quote=False))
        _add(item, "category", document.kind)
        if document.attachments:
            file = document.attachments[0]
            _add(item, "enclosure", url=absolute_url(document.url + file.name),
                 length=str(file.size),
                 type=file.media_type)
    return _document(root)


def sitemap(pages: Iterable[tuple[str, datetime | None]], absolute_url: Absolute) -> str:
    """sitemap.xml listing each (URL path, last modified) once, in the order given: the
    text ElementTree would write, in a fifth of the time (0.10 s at 16,000 pages, on every
    rebuild, before)."""
    lines = [f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}">']
    for path, lastmod in pages:
        lines.append(f"  <url>\n    <loc>{_escaped(absolute_url(path))}</loc>")
        if lastmod is not None:
            lines.append(f"    <lastmod>{_escaped(lastmod.isoformat())}</lastmod>")
        lines.append("  </url>")
    if len(lines) == 1:
        return f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}" />\n'
    lines.append("</urlset>\n")
    return "\n".join(lines)


def _escaped(text: str) -> str:
    """TEXT as an element's text, escaped as ElementTree escapes it."""
    return _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def robots(config: SiteConfig) -> str:
    """robots.txt: everything may be crawled, except a --drafts preview; where the sitemap is."""
    rule = "Disallow: /" if config.drafts else "Allow: /"
    return f"User-agent: *\n{rule}\n\nSitemap: {config.base_url}sitemap.xml\n"


def feed_files(site: Site, config: SiteConfig, index: SiteIndex, absolute_url: Absolute,
               cover: Cover) -> list[tuple[str, str]]:
    """(path, text) of every feed: the site's RSS and Atom, one RSS per category, and the
    register's."""
    common = {"absolute_url": absolute_url, "cover": cover}
    title = f"{config.name} – {config.section_title}"
    files = [("rss.xml", rss(site.articles, config, title=title, link="", self_path="rss.xml",
                             **common)),
             ("atom.xml", atom(site.articles, config, title=title, link="",
                               self_path="atom.xml", **common))]
    for category in index.categories:
        path = f"{category.url}rss.xml"
        files.append((path, rss(category.articles, config,
                                title=f"{category.name} – {config.name}",
                                link=category.url, self_path=path, **common)))
    if site.register:
        files.append((REGISTER_FEED, register_rss(site.register, config, path=REGISTER_FEED,
                                                  link=REGISTER, absolute_url=absolute_url)))
    return files
