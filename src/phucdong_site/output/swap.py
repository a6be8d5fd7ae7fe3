"""The step that publishes: the staging folder takes OUT's place.

Where the system swaps two folders in one step (Linux, macOS), a build killed at any moment
leaves the old site or the new one at OUT. Elsewhere (Windows, or a filesystem that refuses
the swap) it takes two renames, OUT aside and then the new site in, and a build killed
between them leaves no OUT at all. Before the first rename it writes a record of both names
beside OUT, .OUT.swapping; the next command that takes OUT's lock reads it first and
finishes the swap (recover), so that OUT is again the new site, or the old one if the new
is gone.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from phucdong_site import system
from phucdong_site.files import write_atomically
from phucdong_site.output.mount import PartlyPublished


def swap_in(staging: Path, out_dir: Path) -> Path | None:
    """Make the folder STAGING the folder OUT_DIR; return where the old output is now (None
    at a first build). Raises OSError with OUT_DIR as it was."""
    if not os.path.lexists(out_dir):
        os.rename(staging, out_dir)
        return None
    if system.exchange(staging, out_dir):
        return staging
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    record = _record(out_dir)
    write_atomically(record, f"{old.name}\n{staging.name}\n".encode())
    try:
        os.rename(out_dir, old)
    except OSError:
        record.unlink()
        raise
    try:
        os.rename(staging, out_dir)
    except OSError as error:
        try:
            os.rename(old, out_dir)
        except OSError:
            # Neither site at OUT: the record stays, for the next command to finish.
            raise PartlyPublished(error.errno, error.strerror, str(out_dir)) from None
        record.unlink()
        raise
    record.unlink()
    return old


def recover(out_dir: Path) -> None:
    """Finish a swap a killed build left halfway: with OUT_DIR's lock held, before anything
    else reads or replaces it."""
    record = _record(out_dir)
    try:
        names = record.read_text(encoding="utf-8").split("\n")
    except (FileNotFoundError, UnicodeDecodeError):
        return
    if not os.path.lexists(out_dir):
        prefix = f".{out_dir.name}."
        # The new site first: the record is written once it is whole. Names outside the
        # build's own (.OUT.old-PID, .OUT.building-PID) are never moved.
        for name in reversed(names[:2]):
            candidate = out_dir.with_name(name)
            if (name.startswith(prefix) and "/" not in name and "\\" not in name
                    and candidate.is_dir() and not candidate.is_symlink()):
                with contextlib.suppress(FileNotFoundError):
                    os.rename(candidate, out_dir)
                    break
    with contextlib.suppress(FileNotFoundError):
        record.unlink()


def _record(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.swapping")
