"""Which changed files make serve rebuild, and how a burst of changes is grouped."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from phucdong_site.serve.watcher import ChangeKind, Watcher, classify


@pytest.mark.parametrize("relative, kind", [
    ("content/2024/a.md", ChangeKind.CONTENT),
    ("content/photos/a.jpg", ChangeKind.CONTENT),
    ("templates/base.html", ChangeKind.TEMPLATES),
    ("static/css/site.css", ChangeKind.STATIC),
    ("site.toml", ChangeKind.CONFIG),
    ("data/luot-xem.csv", ChangeKind.DATA),      # the counted views
    ("data/.luot-xem.csv.tmp-4242", None),    # write_atomically's file
    ("content/2024/.a.md.swp", None),          # vim
    ("content/2024/4913", None),               # vim's write probe
    ("content/2024/a.md~", None),              # backups
    ("content/2024/.#a.md", None),             # emacs lock
    ("content/2024/a.md.tmp", None),
    ("build/index.html", None),                # our own output
    (".cache/serve/index.html", None),
    ("README.md", None),
])
def test_classify_sorts_changes_and_ignores_editor_noise(tmp_path, relative, kind):
    assert classify(tmp_path / relative, tmp_path) is kind


def test_a_burst_of_saves_comes_out_as_one_batch(tmp_path: Path):
    (tmp_path / "content").mkdir()
    article = tmp_path / "content" / "a.md"
    # Saves 20 ms apart, the default quiet's length: a loaded machine could split them.
    watcher = Watcher(tmp_path, quiet=0.2)
    watcher.start()
    try:
        time.sleep(0.3)                         # the watches are in place
        for number in range(20):
            article.write_text(f"lần lưu {number}\n", encoding="utf-8")
            time.sleep(0.02)
        batch = watcher.next_batch(timeout=10)
        assert batch and {change.path.as_posix() for change in batch} == {"content/a.md"}
        assert watcher.next_batch(timeout=1.0) is None
    finally:
        watcher.stop()


def batch_after(watcher: Watcher, act, seconds: float = 20):
    """The first batch after ACT, done again each second until one comes: a watch the
    watcher has just been told to add may take a moment on a loaded machine, and a
    fixed wait can be too short. Never a batch within SECONDS: None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        act()
        batch = watcher.next_batch(timeout=1.0)
        if batch:
            return batch
    return None


def test_the_logo_is_watched_where_site_toml_puts_it(tmp_path: Path):
    """The icons are made from the logo: a new logo, or the logo setting moved, rebuilds."""
    (tmp_path / "content").mkdir()
    for folder in ("anh", "bieu-trung"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "logo.png").write_bytes(b"1")
    logo = {"now": Path("anh/logo.png")}
    watcher = Watcher(tmp_path, logo=lambda: logo["now"])
    watcher.start()
    try:
        def new_logo() -> None:
            (tmp_path / "anh" / "logo.png").write_bytes(b"2")
            (tmp_path / "anh" / "khac.png").write_bytes(b"2")   # not the logo: not read
        batch = batch_after(watcher, new_logo)
        assert batch and {(c.kind, c.path.as_posix()) for c in batch} == {
            (ChangeKind.CONFIG, "anh/logo.png")}
        logo["now"] = Path("bieu-trung/logo.png")
        (tmp_path / "site.toml").write_text('logo = "bieu-trung/logo.png"\n', encoding="utf-8")
        assert watcher.next_batch(timeout=10)                   # site.toml itself
        batch = batch_after(watcher, lambda: (tmp_path / "bieu-trung" / "logo.png")
                            .write_bytes(b"3"))
        assert batch and {(c.kind, c.path.as_posix()) for c in batch} == {
            (ChangeKind.CONFIG, "bieu-trung/logo.png")}
    finally:
        watcher.stop()


def test_the_counted_views_are_watched_even_when_data_comes_later(tmp_path: Path):
    """`views` writes data/luot-xem.csv (atomically: a hidden file renamed over it), often
    into a site that had no data/ folder: serve shows the new counts."""
    (tmp_path / "content").mkdir()
    watcher = Watcher(tmp_path)
    watcher.start()
    try:
        # the watches are in place once a save in content/ is seen
        assert batch_after(watcher, lambda: (tmp_path / "content" / "a.md").write_text(
            "x", encoding="utf-8"))
        (tmp_path / "data").mkdir()
        assert watcher.next_batch(timeout=10)                   # the folder, made

        def count() -> None:                                    # as `views` writes it
            hidden = tmp_path / "data" / ".luot-xem.csv.tmp-4242"
            hidden.write_text("date,path,views\n2026-12-01,/a/,1\n", encoding="utf-8")
            hidden.replace(tmp_path / "data" / "luot-xem.csv")
        batch = batch_after(watcher, count)                     # once data/ is watched too
        assert batch and {(c.kind, c.path.as_posix()) for c in batch} == {
            (ChangeKind.DATA, "data/luot-xem.csv")}
    finally:
        watcher.stop()
