"""`phucdong-site views`: each bad input of issue 19, through the command line.

Logs come from logmaker (real gzip, real times); the expected counts are made when the log
is made. Messages are read in English (conftest): their `path:line:` prefixes, exit codes and
numbers, not their sentences.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import subprocess
import sys
import textwrap
import zlib
from datetime import date, datetime, timedelta

import pytest
from conftest import tree_bytes
from logmaker import (
    BROWSERS,
    CRAWLERS,
    HANOI,
    HOST,
    UTC,
    Hit,
    LogMix,
    in_time_order,
    known_mix,
    line,
    make_site,
    text,
    visits,
    write,
)

from phucdong_site.content.view_counts import VIEWS_FILE, read_view_counts

DAY = date(2026, 11, 28)


@pytest.fixture
def views(invoke, site):
    """`phucdong-site views ARGS --site SITE`, in process; output is stdout + stderr."""
    def run(*args):
        result = invoke("views", *map(str, args), "--site", str(site.root))
        result.said = result.out + result.err
        assert "Traceback" not in result.said
        return result
    return run


def site_files(site) -> dict[str, bytes]:
    """The site folder's files, but the tool's own cache (.cache/, safe to delete, which
    loading the site may fill)."""
    return {name: data for name, data in tree_bytes(site.root).items()
            if not name.startswith(".cache/")}


def rows(site) -> list[tuple[date, str, int]]:
    return list(read_view_counts(site.root, HANOI).daily)


def at_line(said: str, log, number: int | None = None) -> list[str]:
    """The lines of SAID that speak of LOG (at line NUMBER): `LOG:NUMBER: ...`."""
    where = re.escape(log.name) + (f":{number}:" if number else ":")
    return [text for text in said.splitlines() if re.search(where, text)]


def hit(minutes: float, address: str = "113.160.9.9", agent: str = BROWSERS[0],
        target: str = "/gioi-thieu/", **changes) -> Hit:
    when = datetime(2026, 11, 28, 9, tzinfo=HANOI) + timedelta(minutes=minutes)
    return Hit(when, address, agent, target, **changes)


# -- malformed lines ---------------------------------------------------------------------

MALFORMED = (
    "this is not a log line at all",
    '113.160.1.1 - - [28/Nov/2026:09:00:00 +0700] "GET /gioi-thieu/ HTTP/1.1" 200',   # cut
    '113.160.1.2 - - [32/Nov/2026:09:00:00 +0700] "GET /gioi-thieu/ HTTP/1.1" 200 5 "-" "x"',
    '113.160.1.3 - - [28/Foo/2026:09:00:00 +0700] "GET /gioi-thieu/ HTTP/1.1" 200 5 "-" "x"',
    '{"time": "2026-11-28T09:00:00+07:00", "uri": "/gioi-thieu/", "status": 200}',
    '113.160.1.4 - - 28/Nov/2026:09:00:00 +0700 GET /gioi-thieu/ HTTP/1.1 200 5 - x',
    '113.160.1.5 - - [28/Nov/2026:09:00:00 +0700] "GET /gioi-thieu/ HTTP/1.1" abc 5 "-" "x"',
)


def test_malformed_lines_are_told_once_with_a_total_and_the_first_line_numbers(site, views,
                                                                               tmp_path):
    pages = make_site(site)
    good = visits(pages, DAY, 30)
    lines = [line(h) for h in good.hits]
    at = (5, 9, 12, 20, 21, 30, 33)                 # where the malformed ones go
    for number, bad in zip(at, MALFORMED):
        lines.insert(number - 1, bad)
    log = tmp_path / "access.log"
    log.write_text("".join(f"{text}\n" for text in lines), encoding="utf-8")

    result = views(log)
    assert result.code == 0
    told = at_line(result.said, log)
    assert len(told) == 1, result.said             # one line for the file, at the first
    assert at_line(result.said, log, 5) == told
    assert re.search(r"\b7\b", told[0]), told[0]   # the total
    assert "5, 9, 12" in told[0], told[0]          # the first few line numbers
    assert rows(site) == good.rows()               # the rest counted


def test_many_malformed_lines_give_a_total_not_every_number(site, views, tmp_path):
    pages = make_site(site)
    good = visits(pages, DAY, 10)
    log = tmp_path / "access.log"
    log.write_text("".join(f"{line(h)}\n" for h in good.hits)
                   + "".join(f"garbage {n}\n" for n in range(5000)), encoding="utf-8")
    result = views(log)
    assert result.code == 0
    told = at_line(result.said, log)
    assert len(told) == 1 and at_line(result.said, log, 11) == told, result.said
    assert re.search(r"\b5,?000\b", told[0]), told[0]
    assert "5010" not in told[0] and len(told[0]) < 400, told[0]
    assert rows(site) == good.rows()


def test_a_file_that_is_no_access_log_is_an_error_and_nothing_is_written(site, views,
                                                                        tmp_path):
    pages = make_site(site)
    good = write(tmp_path / "access.log", visits(pages, DAY, 10).hits)
    for name, content in (("luot-xem.csv", "date,path,views\n2026-11-28,/gioi-thieu/,3\n"),
                          ("notes.txt", "Nhật ký họp giao ban\nthứ hai\n"),
                          ("logo.png.gz", gzip.compress(bytes(range(256)) * 64, mtime=0))):
        other = tmp_path / name
        if isinstance(content, str):
            other.write_text(content, encoding="utf-8")
        else:
            other.write_bytes(content)
        result = views(good, other)
        assert result.code == 1, (name, result.said)
        assert at_line(result.said, other), (name, result.said)
        assert not (site.root / VIEWS_FILE).exists(), name


def test_an_empty_log_fresh_from_rotation_is_no_error(site, views, tmp_path):
    """logrotate leaves an empty access.log behind: `views access.log*` must still work."""
    pages = make_site(site)
    mix = visits(pages, DAY, 10)
    good = write(tmp_path / "access.log.1", mix.hits)
    empty = tmp_path / "access.log"
    empty.write_bytes(b"")
    result = views(empty, good)
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()


# -- gzip --------------------------------------------------------------------------------

def test_a_truncated_gzip_counts_the_whole_lines_before_the_cut_and_says_so(site, views,
                                                                           tmp_path):
    pages = make_site(site)
    mix = visits(pages, DAY, 2000)
    data = text(mix.hits)
    packed = gzip.compress(data, mtime=0)
    cut = packed[: len(packed) * 3 // 5]
    log = tmp_path / "access.log.2.gz"
    log.write_bytes(cut)
    # What a reader can get out of the cut file: its whole lines are the views.
    readable = zlib.decompressobj(wbits=31).decompress(cut)
    whole = readable.count(b"\n")
    assert 0 < whole < len(mix.hits)
    expected = LogMix()
    for h in mix.hits[:whole]:
        expected.add(h, h.target)

    result = views(log)
    assert result.code == 0, result.said
    assert at_line(result.said, log), result.said
    assert "cut off" in result.said
    assert rows(site) == expected.rows()


def test_a_gzip_copy_of_a_log_already_read_is_not_counted_again(site, views, tmp_path):
    pages = make_site(site)
    mix = visits(pages, DAY, 40)
    plain = write(tmp_path / "access.log", mix.hits)
    assert views(plain).code == 0
    packed = write(tmp_path / "old" / "access.log.1.gz", mix.hits)
    result = views(packed)
    assert result.code == 0
    assert rows(site) == mix.rows()


# -- another site's log: the host filter -------------------------------------------------

@pytest.mark.parametrize("style", ["extended", "vhost"])
def test_a_log_of_another_site_counts_nothing_and_says_so(site, views, tmp_path, style):
    pages = make_site(site)
    ours = visits(pages, DAY, 20)
    theirs = [Hit(h.when, h.address, h.agent, h.target, host="phucloi.gov.vn")
              for h in visits(pages, DAY, 20, start_client=100).hits]
    mine = write(tmp_path / "phucdong.log", ours.hits, style=style)
    other = write(tmp_path / "phucloi.log", theirs, style=style)
    result = views(other, mine)
    assert result.code == 0
    assert at_line(result.said, other), result.said          # told: none is for this site
    assert not at_line(result.said, mine), result.said
    assert rows(site) == ours.rows()


def test_a_server_log_of_many_sites_counts_only_this_sites_lines(site, views, tmp_path):
    pages = make_site(site)
    mix = LogMix()
    for n, h in enumerate(visits(pages, DAY, 60).hits):
        host = (HOST, "phucloi.gov.vn", f"www.{HOST}", "longbien.gov.vn:443")[n % 4]
        mix.add(Hit(h.when, h.address, h.agent, h.target, host=host),
                h.target if host in (HOST, f"www.{HOST}") else None)
    log = write(tmp_path / "access.log", mix.hits, style="vhost")
    result = views(log)
    assert result.code == 0
    assert rows(site) == mix.rows()


# -- time --------------------------------------------------------------------------------

def test_lines_out_of_time_order_count_as_in_order(site, views, tmp_path):
    make_site(site)
    mix = LogMix()
    # One client: a view, a repeat 10 minutes later, a view 45 minutes after that; the log
    # has them backwards.
    for minutes, counts in ((0, True), (10, False), (55, True)):
        mix.add(hit(minutes), "/gioi-thieu/" if counts else None)
    log = write(tmp_path / "backwards.log", list(reversed(mix.hits)))
    result = views(log)
    assert result.code == 0
    assert rows(site) == mix.rows()


def test_a_shuffled_log_counts_as_the_ordered_one(site, views, tmp_path):
    import random

    pages = make_site(site)
    mix = known_mix(pages, visitors=60)
    shuffled = list(mix.hits)
    random.Random(5).shuffle(shuffled)
    result = views(write(tmp_path / "shuffled.log", shuffled))
    assert result.code == 0
    assert rows(site) == mix.rows()


def test_utc_and_hanoi_clocks_of_one_instant_are_one_view(site, views, tmp_path):
    pages = make_site(site)
    mix = LogMix()
    night = datetime(2026, 11, 28, 23, 50, tzinfo=HANOI)        # 16:50 UTC, the same date
    for n, path in enumerate(pages.all):
        when = night + timedelta(minutes=6 * n)                 # 23:50 ... 00:14: two dates
        mix.add(Hit(when, f"113.160.7.{n}", BROWSERS[n], path), path)
    utc = write(tmp_path / "cdn.log", mix.hits, offset=UTC)
    hanoi = write(tmp_path / "origin.log", mix.hits, offset=HANOI)
    assert "[28/Nov/2026:16:50:00 +0000]" in utc.read_text()
    assert "[29/Nov/2026:00:14:00 +0700]" in hanoi.read_text()

    result = views(utc, hanoi)            # the same requests, seen by two clocks
    assert result.code == 0
    assert rows(site) == mix.rows()
    assert {day for day, _, _ in rows(site)} == {date(2026, 11, 28), date(2026, 11, 29)}
    # Both logs are remembered as read, though their first lines are of one instant.
    again = views(hanoi, utc)
    assert again.code == 0
    assert rows(site) == mix.rows()
    assert len(read_view_counts(site.root, HANOI).spans) == 2


def test_a_log_in_utc_gives_the_local_dates(site, views, tmp_path):
    pages = make_site(site)
    mix = LogMix()
    # 16:59:59 UTC is 23:59:59 in Hanoi, 17:00:00 UTC is the next day there.
    for seconds, address in ((-1, "113.160.8.1"), (0, "113.160.8.2"), (1, "113.160.8.3")):
        when = datetime(2026, 11, 28, 17, tzinfo=UTC) + timedelta(seconds=seconds)
        mix.add(Hit(when, address, BROWSERS[2], pages.page), pages.page)
    result = views(write(tmp_path / "utc.log", mix.hits, offset=UTC))
    assert result.code == 0
    assert rows(site) == [(date(2026, 11, 28), pages.page, 1), (date(2026, 11, 29),
                                                              pages.page, 2)]


def test_the_site_timezone_decides_the_date(site, views, tmp_path):
    pages = make_site(site)
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'timezone = "Asia/Ho_Chi_Minh"', 'timezone = "UTC"'), encoding="utf-8")
    when = datetime(2026, 11, 29, 1, 30, tzinfo=HANOI)            # 18:30 UTC on the 28th
    log = write(tmp_path / "access.log", [Hit(when, "113.160.8.9", BROWSERS[1], pages.page)])
    assert views(log).code == 0
    assert [(day, path, n) for day, path, n in read_view_counts(site.root, UTC).daily] == [
        (date(2026, 11, 28), pages.page, 1)]


# -- an enormous line --------------------------------------------------------------------

# VmHWM, the peak resident memory of this process's own image: ru_maxrss would also hold
# the peak of the forked pytest process before exec (it made the enormous lines).
PEAK = textwrap.dedent("""\
    import re, sys
    from pathlib import Path
    from phucdong_site.cli import main
    code = main(sys.argv[1:])
    status = Path("/proc/self/status").read_text()
    print("PEAK-KIB", re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1), file=sys.stderr)
    sys.exit(code)
    """)


def peak(site, *logs) -> tuple[int, str, int]:
    """Run views on LOGS in a fresh process: (exit code, output, peak memory in MiB)."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK, "views", *map(str, logs), "--site", str(site.root)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    found = re.search(r"PEAK-KIB (\d+)", result.stderr)
    assert found, result.stderr
    return result.returncode, result.stdout + result.stderr, int(found.group(1)) // 1024


