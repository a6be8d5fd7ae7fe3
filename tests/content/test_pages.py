"""Pages (content/trang/): published at their path, in the sitemap and search, not in the
news; each bad input reported at its line; expires: on articles and pages."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import pytest
from conftest import run_cli

ARTICLE = """\
title: "Hội nghị tổng kết"
date: 2024-12-20 08:00
"""


@pytest.fixture
def pages_site(site):
    site.article("2024/hoi-nghi.md", ARTICLE)
    site.article("trang/gioi-thieu.md", """\
        title: "Giới thiệu"
        updated: 2025-06-01
        summary: "Giới thiệu chung về phường"
        """, "Phường Phúc Đồng thuộc quận Long Biên.\n")
    site.article("trang/gioi-thieu/co-cau-to-chuc.md", 'title: "Cơ cấu tổ chức"',
                 "Văn phòng HĐND - UBND phường.\n")
    site.article("trang/lien-he/index.md", """\
        title: "Liên hệ"
        translation: /en/contact/
        """, "Địa chỉ trụ sở.\n")
    site.article("trang/en/contact.md", 'title: "Contact"', "Address of the ward.\n")
    return site


def built_text(site, relative: str) -> str:
    return (site.out / relative).read_text(encoding="utf-8")


def test_pages_are_published_at_their_path_with_their_date(pages_site):
    result = pages_site.build()
    assert result.returncode == 0, result.stderr
    intro = built_text(pages_site, "gioi-thieu/index.html")
    assert "<h1" in intro and "Giới thiệu" in intro
    assert 'Cập nhật <time datetime="2025-06-01T00:00:00+07:00">01/06/2025</time>' in intro
    assert 'href="/gioi-thieu/co-cau-to-chuc/"' in intro          # the page below it
    sub = built_text(pages_site, "gioi-thieu/co-cau-to-chuc/index.html")
    assert 'href="/gioi-thieu/">Giới thiệu</a>' in sub             # its breadcrumb above
    assert "Cập nhật" not in sub                                    # undated
    assert (pages_site.out / "lien-he/index.html").is_file()         # index.md: its folder


def test_english_pages_are_under_en_with_hreflang_both_ways(pages_site):
    assert pages_site.build().returncode == 0
    english = built_text(pages_site, "en/contact/index.html")
    vietnamese = built_text(pages_site, "lien-he/index.html")
    assert '<html lang="en">' in english and '<html lang="vi">' in vietnamese
    for text in (english, vietnamese):
        assert '<link rel="alternate" hreflang="en" href="https://phucdong.gov.vn/en/contact/">' in text
        assert '<link rel="alternate" hreflang="vi" href="https://phucdong.gov.vn/lien-he/">' in text


def test_pages_are_in_sitemap_and_search_but_not_in_news_or_feeds(pages_site):
    assert pages_site.build().returncode == 0
    sitemap = ET.parse(pages_site.out / "sitemap.xml").getroot()
    locations = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://phucdong.gov.vn/gioi-thieu/" in locations
    assert "https://phucdong.gov.vn/en/contact/" in locations
    fragments = [json.loads(path.read_text(encoding="utf-8"))
                 for path in (pages_site.out / "tim-kiem/chi-muc/f").glob("*.json")]
    by_url = {fragment["u"]: fragment for fragment in fragments}
    assert by_url["gioi-thieu/"]["k"] == "Trang" and by_url["gioi-thieu/"]["d"] == "01/06/2025"
    assert "k" not in by_url["2024/12/hoi-nghi-tong-ket/"]
    for listing in ("tin-tuc/index.html", "index.html"):
        main = built_text(pages_site, listing).split("<main")[1].split("</main>")[0]
        assert "hoi-nghi-tong-ket" in main and "gioi-thieu" not in main, listing
    for feed in ("rss.xml", "atom.xml"):
        assert "gioi-thieu" not in built_text(pages_site, feed), feed


def test_an_article_links_a_page_by_its_file(pages_site):
    pages_site.article("2024/lien-ket.md", """\
        title: "Liên kết"
        date: 2024-12-21 08:00
        """, "Xem [giới thiệu](../trang/gioi-thieu.md).\n")
    assert pages_site.build().returncode == 0
    assert 'href="/gioi-thieu/"' in built_text(pages_site, "2024/12/lien-ket/index.html")
    assert pages_site.check().returncode == 0


@pytest.mark.parametrize("files, expected", [
    ({"trang/khong-ten.md": 'summary: "x"'},
     ["content/trang/khong-ten.md:1: title: missing; every page needs one"]),
    ({"trang/a.md": 'title: "A"', "trang/a/index.md": 'title: "A hai"'},
     ["content/trang/a.md: file: /a/ is also the URL of content/trang/a/index.md",
      "content/trang/a/index.md: file: /a/ is also the URL of content/trang/a.md"]),
    ({"trang/2024/12/hoi-nghi-tong-ket.md": 'title: "Trùng"'},
     ["content/2024/hoi-nghi.md:2: slug: /2024/12/hoi-nghi-tong-ket/ is also the URL of "
      "content/trang/2024/12/hoi-nghi-tong-ket.md",
      "content/trang/2024/12/hoi-nghi-tong-ket.md: file: /2024/12/hoi-nghi-tong-ket/ is also "
      "the URL of content/2024/hoi-nghi.md"]),
    ({"trang/tin-tuc.md": 'title: "Tin"'},
     ["content/trang/tin-tuc.md: file: /tin-tuc/ is also the address of the page the site "
      "makes there"]),
    ({"trang/Gioi Thieu.md": 'title: "Giới thiệu"'},
     ["content/trang/Gioi Thieu.md: file: \"Gioi Thieu\" cannot be part of an address"]),
    ({"trang/a.md": 'title: "A"\nlang: fr'},
     ['content/trang/a.md:3: lang: "fr" is not a language of the site']),
    ({"trang/a.md": 'title: "A"\ntranslation: /en/khong-co/'},
     ["content/trang/a.md:3: translation: /en/khong-co/ is not the address of a page"]),
    ({"trang/a.md": 'title: "A"\nmenu: [1, 2]'},
     ["content/trang/a.md:3: menu: expected true, the menu entry to go under"]),
    ({"trang/a.md": 'title: "A"\nupdated: 2025-02-30'},
     ['content/trang/a.md:3: updated: "2025-02-30" is not a real date']),
    ({"2024/het-han.md": 'title: "Hết hạn"\ndate: 2024-05-01 08:00\nexpires: 2024-04-01'},
     ["content/2024/het-han.md:4: expires: 01/04/2024 00:00 is not after the article's date, "
      "01/05/2024 08:00"]),
])
def test_each_bad_page_is_reported_at_its_line(pages_site, files, expected):
    for relative, front_matter in files.items():
        pages_site.article(relative, front_matter)
    for command in (pages_site.build, pages_site.check):
        result = command()
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        for line in expected:
            assert line in result.stderr, result.stderr


NOT_YET = {"SOURCE_DATE_EPOCH": "1733500000"}      # 06/12/2024 22:46 in Hà Nội
EXPIRED = {"SOURCE_DATE_EPOCH": "1734000000"}      # 12/12/2024 17:40
EXPIRING = """\
title: "Thông báo lịch cắt điện"
date: 2024-12-01 08:00
expires: 2024-12-10 17:00
tags: [điện]
"""


def test_an_expired_article_keeps_its_page_marked_and_leaves_every_list(site, tmp_path):
    site.article("2024/hoi-nghi.md", ARTICLE)
    site.article("2024/cat-dien.md", EXPIRING)
    site.article("trang/lich-cu.md", 'title: "Lịch tiếp dân cũ"\nexpires: 2024-12-10')
    before = run_cli("build", str(site.root), env={**os.environ, **NOT_YET})
    assert before.returncode == 0, before.stderr
    assert "cat-dien" in built_text(site, "tin-tuc/index.html")
    assert "cat-dien" in built_text(site, "sitemap.xml")

    after = run_cli("build", str(site.root), env={**os.environ, **EXPIRED})
    assert after.returncode == 0, after.stderr
    assert "2 expired" in after.stdout and "content/2024/cat-dien.md" in after.stdout
    page = built_text(site, "2024/12/thong-bao-lich-cat-dien/index.html")
    assert "Đã hết hạn" in page and '<meta name="robots" content="noindex">' in page
    old_page = built_text(site, "lich-cu/index.html")
    assert "Đã hết hạn" in old_page
    for listing in ("tin-tuc/index.html", "index.html", "rss.xml", "atom.xml", "sitemap.xml",
                    "tag/dien/index.html" if (site.out / "tag/dien/index.html").exists()
                    else "tag/index.html"):
        text = built_text(site, listing)
        assert "thong-bao-lich-cat-dien" not in text and "lich-cu" not in text, listing
    fragments = " ".join(path.read_text(encoding="utf-8")
                         for path in (site.out / "tim-kiem/chi-muc/f").glob("*.json"))
    assert "cat-dien" not in fragments and "lich-cu" not in fragments


def test_an_unchanged_build_notices_that_an_article_expired(site):
    site.article("2024/cat-dien.md", EXPIRING)
    env = {**os.environ, **NOT_YET}
    assert run_cli("build", str(site.root), env=env).returncode == 0
    assert run_cli("build", str(site.root), env=env).returncode == 0   # unchanged
    assert "cat-dien" in built_text(site, "tin-tuc/index.html")
    later = run_cli("build", str(site.root), env={**os.environ, **EXPIRED})
    assert later.returncode == 0 and "1 expired" in later.stdout
    assert "cat-dien" not in built_text(site, "tin-tuc/index.html")


def test_menu_logo_and_address_problems_come_in_one_run(site):
    """Problems found while planning (the menu, the logo, two things on one address) are
    reported together, not one stage per run."""
    (site.root / "anh").mkdir()
    (site.root / "anh" / "logo.png").write_text("not an image", encoding="utf-8")
    with (site.root / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[[menu]]\ntitle = "Thiếu"\npage = "/khong-co/"\n')
    text = (site.root / "site.toml").read_text(encoding="utf-8")
    (site.root / "site.toml").write_text('logo = "anh/logo.png"\n' + text, encoding="utf-8")
    site.article("2024/hoi-nghi.md", ARTICLE + "aliases: [/tin-tuc/]\n")
    site.article("trang/a.md", 'title: "A"\nmenu: "Không có"')
    result = site.check()
    assert result.returncode == 1
    for line in ("content/2024/hoi-nghi.md:4: aliases[0]: /tin-tuc/ is the address of",
                 'content/trang/a.md:3: menu: no entry of the menu is called "Không có"',
                 "site.toml:1: logo: anh/logo.png is not an image",
                 "site.toml:", "menu.page: /khong-co/ is not a page of the site", "4 problems"):
        assert line in result.stderr, result.stderr
