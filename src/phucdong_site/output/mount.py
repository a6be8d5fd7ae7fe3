"""An OUT that is a mount point (a container volume, an NFS web root) cannot be renamed or
exchanged: the build stages inside it and moves the new site in, one top-level entry at a time."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

INSIDE = ".phucdong-site.building-"      # + PID: the staging folder inside such an OUT
_REPLACED = ".phucdong-site.replaced"    # in the staging folder: what the swap took out
KEPT = ("lost+found",)     # a filesystem's own, at its root: never taken out of a mount point


def is_mount_point(path: Path) -> bool:
    """A filesystem is mounted at PATH, so it cannot be renamed (EBUSY): os.path.ismount,
    and Linux's mount table for a bind mount of a folder of the same filesystem, which
    ismount cannot tell from any folder."""
    if not path.is_dir():
        return False
    if os.path.ismount(path):
        return True
    try:
        with open("/proc/self/mountinfo", "rb") as table:
            lines = table.read().splitlines()
    except OSError:
        return False
    real = os.fsencode(os.path.realpath(path))
    return any(len(fields) > 4 and _unescape(fields[4]) == real
               for fields in (line.split(b" ") for line in lines))


def _unescape(field: bytes) -> bytes:
    # The table writes a space, tab, newline or backslash in a path as \040, \011, \012, \134.
    return re.sub(rb"\\([0-7]{3})", lambda match: bytes([int(match[1], 8)]), field)


def copy_inside(staging: Path, inside: Path) -> None:
    """STAGING's tree again as INSIDE, hard links where the filesystem allows, else copies:
    for a mount point found only when the swap was refused (EBUSY, EXDEV)."""
    def link_or_copy(source: str, dest: str) -> None:
        try:
            os.link(source, dest, follow_symlinks=False)
        except OSError:
            shutil.copy2(source, dest, follow_symlinks=False)

    shutil.copytree(staging, inside, symlinks=True, copy_function=link_or_copy)
    os.chmod(inside, 0o700)


def publish_into(staging: Path, out_dir: Path, exchange: Callable[[Path, Path], bool]) -> None:
    """Move the top-level entries of STAGING, a folder inside OUT_DIR, into OUT_DIR, and take
    out those the build no longer makes; what they replace is left in STAGING, to be removed.

    Each entry is replaced in one step where the system allows it (EXCHANGE, else a rename
    over a file); a folder where there is no exchange (NFS) is renamed aside, then the new
    one in, with a moment between. Each entry is whole; the site is not, for the
    milliseconds of this loop (a visitor may get a new page beside an old one). The home
    page goes last. If a step fails, every step done is undone, then the error raised."""
    names = sorted(os.listdir(staging), key=lambda name: (name == "index.html", name))
    aside = staging / _REPLACED
    aside.mkdir()
    done: list[tuple[str, str]] = []
    try:
        for name in names:
            live, fresh = out_dir / name, staging / name
            if not os.path.lexists(live):
                os.rename(fresh, live)
                done.append(("added", name))
            elif exchange(fresh, live):
                done.append(("exchanged", name))
            elif not _is_folder(live) and not _is_folder(fresh):
                os.link(live, aside / name, follow_symlinks=False)    # to undo with
                os.replace(fresh, live)
                done.append(("moved", name))
            else:
                os.rename(live, aside / name)
                done.append(("removed", name))
                os.rename(fresh, live)
                done[-1] = ("moved", name)
        kept = set(names)
        for name in sorted(os.listdir(out_dir)):
            if name not in kept and name not in KEPT and not name.startswith(INSIDE):
                os.rename(out_dir / name, aside / name)
                done.append(("removed", name))
    except BaseException as error:
        if not _undo(done, staging, out_dir, aside, exchange):
            raise PartlyPublished(error.errno if isinstance(error, OSError) else None,
                                  str(error), str(out_dir)) from error
        raise


class PartlyPublished(OSError):
    """A step of publish_into failed, and so did undoing the steps before it."""


def _undo(done: list[tuple[str, str]], staging: Path, out_dir: Path, aside: Path,
          exchange: Callable[[Path, Path], bool]) -> bool:
    """Undo DONE's steps, last first; False if one of them could not be undone."""
    whole = True
    for step, name in reversed(done):
        live, fresh = out_dir / name, staging / name
        try:
            if step == "exchanged":
                whole &= exchange(fresh, live)
            elif step == "added":
                os.rename(live, fresh)
            elif step == "moved":
                os.rename(live, fresh)
                os.rename(aside / name, live)
            else:
                os.rename(aside / name, live)
        except OSError:
            whole = False
    return whole


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()
