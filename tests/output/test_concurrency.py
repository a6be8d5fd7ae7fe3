"""A second build of the same output waits for the first; a killed holder frees the lock."""

import os
import subprocess
import sys
import time

from conftest import run_cli

# The lock a build takes (system.py chooses it: flock on the folder, or a lock file beside
# OUT where the portable paths are forced), held by another process.
HOLD = """
import sys, time
from pathlib import Path
from phucdong_site.output import lock_output
fd = lock_output(Path(sys.argv[1]))
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_lock(folder, seconds):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(folder / "build"), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_build_waits_for_the_first(site, tmp_path):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    holder = hold_lock(site.root, 600)
    # The lock is let go only once the build says it waits: however long the build takes
    # to get there (its imports, its plan), it finds the lock held.
    errors = tmp_path / "stderr"
    with errors.open("wb") as stderr:
        build = subprocess.Popen([sys.executable, "-m", "phucdong_site", "build",
                                  str(site.root)], stdout=subprocess.DEVNULL, stderr=stderr,
                                 env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        deadline = time.monotonic() + 120
        while "waiting for another build" not in errors.read_text(encoding="utf-8"):
            assert build.poll() is None, errors.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the build never said it waits"
            time.sleep(0.05)
        time.sleep(0.5)
        assert build.poll() is None            # still waiting while the lock is held
        holder.kill()
        holder.wait(timeout=10)
        assert build.wait(timeout=120) == 0, errors.read_text(encoding="utf-8")
    finally:
        holder.kill()
        build.kill()
    assert (site.root / "build" / "index.html").is_file()


def test_a_killed_build_does_not_leave_a_stale_lock(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    holder = hold_lock(site.root, 60)
    holder.kill()
    holder.wait(timeout=10)
    result = run_cli("build", str(site.root), timeout=20)
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stderr