def test_an_enormous_line_is_malformed_and_never_held_whole(site, tmp_path):
    pages = make_site(site)
    mix = visits(pages, DAY, 20)
    lines = [line(h).encode() + b"\n" for h in mix.hits]
    small = tmp_path / "small.log"
    small.write_bytes(b"".join(lines))
    code, said, baseline = peak(site, small)
    assert code == 0, said
    (site.root / VIEWS_FILE).unlink()

    # A request for a 48 MiB path in the middle of a plain log, and a 160 MiB user agent in
    # a gzip log (a few hundred KiB on disk).
    huge = (b'113.160.3.3 - - [28/Nov/2026:09:30:00 +0700] "GET /' + b"a" * (48 << 20)
            + b' HTTP/1.1" 414 0 "-" "x"\n')
    plain = tmp_path / "huge.log"
    plain.write_bytes(b"".join(lines[:7]) + huge + b"".join(lines[7:]))
    agent = b"Mozilla/5.0 " + b"(KHTML, like Gecko) " * (8 << 20)
    bomb = (b'113.160.3.4 - - [28/Nov/2026:09:31:00 +0700] "GET /gioi-thieu/ HTTP/1.1" 200 '
            b'5 "-" "' + agent + b'"\n')
    others = visits(pages, DAY, 3, start_client=300)
    packed = tmp_path / "huge.log.1.gz"
    with gzip.GzipFile(packed, "wb", mtime=0) as out:
        out.write(text(others.hits))
        out.write(bomb)
    del huge, agent, bomb
    code, said, used = peak(site, plain, packed)
    assert code == 0, said
    assert at_line(said, plain, 8), said                   # the enormous line, as malformed
    assert at_line(said, packed, 4), said
    both = mix.expected + others.expected
    assert rows(site) == sorted((day, path, n) for (day, path), n in both.items())
    assert used - baseline < 24, f"peak {used} MiB against {baseline} MiB for a small log"


