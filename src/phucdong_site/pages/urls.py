"""Every URL of the site's pages, spelled once: paths under the site root, with a slash at
the end (pretty URLs: the page is the folder's index.html). An article's own URL,
YYYY/MM/slug/, is made with the article (models.Article.url); the search index's files
are the search wing's (search.INDEX_DIR), a contract with static/js/search.js."""

from __future__ import annotations

HOME = ""
NEWS = "tin-tuc/"
FEATURED = "noi-bat/"
MOST_VIEWED = "doc-nhieu/"
CATEGORIES = "chuyen-muc/"
TAGS = "tag/"
ARCHIVE = "luu-tru/"
SEARCH = "tim-kiem/"
REGISTER = "van-ban/"            # the documents' register (pages.register)
NOT_FOUND = "404.html"


def category_url(slug: str) -> str:
    return f"{CATEGORIES}{slug}/"


def tag_url(slug: str) -> str:
    return f"{TAGS}{slug}/"


def month_url(year: int, month: int) -> str:
    return f"{ARCHIVE}{year:04d}/{month:02d}/"


def page_url(base: str, number: int) -> str:
    """tin-tuc/ for page 1, tin-tuc/page/N/ after it."""
    return base if number == 1 else f"{base}page/{number}/"


def file_of(url: str) -> str:
    """The output file of a page's URL: tin-tuc/ → tin-tuc/index.html."""
    return f"{url}index.html" if url.endswith("/") or not url else url
