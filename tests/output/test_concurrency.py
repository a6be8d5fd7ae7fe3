"""A second build of the same output waits for the first; a killed holder frees the lock."""

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


def test_a_second_build_waits_for_the_first(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    holder = hold_lock(site.root, 1.5)
    started = time.monotonic()
    result = run_cli("build", str(site.root))
    waited = time.monotonic() - started
    holder.wait(timeout=10)
    assert result.returncode == 0, result.stderr
    assert "waiting for another build" in result.stderr
    assert waited >= 1.0


def test_a_killed_build_does_not_leave_a_stale_lock(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    holder = hold_lock(site.root, 60)
    holder.kill()
    holder.wait(timeout=10)
    result = run_cli("build", str(site.root), timeout=20)
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stderr

