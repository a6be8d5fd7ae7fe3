"""Views on built pages: views: 0 (every new article's default) means "not counted yet", so
such an article shows no "Lượt xem" figure and is not ranked in "Tin đọc nhiều"."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import SITE_TOML, ScratchSite

BASE = "https://phucdong.gov.vn/"
COUNTED = {"2024/05/hop-to-dan-pho/": 50, "2024/03/ve-sinh-moi-truong/": 5}
NOT_COUNTED = ("2024/06/le-hoi-mua-he/", "2024/04/tiep-cong-dan/")


def _site(root: Path, with_views: bool) -> ScratchSite:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    site = ScratchSite(root)
    # The newest article has views: 0, so a ranking by date would put it first.
    site.article("2024/le-hoi.md", """
        title: "Lễ hội mùa hè"
        date: 2024-06-01 08:00
        views: 0
    """)
    site.article("2024/to-dan-pho.md", f"""
        title: "Họp tổ dân phố"
        date: 2024-05-01 08:00
        views: {50 if with_views else 0}
    """)
    site.article("2024/tiep-dan.md", """
        title: "Tiếp công dân"
        date: 2024-04-01 08:00
    """)                                      # no views key: the default, 0
    site.article("2024/ve-sinh.md", f"""
        title: "Vệ sinh môi trường"
        date: 2024-03-01 08:00
        views: {5 if with_views else 0}
    """)
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def counted(tmp_path_factory) -> ScratchSite:
    return _site(tmp_path_factory.mktemp("views") / "site", with_views=True)


@pytest.fixture(scope="module")
def uncounted(tmp_path_factory) -> ScratchSite:
    return _site(tmp_path_factory.mktemp("no-views") / "site", with_views=False)


def soup(site: ScratchSite, url: str) -> BeautifulSoup:
    return BeautifulSoup((site.out / url / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_an_article_with_views_shows_them_on_its_date_line(counted):
    for url, views in COUNTED.items():
        page = soup(counted, url)
        assert re.fullmatch(rf"Ngày đăng \d\d/\d\d/2024 \| 08:00 \| Lượt xem: {views}",
                            squash(page.select_one(".article .meta").get_text()))


def test_an_article_without_counted_views_shows_no_figure(counted):
    for url in NOT_COUNTED:
        page = soup(counted, url)
        assert re.fullmatch(r"Ngày đăng \d\d/\d\d/2024 \| 08:00",
                            squash(page.select_one(".article .meta").get_text()))
        assert not page.select(".views")
        assert "Lượt xem" not in page.get_text() and "lượt xem" not in page.get_text()


def test_only_articles_with_views_rank_among_the_most_read(counted):
    home = soup(counted, "")
    ranked = home.select(".most-viewed .ranked-list li")
    assert [li.a["href"] for li in ranked] == [f"/{url}" for url in COUNTED]
    assert [squash(li.select_one(".meta").get_text()) for li in ranked] == \
        ["50 lượt xem", "5 lượt xem"]
    assert "/doc-nhieu/" in [a["href"] for a in home.select(".more a")]
    listing = soup(counted, "doc-nhieu/")
    assert [a["href"] for a in listing.select(".card-title a")] == [f"/{url}" for url in COUNTED]
    # The other listings still hold every article (per_page is 3).
    news = [a for url in ("tin-tuc/", "tin-tuc/page/2/")
            for a in soup(counted, url).select(".card-title a")]
    assert len(news) == 4


def test_without_counted_views_the_home_leaves_the_block_out_and_the_listing_says_so(uncounted):
    home = soup(uncounted, "")
    assert not home.select(".most-viewed") and "Tin đọc nhiều" not in home.get_text()
    assert len(home.select(".latest .card-title a")) == 3          # per_page
    for page in uncounted.out.rglob("*.html"):
        assert "Lượt xem" not in page.read_text(encoding="utf-8"), page
    listing = soup(uncounted, "doc-nhieu/")
    assert not listing.select(".card-title")
    note = squash(listing.select_one("p.empty").get_text())
    assert note == ("Chưa có số liệu lượt xem nên chưa có bảng tin đọc nhiều. "
                    "Mời bạn xem tin mới nhất.")
    assert listing.select_one("p.empty a")["href"] == "/tin-tuc/"
    # an empty listing is no page for search engines: not in the sitemap
    sitemap = (uncounted.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/doc-nhieu/" not in sitemap and "/tin-tuc/" in sitemap


@pytest.mark.parametrize("which", ["counted", "uncounted"])
def test_no_page_links_to_a_page_that_was_not_built(which, request):
    site: ScratchSite = request.getfixturevalue(which)
    linked_to_most_read = False
    for page in site.out.rglob("*.html"):
        url = urljoin(BASE, page.relative_to(site.out).as_posix())
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href]"):
            target = urlsplit(urljoin(url, a["href"]))
            if f"{target.scheme}://{target.netloc}/" != BASE:
                continue
            path = target.path.removeprefix("/")
            file = site.out / (f"{path}index.html" if path.endswith("/") or not path else path)
            assert file.is_file(), f"{page}: {a['href']}"
            linked_to_most_read |= path == "doc-nhieu/"
    # With nothing ranked, no page sends a visitor to the empty ranking.
    assert linked_to_most_read == (which == "counted")
