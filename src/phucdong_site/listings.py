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


def related(article: Article, tag_lists: Sequence[Sequence[Article]],
            category_list: Sequence[Article], limit: int = 5) -> list[Article]:
    """Up to LIMIT articles related to ARTICLE, best first.

    Ranked by the number of tags shared with it, then by being in its category, then
    newest first, then by URL, so the result never depends on reading order.
    TAG_LISTS are the index lists of the article's tags and CATEGORY_LIST that of its
    category, all newest first: only the articles that share something are looked at.
    """
    shared: dict[str, int] = {}
    candidates: dict[str, Article] = {}
    for tagged in tag_lists:
        for other in tagged:
            if other.url != article.url:
                shared[other.url] = shared.get(other.url, 0) + 1
                candidates[other.url] = other
    ranked = sorted(candidates.values(), key=lambda other: (
        -shared[other.url], other.category != article.category,
        -other.published.timestamp(), other.url))[:limit]
    # Articles sharing only the category rank below any sharing a tag; newest first, the
    # first few of the category list are the best of them.
    for other in category_list:
        if len(ranked) >= limit:
            break
        if other.url != article.url and other.url not in candidates:
            ranked.append(other)
    return ranked
