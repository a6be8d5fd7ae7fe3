"""Pure listing and index functions: related articles, neighbours, most read, tag merging."""

import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.pages.indexes import build_index
from phucdong_site.pages.indexes import tag_slug
from phucdong_site.pages.listings import (all_related, featured, most_viewed, neighbours, related,
                                    related_index)
from phucdong_site.models import Article, Site
from phucdong_site.cache import related as related_module
from phucdong_site.cache.related import related_lists

TZ = timezone(timedelta(hours=7))


def make(n: int, category: str = "a", tags: tuple[str, ...] = (), views: int = 0,
         featured: bool = False) -> Article:
    return Article(source=Path(f"content/{n}.md"), title=f"Bài {n}",
                   published=datetime(2024, 1, 1, tzinfo=TZ) + timedelta(days=n),
                   slug=f"bai-{n}", category=category, tags=tags, views=views, featured=featured)


def newest_first(articles):
    return tuple(sorted(articles, key=lambda a: (a.published, a.url), reverse=True))


def config(**categories) -> SiteConfig:
    return SiteConfig(site_dir=Path("."), output_dir=Path("build"),
                      categories=tuple(categories.items()) or (("a", "A"), ("b", "B")))


def related_in(site: Site, article: Article, limit: int = 5) -> list[int]:
    found = related(article, related_index(site.articles), limit)
    return [int(a.slug.split("-")[1]) for a in found]


def related_by_scan(site: Site, article: Article, limit: int = 5) -> list[Article]:
    """The definition, by brute force over the whole site: most shared tags, then the
    same category, then newest; only articles sharing a tag or the category."""
    mine = {tag_slug(t) for t in article.tags}
    scored = []
    for place, other in enumerate(site.articles):
        shared = len(mine & {tag_slug(t) for t in other.tags})
        if other is not article and (shared or other.category == article.category):
            scored.append(((-shared, other.category != article.category, place), other))
    return [other for _, other in sorted(scored, key=lambda item: item[0])[:limit]]


def test_related_ranks_shared_tags_then_category_then_recency():
    articles = [make(1, "a", ("x", "y")), make(2, "b", ("x", "y")), make(3, "b", ("x",)),
                make(4, "a"), make(5, "a", ("x",)), make(6, "b"), make(7, "a", ("x", "y"))]
    site = Site(newest_first(articles))
    subject = articles[0]
    # 7 and 2 share two tags (7 also the category, so first); 5 one tag and the category;
    # 3 one tag; then 4, the only other article of category a.
    assert related_in(site, subject) == [7, 2, 5, 3, 4]
    assert related_in(site, subject, limit=2) == [7, 2]


def test_related_never_lists_the_article_itself_and_fills_from_the_category():
    articles = [make(n, "a") for n in range(1, 9)]
    site = Site(newest_first(articles))
    assert related_in(site, articles[3], limit=3) == [8, 7, 6]
    assert related_in(site, articles[7], limit=3) == [7, 6, 5]


def test_related_equals_a_scan_of_the_whole_site():
    rng = random.Random(4)
    for trial in range(30):
        tags = ["x", "y", "z", "w", "v", "Tổ dân phố"][:rng.randrange(1, 7)]
        articles = [make(n, rng.choice("abc"), tuple(rng.sample(tags, rng.randrange(len(tags) + 1))))
                    for n in range(1, rng.randrange(2, 60))]
        site = Site(newest_first(articles))
        index = related_index(site.articles)
        for subject in articles:
            for limit in (1, 3, 5):
                assert related(subject, index, limit) == related_by_scan(site, subject, limit), \
                    (trial, subject.slug, limit)


def test_related_counts_a_tag_written_two_ways_once():
    subject = make(1, "a", ("Tổ dân phố", "tổ dân phố"))
    site = Site(newest_first([subject, make(2, "b", ("to dan pho",)), make(3, "a", ("x",)),
                              make(4, "b", ("x", "y"))]))
    # 2 shares one tag (not two); 3 only the category; 4 nothing.
    assert related_in(site, subject) == [2, 3]


def test_neighbours_are_older_and_newer_in_time():
    site = newest_first([make(n) for n in (3, 1, 2)])
    around = neighbours(site)
    older, newer = around[make(2).url]
    assert (older.slug, newer.slug) == ("bai-1", "bai-3")
    assert around[make(1).url][0] is None and around[make(3).url][1] is None


