"""A build killed at any moment leaves the output exactly old or exactly new, and the next
build equals a clean one."""

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, tree_bytes

from phucdong_site import system

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402

KILLS = 30

# Where the swap is two renames (the portable paths), OUT is old or new once the next
# command has taken its lock (output/swap.py); the lock alone is that command here.
RECOVER = """
import sys
from pathlib import Path
from phucdong_site import system
from phucdong_site.output import lock_output
system.unlock(lock_output(Path(sys.argv[1])))
"""


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


@pytest.fixture
def workdir(tmp_path):
    """A RAM disk when root can mount one (CI runs as root): the test is about when the
    swap happens, and a shared disk's flushes would only make its 90 builds slow."""
    mount = tmp_path / "ram"
    mount.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1g", "tmpfs", str(mount)],
        capture_output=True).returncode == 0
    yield mount
    if mounted:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_killed_builds_leave_old_or_new_output_and_recover(workdir):
    tmp_path = workdir
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
        build = start_build(site)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        if system.PORTABLE:
            subprocess.run([sys.executable, "-c", RECOVER, str(out)], check=True, timeout=60)
        killed = digest(out)
        # the next build recovers, and no staging folder is left behind
        assert start_build(site).wait(timeout=300) == 0
        new = digest(out)
        assert killed in (old, new), f"round {round_}: output is neither the old nor the new site"
        outcomes["old" if killed == old else "new"] += 1
        leftovers = [p.name for p in site.iterdir()
                     if p.name.startswith(".build.") and p.name != ".build.lock"]
        assert leftovers in ([], [".build.previous"])      # kept for the next build
        if round_ % 10 == 9:
            # and what it recovered to is exactly a clean build of the same content
            clean = tmp_path / f"clean-{round_}"
            shutil.rmtree(site / ".cache", ignore_errors=True)
            assert start_build(site, "-o", str(clean)).wait(timeout=300) == 0
            assert digest(clean) == new
    assert outcomes["old"] > 0, outcomes     # the kills really interrupted builds
