"""An article's HTML body: its text, or where the build cache keeps it, read when used.

A rebuild loads every cached article, but renders the pages of only a few: holding each
body in memory was a third of the cache's load time and 100 MB at 10,000 articles. A body
from the cache is a span of one of its files, held open from the moment the cache is
read: another build (serve beside build) may replace the file and remove its name, and
the span still reads what this build loaded.
"""

from __future__ import annotations

import os
from pathlib import Path


class BodiesFile:
    """A bodies file of the build cache, open for reading spans (forked workers too)."""

    __slots__ = ("name", "_fd")

    def __init__(self, path: Path):
        self.name = path.name
        self._fd = os.open(path, os.O_RDONLY)

    def stamp(self) -> tuple[int, int, int]:
        stat = os.fstat(self._fd)
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def read(self, start: int, length: int) -> bytes:
        data = os.pread(self._fd, length, start)
        if len(data) != length:
            raise OSError(f"{self.name}: shorter than the cache recorded")
        return data

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)         # unset when the file could not be opened
        if fd is not None:
            os.close(fd)


class Body:
    """The HTML of a body. MD_LINKS: whether it may hold links to .md files (see
    links.link_sources), None until someone looked."""

    __slots__ = ("_text", "file", "start", "length", "md_links")

    def __init__(self, text: str | None = None, *, file: BodiesFile | str | None = None,
                 start: int = 0, length: int = 0, md_links: bool | None = None):
        self._text, self.file, self.start, self.length = text, file, start, length
        self.md_links = md_links

    @classmethod
    def stored(cls, name: str, start: int, length: int, md_links: bool | None) -> Body:
        """A body in the cache's bodies file NAME; the cache opens that file once loaded."""
        return cls(file=name, start=start, length=length, md_links=md_links)

    @property
    def html(self) -> str:
        """The text; a stored body is read each time, not kept: a page reads its body once,
        and a cold build's workers would otherwise each keep what they rendered."""
        if self._text is None:
            assert isinstance(self.file, BodiesFile), "a stored body read before it was placed"
            return self.file.read(self.start, self.length).decode("utf-8")
        return self._text

    @property
    def loaded(self) -> bool:
        return self._text is not None

    def store(self, file: BodiesFile, start: int, length: int) -> None:
        """The body is now that span of FILE: its text leaves memory until read again."""
        self.file, self.start, self.length, self._text = file, start, length, None

    def __eq__(self, other: object) -> bool:
        return self is other or isinstance(other, Body) and self.html == other.html

    def __hash__(self) -> int:
        return hash(self.html)

    def __repr__(self) -> str:
        return f"Body({self.html[:40]!r}…)" if self.loaded else f"Body({self.file}@{self.start})"

    def __reduce__(self):
        # Written to the cache as its span when it has one (see ArticleCache.save); else,
        # as in page keys, as its text.
        if self.file is not None:
            name = self.file.name if isinstance(self.file, BodiesFile) else self.file
            return Body.stored, (name, self.start, self.length, self.md_links)
        return _body, (self.html, self.md_links)


def _body(text: str, md_links: bool | None) -> Body:
    return Body(text, md_links=md_links)
