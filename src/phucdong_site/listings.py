"""Pure functions from articles to paginated listing pages."""

from __future__ import annotations

from collections.abc import Sequence

from phucdong_site.models import Article, ListingPage


def page_url(base: str, number: int) -> str:
    """tin-tuc/ for page 1, tin-tuc/page/N/ after it."""
    return base if number == 1 else f"{base}page/{number}/"


def paginate(articles: Sequence[Article], per_page: int, base: str, title: str) -> list[ListingPage]:
    """The pages of a listing at BASE; an empty listing still has its first page."""
    chunks = [tuple(articles[i:i + per_page]) for i in range(0, len(articles), per_page)] or [()]
    total = len(chunks)
    return [
        ListingPage(title=title, articles=chunk, number=number, total=total,
                    url=page_url(base, number),
                    prev_url=page_url(base, number - 1) if number > 1 else None,
                    next_url=page_url(base, number + 1) if number < total else None)
        for number, chunk in enumerate(chunks, start=1)
    ]
