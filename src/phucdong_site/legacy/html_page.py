"""A portal page saved as HTML ("Save page as…, complete") → LegacyPage.

The old portal's markup is untidy (editors pasted from Word for years), so the page is read
with BeautifulSoup and reduced to the blocks a text page has: paragraphs, and photos with
the "Ảnh: …" caption that follows them. Images are looked for beside the page, where the
browser saved them (usually in PAGE_files/).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from PIL import Image

from phucdong_site.language import _
from phucdong_site.legacy.decode import ImportProblem, clean_line
from phucdong_site.legacy.page import (
    Block,
    DateLine,
    Figure,
    LegacyPage,
    Paragraph,
    caption_of,
    finish_page,
    parse_date_line,
    views_of,
    with_addresses,
)

# Class or id fragments of the article body on the portal and on common CMSs, best first.
BODY_HINTS = ("news-content", "news-detail-content", "article-content", "detail-content",
              "content-detail", "entry-content", "post-content", "noidung", "chitiet",
              "journal-content-article")
SECTION_HINTS = ("category-name", "section-name", "chuyen-muc", "chuyenmuc", "news-category",
                 "category", "section")
DROPPED = ("script", "style", "noscript", "iframe", "form", "button", "svg", "select")
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "td", "th",
              "tr", "table", "tbody", "figure", "figcaption", "blockquote", "section",
              "article", "center", "dd", "dt", "dl", "pre", "header", "footer", "aside"}
_WHITESPACE = re.compile(r"\s+")
# What browsers write atop a page saved with "Save page as…": <!-- saved from url=(0071)… -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    kind: str                    # "p", "li" or "caption" (a <figcaption>)


@dataclass(frozen=True, slots=True)
class _Image:
    file: Path | None
    missing: str
    alt: str


def parse_html_page(source: Path, text: str, encoding: str) -> LegacyPage:
    """A saved HTML page → LegacyPage; raises ImportProblem."""
    if re.search(r"<html", text, re.I) and not re.search(r"</html\s*>", text, re.I):
        raise ImportProblem(_("truncated: the page ends before </html> (it was saved or copied "
                              "only in part)"), text.count("\n") + 1)
    soup = BeautifulSoup(text, "html.parser")
    addresses = _addresses(soup, text)
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    body = _body(soup)
    if body is None:
        raise ImportProblem(_("no article body found (no element such as "
                              "<div class=\"news-content\">)"))
    title_element = _title_element(soup, body)
    title = _plain(title_element) if title_element is not None else _head_title(soup)
    date, date_element = _date(soup)
    views = date.views if date.views is not None else _views(soup)
    # Plainer templates put section, title and date inside the body element: what comes
    # before the last of them there is the page's head, not the article.
    order = {id(tag): index for index, tag in enumerate(body.descendants)}
    inside = [tag for tag in (title_element, date_element) if id(tag) in order]
    head_end = max(inside, key=lambda tag: order[id(tag)]) if inside else None
    items, head = _items(body, source, head_end)
    section = _section(soup) or next(
        (line for line in head if line != title and len(line) < 80
         and parse_date_line(line) is None), "")
    page = finish_page(source, section, title, date, views, _blocks(items), encoding, None)
    return with_addresses(page, addresses)


def _addresses(soup: BeautifulSoup, text: str) -> list[str]:
    """Where the page was on the old portal: its canonical link, its og:url, and the address
    the browser saved it from; a relative one is read against the saved-from address."""
    saved = _SAVED_FROM.search(text[:4096])
    base = saved.group(1) if saved else ""
    found = []
    link = soup.find("link", rel="canonical", href=True)
    if link is not None:
        found.append(link["href"])
    meta = soup.find("meta", attrs={"property": "og:url"}, content=True)
    if meta is not None:
        found.append(meta["content"])
    found = [urljoin(base, address.strip()) if base else address.strip() for address in found]
    if base:
        found.append(base)
    # A saved copy on disk (file:///…) or a relative address with nothing to read it against
    # says nothing of the old portal.
    return [address for address in found if address.lower().startswith(("http://", "https://"))
            or address.startswith("/") and not address.startswith("//")]


def _classes(tag: Tag) -> str:
    return " ".join([*tag.get("class", []), tag.get("id", "")]).lower()


def _body(soup: BeautifulSoup) -> Tag | None:
    if (tag := soup.find(attrs={"itemprop": "articleBody"})) is not None:
        return tag
    for hint in BODY_HINTS:
        for tag in soup.find_all(True):
            if hint in _classes(tag):
                return tag
    # Unknown markup: the element holding the most paragraph text.
    scores: dict[int, tuple[int, Tag]] = {}
    for paragraph in soup.find_all("p"):
        parent = paragraph.parent
        if parent is not None:
            old = scores.get(id(parent), (0, parent))[0]
            scores[id(parent)] = (old + len(paragraph.get_text()), parent)
    return max(scores.values(), key=lambda pair: pair[0])[1] if scores else None


def _title_element(soup: BeautifulSoup, body: Tag) -> Tag | None:
    headings = [tag for tag in soup.find_all(["h1", "h2"]) if _plain(tag)]
    outside = [tag for tag in headings if body not in tag.parents]
    # <h1 class="news-title"> first: many portals also wrap their logo in an <h1>.
    ranked = ([t for t in outside if "title" in _classes(t)] +
              [t for t in outside if t.name == "h1"] +
              [t for t in headings if t.name == "h1" and body in t.parents])
    return ranked[0] if ranked else None


def _head_title(soup: BeautifulSoup) -> str:
    if soup.title is not None and (text := _plain(soup.title)):
        return re.split(r"\s+[|–-]\s+(?=[^|–-]+$)", text)[0]    # drop " - Site name"
    raise ImportProblem(_("no title (no <h1> in the page)"))


def _date(soup: BeautifulSoup) -> tuple[DateLine, Tag]:
    """The first "Ngày đăng …" line: the whole block holding it, else the element itself."""
    for string in soup.find_all(string=re.compile(r"\d{1,2}/\d{1,2}/\d{4}")):
        block = _block_of(string.parent)
        for candidate in dict.fromkeys(t for t in (block, string.parent) if t is not None):
            if (date := parse_date_line(_plain(candidate))) is not None:
                return date, candidate
    raise ImportProblem(_("no date (expected 'Ngày đăng dd/mm/yyyy | HH:MM' near the title)"))


def _block_of(tag: Tag | None) -> Tag | None:
    while tag is not None and tag.name not in BLOCK_TAGS:
        tag = tag.parent
    return tag


def _views(soup: BeautifulSoup) -> int | None:
    for string in soup.find_all(string=re.compile("Lượt xem", re.I)):
        block = _block_of(string.parent)
        if block is not None and (views := views_of(_plain(block))) is not None:
            return views
    return None


def _section(soup: BeautifulSoup) -> str:
    for hint in SECTION_HINTS:
        for tag in soup.find_all(True):
            # Short texts only: "section" also names whole page regions in some templates.
            if hint in _classes(tag) and (text := _plain(tag)) and len(text) < 80:
                return text
    for tag in soup.find_all(True):
        if "breadcrumb" in _classes(tag):
            links = [text for a in tag.find_all("a") if (text := _plain(a))]
            if len(links) > 1:
                return links[-1]        # the first is "Trang chủ"
    meta = soup.find("meta", attrs={"property": "article:section"})
    return clean_line(meta.get("content", "")) if meta is not None else ""


def _plain(tag: Tag) -> str:
    return clean_line(_WHITESPACE.sub(" ", tag.get_text(" ")))


def _items(body: Tag, page: Path,
           head_end: Tag | None) -> tuple[list[_Text | _Image], list[str]]:
    """Texts and images of BODY in reading order (<br> and blocks end a text), and the texts
    up to and including HEAD_END, which belong to the page's head."""
    items: list[_Text | _Image] = []
    head: list[str] = []
    buffer: list[str] = []

    def flush(kind: str) -> None:
        text = clean_line(_WHITESPACE.sub(" ", "".join(buffer)))
        buffer.clear()
        if text:
            items.append(_Text(text, kind))

    def walk(node: Tag, kind: str) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
            elif isinstance(child, Tag):
                if child is head_end:
                    flush(kind)
                    head.extend(item.text for item in items if isinstance(item, _Text))
                    head.append(_plain(child))
                    items.clear()
                elif child.name == "br":
                    flush(kind)
                elif child.name == "img":
                    flush(kind)
                    items.append(_find_image(child, page))
                elif child.name in BLOCK_TAGS:
                    flush(kind)
                    inner = _kind_of(child, kind)
                    walk(child, inner)
                    flush(inner)
                else:
                    walk(child, kind)

    walk(body, "p")
    flush("p")
    return items, head