# -- a URL that is no article ------------------------------------------------------------

def test_a_url_that_is_no_page_of_the_public_site_counts_nothing(site, views, tmp_path):
    make_site(site)
    site.article("2026/nhap.md", 'title: "Bản nháp"\ndate: 2026-11-20 08:00\ndraft: true\n'
                 "slug: ban-nhap\n")
    site.article("2027/sap-dang.md", 'title: "Sắp đăng"\ndate: 2027-01-05 08:00\n'
                 "slug: sap-dang\n")
    targets = ("/", "/tin-tuc/", "/tin-tuc/page/2/", "/2021/01/khong-co-bai-nay/",
               "/2026/11/ban-nhap/", "/2027/01/sap-dang/", "/chuyen-muc/tin-tuc-su-kien/",
               "/tag/nam-2021/", "/luu-tru/2021/01/", "/van-ban/", "/van-ban/loai/ke-hoach/",
               "/tim-kiem/", "/gioi-thieu", "/2021/01", "/trang/gioi-thieu/",
               "/content/trang/gioi-thieu.md", "/van-ban/12-kh-ubnd/12-kh-ubnd.pdf",
               "/sitemap.xml", "/robots.txt.bak", "/404.html", "/%ZZ/", "/..%2f..%2fetc/passwd",
               "/2021/01/ban-thuong-vu-lam-viec/../../../etc/passwd", "*")
    mix = LogMix()
    for n, target in enumerate(targets):
        mix.add(hit(n, address=f"113.160.4.{n}", target=target))
    result = views(write(tmp_path / "access.log", mix.hits))
    assert result.code == 0, result.said
    assert rows(site) == []


