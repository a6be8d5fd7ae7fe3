"""The document kind's pages: the register of văn bản at van-ban/, newest first, its
listings by type and by year, and a page per document with its status, its files and the
documents around it (what replaces it, what it replaces, what is related, both ways)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from phucdong_site.models import OfficialDocument
from phucdong_site.pages import urls
from phucdong_site.pages.listings import paginate
from phucdong_site.pages.planned import HOME, PageOutput, Planned
from phucdong_site.pages.structured_data import Crumb
from phucdong_site.pages.urls import file_of
from phucdong_site.text import slugify

REGISTER = urls.REGISTER
TYPES = f"{REGISTER}loai/"
YEARS = f"{REGISTER}nam/"
FEED = f"{REGISTER}rss.xml"
INDEX = f"{REGISTER}chi-muc/"    # the filters' static index (pages.register_index)
PER_PAGE = 20                    # a register is scanned by number and date: longer pages
TITLE = "Văn bản"


@dataclass(frozen=True, slots=True)
class Shelf:
    """One listing of the register: a type's or a year's, and how many it holds (every
    listing page names every shelf: the shelves do not carry their documents, which would
    make each page's cache key cost the whole register)."""

    name: str
    url: str
    count: int


def type_url(kind: str) -> str:
    return f"{TYPES}{slugify(kind) or 'khac'}/"


def year_url(year: int) -> str:
    return f"{YEARS}{year:04d}/"


def shelves(register: Sequence[OfficialDocument]
            ) -> tuple[list[tuple[Shelf, list]], list[tuple[Shelf, list]]]:
    """The register by type (most documents first, then by name) and by year (newest
    first): each shelf with its documents, newest first, as REGISTER is."""
    by_type: dict[str, list[OfficialDocument]] = {}
    by_year: dict[int, list[OfficialDocument]] = {}
    for document in register:
        by_type.setdefault(document.kind, []).append(document)
        by_year.setdefault(document.issued.year, []).append(document)
    types = [(Shelf(kind, type_url(kind), len(found)), found) for kind, found in
             sorted(by_type.items(), key=lambda item: (-len(item[1]), item[0]))]
    years = [(Shelf(str(year), year_url(year), len(by_year[year])), by_year[year])
             for year in sorted(by_year, reverse=True)]
    return types, years


def register_pages(s: Planned) -> list[PageOutput]:
    """Every page of the register, and one per document (site.register is newest first)."""
    register, name = s.site.register, s.config.name
    if not register:
        return []
    types, years = shelves(register)
    browse = {"types": [shelf for shelf, _ in types], "years": [shelf for shelf, _ in years]}
    top = Crumb(TITLE, REGISTER)
    pages = _listing(register, REGISTER, TITLE, (), browse, filters=True,
                     description=f"Văn bản của {name}: số, ký hiệu, loại, ngày ban hành, "
                                 f"trích yếu và tệp tải về")
    for shelf, documents in types:
        pages += _listing(documents, shelf.url, shelf.name, (top,), browse,
                          description=f"{shelf.name} – văn bản của {name}")
    for shelf, documents in years:
        pages += _listing(documents, shelf.url, f"Văn bản năm {shelf.name}", (top,), browse,
                          description=f"Văn bản năm {shelf.name} của {name}")
    return pages + document_pages(register, top)


def _listing(documents: Sequence[OfficialDocument], base: str, title: str,
             trail: tuple[Crumb, ...], browse: dict, description: str,
             filters: bool = False) -> list[PageOutput]:
    """The pages of one listing of the register; FILTERS: its first page holds the
    filters and search box (static/js/register.js)."""
    pages = []
    for page in paginate(documents, PER_PAGE, base, title):
        crumbs = (HOME, *trail, Crumb(title, base))
        if page.number > 1:
            crumbs += (Crumb(f"Trang {page.number}", page.url),)
        pages.append(PageOutput(file_of(page.url), "register.html", {
            "page": page, "breadcrumbs": crumbs, "description": description, "feed": FEED,
            "base": base, "filters": filters and page.number == 1, "index": INDEX, **browse},
            lastmod=max(d.issued for d in page.articles)))
    return pages


def document_pages(register: Sequence[OfficialDocument], top: Crumb) -> list[PageOutput]:
    """A page per document: every field, its status, its files, what replaces it and what
    it replaces, and its related documents, named on either side (content.public_site
    found them)."""
    by_url = {document.url: document for document in register}
    pages = []
    for document in register:
        pages.append(PageOutput(file_of(document.url), "document.html", {
            "document": document,
            "breadcrumbs": (HOME, top, Crumb(document.kind, type_url(document.kind)),
                            Crumb(document.number, document.url)),
            "type_url": type_url(document.kind),
            "year_url": year_url(document.issued.year),
            "replaced_by": by_url.get(document.replaced_by_url),
            "replaces": [by_url[url] for url in document.replaces if url in by_url],
            "related": [by_url[url] for url in document.related_urls if url in by_url],
        }, document.source, lastmod=document.issued))
    return pages
