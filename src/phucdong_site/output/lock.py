"""One build of an output at a time: a lock on OUT's parent folder, freed when its holder dies."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from phucdong_site import system
from phucdong_site.output.mount import INSIDE
from phucdong_site.output.swap import recover
from phucdong_site.report import Progress


def lock_output(out_dir: Path, progress: Progress = Progress(), *, shared: bool = False) -> int:
    """Hold a lock on OUT_DIR's folder until the returned fd is given to system.unlock, then
    recover a swap a killed build left halfway (swap.py). Exclusive for a build; SHARED for
    a deploy, which reads the output while other deploys may too.

    A second build or serve of the same output waits here instead of interleaving. The
    system drops the lock when its holder dies, so a killed build never leaves a stale
    lock. Where folders can be locked (flock) the lock is OUT's parent folder itself and
    leaves no file behind; elsewhere it is the file .OUT.lock beside OUT, which stays.
    """
    fd = system.open_lock(out_dir.parent, f".{out_dir.name}.lock")
    try:
        if not system.lock(fd, wait=False, shared=shared):
            progress.waiting(out_dir)
            system.lock(fd, wait=True, shared=shared)
        recover(out_dir)
    except BaseException:
        system.unlock(fd)
        raise
    return fd


@contextlib.contextmanager
def quiet_output(out_dir: Path):
    """Yield True, holding OUT's lock, if no build of OUT is running or left anything
    behind (a killed build's staging folder); else yield False at once, without waiting."""
    out_dir = Path(os.path.realpath(out_dir))      # a symbolic link's target: see Staging
    try:
        fd = system.open_lock(out_dir.parent, f".{out_dir.name}.lock")
    except OSError:
        yield False
        return
    try:
        held = system.lock(fd, wait=False)
    except OSError:
        held = False
    if not held:
        system.unlock(fd)
        yield False
        return
    try:
        yield not leftovers(out_dir)
    finally:
        system.unlock(fd)


def leftovers(out_dir: Path) -> list[Path]:
    """The staging folders of builds of OUT_DIR that were killed before they cleaned up:
    beside it, or inside it when it is a mount point (mount.py)."""
    return [*(path for prefix in (f".{out_dir.name}.building-", f".{out_dir.name}.old-",
                                  f".{out_dir.name}.swapping.tmp-")
              for path in out_dir.parent.glob(f"{prefix}*")),
            *out_dir.glob(f"{INSIDE}*")]
