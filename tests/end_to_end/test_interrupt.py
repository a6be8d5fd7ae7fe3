"""Ctrl-C and SIGTERM, sent to a real build at chosen moments: one true line, no traceback,
and no staging folder left behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, tree_bytes

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402

UNCHANGED = "interrupted; the previous output is unchanged"
PUBLISHED = "interrupted once the new site was in place"


def start_build(site: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "phucdong_site", "build", str(site), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def edit(site: Path, round_: int) -> None:
    path = sorted((site / "content").rglob("*.md"))[0]
    head = path.read_text(encoding="utf-8").partition("\n---\n")[0]
    path.write_text(f"{head}\n---\n\nLần sửa thứ {round_}.\n", encoding="utf-8")


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the build never got there"
        time.sleep(0.0005)


def inode(path: Path) -> int | None:
    """PATH's inode, or None between the two renames of the portable swap (no exchange)."""
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def staging_folders(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".build.building-"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("interrupt") / "site"
    generate(site, articles=150, seed=3)
    build = start_build(site)
    assert build.wait(timeout=300) == 0, build.stderr.read()
    return site


def seconds_to_run(code: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.monotonic() - started


def test_ctrl_c_while_the_program_starts_is_one_line(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    # After Python's own start (not ours to change), while the program's imports run
    python = max(seconds_to_run("import runpy") for _ in range(3))
    program = seconds_to_run("import phucdong_site.cli")
    assert program > 2 * python, (python, program)
    interrupted = 0
    # not sooner: a start delayed by a loaded machine would take the signal in Python's own
    for share in (0.3, 0.5, 0.7):
        build = start_build(site.root)
        delay = 1.5 * python + share * (program - 1.5 * python)
        time.sleep(delay)
        build.send_signal(signal.SIGINT)
        err = build.communicate(timeout=60)[1]
        assert "Traceback" not in err, err
        if build.returncode != 0:
            interrupted += 1
            assert err.strip() == UNCHANGED and build.returncode in (130, -signal.SIGINT)
    assert interrupted                  # the signal really came while it started
    assert not site.out.exists() and not staging_folders(site.root)


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_before_the_swap_removes_the_staging_folder(corpus, number):
    old = tree_bytes(corpus / "build")
    edit(corpus, number)
    build = start_build(corpus)
    wait_for(lambda: staging_folders(corpus))
    build.send_signal(number)
    err = build.communicate(timeout=120)[1]
    assert build.returncode == 130, err
    assert err.strip() == UNCHANGED
    assert tree_bytes(corpus / "build") == old
    assert staging_folders(corpus) == []       # not left for the next build to remove


def test_ctrl_c_after_the_swap_says_the_new_site_is_in_place(corpus):
    out = corpus / "build"
    seen = []
    for round_ in range(5):
        edit(corpus, 100 + round_)
        before = os.stat(out).st_ino
        build = start_build(corpus)
        wait_for(lambda: inode(out) not in (before, None))  # the exchange: OUT is the new tree
        build.send_signal(signal.SIGINT)
        err = build.communicate(timeout=120)[1]
        assert "Traceback" not in err and UNCHANGED not in err, err
        assert f"Lần sửa thứ {100 + round_}." in "".join(
            p.read_text(encoding="utf-8") for p in out.rglob("index.html")
            if "Lần sửa" in p.read_text(encoding="utf-8"))
        if err:
            assert err.strip() == f"{PUBLISHED}: {out} holds it, whole", err
            assert build.returncode == 130
            seen.append(round_)
    assert seen          # the signal came after the swap, before the build ended
    assert staging_folders(corpus) == []