def _kind_of(tag: Tag, outer: str) -> str:
    # <figcaption> and <td class="caption"> hold captions, even without "Ảnh:".
    if tag.name == "figcaption" or "caption" in _classes(tag):
        return "caption"
    if tag.name in {"h2", "h3", "h4", "h5", "h6"}:
        return "h"
    return "li" if tag.name == "li" else outer


def _blocks(items: list[_Text | _Image]) -> list[Block]:
    """Pair each image with the caption that follows it; a caption alone keeps its place."""
    blocks: list[Block] = []
    pending: _Image | None = None

    def place(image: _Image, caption: str) -> None:
        blocks.append(Figure(caption, image.file, image.missing))

    for item in items:
        if isinstance(item, _Image):
            if pending is not None:
                place(pending, pending.alt)
            pending = item
            continue
        caption = item.text if item.kind == "caption" else caption_of(item.text)
        if caption is not None and caption_of(caption) is not None:
            caption = caption_of(caption)        # <figcaption>Ảnh: …</figcaption>
        if caption is not None:
            if pending is not None:
                place(pending, caption)
                pending = None
            else:
                blocks.append(Figure(caption, None, _("no image stood before this caption")))
            continue
        if pending is not None:
            place(pending, pending.alt)
            pending = None
        blocks.append(Paragraph(item.text, kind=item.kind))
    if pending is not None:
        place(pending, pending.alt)
    return blocks


def _find_image(tag: Tag, page: Path) -> _Image:
    src = (tag.get("src") or "").strip()
    alt = clean_line(tag.get("alt") or "")
    alt = (caption_of(alt) or alt) if " " in alt else ""   # "IMG_2034.JPG" is no caption
    if not src or src.startswith("data:"):
        return _Image(None, _("the image is embedded in the page, not saved as a file"), alt)
    parts = urlsplit(src)
    path = PurePosixPath(unquote(parts.path))
    folder = page.parent.resolve()
    candidates = [page.parent / f"{page.stem}_files" / path.name, page.parent / path.name]
    if not parts.scheme and not parts.netloc and ".." not in path.parts:
        candidates.insert(0, page.parent / str(path).lstrip("/"))
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve().is_relative_to(folder):
            if problem := _unreadable(candidate):
                return _Image(None, _("{src} is not a readable image ({problem})").format(
                    src=src, problem=problem), alt)
            return _Image(candidate, "", alt)
    return _Image(None, _("{src} was not saved beside the page").format(src=src), alt)


def _unreadable(path: Path) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for bad files
        return f"{type(error).__name__}: {error}"
    return ""
