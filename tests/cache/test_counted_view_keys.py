"""Counted views replace an article (content.load: dataclasses.replace); the build cache's
digest still stands for it, with its views, so page keys do not pickle every article, and a
changed count renders again only the pages that show that article."""

from __future__ import annotations

import os
import time
from dataclasses import replace

from phucdong_site.cache.articles import ArticleCache
from phucdong_site.config import load_config
from phucdong_site.models import Body
from phucdong_site.pipeline.stages import build

HEADER = "date,path,views\n"


def settle(root) -> None:
    """Date every file a minute back: the caches keep only settled files."""
    for file in root.rglob("*"):
        os.utime(file, (time.time() - 60, time.time() - 60))


def test_an_article_with_counted_views_keeps_a_digest_of_its_own(site):
    path = site.article("2021/cu.md", 'title: "Bài cũ"\ndate: 2021-01-07 08:00\nviews: 188')
    settle(site.root)
    config = load_config(site.root)
    build(config)
    cache = ArticleCache(config)
    cached, _ = cache.lookup(path)
    assert cached is not None
    own = cache.article_digest(cached)
    counted = replace(cached, views=200, recent_views=12)
    assert own is not None and cache.article_digest(counted) not in (None, own)
    assert cache.article_digest(replace(cached, views=200, recent_views=12)) \
        == cache.article_digest(counted)                       # the same numbers, the same
    assert cache.article_digest(replace(cached, views=200, recent_views=13)) \
        != cache.article_digest(counted)
    assert cache.article_digest(replace(cached, views=201, recent_views=12)) \
        != cache.article_digest(counted)
    # Anything else changed is no longer what the cache made: pickled, as before.
    assert cache.article_digest(replace(counted, title="Bài khác")) is None
    assert cache.article_digest(replace(counted, body=Body("<p>khác</p>"))) is None
    # The search entries are the cached ones, without reading the body again.
    assert cache.search_entry(counted) == cache.search_entry(cached)


def test_a_changed_count_renders_only_the_pages_showing_that_article(site):
    for number in range(1, 10):
        site.article(f"2021/bai-{number}.md", f'title: "Bài số {number}"\n'
                     f"date: 2021-0{number}-07 08:00\nviews: {number}")
    (site.root / "data").mkdir()
    counts = site.root / "data" / "luot-xem.csv"
    counts.write_text(HEADER + "2026-12-01,/2021/01/bai-so-1/,5\n"
                      "2026-12-02,/2021/09/bai-so-9/,5\n", encoding="utf-8")
    settle(site.root)
    config = load_config(site.root)
    first = build(config)
    assert first.rendered == first.pages
    # Another count for the oldest article; the day of the last count stays 02/12/2026.
    counts.write_text(HEADER + "2026-12-01,/2021/01/bai-so-1/,7\n"
                      "2026-12-02,/2021/09/bai-so-9/,5\n", encoding="utf-8")
    settle(site.root)
    again = build(config)
    assert not again.unchanged and 0 < again.rendered < again.pages / 2, \
        (again.rendered, again.pages)
    page = (site.out / "2021/01/bai-so-1/index.html").read_text(encoding="utf-8")
    assert 'Lượt xem: <span class="views">8</span>' in page
