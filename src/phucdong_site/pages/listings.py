"""Pure functions from articles to paginated listing pages."""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from phucdong_site.models import Article, ListingPage
from phucdong_site.pages.indexes import tag_slug
from phucdong_site.pages.urls import page_url


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


def most_viewed(articles: Sequence[Article], recent: bool = False) -> list[Article]:
    """The "đọc nhiều" ranking: the articles with counted views, most views first; then
    newest; then by URL, for ties. RECENT (site.toml's [views] popular_days, with counts in
    data/luot-xem.csv): by the views of those last days first, and only the articles read
    in them, so that old articles do not hold the top forever.

    views: 0 is every new article's default, "not counted yet" rather than "read by nobody":
    ranked, such articles would fill the list by date alone, so they are left out, and a
    site without counted views has an empty ranking."""
    if recent:
        read = (article for article in articles if article.recent_views > 0)
        return sorted(read, key=lambda a: (-a.recent_views, -a.views,
                                           -a.published.timestamp(), a.url))
    counted = (article for article in articles if article.views > 0)
    return sorted(counted, key=lambda a: (-a.views, -a.published.timestamp(), a.url))


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


TOGETHER = 3                     # tag sets of up to this many tags are indexed together


@dataclass(frozen=True, slots=True)
class RelatedIndex:
    """For related(): the site's articles as places in the newest-first order, listed by
    every set of up to TOGETHER of their tags (alone and within their category), and by
    category. Every list is ascending: newest first."""

    articles: Sequence[Article]                  # the whole site, newest first
    place: dict[int, int]                        # id(article) -> its place in ARTICLES
    categories: list[str]                        # by place
    tags: list[tuple[str, ...]]                  # by place: tag slugs, sorted, no repeats
    by_tags: dict[tuple[str, ...], list[int]]
    by_tags_category: dict[tuple[tuple[str, ...], str], list[int]]
    by_category: dict[str, list[int]]


def related_index(articles: Sequence[Article]) -> RelatedIndex:
    """Index ARTICLES (the whole site, newest first) for related()."""
    index = RelatedIndex(articles, {}, [], [], defaultdict(list), defaultdict(list),
                         defaultdict(list))
    for place, article in enumerate(articles):
        tags = tuple(sorted({tag_slug(name) for name in article.tags}))
        index.place[id(article)] = place
        index.categories.append(article.category)
        index.tags.append(tags)
        index.by_category[article.category].append(place)
        for size in range(1, min(len(tags), TOGETHER) + 1):
            for subset in combinations(tags, size):
                index.by_tags[subset].append(place)
                index.by_tags_category[(subset, article.category)].append(place)
    return index


def related(article: Article, index: RelatedIndex, limit: int = 5) -> list[Article]:
    """Up to LIMIT articles related to ARTICLE, best first.

    Ranked by the number of tags shared with it, then by being in its category, then by
    recency, so the result never depends on reading order. Taken level by level, most
    shared tags first: the articles sharing exactly S tags are the untaken ones in the
    lists of ARTICLE's S-tag subsets (those sharing more were all taken at a higher
    level, or the result is already full), and merging those newest-first lists yields
    them in rank order, so each level reads only as far as the result still needs.
    """
    own = index.place[id(article)]
    category, tags = index.categories[own], index.tags[own]
    chosen: list[int] = []
    taken = {own}

    def take(places: Iterable[int], wanted=lambda place: True) -> None:
        for place in places:
            if len(chosen) >= limit:
                return
            if place not in taken and wanted(place):
                taken.add(place)
                chosen.append(place)

    if len(tags) > TOGETHER:     # sharing more tags than are indexed together: rare, scanned
        mine = set(tags)
        found = set().union(*(index.by_tags.get(subset, ())
                              for subset in combinations(tags, TOGETHER)))
        shared = {place: len(mine.intersection(index.tags[place])) for place in found}
        take(sorted((place for place in found if shared[place] > TOGETHER),
                    key=lambda place: (-shared[place], index.categories[place] != category,
                                       place)))
    for size in range(min(len(tags), TOGETHER), 0, -1):
        subsets = list(combinations(tags, size))
        take(heapq.merge(*(index.by_tags_category.get((subset, category), ())
                           for subset in subsets)))
        take(heapq.merge(*(index.by_tags[subset] for subset in subsets)),
             lambda place: index.categories[place] != category)
    take(index.by_category[category])
    return [index.articles[place] for place in chosen]


def related_inputs(articles: Sequence[Article], limit: int) -> bytes:
    """A digest of all that every article's related list depends on: the site's order and
    each article's URL, category and tag slugs. Equal digests, equal related lists."""
    digest = hashlib.sha256(f"{TOGETHER} {limit}".encode())
    for article in articles:
        digest.update(repr((article.url, article.category,
                            sorted({tag_slug(name) for name in article.tags}))).encode())
    return digest.digest()


def all_related(articles: Sequence[Article], limit: int) -> dict[str, list[Article]]:
    """related() of every article of the site (ARTICLES, newest first), by URL."""
    index = related_index(articles)
    return {article.url: related(article, index, limit) for article in articles}
