"""serve's rebuilds in-process: a build dropped for a newer save leaves the served site as
it was, and the next build (and first look) takes in the dropped one's changes too; a body
saved while a build runs is shown at once, beside it."""

from __future__ import annotations

import re
import sys
import threading
import time
from pathlib import Path

from conftest import REPO, folders_in, tree_bytes

from phucdong_site.report import Progress
from phucdong_site.serve.server import BuildState, Rebuilder, _rebuild_loop
from phucdong_site.serve.watcher import Change, ChangeKind, Watcher

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402


def public_articles(site: Path) -> list[Path]:
    return [path for path in sorted((site / "content").rglob("*.md"))
            if "draft: true" not in (text := path.read_text(encoding="utf-8"))
            and "2099-" not in text]


def edit(site: Path, path: Path, pattern: str, new: str) -> tuple[Change]:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, new, text, count=1, flags=re.M), encoding="utf-8")
    return (Change(ChangeKind.CONTENT, path.relative_to(site)),)


def rebuilder_of(site: Path, out: Path, progress: Progress = Progress(),
                 state: BuildState | None = None) -> Rebuilder:
    """serve's rebuilder of SITE into OUT, its first build done."""
    rebuilder = Rebuilder(site, out, "http://127.0.0.1:8000/", state or BuildState(),
                          quiet=True, verbose=False, progress=progress)
    assert rebuilder.run()
    return rebuilder


def test_a_build_dropped_for_a_newer_save_is_built_with_it(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=25, seed=4)
    state = BuildState()
    rebuilder = rebuilder_of(site, tmp_path / "served", state=state)
    before = tree_bytes(tmp_path / "served")
    first, second, third = public_articles(site)[:3]

    titled = edit(site, first, r"^title: .*$", 'title: "Tiêu đề đã sửa"')
    assert rebuilder.run(titled, newer=lambda: True) is False
    assert tree_bytes(tmp_path / "served") == before         # nothing of it is served
    assert state.building and state.generation == 1

    looked = []
    state.looked = lambda pages: looked.append(pages)         # what open pages would get
    bodied = edit(site, second, r"\Z", "\nĐoạn cuối mới thêm.\n")
    assert rebuilder.run(bodied)
    assert not looked            # the dropped title edit needs the whole build first
    served = tree_bytes(tmp_path / "served")
    assert any(b"Ti\xc3\xaau \xc4\x91\xe1\xbb\x81 \xc4\x91\xc3\xa3 s\xe1\xbb\xada" in data
               for data in served.values())                   # "Tiêu đề đã sửa"
    assert not state.building and state.generation == 2

    body_again = edit(site, third, r"\Z", "\nMột đoạn nữa.\n")
    assert rebuilder.run(body_again, newer=lambda: True) is False
    once_more = edit(site, second, r"\Z", "\nLại thêm một đoạn.\n")
    assert rebuilder.run(once_more)
    # Each save's page is shown first, the dropped build's too, and then both together.
    assert [len(pages) for pages in looked] == [1, 2]
    assert all(tree_bytes(tmp_path / "served")[path] == page
               for path, page in looked[-1].items())


