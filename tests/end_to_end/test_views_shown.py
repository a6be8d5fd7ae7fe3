"""The counted views of data/luot-xem.csv on the built pages: added to the front matter's
views and dated; "Tin đọc nhiều" by the last [views] popular_days days; a bad file stops
the build (and is told by check) at its line; editing it alone rebuilds as a clean build."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ScratchSite, run_cli, tree_bytes

HEADER = "date,path,views\n"
UNCHANGED = "nothing changed"


def counts(site: ScratchSite, rows: str, popular_days: int = 0) -> None:
    """Write data/luot-xem.csv (its header, then ROWS) and [views] popular_days."""
    (site.root / "data").mkdir(exist_ok=True)
    (site.root / "data" / "luot-xem.csv").write_text(
        "# Lượt xem đếm từ nhật ký máy chủ web.\n" + HEADER + rows, encoding="utf-8")
    toml = site.root / "site.toml"
    text = re.sub(r"\n\[views\]\n.*", "", toml.read_text(encoding="utf-8"), flags=re.S)
    toml.write_text(text + f"\n[views]\npopular_days = {popular_days}\n", encoding="utf-8")


def soup(site: ScratchSite, url: str = "") -> BeautifulSoup:
    return BeautifulSoup((site.out / url / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def ranking(site: ScratchSite) -> list[str]:
    return [squash(item.get_text()) for item in soup(site).select(".most-viewed li")]


def built(site: ScratchSite) -> None:
    result = site.build()
    assert result.returncode == 0, result.stderr


def test_counted_views_are_added_to_the_old_portals_and_dated(site):
    site.article("2021/ban-thuong-vu.md", """
        title: "Ban Thường vụ làm việc với phường"
        date: 2021-01-07 18:11
        views: 188
        slug: ban-thuong-vu
        aliases: [tin-tuc/ban-thuong-vu.html]
    """)
    site.article("2021/hop-dan.md", 'title: "Họp dân"\ndate: 2021-02-01 08:00\nviews: 7')
    site.article("2021/moi.md", 'title: "Bài mới"\ndate: 2021-03-01 08:00')
    counts(site, "2026-11-30,/2021/01/ban-thuong-vu/,5\n"
                 "2026-11-30,/tin-tuc/ban-thuong-vu.html,3\n"     # its old address
                 "2026-12-01,/2021/01/ban-thuong-vu/,4\n"
                 "2026-12-01,/gioi-thieu/,9\n")                   # a page: not shown
    built(site)
    line = squash(soup(site, "2021/01/ban-thuong-vu").select_one(".article .meta").get_text())
    assert line == "Ngày đăng 07/01/2021 | 18:11 | Lượt xem: 200 (tính đến 01/12/2026)"
    page = soup(site, "2021/01/ban-thuong-vu")
    assert page.select_one(".views-as-of time")["datetime"] == "2026-12-01"
    # Not read since the counting began: the old portal's figure, as of the same day.
    assert squash(soup(site, "2021/02/hop-dan").select_one(".article .meta").get_text()) \
        == "Ngày đăng 01/02/2021 | 08:00 | Lượt xem: 7 (tính đến 01/12/2026)"
    # views 0 and nothing counted: no figure, no date.
    page = soup(site, "2021/03/bai-moi")
    assert not page.select(".view-count") and not page.select(".views-as-of")
    # Without popular_days, "Tin đọc nhiều" ranks every view, as before.
    assert ranking(site) == ["Ban Thường vụ làm việc với phường 200 lượt xem",
                             "Họp dân 7 lượt xem"]
    assert not soup(site, "doc-nhieu").select(".listing-note")


def test_popular_days_put_what_is_read_now_above_old_favourites(site):
    site.article("2021/cu.md", 'title: "Bài cũ đọc nhiều"\ndate: 2021-01-07 08:00\nviews: 5000')
    site.article("2022/dang-doc.md", 'title: "Bài đang được đọc"\ndate: 2022-01-07 08:00\n'
                 "views: 10")
    site.article("2023/ngang.md", 'title: "Bài ngang"\ndate: 2023-01-07 08:00')
    site.article("2024/ngang-moi.md", 'title: "Bài ngang mới hơn"\ndate: 2024-01-07 08:00')
    site.article("2024/khong-doc.md", 'title: "Không ai đọc"\ndate: 2024-02-07 08:00\n'
                 "views: 3")
    counts(site, "2026-10-01,/2021/01/bai-cu-doc-nhieu/,900\n"     # long before the 30 days
                 "2026-11-02,/2021/01/bai-cu-doc-nhieu/,1\n"       # the first of them
                 "2026-11-20,/2022/01/bai-dang-duoc-doc/,15\n"
                 "2026-11-30,/2023/01/bai-ngang/,6\n"
                 "2026-11-30,/2024/01/bai-ngang-moi-hon/,6\n"
                 "2026-12-01,/2022/01/bai-dang-duoc-doc/,25\n", popular_days=30)
    built(site)
    assert ranking(site) == ["Bài đang được đọc 40 lượt xem trong 30 ngày",
                             "Bài ngang mới hơn 6 lượt xem trong 30 ngày",   # tie: newest
                             "Bài ngang 6 lượt xem trong 30 ngày",
                             "Bài cũ đọc nhiều 1 lượt xem trong 30 ngày"]
    listing = soup(site, "doc-nhieu")
    assert [squash(a.get_text()) for a in listing.select(".card-title a")] == [
        "Bài đang được đọc", "Bài ngang mới hơn", "Bài ngang"]         # per_page = 3
    assert squash(listing.select_one(".listing-note").get_text()) \
        == "Xếp theo lượt xem trong 30 ngày, tính đến 01/12/2026."
    # The article line keeps every view: the old portal's and all those counted.
    assert "Lượt xem: 5901 " in squash(
        soup(site, "2021/01/bai-cu-doc-nhieu").select_one(".article .meta").get_text())
    # Equal in the window, the one with more views in all comes first.
    counts(site, "2026-12-01,/2021/01/bai-cu-doc-nhieu/,6\n"
                 "2026-12-01,/2023/01/bai-ngang/,6\n", popular_days=30)
    built(site)
    assert ranking(site) == ["Bài cũ đọc nhiều 6 lượt xem trong 30 ngày",
                             "Bài ngang 6 lượt xem trong 30 ngày"]
    # Nothing read in the window: the ranking is empty, and says why.
    counts(site, "2026-10-01,/2023/01/bai-ngang/,6\n2026-12-01,/gioi-thieu/,1\n",
           popular_days=30)
    built(site)
    assert ranking(site) == []
    assert squash(soup(site, "doc-nhieu").select_one(".empty").get_text()).startswith(
        "Chưa có bài nào được đọc trong 30 ngày qua.")


def test_popular_days_without_counts_rank_as_before(site):
    site.article("2021/cu.md", 'title: "Bài cũ"\ndate: 2021-01-07 08:00\nviews: 50')
    counts(site, "", popular_days=30)
    built(site)
    assert ranking(site) == ["Bài cũ 50 lượt xem"]
    assert "tính đến" not in (site.out / "2021/01/bai-cu/index.html").read_text(encoding="utf-8")


BAD_ROWS = ("2026-12-01,/2021/01/bai-cu/,5\n"     # line 3: good
            "2026-12-01,/2021/01/bai-cu/,mười\n"  # line 4
            "2026-12-01,/2021/01/bai-cu/,2\n")    # line 5: counted twice


def test_a_bad_data_file_stops_the_build_with_every_problem_and_keeps_the_output(site):
    site.article("2021/cu.md", 'title: "Bài cũ"\ndate: 2021-01-07 08:00\nviews: 50')
    built(site)
    before = tree_bytes(site.out)
    counts(site, BAD_ROWS)
    site.article("2021/hong.md", 'title: "Hỏng"\ndate: 2021-02-31 08:00')
    result = site.build()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert 'content/2021/hong.md:3: date: "2021-02-31 08:00" is not a real date ' \
           "(expected YYYY-MM-DD HH:MM)" in lines           # the content's problems too
    assert 'data/luot-xem.csv:4: views: "mười" is not a whole number of views' in lines
    assert "data/luot-xem.csv:5: /2021/01/bai-cu/ on 2026-12-01 is counted twice, here and " \
           "on line 3: keep one row (their sum, if both counts are right)" in lines
    assert lines[-1] == "3 problems found"
    assert tree_bytes(site.out) == before


def test_check_reports_a_bad_data_file(site, invoke):
    site.article("2021/cu.md", 'title: "Bài cũ"\ndate: 2021-01-07 08:00\nviews: 50')
    (site.root / "data").mkdir()
    (site.root / "data" / "luot-xem.csv").write_text(
        "2026-12-01,/2021/01/bai-cu/,5\n", encoding="utf-8")
    result = invoke("check", str(site.root))
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "data/luot-xem.csv:1: expected the header line date,path,views before the counts",
        "1 problem found"]
    counts(site, "2026-12-01,/2021/01/bai-cu/,5\n")
    assert invoke("check", str(site.root)).code == 0


def settle() -> None:
    time.sleep(0.2)              # stamps of files just written are not trusted (freshness)


def clean_build(site: ScratchSite, where: Path) -> dict[str, bytes]:
    shutil.copytree(site.root, where, ignore=shutil.ignore_patterns(".cache", "build",
                                                                    ".build.*"))
    result = run_cli("build", str(where), "-q")
    assert result.returncode == 0, result.stderr
    return tree_bytes(where / "build")


def test_editing_only_the_data_file_rebuilds_as_a_clean_build(site, tmp_path):
    site.article("2021/cu.md", 'title: "Bài cũ"\ndate: 2021-01-07 08:00\nviews: 50\n'
                 "tags: [dân vận]")
    site.article("2022/moi.md", 'title: "Bài mới"\ndate: 2022-01-07 08:00\ntags: [dân vận]')
    site.article("2023/khac.md", 'title: "Bài khác"\ndate: 2023-01-07 08:00')
    counts(site, "2026-12-01,/2021/01/bai-cu/,5\n", popular_days=7)
    settle()
    built(site)
    assert UNCHANGED in site.build().stdout
    for number, rows in enumerate((
            "2026-12-01,/2021/01/bai-cu/,6\n",                      # a count, same day
            "2026-12-01,/2021/01/bai-cu/,6\n2026-12-02,/2022/01/bai-moi/,4\n",   # a new day
            "")):                                                   # none left
        (site.root / "data" / "luot-xem.csv").write_text(HEADER + rows, encoding="utf-8")
        settle()
        result = site.build()
        assert result.returncode == 0, result.stderr
        assert UNCHANGED not in result.stdout, rows
        assert tree_bytes(site.out) == clean_build(site, tmp_path / f"clean-{number}"), rows
        assert UNCHANGED in site.build().stdout
    (site.root / "data" / "luot-xem.csv").unlink()                  # the file deleted
    settle()
    assert UNCHANGED not in site.build().stdout
    assert tree_bytes(site.out) == clean_build(site, tmp_path / "clean-gone")
