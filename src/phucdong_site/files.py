"""Files the tool writes and trusts: one stamp, one rule for "settled", atomic writes,
and checksummed pickles.

A stamp (size, mtime, inode) that is unchanged means unchanged bytes, as git trusts its
index: but only for a stamp taken once the file's last change had settled, since a file
written in the same clock tick as the stamp may change again without changing it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import NamedTuple

SETTLED_NS = 2_000_000_000       # coarse file systems keep mtimes in whole seconds
MAGIC = b"phucdong-site article cache 5\n"   # heads every checksummed file


class FileStamp(NamedTuple):
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path | str) -> FileStamp:
        """The stamp of PATH (a link is followed)."""
        return cls.from_stat(os.stat(path))

    @classmethod
    def from_stat(cls, stat: os.stat_result) -> FileStamp:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ino)


def leaves(path: Path, folder: Path) -> bool:
    """Whether PATH, once every symbolic link on its way is followed, is outside FOLDER.
    The one rule for every file a build reads to publish (articles, pages, documents,
    photos, attachments, static files, templates, root/): a committed link to
    /proc/self/environ or ~/.ssh would publish that file. Links within FOLDER are fine."""
    return not path.resolve().is_relative_to(folder.resolve())


def settled(mtime_ns: int, now_ns: int | None = None, margin_ns: int = SETTLED_NS) -> bool:
    """A file last changed at MTIME_NS has settled by NOW_NS: its stamp can be trusted.
    MARGIN_NS: the clock's precision (a folder seen to keep nanoseconds may pass less)."""
    return (time.time_ns() if now_ns is None else now_ns) - mtime_ns > margin_ns


def write_atomically(path: Path, data: bytes) -> None:
    """PATH holds DATA whole or not at all, even if the process dies mid-write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def write_checked(file: Path, value: object) -> None:
    """VALUE pickled behind a header and its sha256; a failure to write only costs a
    later rebuild of what it held."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomically(file, MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n"
                         + payload)
    except OSError:
        pass


def read_checked(file: Path) -> object:
    """What write_checked stored in FILE, or None if it is missing, truncated, corrupt or
    written by another version of this tool."""
    try:
        data = file.read_bytes()
    except OSError:
        return None
    header = len(MAGIC) + 65
    if not data.startswith(MAGIC) or len(data) < header:
        return None
    payload = data[header:]
    if hashlib.sha256(payload).hexdigest().encode() != data[len(MAGIC):header - 1]:
        return None
    try:
        return pickle.loads(payload)
    except Exception:            # a class that changed shape since it was written
        return None
