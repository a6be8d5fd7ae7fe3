"""data/luot-xem.csv, the counted views, as the build reads it: a real file per case; each
problem at its line, every problem of the file in one ErrorList."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from phucdong_site.content.view_counts import (
    MAX_LINE,
    PREAMBLE,
    counted_views,
    merge_counts,
    read_view_counts,
    write_view_counts,
)
from phucdong_site.errors import ErrorList
from phucdong_site.models import Article, LogSpan, ViewCounts

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SHA = "ab" * 32
SPAN = f"# log,2026-12-01T00:00:05+07:00,2026-12-01T23:59:58+07:00,1200,{SHA}"


def write(site: Path, text: str | bytes) -> None:
    folder = site / "data"
    folder.mkdir(parents=True, exist_ok=True)
    data = text.encode() if isinstance(text, str) else text
    (folder / "luot-xem.csv").write_bytes(data)


def problems(site: Path) -> list[str]:
    with pytest.raises(ErrorList) as raised:
        read_view_counts(site, HANOI)
    return [str(error) for error in raised.value.errors]


def test_a_file_as_views_writes_it_is_read_back(tmp_path):
    text = "\n".join([*PREAMBLE, SPAN, "date,path,views", "2026-11-30,/2021/01/bai-a/,3",
                      "2026-12-01,/2021/01/bai-a/,12", "2026-12-01,/gioi-thieu/,2"]) + "\n"
    write(tmp_path, text)
    counts = read_view_counts(tmp_path, HANOI)
    assert counts.daily == ((date(2026, 11, 30), "/2021/01/bai-a/", 3),
                            (date(2026, 12, 1), "/2021/01/bai-a/", 12),
                            (date(2026, 12, 1), "/gioi-thieu/", 2))
    assert counts.spans == (LogSpan(datetime(2026, 12, 1, 0, 0, 5, tzinfo=HANOI),
                                    datetime(2026, 12, 1, 23, 59, 58, tzinfo=HANOI), 1200, SHA),)
    assert counts.as_of == date(2026, 12, 1)
    write_view_counts(tmp_path, counts)         # and written again, the same
    assert (tmp_path / "data" / "luot-xem.csv").read_text(encoding="utf-8") == text


def test_rows_edited_by_hand_are_read_in_any_order_with_spaces(tmp_path):
    write(tmp_path, "date, path, views\r\n\r\n 2026-12-02 , /b/ , 4 \r\n2026-12-01,/a/,0\r\n")
    counts = read_view_counts(tmp_path, HANOI)
    assert counts.daily == ((date(2026, 12, 1), "/a/", 0), (date(2026, 12, 2), "/b/", 4))
    assert counts.as_of == date(2026, 12, 2)     # without '# log' lines: the last day counted


def test_no_file_and_an_empty_file_count_nothing(tmp_path):
    assert read_view_counts(tmp_path, HANOI) == ViewCounts()
    write(tmp_path, "")
    assert read_view_counts(tmp_path, HANOI) == ViewCounts()
    write(tmp_path, "\n".join(PREAMBLE) + "\ndate,path,views\n")
    counts = read_view_counts(tmp_path, HANOI)
    assert counts == ViewCounts() and counts.as_of is None


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path):
    """Excel's "CSV UTF-8" starts the file with one."""
    write(tmp_path, "\ufeffdate,path,views\n2026-12-01,/a/,5\n")
    assert read_view_counts(tmp_path, HANOI).daily == ((date(2026, 12, 1), "/a/", 5),)


def test_text_that_is_not_utf8_is_told_at_its_line(tmp_path):
    """Saved by a spreadsheet in the Windows code page."""
    write(tmp_path, "date,path,views\n2026-12-01,/a/,5\n".encode()
          + "# Lượt xem\n".encode("cp1258", errors="replace"))
    assert problems(tmp_path) == [
        "data/luot-xem.csv:3: not UTF-8 text: save the file as UTF-8 (CSV UTF-8)"]


def test_each_bad_row_is_told_at_its_line_all_in_one_run(tmp_path):
    write(tmp_path, "\n".join([
        "date,path,views",
        "2026-12-01,/a/,5",                  # 2: good
        "2026-12-01,/b/",                    # 3: two values
        "2026-12-01,/c/,5,6",                # 4: four
        "2026-02-30,/d/,5",                  # 5: no such day
        "01/12/2026,/e/,5",                  # 6: not ISO
        "2026-12-01,2021/01/f/,5",           # 7: no leading slash
        "2026-12-01,/g h/,5",                # 8: a space in the path
        "2026-12-01,/i/,-5",                 # 9: negative
        "2026-12-01,/j/,1.5",                # 10: not whole
        "2026-12-01,/k/,mười",               # 11: words
        "2026-12-01,/l/,99999999999999",     # 12: beyond any real count
        "x,y,z",                             # 13: three problems on one line
        "2026-12-01,/m/," + "1" * MAX_LINE,  # 14: a line far too long
    ]) + "\n")
    assert problems(tmp_path) == [
        "data/luot-xem.csv:3: expected three values, date,path,views, "
        "e.g. 2026-12-01,/2021/01/bai-viet/,12",
        "data/luot-xem.csv:4: expected three values, date,path,views, "
        "e.g. 2026-12-01,/2021/01/bai-viet/,12",
        'data/luot-xem.csv:5: date: "2026-02-30" is not a date written YYYY-MM-DD',
        'data/luot-xem.csv:6: date: "01/12/2026" is not a date written YYYY-MM-DD',
        'data/luot-xem.csv:7: path: "2021/01/f/" is not a page\'s address under the site, '
        "e.g. /2021/01/bai-viet/",
        'data/luot-xem.csv:8: path: "/g h/" is not a page\'s address under the site, '
        "e.g. /2021/01/bai-viet/",
        'data/luot-xem.csv:9: views: "-5" is not a whole number of views',
        'data/luot-xem.csv:10: views: "1.5" is not a whole number of views',
        'data/luot-xem.csv:11: views: "mười" is not a whole number of views',
        'data/luot-xem.csv:12: views: "99999999999999" is not a whole number of views',
        'data/luot-xem.csv:13: date: "x" is not a date written YYYY-MM-DD',
        'data/luot-xem.csv:13: path: "y" is not a page\'s address under the site, '
        "e.g. /2021/01/bai-viet/",
        'data/luot-xem.csv:13: views: "z" is not a whole number of views',
        f"data/luot-xem.csv:14: line of {MAX_LINE + 15} characters; a line of this file is "
        f"at most {MAX_LINE}",
    ]