def test_under_a_sub_path_base_url_the_path_is_taken_off(site, views, tmp_path):
    pages = make_site(site)
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'base_url = "https://phucdong.gov.vn/"', 'base_url = "https://phucdong.gov.vn/phuong/"'),
        encoding="utf-8")
    mix = LogMix()
    mix.add(hit(0, "113.160.5.1", target="/phuong/gioi-thieu/"), pages.page)
    mix.add(hit(1, "113.160.5.2", target="/phuong/2026/11/tiem-chung/index.html"),
            pages.articles[1])
    mix.add(hit(2, "113.160.5.3", target="/gioi-thieu/"))            # not under /phuong/
    mix.add(hit(3, "113.160.5.4", target="/phuong"))
    assert views(write(tmp_path / "access.log", mix.hits)).code == 0
    assert rows(site) == mix.rows()


# -- the same log again ------------------------------------------------------------------

def test_the_same_log_twice_in_one_run_and_again_in_the_next_counts_once(site, views,
                                                                         tmp_path):
    pages = make_site(site)
    mix = known_mix(pages, visitors=40)
    log = write(tmp_path / "access.log", in_time_order(mix))
    copy = tmp_path / "copy-of-access.log"
    copy.write_bytes(log.read_bytes())
    result = views(log, log, copy)
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()
    first = (site.root / VIEWS_FILE).read_bytes()

    result = views(log)
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()
    assert (site.root / VIEWS_FILE).read_bytes() == first


