"""Pure functions from articles to paginated listing pages."""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, islice

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


TOGETHER = 3                     # tag sets of up to this many tags are indexed together...
FEW_TAGS = 8                     # ...for articles of at most this many (92 sets at most)
READS_PER_TAG = 16               # an article of many tags reads this many list places a tag


@dataclass(frozen=True, slots=True)
class RelatedIndex:
    """For related(): the site's articles as places in the newest-first order, listed by
    each of their tags and by category; those of at most FEW_TAGS tags also by every set of
    up to TOGETHER of their tags, those of more by each tag apart (in `many`). Every list is
    ascending: newest first. Its size is linear in the site's (article, tag) pairs, whatever
    one article carries: the sets of an article of 300 tags would be 4.5 million."""

    articles: Sequence[Article]                  # the whole site, newest first
    place: dict[int, int]                        # id(article) -> its place in ARTICLES
    categories: list[str]                        # by place
    tags: list[frozenset[str]]                   # by place: tag slugs
    by_tags: dict[tuple[str, ...], list[int]]
    by_tags_category: dict[tuple[tuple[str, ...], str], list[int]]
    by_category: dict[str, list[int]]
    many: dict[str, list[int]]                   # tag -> the places of more than FEW_TAGS


def related_index(articles: Sequence[Article]) -> RelatedIndex:
    """Index ARTICLES (the whole site, newest first) for related()."""
    index = RelatedIndex(articles, {}, [], [], defaultdict(list), defaultdict(list),
                         defaultdict(list), defaultdict(list))
    for place, article in enumerate(articles):
        tags = tuple(sorted({tag_slug(name) for name in article.tags}))
        index.place[id(article)] = place
        index.categories.append(article.category)
        index.tags.append(frozenset(tags))
        index.by_category[article.category].append(place)
        largest = TOGETHER if len(tags) <= FEW_TAGS else 1
        for size in range(1, min(len(tags), largest) + 1):
            for subset in combinations(tags, size):
                index.by_tags[subset].append(place)
                index.by_tags_category[(subset, article.category)].append(place)
        if len(tags) > FEW_TAGS:
            for tag in tags:
                index.many[tag].append(place)
    return index


def related(article: Article, index: RelatedIndex, limit: int = 5) -> list[Article]:
    """Up to LIMIT articles related to ARTICLE, best first.

    Ranked by the number of tags shared with it, then by being in its category, then by
    recency, so the result never depends on reading order; then the newest of its category.
    An article of few tags reads the lists of its tag sets, one of many the lists of its
    tags: see _related_few and _related_many. Reading is bounded (READS_PER_TAG), so that
    no article costs more than its tags; only on sites where hundreds of articles carry
    dozens of tags can the bound leave an article of many tags ranked by the tags read.
    """
    own = index.place[id(article)]
    chosen: list[int] = []
    taken = {own}

    def take(places: Iterable[int], wanted=lambda place: True) -> bool:
        """Take PLACES in order while the result is not full; whether it still is not."""
        for place in places:
            if len(chosen) >= limit:
                return False
            if place not in taken and wanted(place):
                taken.add(place)
                chosen.append(place)
        return len(chosen) < limit

    budget = READS_PER_TAG * (len(index.tags[own]) + limit)
    if len(index.tags[own]) <= FEW_TAGS:
        _related_few(own, index, take, budget)
    else:
        _related_many(own, index, take, budget)
    take(index.by_category[index.categories[own]])
    return [index.articles[place] for place in chosen]


def _shared(own: int, places: Iterable[int], index: RelatedIndex) -> dict[int, int]:
    """The number of tags each of PLACES shares with OWN's."""
    mine = index.tags[own]
    return {place: len(mine & index.tags[place]) for place in places}


