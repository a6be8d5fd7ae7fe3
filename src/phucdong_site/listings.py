"""Pure functions from articles to paginated listing pages."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

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


def featured(articles: Sequence[Article]) -> list[Article]:
    """The "nổi bật" articles, newest first (ARTICLES is newest first)."""
    return [article for article in articles if article.featured]


def most_viewed(articles: Sequence[Article]) -> list[Article]:
    """The "đọc nhiều" order: most views first; then newest; then by URL, for ties."""
    return sorted(articles, key=lambda a: (-a.views, -a.published.timestamp(), a.url))


def neighbours(articles: Sequence[Article]) -> dict[str, tuple[Article | None, Article | None]]:
    """For each article URL, the (older, newer) articles next to it in time.

    ARTICLES is the whole site, newest first.
    """
    result = {}
    for position, article in enumerate(articles):
        older = articles[position + 1] if position + 1 < len(articles) else None
        newer = articles[position - 1] if position > 0 else None
        result[article.url] = (older, newer)
    return result


def recency_ranks(articles: Sequence[Article]) -> dict[int, int]:
    """id(article) -> its place in ARTICLES (newest first): a cheap, total recency order."""
    return {id(article): place for place, article in enumerate(articles)}


def related(article: Article, tag_lists: Sequence[Sequence[Article]],
            category_list: Sequence[Article], ranks: Mapping[int, int],
            limit: int = 5) -> list[Article]:
    """Up to LIMIT articles related to ARTICLE, best first.

    Ranked by the number of tags shared with it, then by being in its category, then by
    recency (RANKS, from recency_ranks over the whole site), so the result never depends
    on reading order. TAG_LISTS are the index lists of the article's tags and
    CATEGORY_LIST that of its category, all newest first: only the articles that share
    something with ARTICLE are looked at, never the whole site.
    """
    # Keyed by identity: articles are frozen and shared by every index, and Article.url
    # (which formats a date) is far too slow for these loops.
    shared: dict[int, int] = {}
    candidates: dict[int, Article] = {}
    for tagged in tag_lists:
        for other in tagged:
            if other is not article:
                key = id(other)
                shared[key] = shared.get(key, 0) + 1
                candidates[key] = other
    ranked = heapq.nsmallest(limit, candidates.values(), key=lambda other: (
        -shared[id(other)], other.category != article.category, ranks[id(other)]))
    # Articles sharing only the category rank below any sharing a tag; the category list
    # is newest first, so its first few are the best of them.
    for other in category_list:
        if len(ranked) >= limit:
            break
        if other is not article and id(other) not in candidates:
            ranked.append(other)
    return ranked
