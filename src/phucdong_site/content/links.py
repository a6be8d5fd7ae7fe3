"""Links inside article bodies: .md links pointed at the articles' pages.

An editor links to another article the way their editor previews it, `[xem](../2020/abc.md)`,
or by its address on the site, `/2020/05/abc/`; and cites a document of the register by its
number, `[Kế hoạch 12/KH-UBND](van-ban:12/KH-UBND)`. The first and the last are turned into
the page's address when the site is built (link_sources); `check` verifies that every
internal link and image of every body leads to a file the build writes
(pipeline/check_site.py).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from phucdong_site.config import SiteConfig
from phucdong_site.content.register import Suggestions, reference_index, resolve
from phucdong_site.errors import ContentError, ErrorList, field_label
from phucdong_site.language import _
from phucdong_site.models import Article, Body, OfficialDocument, Page, Site

# Attributes that make the browser fetch or open another address.
LINK_ATTRIBUTES = {("a", "href"), ("img", "src"), ("source", "src"), ("video", "src"),
                   ("audio", "src"), ("iframe", "src"), ("link", "href")}
IGNORED_SCHEMES = {"mailto", "tel", "sms", "javascript", "data", "ftp", "geo"}
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


CITE = "van-ban:"                # [text](van-ban:12/KH-UBND): a document by its number


def _may_be_source(raw_href: str) -> bool:
    """Whether an href as written in the HTML could name a content file or a document's
    number (see below)."""
    href = html.unescape(raw_href)
    if href[:len(CITE)].lower() == CITE:
        return True
    parts = urlsplit(href)
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
    """SITE with each body link to a published article's .md file, or to a document by its
    number, pointing at its page; raises ErrorList for numbers no document has."""
    by_source = {document.source: document for document in site.documents}
    numbers = reference_index(site.register)
    suggest = Suggestions(site.register)
    errors = ErrorList()

    def cited(href: str, article: Article | Page | OfficialDocument) -> str | None:
        number = unquote(href[len(CITE):]).strip()
        found = resolve(numbers, number)
        if isinstance(found, OfficialDocument):
            return f"{config.base_path}{found.url}"
        errors.append(ContentError(
            article.source, _line_in(config.site_dir / article.source, href),
            field_label("body") + ": " + _("link {href}: {problem}").format(
                href=href, problem=found), hint=suggest(number)))
        return None

    def rewrite(article: Article | Page) -> Article | Page:
        def one(match: re.Match) -> str:
            href = html.unescape(match.group(3))
            if href[:len(CITE)].lower() == CITE:
                url = cited(href, article)
                return match.group(0) if url is None else (
                    f"{match.group(1)}{match.group(2)}{html.escape(url)}{match.group(2)}")
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

    linked = replace(site, articles=tuple(rewrite(article) for article in site.articles),
                     pages=tuple(rewrite(page) for page in site.pages),
                     expired=tuple(rewrite(item) for item in site.expired),
                     register=tuple(rewrite(document) for document in site.register))
    errors.raise_if_any()
    return linked


def _line_in(path: Path, needle: str) -> int | None:
    """The first line of the file at PATH that holds NEEDLE, if it can be read."""
    try:
        with path.open(encoding="utf-8-sig") as lines:
            return next((number for number, line in enumerate(lines, 1) if needle in line),
                        None)
    except (OSError, UnicodeDecodeError):
        return None