def _related_few(own: int, index: RelatedIndex, take, budget: int) -> None:
    """Taken level by level, most shared tags first: the articles of few tags sharing
    exactly S tags are the untaken ones in the lists of OWN's S-tag subsets (those sharing
    more were all taken at a higher level, or the result is already full), and merging
    those newest-first lists yields them in rank order, so each level reads only as far as
    the result still needs. Articles of many tags, found through `many`, join each level
    with the exact count of their shared tags."""
    category, tags = index.categories[own], tuple(sorted(index.tags[own]))
    others = lambda place: index.categories[place] != category  # noqa: E731
    heavy = _shared(own, dict.fromkeys(islice(
        chain.from_iterable(index.many.get(tag, ()) for tag in tags), budget)), index)
    if len(tags) > TOGETHER:     # sharing more tags than are indexed together: rare, scanned
        found = set().union(*(index.by_tags.get(subset, ())
                              for subset in combinations(tags, TOGETHER)))
        shared = {**_shared(own, found, index), **heavy}
        take(sorted((place for place, count in shared.items() if count > TOGETHER),
                    key=lambda place: (-shared[place], others(place), place)))
    for size in range(min(len(tags), TOGETHER), 0, -1):
        subsets = list(combinations(tags, size))
        # Single tags list every article; sets of more only those of few tags.
        level = sorted(place for place, count in heavy.items() if count == size and size > 1)
        take(heapq.merge(*(index.by_tags_category.get((subset, category), ())
                           for subset in subsets), level),
             lambda place: not others(place))
        take(heapq.merge(*(index.by_tags[subset] for subset in subsets), level), others)


def _related_many(own: int, index: RelatedIndex, take, budget: int) -> None:
    """Taken level by level over OWN's single-tag lists, shortest first. Once the first I
    lists are read whole, every article not met in them shares at most M - I tags (M: OWN's
    tags), so the articles sharing exactly M - I are those met with that count, and those
    of list I + 1 that are in every list after it: the list is read newest first, for its
    category's part first, only as far as the result still needs."""
    category, mine = index.categories[own], index.tags[own]
    lists = sorted(mine, key=lambda tag: (len(index.by_tags[(tag,)]), tag))
    met: dict[int, int] = {own: len(mine)}
    by_count: dict[tuple[int, bool], list[int]] = defaultdict(list)
    reads = 0

    def meet(places: Iterable[int], count: int) -> Iterator[int]:
        """The places of PLACES not met before that share COUNT tags; every one met."""
        nonlocal reads
        for place in places:
            if reads >= budget:
                return
            reads += 1
            if place not in met:
                met[place] = shared = len(mine & index.tags[place])
                by_count[(shared, index.categories[place] == category)].append(place)
                if shared == count:
                    yield place

    for position, tag in enumerate(lists):
        count = len(lists) - position
        same = sorted(by_count[(count, True)])
        other = sorted(by_count[(count, False)])
        if not (take(heapq.merge(same, meet(index.by_tags_category[((tag,), category)],
                                            count)))
                and take(heapq.merge(other, meet(index.by_tags[(tag,)], count)),
                         lambda place: index.categories[place] != category)):
            return
        if reads >= budget:      # what was met, by rank
            take(sorted((place for place, shared in met.items() if shared),
                        key=lambda place: (-met[place], index.categories[place] != category,
                                           place)))
            return


def related_inputs(articles: Sequence[Article], limit: int) -> bytes:
    """A digest of all that every article's related list, as places in ARTICLES, depends on:
    each article's category and tag slugs, in the site's order. Equal digests, equal lists."""
    digest = hashlib.sha256(f"{TOGETHER} {FEW_TAGS} {READS_PER_TAG} {limit}".encode())
    for article in articles:
        digest.update(repr((article.category,
                            sorted({tag_slug(name) for name in article.tags}))).encode())
    return digest.digest()


def all_related(articles: Sequence[Article], limit: int) -> dict[str, list[Article]]:
    """related() of every article of the site (ARTICLES, newest first), by URL."""
    index = related_index(articles)
    return {article.url: related(article, index, limit) for article in articles}