class Slow(Progress):
    """A build with a long stretch between two of its steps, as a large site's planning or
    search index: as its pages' render starts, until released (30 s at most)."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.released = threading.Event()

    def stage(self, name: str, total: int) -> None:
        if name == "render":
            self.inside.set()
            self.released.wait(30)
            self.inside.clear()


def test_a_body_saved_during_a_build_is_shown_before_that_build_would_end(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=40, seed=5)
    state = BuildState()
    slow = Slow()
    slow.released.set()                  # the first build, before any save, is not held
    rebuilder = rebuilder_of(site, tmp_path / "served", slow, state)
    slow.released.clear()
    watcher = Watcher(site)
    watcher.start()
    loop = threading.Thread(target=_rebuild_loop, args=(watcher, rebuilder), daemon=True)
    loop.start()
    try:
        first, second = public_articles(site)[:2]
        edit(site, first, r"\Z", "\nĐoạn đầu tiên được thêm.\n")
        assert slow.inside.wait(10)      # the first save's build, between two steps
        generation = state.generation
        saved = time.monotonic()
        edit(site, second, r"\Z", "\nĐoạn cuối mới thêm.\n")
        text = "Đoạn cuối mới thêm.".encode()
        assert wait_until(lambda: any(text in page for page in state.ahead.values()), 30)
        # Shown beside the first save's build, still between two of its steps (it is then
        # dropped for both together): not after it.
        assert slow.inside.is_set(), time.monotonic() - saved
        assert state.generation == generation and state.building
        slow.released.set()
        assert wait_until(lambda: not state.building, 60)
        assert state.generation == generation + 1
        served = tree_bytes(tmp_path / "served")
        assert any(text in data for data in served.values())
        assert any("Đoạn đầu tiên được thêm.".encode() in data for data in served.values())
    finally:
        slow.released.set()
        watcher.stop()
        loop.join(timeout=15)


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_build_that_ends_after_a_newer_save_was_shown_leaves_it_and_owes_a_reload():
    state = BuildState()
    older = state.began()                              # a save's build runs
    state.looked({"2024/03/bai/index.html": b"<p>newer</p>"})    # a newer save is shown
    shown = state.version
    state.finished(("content/x.md:3: title: missing",), looks=older)   # the older one ends
    # The newer save's pages stay, with no reload and no overlay of the older build's.
    assert state.ahead and state.building and state.version == shown and not state.errors
    newer = state.began()
    state.finished((), seen=True, looks=newer)         # the newer save's build: its pages
    # Pages other than those shown ahead may have come from the older build: reload.
    assert state.version != shown and not state.building and not state.ahead
    again = state.version
    state.finished((), seen=True, looks=state.began())
    assert state.version == again                      # owed once, not forever


class Stages(Progress):
    def __init__(self) -> None:
        self.current = ""

    def stage(self, name: str, total: int) -> None:
        self.current = name


def test_a_build_dropped_while_rendering_leaves_its_folder_to_the_next_build(tmp_path):
    """The next build stages where the dropped one left off, not in a new folder: at 10,000
    articles each build after a dropped one staged every file again (2 s), and was dropped
    in turn while an editor kept saving. Whether the dropped build staged in a new folder
    (the first rebuild after a start) or in the output before last."""
    site = tmp_path / "site"
    generate(site, articles=25, seed=4)
    stages = Stages()
    rebuilder = rebuilder_of(site, tmp_path / "served", stages)
    kept = tmp_path / ".served.previous"
    for round, article in enumerate(public_articles(site)[:2]):
        assert kept.is_dir() == (round > 0)
        before = tree_bytes(tmp_path / "served")
        rebuilder.take(edit(site, article, r"^title: .*$", f'title: "Tiêu đề sửa lần {round}"'))
        assert rebuilder.build(None, newer=lambda: stages.current == "render") is False
        assert tree_bytes(tmp_path / "served") == before     # nothing of it is served
        assert kept.is_dir()                                  # kept, for the next build
        folder = kept.stat().st_ino
        assert rebuilder.run()
        assert (tmp_path / "served").stat().st_ino == folder  # staged in, then swapped in
    rebuilder_of(site, tmp_path / "fresh")
    assert tree_bytes(tmp_path / "served") == tree_bytes(tmp_path / "fresh")


class RenderCount(Progress):
    """Counts the pages rendered, to stop a build once they are all staged."""

    def __init__(self) -> None:
        self.current, self.total, self.done = "", 0, 0

    def stage(self, name: str, total: int) -> None:
        self.current, self.total, self.done = name, total, 0

    def advance(self, count: int = 1) -> None:
        self.done += count

    def rendered(self) -> bool:
        return self.current == "render" and self.done == self.total > 0


def test_pages_a_dropped_build_staged_go_when_their_article_does(tmp_path):
    """The folder a dropped build leaves is known file by file: the next build removes what
    it no longer writes, such as the pages of an article added, then deleted, in between;
    whether the dropped build staged in a new folder or in the output before last."""
    site = tmp_path / "site"
    generate(site, articles=20, seed=6)
    counter = RenderCount()
    rebuilder = rebuilder_of(site, tmp_path / "served", counter)
    template = public_articles(site)[0]
    for round in range(2):
        added = template.with_name(f"bai-moi-them-{round}.md")
        text = re.sub(r"^title: .*$", f'title: "Bài mới thêm rồi xoá {round}"',
                      template.read_text(encoding="utf-8"), count=1, flags=re.M)
        added.write_text(text, encoding="utf-8")
        rebuilder.take((Change(ChangeKind.CONTENT, added.relative_to(site)),))
        assert rebuilder.build(None, newer=counter.rendered) is False
        staged = tree_bytes(tmp_path / ".served.previous")
        assert any(f"/bai-moi-them-roi-xoa-{round}/" in name
                   for name in staged)                        # its page is in the kept folder
        added.unlink()
        assert rebuilder.run((Change(ChangeKind.CONTENT, added.relative_to(site)),))
        rebuilder_of(site, tmp_path / f"fresh{round}")
        assert tree_bytes(tmp_path / "served") == tree_bytes(tmp_path / f"fresh{round}")
        assert folders_in(tmp_path / "served") == folders_in(tmp_path / f"fresh{round}")
