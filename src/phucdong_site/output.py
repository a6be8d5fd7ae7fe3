"""Build into a staging folder beside the output, then swap it in whole, or not at all."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from pathlib import Path

from phucdong_site.errors import ContentError, SiteError

MARKER = ".phucdong-site"        # marks a folder this tool built, so it may be replaced
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(SiteError):
    """The output folder cannot be written or replaced."""


class Staging:
    """A fresh folder beside OUT that becomes OUT in one step on commit()."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.absolute()
        self.path = self.out_dir.with_name(f".{self.out_dir.name}.building-{os.getpid()}")
        self.written: dict[str, Path | None] = {}

    def __enter__(self) -> Staging:
        check_replaceable(self.out_dir)
        remove_leftovers(self.out_dir)
        try:
            self.path.mkdir(parents=True)
        except OSError as error:
            raise OutputError(f"{self.out_dir}: cannot create the output folder "
                              f"({error.strerror})") from None
        (self.path / MARKER).write_text("built by phucdong-site; safe to replace\n")
        return self

    def __exit__(self, kind, error, tb) -> None:
        if self.path.exists():
            shutil.rmtree(self.path, ignore_errors=True)

    def _claim(self, relative: str, source: Path | None) -> Path:
        if relative in self.written:
            other = self.written[relative]
            raise ContentError(source or Path("?"), None,
                               f"output: /{relative} is also written by "
                               f"{other.as_posix() if other else 'the theme'}")
        self.written[relative] = source
        dest = self.path / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    def write_text(self, relative: str, text: str, source: Path | None = None) -> None:
        self._claim(relative, source).write_text(text, encoding="utf-8")

    def link(self, relative: str, file: Path, source: Path | None = None) -> None:
        """Publish FILE, which is never modified in place (a cache entry), as a hard link:
        no copy, and removing the old output later only drops a link. Copies across
        filesystems."""
        dest = self._claim(relative, source)
        try:
            os.link(file, dest)
        except OSError:
            shutil.copyfile(file, dest)

    def copy(self, relative: str, file: Path, source: Path | None = None) -> None:
        shutil.copyfile(file, self._claim(relative, source))

    def commit(self) -> None:
        """Make the staging folder the output; the old output is removed afterwards."""
        _sync_filesystem(self.path)
        if not self.out_dir.exists():
            os.rename(self.path, self.out_dir)
            return
        if _exchange(self.path, self.out_dir):
            shutil.rmtree(self.path, ignore_errors=True)
            return
        # No atomic exchange on this system: two renames, with the old output kept
        # until the new one is in place.
        old = self.out_dir.with_name(f".{self.out_dir.name}.old-{os.getpid()}")
        os.rename(self.out_dir, old)
        os.rename(self.path, self.out_dir)
        shutil.rmtree(old, ignore_errors=True)


def check_replaceable(out_dir: Path) -> None:
    """Refuse to replace a folder that is not a previous build of this tool."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder; choose another output")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise OutputError(f"{out_dir}: is not empty and was not built by phucdong-site; "
                          "empty it or choose another output with -o")


def remove_leftovers(out_dir: Path) -> None:
    """Remove staging folders of builds that were killed before they could clean up."""
    for prefix in (f".{out_dir.name}.building-", f".{out_dir.name}.old-"):
        for path in out_dir.parent.glob(f"{prefix}*"):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _sync_filesystem(root: Path) -> None:
    # The swap must not reach the disk before the files it publishes: flush the output's
    # filesystem once, rather than fsync each of thousands of files.
    fd = os.open(root, os.O_RDONLY)
    try:
        libc_name = ctypes.util.find_library("c")
        syncfs = getattr(ctypes.CDLL(libc_name), "syncfs", None) if libc_name else None
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)
