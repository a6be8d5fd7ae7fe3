"""Links and image references inside article bodies: point .md links at pages, check the rest.

An editor links to another article the way their editor previews it, `[xem](../2020/abc.md)`,
or by its address on the site, `/2020/05/abc/`. The first is turned into the page's address
when the site is built; `check` verifies that every internal link and image of every body
leads to a file the build writes.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from phucdong_site.models import Body
from phucdong_site.config import ImageConfig, SiteConfig
from phucdong_site.errors import ContentError
from phucdong_site.photos import renditions
from phucdong_site.models import Article, Site

# Attributes that make the browser fetch or open another address.
LINK_ATTRIBUTES = {("a", "href"), ("img", "src"), ("source", "src"), ("video", "src"),
                   ("audio", "src"), ("iframe", "src"), ("link", "href")}
IGNORED_SCHEMES = {"mailto", "tel", "sms", "javascript", "data", "ftp", "geo"}
DRAFT_PROBLEM = "is not a published article (a draft, or not an article)"
DRAFT_HINT = "publish that article first (draft: false), or remove the link"
_HREF = re.compile(r"""(<a\b[^>]*?\bhref=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


class _References(HTMLParser):
    """(tag, attribute, value) of every link and image address in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in LINK_ATTRIBUTES and value is not None:
                self.found.append((tag, name, value.strip()))


def references(fragment: str) -> list[tuple[str, str, str]]:
    parser = _References()
    parser.feed(fragment)
    parser.close()
    return parser.found


def _may_be_source(raw_href: str) -> bool:
    """Whether an href as written in the HTML could name a content file (see below)."""
    parts = urlsplit(html.unescape(raw_href))
    return not (parts.scheme or parts.netloc) and parts.path.lower().endswith(".md")


def source_target(href: str, article: Article, config: SiteConfig) -> Path | None:
    """The content file a relative `.md` link names (relative to the site root), or None."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.lower().endswith(".md"):
        return None
    posix = PurePosixPath(unquote(parts.path))
    content = config.content_dir
    bases = [content] if posix.is_absolute() else [(config.site_dir / article.source).parent,
                                                   content]
    relative = PurePosixPath(*posix.parts[1:]) if posix.is_absolute() else posix
    for base in bases:
        candidate = Path(os.path.normpath(base / relative))
        if candidate.is_file():
            return candidate.relative_to(config.site_dir) \
                if candidate.is_relative_to(config.site_dir) else candidate
    return None


def link_sources(site: Site, config: SiteConfig) -> Site:
    """SITE with each body link to a published article's .md file pointing at its page."""
    by_source = {article.source: article for article in site.articles}

    def rewrite(article: Article) -> Article:
        def one(match: re.Match) -> str:
            href = html.unescape(match.group(3))
            target = source_target(href, article, config)
            if target is None or target not in by_source:
                return match.group(0)
            fragment = urlsplit(href).fragment
            url = f"{config.base_path}{by_source[target].url}" + (f"#{fragment}" if fragment else "")
            return f"{match.group(1)}{match.group(2)}{html.escape(url)}{match.group(2)}"

        # Most bodies link to no .md file, and a cached body is not read to find that again.
        if article.body.md_links is False:
            return article
        original = article.body_html
        article.body.md_links = any(_may_be_source(match.group(3))
                                    for match in _HREF.finditer(original))
        body = _HREF.sub(one, original) if article.body.md_links else original
        return article if body == original else replace(
            article, body=Body(body, md_links=article.body.md_links))

    return replace(site, articles=tuple(rewrite(article) for article in site.articles))


def broken_references(site: Site, config: SiteConfig, outputs: Iterable[str]) -> list[ContentError]:
    """Every link or image in a body that leads to nothing the build writes."""
    written = set(outputs)
    site_root = urlsplit(config.base_url)
    errors = []
    for article in site.articles:
        page_url = f"{config.base_url}{article.url}"
        seen = set()
        for tag, attribute, value in references(article.body_html):
            if value in seen:
                continue
            seen.add(value)
            problem = _problem(value, page_url, site_root, config.base_path, written, article,
                               config)
            if problem:
                field = "link" if attribute == "href" else "image"
                line = _line_of(config.site_dir / article.source, value)
                hint = (DRAFT_HINT if problem.endswith(DRAFT_PROBLEM) else _hint(value))
                errors.append(ContentError(article.source, line, f"{field}: {problem}", hint))
    return errors


def _problem(value: str, page_url: str, site_root, base_path: str, written: set[str],
             article: Article, config: SiteConfig) -> str:
    if not value or value.startswith("#"):
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() in IGNORED_SCHEMES:
        return ""
    if parts.path.lower().endswith(".md") and not parts.scheme and not parts.netloc:
        target = source_target(value, article, config)
        if target is None:
            return f"{value} does not exist"
        return f"{value} {DRAFT_PROBLEM}"
    absolute = urlsplit(urljoin(page_url, value))
    if absolute.netloc != site_root.netloc or absolute.scheme not in {"http", "https"}:
        return ""                # another website: not ours to check offline
    path = unquote(absolute.path)
    if not path.startswith(base_path):
        return f"{value} is outside the site (it does not start with {base_path})"
    relative = path[len(base_path):]
    if _exists(relative, written):
        return ""
    return f"{value} does not exist on the site"


def _exists(relative: str, written: set[str]) -> bool:
    if relative == "" or relative.endswith("/"):
        return f"{relative}index.html" in written
    return relative in written or f"{relative}/index.html" in written


def _hint(value: str) -> str:
    if value.lower().split("#")[0].endswith(".md"):
        return "link to another article by its file, relative to this one, e.g. ../2020/ten-bai.md"
    if value.startswith(("photos/", "anh/")) or value.lower().endswith(
            (".jpg", ".jpeg", ".png", ".webp", ".gif")):
        return "write images as ![mô tả](photos/…/anh.jpg); the path is relative to the article or to content/"
    return "copy the address from the page in the preview (make serve), or link the article's .md file"


def _line_of(path: Path, needle: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for candidate in (needle, html.escape(needle, quote=False)):
        index = text.find(candidate)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


def iter_outputs(pages: Iterable[str], site: Site, statics: Iterable[str],
                 images: ImageConfig) -> Iterator[str]:
    """Every file a build writes, relative to the output folder."""
    yield from pages
    yield from (item.path for photo in site.photos for item in renditions(photo, images).all)
    yield from statics
