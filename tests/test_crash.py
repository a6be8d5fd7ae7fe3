"""A build killed at any moment leaves the output exactly old or exactly new, and the next
build equals a clean one."""

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, tree_bytes

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402

KILLS = 30


def digest(root: Path) -> str:
    """One hash of every file's path and bytes under ROOT."""
    hasher = hashlib.sha256()
    for name, data in tree_bytes(root).items():
        hasher.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return hasher.hexdigest()


def start_build(site: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "phucdong_site", "build", str(site), "-q", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def edit(site: Path, round_: int) -> None:
    """Change one article's body, so every kill interrupts a build with something new."""
    path = sorted((site / "content").rglob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("\n---\n")
    path.write_text(f"{head}\n---\n\nLần sửa thứ {round_}.\n", encoding="utf-8")


def test_killed_builds_leave_old_or_new_output_and_recover(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=500, seed=7)
    out = site / "build"
    assert start_build(site).wait(timeout=300) == 0
    started = time.monotonic()
    assert start_build(site).wait(timeout=300) == 0
    duration = time.monotonic() - started
    rng = random.Random(2021)
    outcomes = {"old": 0, "new": 0}
    for round_ in range(KILLS):
        old = digest(out)
        edit(site, round_)
        clean = tmp_path / "clean"
        assert start_build(site, "-o", str(clean)).wait(timeout=300) == 0
        new = digest(clean)
        build = start_build(site)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        now = digest(out)
        assert now in (old, new), f"round {round_}: output is neither the old nor the new site"
        outcomes["old" if now == old else "new"] += 1
        # the next build recovers: it equals the clean build, and no staging folder is left
        assert start_build(site).wait(timeout=300) == 0
        assert digest(out) == new
        leftovers = [p.name for p in site.iterdir() if p.name.startswith(".build.")]
        assert leftovers == []
    assert outcomes["old"] > 0, outcomes     # the kills really interrupted builds
