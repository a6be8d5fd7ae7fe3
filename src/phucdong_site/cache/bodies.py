"""The build cache's bodies files: article bodies, read a span at a time.

A rebuild loads every cached article, but renders the pages of only a few: holding each
body in memory was a third of the cache's load time and 100 MB at 10,000 articles. A body
from the cache is a span of one of its files, held open from the moment the cache is
read: another build (serve beside build) may replace the file and remove its name, and
the span still reads what this build loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

from phucdong_site import system
from phucdong_site.files import FileStamp


class BodiesFile:
    """A bodies file of the build cache, open for reading spans (forked workers too)."""

    __slots__ = ("name", "_fd")

    def __init__(self, path: Path):
        self.name = path.name
        self._fd = os.open(path, os.O_RDONLY | system.O_BINARY)

    def stamp(self) -> FileStamp:
        return FileStamp.from_stat(os.fstat(self._fd))

    def read(self, start: int, length: int) -> bytes:
        data = system.read_at(self._fd, length, start)
        if len(data) != length:
            raise OSError(f"{self.name}: shorter than the cache recorded")
        return data

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)         # unset when the file could not be opened
        if fd is not None:
            os.close(fd)