def test_a_log_that_grew_counts_only_its_new_lines(site, views, tmp_path):
    pages = make_site(site)
    mix = visits(pages, DAY, 90)
    first, later = mix.hits[:50], mix.hits[50:]
    log = tmp_path / "access.log"
    log.write_bytes(text(first))
    assert views(log).code == 0
    part = LogMix()
    for h in first:
        part.add(h, h.target)
    assert rows(site) == part.rows()

    with log.open("ab") as out:              # the server appends
        out.write(text(later))
    assert views(log).code == 0
    assert rows(site) == mix.rows()
    spans = read_view_counts(site.root, HANOI).spans
    assert [span.lines for span in spans] == [90]      # the longer span replaces the shorter


def test_the_last_line_without_a_newline_waits_for_the_next_run(site, views, tmp_path):
    pages = make_site(site)
    mix = visits(pages, DAY, 12)
    whole = text(mix.hits)
    log = tmp_path / "access.log"
    log.write_bytes(whole[:-1])              # the server is still writing the last line
    assert views(log).code == 0
    part = LogMix()
    for h in mix.hits[:-1]:
        part.add(h, h.target)
    assert rows(site) == part.rows()

    log.write_bytes(whole)                   # now finished
    assert views(log).code == 0
    assert rows(site) == mix.rows()


def test_counts_add_up_over_runs_of_new_logs(site, views, tmp_path):
    pages = make_site(site)
    monday = visits(pages, DAY, 25)
    tuesday = visits(pages, DAY + timedelta(days=1), 35, start_client=500)
    assert views(write(tmp_path / "a.log", monday.hits)).code == 0
    assert views(write(tmp_path / "b.log.gz", tuesday.hits)).code == 0
    both = monday.expected + tuesday.expected
    assert rows(site) == sorted((day, path, n) for (day, path), n in both.items())


# -- what is written, and when nothing is ------------------------------------------------

def test_dry_run_writes_nothing(site, views, tmp_path):
    pages = make_site(site)
    log = write(tmp_path / "access.log", visits(pages, DAY, 30).hits)
    before = site_files(site)
    result = views(log, "--dry-run")
    assert result.code == 0, result.said
    assert site_files(site) == before
    assert not (site.root / VIEWS_FILE).exists()

    assert views(write(tmp_path / "old.log", visits(pages, DAY, 5, 900).hits)).code == 0
    before = site_files(site)
    assert views(log, "--dry-run").code == 0
    assert site_files(site) == before


