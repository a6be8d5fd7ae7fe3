"""Build progress: a live line on a terminal, one plain summary line otherwise; -q and -v."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import run_cli

from phucdong_site import system

SUMMARY = re.compile(r"^(\d+) articles?, (\d+) pages?, (\d+) photos? in \d+\.\d s")


def small_site(site) -> None:
    site.photo("photos/a.jpg")
    for number in range(4):
        site.article(f"2024/tin-{number}.md", f"""
            title: "Tin số {number}"
            date: 2024-05-0{number + 1} 08:30
            photos:
              - src: photos/a.jpg
                caption: "Ảnh số {number}"
        """)


def test_not_on_a_terminal_a_build_prints_one_plain_summary_line(site):
    small_site(site)
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""                   # no progress drawing into logs
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and "\r" not in result.stdout and "\x1b" not in result.stdout
    articles, pages, photos = map(int, SUMMARY.match(lines[0]).groups())
    assert (articles, photos) == (4, 1)
    assert pages == len(list(site.out.rglob("*.html")))


def test_quiet_prints_nothing_and_verbose_prints_each_stage(site):
    small_site(site)
    verbose = site.build("-v")
    assert verbose.returncode == 0
    stages = [line.split(":")[0] for line in verbose.stderr.splitlines()]
    assert stages == ["reading articles", "rendering pages", "processing photos",
                      "compressing files"]
    assert "reading articles: 4 in" in verbose.stderr
    (site.content / "2024" / "extra.md").write_text(
        '---\ntitle: "Thêm"\ndate: 2024-02-01\n---\n\nMột bài nữa.\n', encoding="utf-8")
    quiet = site.build("-q")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert site.build("-q").stdout == ""              # nothing changed: still nothing printed
    checked = run_cli("check", str(site.root), "-q")
    assert checked.returncode == 0 and checked.stdout == ""


def test_on_a_terminal_a_build_draws_a_live_counter_and_clears_it(site):
    small_site(site)
    leader, follower = os.openpty()           # a real terminal for the child's stderr
    try:
        result = subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site.root)],
                                stdout=subprocess.PIPE, stderr=follower, text=True, timeout=120,
                                env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        os.close(follower)
        drawn = b""
        while chunk := _read(leader):
            drawn += chunk
    finally:
        os.close(leader)
    assert result.returncode == 0
    screen = drawn.decode("utf-8")
    assert "\rreading articles 0/4" in screen
    assert "reading articles 4/4 · rendering pages" in screen and "processing photos 1/1" in screen
    if system.terminal_escapes():
        assert screen.endswith("\r\x1b[K")     # the line is cleared before the summary
    else:                                      # Windows' console: spaces over the line
        assert "\x1b" not in screen and re.search(r"\r {20,}\r$", screen)
    assert SUMMARY.match(result.stdout)


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:                            # EIO: the child closed the terminal
        return b""
