"""Related articles cost near-linear time and memory in the site's (article, tag) pairs,
whatever one article carries (issue 21: one article with 300 tags took 43 s and 3.2 GB,
one with 10,000 tags was killed), and articles carry at most MAX_TAGS tags.

The costly runs happen in a child process whose address space is bounded (so that the old
cubic index fails there with MemoryError instead of taking the machine down), and which
reports its own peak memory (VmHWM) and time."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import REPO, run_cli, tree_bytes

from phucdong_site.content.article import MAX_TAGS
from phucdong_site.models import Article, Site
from phucdong_site.pages.indexes import tag_slug
from phucdong_site.pages.listings import all_related, related, related_index

TZ = timezone(timedelta(hours=7))
ADDRESS_SPACE = 1536 * 2**20     # the child's bound: 1.5 GB, where the old index needed 3.2

CHILD = textwrap.dedent("""\
    import json, random, resource, sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from phucdong_site.models import Article
    from phucdong_site.pages.listings import all_related

    def peak_kb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    spec = json.loads(sys.argv[1])
    rng = random.Random(7)
    tz = timezone(timedelta(hours=7))
    articles = []
    for n, (count, vocabulary) in enumerate(spec):
        tags = tuple(f"the {{i}}" for i in rng.sample(range(vocabulary), count))
        articles.append(Article(source=Path(f"content/{{n}}.md"), title=f"Bai {{n}}",
                                published=datetime(2024, 1, 1, tzinfo=tz) + timedelta(hours=n),
                                slug=f"bai-{{n}}", category="ab"[n % 2], tags=tags))
    articles.reverse()
    before, start = peak_kb(), time.perf_counter()
    lists = all_related(articles, 5)
    seconds = time.perf_counter() - start
    print(json.dumps({{"seconds": seconds, "grown_kb": peak_kb() - before,
                      "found": sum(map(len, lists.values()))}}))
