"""system.py's facilities, natively and with the portable paths forced (PHUCDONG_SITE_PORTABLE=1
in a child process): each must keep its promise on whichever path it takes."""

import os
import subprocess
import sys

import pytest

from phucdong_site import system

PORTABLE = {**os.environ, "PHUCDONG_SITE_PORTABLE": "1"}
NATIVE = {key: value for key, value in os.environ.items() if key != "PHUCDONG_SITE_PORTABLE"}

LOCKS = """
import os, sys, threading, time
from pathlib import Path
from phucdong_site import system
folder = Path(sys.argv[1])
first = system.open_lock(folder, ".out.lock")
second = system.open_lock(folder, ".out.lock")
assert system.lock(first, wait=False)
# a second lock of the same file in this process waits, as another process's would
assert not system.lock(second, wait=False)
got = []
waiter = threading.Thread(target=lambda: got.append(system.lock(second, wait=True)))
waiter.start()
time.sleep(0.3)
assert got == [], "the second lock did not wait"
system.unlock(first)                # closing the first frees it for the second, only then
waiter.join(5)
assert got == [True]
# and closing another descriptor of the file does not free the second's lock
third = system.open_lock(folder, ".out.lock")
assert not system.lock(third, wait=False)
system.unlock(third)
fourth = system.open_lock(folder, ".out.lock")
assert not system.lock(fourth, wait=False)
print("ok", system.lock_path(folder, ".out.lock")[1])
"""


@pytest.mark.parametrize("env, lock_file", [(NATIVE, False), (PORTABLE, True)],
                         ids=["native", "portable"])
def test_a_lock_excludes_its_own_process_too_and_only_its_holder_frees_it(tmp_path, env,
                                                                        lock_file):
    result = subprocess.run([sys.executable, "-c", LOCKS, str(tmp_path)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", str(lock_file)]
    assert (tmp_path / ".out.lock").exists() == lock_file   # flock locks the folder itself


HOLD = """
import sys, time
from pathlib import Path
from phucdong_site import system
fd = system.open_lock(Path(sys.argv[1]), ".out.lock")
system.lock(fd, wait=True)
print("locked", flush=True)
time.sleep(60)
"""

TRY = """
import sys
from pathlib import Path
from phucdong_site import system
fd = system.open_lock(Path(sys.argv[1]), ".out.lock")
print(system.lock(fd, wait=False))
"""


@pytest.mark.parametrize("env", [NATIVE, PORTABLE], ids=["native", "portable"])
def test_a_lock_is_freed_when_its_holder_is_killed(tmp_path, env):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        tried = subprocess.run([sys.executable, "-c", TRY, str(tmp_path)], env=env,
                               capture_output=True, text=True, timeout=60)
        assert tried.stdout.strip() == "False", tried.stderr
    finally:
        holder.kill()
        holder.wait(timeout=10)
    tried = subprocess.run([sys.executable, "-c", TRY, str(tmp_path)], env=env,
                           capture_output=True, text=True, timeout=60)
    assert tried.stdout.strip() == "True", tried.stderr


EXCHANGE = """
import sys
from pathlib import Path
from phucdong_site import system
a, b = Path(sys.argv[1]), Path(sys.argv[2])
print(system.exchange(a, b))
"""


@pytest.mark.parametrize("env, swapped", [(NATIVE, True), (PORTABLE, False)],
                         ids=["native", "portable"])
def test_exchange_swaps_two_folders_in_one_step_or_says_it_cannot(tmp_path, env, swapped):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "which").write_text("a")
    (b / "which").write_text("b")
    result = subprocess.run([sys.executable, "-c", EXCHANGE, str(a), str(b)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == str(swapped), result.stderr
    assert (a / "which").read_text() == ("b" if swapped else "a")


def test_the_switch_is_read_in_one_place():
    """Only system.py reads PHUCDONG_SITE_PORTABLE; everything else asks system.py."""
    package = os.path.dirname(system.__file__)
    readers = [os.path.relpath(os.path.join(folder, name), package)
               for folder, _, names in os.walk(package) for name in names
               if name.endswith(".py") and "PHUCDONG_SITE_PORTABLE" in
               open(os.path.join(folder, name), encoding="utf-8").read()]
    assert readers == ["system.py"]


def test_flush_to_disk_takes_each_path(tmp_path):
    """syncfs natively, os.sync on the portable path; Windows' file-by-file flush is run
    here directly, since no switch can take os.sync away from this process."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "file.html").write_bytes(b"x" * 1000)
    os.symlink("sub/file.html", tmp_path / "link")
    os.symlink("missing", tmp_path / "dangling")
    for env in (NATIVE, PORTABLE):
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                        "from phucdong_site import system; system.sync_filesystem(Path(sys.argv[1]))",
                        str(tmp_path)], env=env, check=True, timeout=60)
    system.fsync_each(tmp_path)
