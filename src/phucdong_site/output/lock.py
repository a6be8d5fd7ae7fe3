"""One build of an output at a time: a lock on OUT's parent folder, freed when its holder dies."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from phucdong_site.output.mount import INSIDE
from phucdong_site.report import Progress


def lock_folder(folder: Path, out_dir: Path, progress: Progress = Progress()) -> int:
    """Hold an exclusive lock on FOLDER (OUT's parent) until the returned fd is closed.

    A second build or serve of the same output waits here instead of interleaving. The
    kernel drops the lock when its holder dies, so a killed build never leaves a stale lock,
    and locking the folder itself leaves no lock file behind.
    """
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        progress.waiting(out_dir)
        fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


@contextlib.contextmanager
def quiet_output(out_dir: Path):
    """Yield True, holding OUT's lock, if no build of OUT is running or left anything
    behind (a killed build's staging folder); else yield False at once, without waiting."""
    out_dir = Path(os.path.realpath(out_dir))      # a symbolic link's target: see Staging
    try:
        fd = os.open(out_dir.parent, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        yield False
        return
    try:
        yield not leftovers(out_dir)
    finally:
        os.close(fd)


def leftovers(out_dir: Path) -> list[Path]:
    """The staging folders of builds of OUT_DIR that were killed before they cleaned up:
    beside it, or inside it when it is a mount point (mount.py)."""
    return [*(path for prefix in (f".{out_dir.name}.building-", f".{out_dir.name}.old-")
              for path in out_dir.parent.glob(f"{prefix}*")),
            *out_dir.glob(f"{INSIDE}*")]