def test_a_missing_log_is_an_error_and_nothing_is_written(site, views, tmp_path):
    pages = make_site(site)
    good = write(tmp_path / "access.log", visits(pages, DAY, 30).hits)
    missing = tmp_path / "access.log.3.gz"
    result = views(good, missing)
    assert result.code == 1
    assert at_line(result.said, missing), result.said
    assert not (site.root / VIEWS_FILE).exists()

    assert views(write(tmp_path / "old.log", visits(pages, DAY, 5, 900).hits)).code == 0
    before = site_files(site)
    folder = tmp_path / "logs"
    folder.mkdir()
    for bad in (missing, folder):                 # a folder cannot be read as a log
        result = views(good, bad)
        assert result.code == 1, result.said
        assert at_line(result.said, bad), result.said
        assert site_files(site) == before


def test_a_bad_data_file_is_told_at_its_line_and_left_alone(site, views, tmp_path):
    pages = make_site(site)
    data = site.root / VIEWS_FILE
    data.parent.mkdir()
    data.write_text("date,path,views\n2026-11-01,/gioi-thieu/,3\n2026-11-31,/gioi-thieu/,4\n",
                    encoding="utf-8")
    before = data.read_bytes()
    result = views(write(tmp_path / "access.log", visits(pages, DAY, 10).hits))
    assert result.code == 1
    assert re.search(r"luot-xem\.csv:3:", result.said), result.said
    assert data.read_bytes() == before