def test_most_viewed_orders_by_views_then_newest():
    site = newest_first([make(1, views=5), make(2, views=50), make(3, views=5), make(4, views=1)])
    assert [a.slug for a in most_viewed(site)] == ["bai-2", "bai-3", "bai-1", "bai-4"]


def test_most_viewed_leaves_out_articles_whose_views_are_not_counted():
    site = newest_first([make(1, views=5), make(2), make(3, views=50), make(4)])
    assert [a.slug for a in most_viewed(site)] == ["bai-3", "bai-1"]
    assert most_viewed(newest_first([make(1), make(2)])) == []


def test_featured_keeps_newest_first():
    site = newest_first([make(1, featured=True), make(2), make(3, featured=True)])
    assert [a.slug for a in featured(site)] == ["bai-3", "bai-1"]


def test_tags_folding_to_one_slug_are_one_tag_named_by_the_majority_with_a_warning():
    articles = [make(1, tags=("Xây dựng Đảng",)), make(2, tags=("Xây dựng Đảng",)),
                make(3, tags=("xây dựng đảng",)), make(4, tags=("Đô thị",))]
    index = build_index(Site(newest_first(articles)), config())
    tag = index.tag_by_slug["xay-dung-dang"]
    assert tag.name == "Xây dựng Đảng"
    assert [a.slug for a in tag.articles] == ["bai-3", "bai-2", "bai-1"]
    assert [str(w.path) for w in index.warnings] == ["content/3.md"]
    assert '"xây dựng đảng" and "Xây dựng Đảng"' in index.warnings[0].message
    assert "/tag/xay-dung-dang/" in index.warnings[0].message


def test_tag_and_category_indexes_are_in_vietnamese_order():
    articles = [make(1, "b", ("Đường phố", "Dân vận", "ăn uống", "An ninh", "Zumba", "ánh sáng"))]
    index = build_index(Site(tuple(articles)),
                        config(d="Đô thị", b="Bảo vệ", a="An ninh", z="Du lịch"))
    assert [t.name for t in index.tags] == ["An ninh", "ánh sáng", "ăn uống", "Dân vận",
                                            "Đường phố", "Zumba"]
    assert [c.name for c in index.categories] == ["An ninh", "Bảo vệ", "Du lịch", "Đô thị"]


def random_site(seed: int, count: int = 60) -> tuple[Article, ...]:
    rng = random.Random(seed)
    names = ["Tổ dân phố", "tổ dân phố", "Y tế", "Giáo dục", "Môi trường", "An ninh"]
    return newest_first(make(n, rng.choice("ab"), tuple(rng.sample(names, rng.randint(0, 3))))
                        for n in range(count))


def by_slug(lists):
    return {url: [a.slug for a in found] for url, found in lists.items()}


def test_remembered_related_lists_are_found_again_when_their_inputs_change(tmp_path,
                                                                           monkeypatch):
    articles = random_site(1)
    first = related_lists(articles, 5, tmp_path)
    assert by_slug(first) == by_slug(all_related(articles, 5))
    # Same inputs: read back, the very articles of this build.
    again = related_lists(articles, 5, tmp_path)
    assert by_slug(again) == by_slug(first)
    assert all(a is b for url in again for a, b in zip(again[url], first[url]))
    # A new URL in the same place (a title edit): read back, under the new URL, not found
    # again (all_related is not called), and as all_related finds them.
    renamed = tuple(replace(a, slug="bai-moi") if a.slug == "bai-30" else a for a in articles)
    assert [a.slug for a in renamed].index("bai-moi") == [a.slug for a in articles].index("bai-30")
    with monkeypatch.context() as patch:
        patch.setattr(related_module, "all_related", None)
        read_back = related_lists(renamed, 5, tmp_path)
    assert by_slug(read_back) == by_slug(all_related(renamed, 5))
    assert "bai-moi" in {a.slug for found in read_back.values() for a in found}
    # A change of tags, of category, of order: found again, not read back stale.
    retagged = tuple(replace(a, tags=("An ninh",)) if a.slug == "bai-7" else a for a in articles)
    moved = tuple(replace(a, category="b" if a.category == "a" else "a") if a.slug == "bai-9"
                  else a for a in articles)
    fewer = articles[1:]
    for changed in (retagged, moved, fewer):
        assert by_slug(related_lists(changed, 5, tmp_path)) == by_slug(all_related(changed, 5))
    # A damaged file is found again.
    (tmp_path / "related.pickle").write_bytes(b"garbage")
    assert by_slug(related_lists(articles, 5, tmp_path)) == by_slug(all_related(articles, 5))
