"""Pure listing and index functions: related articles, neighbours, most read, tag merging."""

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.indexes import build_index
from phucdong_site.listings import featured, most_viewed, neighbours, recency_ranks, related
from phucdong_site.models import Article, Site

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
    index = build_index(site, config())
    tag_lists = [index.tag_by_slug[t.lower().replace(" ", "-")].articles for t in article.tags]
    found = related(article, tag_lists, index.category_by_slug[article.category].articles,
                    recency_ranks(site.articles), limit)
    return [int(a.slug.split("-")[1]) for a in found]


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


def test_related_does_not_depend_on_the_order_of_its_inputs():
    rng = random.Random(4)
    articles = [make(n, rng.choice("ab"), tuple(rng.sample(["x", "y", "z", "w"], rng.randrange(4))))
                for n in range(1, 40)]
    subject = next(a for a in articles if len(a.tags) >= 2)
    site = Site(newest_first(articles))
    index = build_index(site, config())
    tag_lists = [index.tag_by_slug[t].articles for t in subject.tags]
    category = index.category_by_slug[subject.category].articles
    ranks = recency_ranks(site.articles)
    expected = related(subject, tag_lists, category, ranks)
    for _ in range(5):
        rng.shuffle(tag_lists)
        shuffled = [tuple(rng.sample(tagged, len(tagged))) for tagged in tag_lists]
        assert related(subject, shuffled, category, ranks) == expected
    assert len(expected) == 5 and subject not in expected


def test_neighbours_are_older_and_newer_in_time():
    site = newest_first([make(n) for n in (3, 1, 2)])
    around = neighbours(site)
    older, newer = around[make(2).url]
    assert (older.slug, newer.slug) == ("bai-1", "bai-3")
    assert around[make(1).url][0] is None and around[make(3).url][1] is None


def test_most_viewed_orders_by_views_then_newest():
    site = newest_first([make(1, views=5), make(2, views=50), make(3, views=5), make(4)])
    assert [a.slug for a in most_viewed(site)] == ["bai-2", "bai-3", "bai-1", "bai-4"]


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