def test_a_bad_site_toml_is_told_and_nothing_written(site, views, tmp_path):
    pages = make_site(site)
    with (site.root / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("popular_days = 7\n")           # under [views]: fine
        toml.write("hostz = []\n")                 # a typo
    result = views(write(tmp_path / "access.log", visits(pages, DAY, 10).hits))
    assert result.code == 1
    assert re.search(r"site\.toml:\d+: views\.hostz", result.said), result.said
    assert not (site.root / VIEWS_FILE).exists()


def test_no_log_is_a_usage_error(site, invoke):
    result = invoke("views", "--site", str(site.root))
    assert result.code == 2
    assert not (site.root / VIEWS_FILE).exists()


def test_crawler_lines_alone_count_nothing(site, views, tmp_path):
    pages = make_site(site)
    hits = [hit(n, f"66.249.66.{n}", agent, path)
            for n, (agent, path) in enumerate((a, p) for a in CRAWLERS for p in pages.all)]
    assert views(write(tmp_path / "bots.log", hits)).code == 0
    assert rows(site) == []


# -- found in review ---------------------------------------------------------------------

def combined_line(path: str, agent: str, when: str = "28/Nov/2026:09:00:00 +0700",
                  address: str = "113.160.9.9", tail: str = "", request: str = "") -> bytes:
    request = request or f"GET {path} HTTP/1.1"
    return (f'{address} - - [{when}] "{request}" 200 512 "-" "{agent}"{tail}\n').encode()


def test_long_user_agents_are_not_browsers_and_cost_little(site, views, tmp_path):
    """crawlerdetect's time grows with the square of an agent's length (8 KiB: 12 s): a
    visitor sending a few must not stall the count, nor fill memory."""
    pages = make_site(site)
    lines = [combined_line(pages.articles[0], "Mozilla/5.0 " + chr(97 + n % 26) * 8000,
                           address=f"113.160.10.{n}") for n in range(200)]
    lines.append(combined_line(pages.articles[0], BROWSERS[0], address="113.160.11.1"))
    log = tmp_path / "access.log"
    log.write_bytes(b"".join(lines))
    result = subprocess.run([sys.executable, "-m", "phucdong_site", "views", str(log),
                             "--site", str(site.root)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert rows(site) == [(DAY, pages.articles[0], 1)]


def test_a_quoted_host_of_another_site_is_another_host(site, views, tmp_path):
    pages = make_site(site)
    log = tmp_path / "access.log"
    log.write_bytes(
        combined_line(pages.articles[0], BROWSERS[0], tail=' host="phucloi.gov.vn"')
        + combined_line(pages.articles[1], BROWSERS[0], tail=' proxy_host=x host=' + HOST)
        + combined_line(pages.articles[2], BROWSERS[0], tail=' upstream_host=phucdong.gov.vn '
                        'host=phucloi.gov.vn'))
    assert views(log).code == 0
    assert rows(site) == [(DAY, pages.articles[1], 1)]


def test_times_outside_any_log_and_odd_stamps_are_malformed_lines(site, views, tmp_path):
    pages = make_site(site)
    log = tmp_path / "access.log"
    good = combined_line(pages.articles[0], BROWSERS[0])
    log.write_bytes(good + b"".join(
        combined_line(pages.articles[1], BROWSERS[1], when=when) for when in (
            "01/Jan/0001:00:00:00 +0700", "31/Dec/9999:23:59:59 -1400",
            "31/Dec/9999:23:59:59 +0000", "28/Nov/2026:09:00:75 +0700")))
    result = views(log)
    assert result.code == 0, result.said
    assert re.search(rf"{re.escape(log.as_posix())}:2: .*4 lines", result.said), result.said
    assert rows(site) == [(DAY, pages.articles[0], 1)]


def test_probes_without_a_request_are_log_lines_not_malformed(site, views, tmp_path):
    """nginx writes "-" for a connection that sent nothing, and the bytes of a TLS handshake
    sent to port 80: lines of the log, for no page. A log may begin with hundreds."""
    pages = make_site(site)
    log = tmp_path / "access.log"
    probes = [combined_line("", "-", request="-", address=f"45.1.1.{n % 250}")
              for n in range(150)]
    probes += [combined_line("", "-", request="\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC",
                             address=f"45.1.2.{n % 250}") for n in range(150)]
    log.write_bytes(b"".join(probes) + combined_line(pages.articles[0], BROWSERS[0]))
    result = views(log)
    assert result.code == 0, result.said
    assert "not log lines" not in result.said and "not a log line" not in result.said
    assert rows(site) == [(DAY, pages.articles[0], 1)]


def test_a_hand_written_count_in_other_digits_is_an_error_at_its_line(site, views, tmp_path):
    pages = make_site(site)
    data = site.root / VIEWS_FILE
    data.parent.mkdir(exist_ok=True)
    data.write_text(f"date,path,views\n2026-11-28,{pages.page},²\n2026-11-28,"
                    f"{pages.articles[0]},１２\n", encoding="utf-8")
    for command in ("check", "build"):
        result = subprocess.run([sys.executable, "-m", "phucdong_site", command,
                                 str(site.root)], capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, result.stdout
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert f"{VIEWS_FILE.as_posix()}:2: views:" in result.stderr, result.stderr
        assert f"{VIEWS_FILE.as_posix()}:3: views:" in result.stderr, result.stderr


def test_a_shorter_copy_of_a_log_counted_before_is_not_counted_again(site, views, tmp_path):
    """An older or cut copy of a log counted whole is known by the digests of its first
    lines kept in the log's span (its marks), in a later run as in the same one."""
    pages = make_site(site)
    mix = visits(pages, DAY, 400)
    data = text(mix.hits)
    full = tmp_path / "access.log"
    full.write_bytes(data)
    cut = tmp_path / "access.log.cut.gz"
    cut.write_bytes(gzip.compress(data[:data.index(b"\n", len(data) // 2) + 1], mtime=0))
    assert views(full).code == 0
    expected = rows(site)
    assert sum(n for _, _, n in expected) == 400
    (span,) = read_view_counts(site.root, HANOI).spans
    lines = data.split(b"\n")
    assert dict(span.marks)[64] == hashlib.sha256(b"\n".join(lines[:64]) + b"\n").hexdigest()[
        :16]
    later = views(cut)
    assert later.code == 0, later.said
    assert rows(site) == expected
    assert re.search(r"counted before and skipped", later.said), later.said
    assert read_view_counts(site.root, HANOI).spans == (span,)
    # The same in one run, whichever is read first.
    for order in ((full, cut), (cut, full)):
        (site.root / VIEWS_FILE).unlink()
        assert views(*order).code == 0
        assert rows(site) == expected