""").format(limit=ADDRESS_SPACE)


def related_in_child(spec: list[tuple[int, int]], timeout: float = 60) -> dict:
    """all_related() over articles with SPEC's (tag count, vocabulary) each, in a child
    process: its time and how much its peak memory grew while finding them."""
    result = subprocess.run([sys.executable, "-c", CHILD, json.dumps(spec)], cwd=REPO,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.mark.parametrize("tags", [300, 10_000])
def test_one_article_with_thousands_of_tags_costs_little(tags):
    # 200 ordinary articles (1-4 tags of 18) and one carrying TAGS tags, 18 of them shared.
    spec = [(1 + n % 4, 18) for n in range(200)] + [(tags, tags)]
    measured = related_in_child(spec)
    assert measured["grown_kb"] < 40 * 1024, measured
    assert measured["seconds"] < 3, measured
    assert measured["found"] == 201 * 5


def test_many_articles_with_many_tags_cost_near_linear():
    # 200 articles of 50 tags among 500, then twice as many among twice as many tags: the
    # same number of articles per tag, twice the pairs, about twice the cost (not 19,600
    # three-tag sets per article, as the old index kept).
    small = related_in_child([(50, 500)] * 200)
    large = related_in_child([(50, 1000)] * 400)
    assert small["grown_kb"] < 20 * 1024 and large["grown_kb"] < 40 * 1024, (small, large)
    assert large["grown_kb"] < 3.5 * small["grown_kb"], (small, large)
    # Time, on a machine other work shares: bounds far above the measured 0.3 s and 0.8 s.
    assert small["seconds"] < 3 and large["seconds"] < 6, (small, large)


def make(n: int, category: str, tags: tuple[str, ...]) -> Article:
    return Article(source=Path(f"content/{n}.md"), title=f"Bài {n}",
                   published=datetime(2024, 1, 1, tzinfo=TZ) + timedelta(days=n),
                   slug=f"bai-{n}", category=category, tags=tags)


def related_by_scan(site: Site, article: Article, limit: int) -> list[Article]:
    """The definition, by brute force: most shared tags, then the same category, then
    newest; only articles sharing a tag or the category."""
    mine = {tag_slug(t) for t in article.tags}
    scored = []
    for place, other in enumerate(site.articles):
        shared = len(mine & {tag_slug(t) for t in other.tags})
        if other is not article and (shared or other.category == article.category):
            scored.append(((-shared, other.category != article.category, place), other))
    return [other for _, other in sorted(scored, key=lambda item: item[0])[:limit]]


def test_related_with_articles_of_many_tags_equals_a_scan_of_the_whole_site():
    # Articles of few tags and of many (indexed differently), side by side.
    rng = random.Random(21)
    for trial in range(40):
        vocabulary = [f"t{i}" for i in range(rng.randrange(3, 40))]
        articles = []
        for n in range(1, rng.randrange(2, 70)):
            many = rng.random() < 0.4
            count = rng.randrange(len(vocabulary) + 1) if many else rng.randrange(4)
            articles.append(make(n, rng.choice("abc"),
                                 tuple(rng.sample(vocabulary, min(count, len(vocabulary))))))
        site = Site(tuple(sorted(articles, key=lambda a: (a.published, a.url), reverse=True)))
        index = related_index(site.articles)
        for subject in articles:
            for limit in (1, 3, 5, 12):
                assert related(subject, index, limit) == related_by_scan(site, subject, limit), \
                    (trial, subject.slug, limit)
        assert all_related(site.articles, 5) == {
            a.url: related_by_scan(site, a, 5) for a in site.articles}


def tags_line(count: int) -> str:
    return "tags: [" + ", ".join(f"thẻ {i}" for i in range(count)) + "]"


def test_an_article_with_too_many_tags_is_refused_at_its_tags_line(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    assert site.build().returncode == 0
    before = tree_bytes(site.out)
    site.article("2024/nhieu-the.md",
                 f'title: "Nhiều thẻ"\ndate: 2024-01-02\n{tags_line(5000)}\nfeatured: true')
    for command in ("build", "check"):
        result = run_cli(command, str(site.root), timeout=60)
        assert result.returncode == 1, result.stderr
        assert (f"content/2024/nhieu-the.md:4: tags: 5000 tags; an article has at most "
                f"{MAX_TAGS}") in result.stderr
        assert "Traceback" not in result.stderr
    assert tree_bytes(site.out) == before


BUILD_CHILD = textwrap.dedent("""\
    import atexit, runpy, sys

    def report():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                sys.stderr.write("PEAK " + line.split()[1] + "\\n")

    atexit.register(report)
    sys.argv = ["phucdong_site", *sys.argv[1:]]
    runpy.run_module("phucdong_site", run_name="__main__")
""")


def build_peak_kb(root: Path) -> int:
    """Build ROOT in one process (--jobs 1), under the address-space bound; its peak memory."""
    child = f"import resource; resource.setrlimit(resource.RLIMIT_AS, " \
            f"({ADDRESS_SPACE}, {ADDRESS_SPACE}))\n" + BUILD_CHILD
    result = subprocess.run([sys.executable, "-c", child, "build", str(root), "--jobs", "1"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return int(result.stderr.rsplit("PEAK ", 1)[1].split()[0])


def test_articles_with_the_most_tags_allowed_build_in_bounded_memory(site):
    for n in range(40):
        site.article(f"2024/bai-{n}.md", f'title: "Tin {n}"\ndate: 2024-01-{1 + n % 28:02d} '
                     f'{n % 24:02d}:00\n{tags_line(3)}')
    few = build_peak_kb(site.root)
    for n in range(40):
        site.article(f"2024/bai-{n}.md", f'title: "Tin {n}"\ndate: 2024-01-{1 + n % 28:02d} '
                     f'{n % 24:02d}:00\n{tags_line(MAX_TAGS)}')
    many = build_peak_kb(site.root)
    # 40 × 50 tags: 50 tag pages more, and related articles in a few hundred kB.
    assert many < few + 60 * 1024, (few, many)
    assert (site.out / "tag" / "the-49" / "index.html").is_file()