def test_a_page_counted_twice_on_one_day_names_both_lines(tmp_path):
    write(tmp_path, "date,path,views\n2026-12-01,/a/,5\n2026-12-01,/b/,1\n"
                    "2026-12-01,/a/,7\n2026-12-02,/a/,7\n")
    assert problems(tmp_path) == [
        'data/luot-xem.csv:4: /a/ on 2026-12-01 is counted twice, here and on line 2: keep '
        "one row (their sum, if both counts are right)"]


@pytest.mark.parametrize("line", [
    "# log,2026-12-01T00:00:05+07:00,2026-12-01T23:59:58+07:00,1200",          # no hash
    f"# log,2026-12-01T00:00:05,2026-12-01T23:59:58,1200,{SHA}",              # no offset
    f"# log,2026-12-01T00:00:05+07:00,hôm qua,1200,{SHA}",                     # not a time
    f"# log,2026-12-01T00:00:05+07:00,2026-12-01T23:59:58+07:00,nhiều,{SHA}",  # not a number
    "# log,2026-12-01T00:00:05+07:00,2026-12-01T23:59:58+07:00,1200,"
    + "AB" * 32,                                                               # capitals
    "# log, đoạn nhật ký tháng 12",                                            # an editor's note
])
def test_a_log_line_views_did_not_write_is_told(tmp_path, line):
    write(tmp_path, f"{PREAMBLE[0]}\n{SPAN}\n{line}\ndate,path,views\n2026-12-01,/a/,5\n")
    assert problems(tmp_path) == [
        "data/luot-xem.csv:3: a '# log' line that views did not write: delete the line, or "
        "put back the one views wrote"]


def test_other_comments_are_an_editors_own(tmp_path):
    write(tmp_path, "# ghi chú của biên tập viên\ndate,path,views\n# tháng 12\n2026-12-01,/a/,5\n")
    assert read_view_counts(tmp_path, HANOI).daily == ((date(2026, 12, 1), "/a/", 5),)


def test_counts_before_the_header_are_told_once(tmp_path):
    write(tmp_path, "2026-12-01,/a/,5\n2026-12-02,/a/,6\n")
    assert problems(tmp_path) == [
        "data/luot-xem.csv:1: expected the header line date,path,views before the counts"]


def test_a_file_that_cannot_be_read_is_told(tmp_path):
    (tmp_path / "data" / "luot-xem.csv").mkdir(parents=True)      # a folder in its place
    assert len(problems(tmp_path)) == 1
    assert problems(tmp_path)[0].startswith("data/luot-xem.csv: cannot be read: ")


def test_span_times_are_read_in_the_sites_time_zone(tmp_path):
    """A log in UTC and its count: the day of the last line is the site's day."""
    write(tmp_path, f"# log,2026-11-30T10:00:00+00:00,2026-11-30T18:30:00+00:00,10,{SHA}\n"
                    "date,path,views\n2026-12-01,/a/,1\n")
    counts = read_view_counts(tmp_path, HANOI)
    assert counts.spans[0].last == datetime(2026, 12, 1, 1, 30, tzinfo=HANOI)
    assert counts.as_of == date(2026, 12, 1)


def article(slug: str, views: int = 0, aliases: tuple[str, ...] = ()) -> Article:
    return Article(source=Path(f"content/{slug}.md"), title=slug, slug=slug, category="tin",
                   published=datetime(2021, 1, 7, 18, 11, tzinfo=HANOI), views=views,
                   aliases=aliases)


def test_counted_views_adds_an_articles_old_addresses_and_the_recent_days():
    a, b = article("bai-a", aliases=("tin-tuc/bai-a.html",)), article("bai-b")
    last = date(2026, 12, 1)
    counts = merge_counts(ViewCounts(), [
        (last - timedelta(days=30), "/2021/01/bai-a/", 100),    # outside 30 days
        (last - timedelta(days=29), "/2021/01/bai-a/", 1),      # the first of the 30
        (last, "/tin-tuc/bai-a.html", 2),                       # at its old address
        (last, "/2021/01/bai-b/", 5),
        (last, "/2021/01/da-xoa/", 9),                          # no article now
        (last, "/gioi-thieu/", 9)], [])
    assert counted_views([a, b], counts, 30) == {"2021/01/bai-a/": (103, 3),
                                                 "2021/01/bai-b/": (5, 5)}
    assert counted_views([a, b], counts, 0) == {"2021/01/bai-a/": (103, 0),
                                                "2021/01/bai-b/": (5, 0)}
    # the window ends at the last line read, not at the last row
    spans = [LogSpan(datetime(2026, 12, 31, tzinfo=timezone.utc),
                     datetime(2026, 12, 31, 12, tzinfo=timezone.utc), 1, SHA)]
    later = merge_counts(counts, [], spans)
    assert later.as_of == date(2026, 12, 31)
    assert counted_views([a, b], later, 30)["2021/01/bai-b/"] == (5, 0)
