"""What a build publishes, and when: drafts, future dates, --drafts previews, tag spellings."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from datetime import datetime, timezone

import feedparser
from bs4 import BeautifulSoup

from conftest import run_cli, tree_bytes


def epoch(*moment: int) -> str:
    """SOURCE_DATE_EPOCH for a moment in Hà Nội time (UTC+7)."""
    return str(int(datetime(*moment, tzinfo=timezone.utc).timestamp()) - 7 * 3600)


def build(site, *args: str, now: str):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": now}
    return subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site.root), *args],
                          env=env, capture_output=True, text=True, timeout=120)


def write_three(site):
    site.article("2024/da-dang.md", """
        title: "Bài đã đăng"
        date: 2024-05-01 08:00
    """)
    site.article("2024/nhap.md", """
        title: "Bài nháp"
        date: 2024-05-02 08:00
        draft: true
    """)
    site.article("2024/hen-gio.md", """
        title: "Bài hẹn giờ"
        date: 2024-06-01 09:30
        tags: [lịch hẹn]
    """)


def test_future_articles_wait_for_their_date_then_appear(site):
    write_three(site)
    before = build(site, now=epoch(2024, 6, 1, 9, 29))
    assert before.returncode == 0, before.stderr
    files = tree_bytes(site.out)
    assert "2024/06/bai-hen-gio/index.html" not in files
    assert "tag/lich-hen/index.html" not in files
    assert b"B\xc3\xa0i h\xe1\xba\xb9n gi\xe1\xbb\x9d" not in b"".join(files.values())
    assert "2024/05/bai-nhap/index.html" not in files

    after = build(site, now=epoch(2024, 6, 1, 9, 30))
    assert after.returncode == 0, after.stderr
    files = tree_bytes(site.out)
    assert "2024/06/bai-hen-gio/index.html" in files
    assert "Bài hẹn giờ" in files["rss.xml"].decode()
    assert b"https://phucdong.gov.vn/2024/06/bai-hen-gio/" in files["sitemap.xml"]


def test_output_depends_on_the_build_time_only_through_which_articles_are_public(site):
    write_three(site)
    build(site, now=epoch(2024, 5, 10))
    first = tree_bytes(site.out)
    build(site, now=epoch(2024, 5, 20))
    assert tree_bytes(site.out) == first


def test_drafts_option_shows_drafts_and_future_articles_marked_and_unindexed(site):
    write_three(site)
    result = build(site, "--drafts", now=epoch(2024, 5, 10))
    assert result.returncode == 0, result.stderr
    draft = BeautifulSoup((site.out / "2024/05/bai-nhap/index.html").read_text(), "html.parser")
    future = BeautifulSoup((site.out / "2024/06/bai-hen-gio/index.html").read_text(), "html.parser")
    assert "Bản nháp" in draft.select_one(".draft-notice").get_text()
    assert "Hẹn đăng" in future.select_one(".draft-notice").get_text()
    for page in (draft, future):
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    listing = BeautifulSoup((site.out / "tin-tuc/index.html").read_text(), "html.parser")
    marks = {a.get_text(): a.find_parent("h2").select_one(".draft").get_text()
             for a in listing.select(".card-title a") if a.find_parent("h2").select_one(".draft")}
    assert marks == {"Bài nháp": "(bản nháp)", "Bài hẹn giờ": "(hẹn đăng)"}
    assert "Disallow: /" in (site.out / "robots.txt").read_text()


def test_tags_spelled_two_ways_are_one_tag_and_the_editor_is_warned(site):
    for number, spelling in enumerate(["Xây dựng Đảng", "Xây dựng Đảng", "xây dựng đảng"]):
        site.article(f"2024/bai-{number}.md", f"""
            title: "Bài số {number}"
            date: 2024-05-0{number + 1} 08:00
            tags: [{spelling}]
        """)
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        'content/2024/bai-2.md: warning: tags: "xây dựng đảng" and "Xây dựng Đảng" (used by 2 '
        'articles) are one tag, /tag/xay-dung-dang/, shown as "Xây dựng Đảng"')
    page = BeautifulSoup((site.out / "tag/xay-dung-dang/index.html").read_text(), "html.parser")
    assert page.h1.get_text() == "Từ khóa: Xây dựng Đảng"
    assert len(page.select(".card-title a")) == 3
    tags = [p for p in (site.out / "tag").iterdir() if p.is_dir()]
    assert [p.name for p in tags] == ["xay-dung-dang"]
    check = run_cli("check", str(site.root))
    assert check.returncode == 0 and "warning: tags:" in check.stderr


def test_an_empty_site_still_builds_every_index_page(site):
    result = site.build()
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "tin-tuc/index.html", "noi-bat/index.html", "doc-nhieu/index.html",
                 "chuyen-muc/index.html", "tag/index.html", "luu-tru/index.html",
                 "chuyen-muc/van-hoa/index.html", "rss.xml", "atom.xml", "sitemap.xml"):
        assert (site.out / page).is_file(), page


def test_feed_readers_show_markup_characters_in_titles_and_summaries_as_text(site):
    title = 'Tổ 5 & tổ 6: "Ngày hội" <đoàn kết>'
    # A reader's sanitiser would drop the <script> part if it were taken as markup.
    summary = "Hai tổ cùng tổ chức; 3 < 5 & <script>đây là chữ</script>, không phải mã."
    site.article("2024/a.md", f"""
        title: '{title}'
        date: 2024-05-01 08:00
        summary: '{summary}'
    """)
    assert site.build().returncode == 0
    rss = feedparser.parse((site.out / "rss.xml").read_bytes())
    atom = feedparser.parse((site.out / "atom.xml").read_bytes())
    assert not rss.bozo and not atom.bozo
    assert rss.entries[0].title == atom.entries[0].title == title
    assert html.unescape(rss.entries[0].summary) == summary    # HTML, entity-escaped
    assert atom.entries[0].summary == summary                  # Atom type="text"
