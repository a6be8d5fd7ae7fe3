"""Errors an editor can cause, printed like a compiler: `path:line: field: message`."""

from __future__ import annotations

import difflib
import errno
import re
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

from phucdong_site.language import Deferred, _, ngettext


class SiteError(Exception):
    """Base of every error the command line reports without a traceback."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [str(self)]


class UsageError(SiteError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2


class ContentError(SiteError):
    """One problem in one file, at one line when known."""

    def __init__(self, path: PurePath | str, line: int | None, message: str | Deferred,
                 hint: str | Deferred = ""):
        # A file name may hold a newline or bytes that are not UTF-8: shown escaped, so that
        # every problem stays one line and prints on any terminal.
        self.path = escaped(PurePath(path).as_posix())
        self.line = line
        # one problem, one line: library messages sometimes carry their own line breaks.
        # A Deferred text (a warning kept in a cache) is translated each time it is read.
        self._message = (re.sub(r"\s*\n\s*", " ", message) if isinstance(message, str)
                         else message)
        self._hint = hint
        super().__init__(str(self))

    @property
    def message(self) -> str:
        return str(self._message)

    @property
    def hint(self) -> str:
        return str(self._hint)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text}\n  {hint_label()}: {self.hint}" if self.hint else text

    def __reduce__(self):
        # Crosses from worker processes whole: rebuilt from its fields, not from str(self).
        return type(self), (self.path, self.line, self._message, self._hint)

    def sort_key(self) -> tuple[str, int]:
        return (self.path, self.line or 0)


def shown_path(path: PurePath | str) -> str:
    """PATH as a message shows it: a relative path with forward slashes, as everywhere in
    the tool's messages (content/2021/x.md, on Windows too); an absolute one as the system
    writes it (C:\\Users\\…), as the editor typed or will paste it."""
    path = path if isinstance(path, PurePath) else PurePath(path)
    return str(path) if path.is_absolute() else path.as_posix()


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(name: str) -> str:
    """NAME (a path) with what would break a message's line escaped: control characters
    and line separators as \\n, \\xNN or \\uNNNN, and each byte of a name that is not UTF-8
    (Python keeps it as a lone surrogate) as \\xNN. Other names come back as they are."""
    if name.isprintable():
        return name
    return "".join(_escape(char) for char in name)


def _escape(char: str) -> str:
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:              # os.fsdecode's stand-in for one byte
        return f"\\x{code - 0xDC00:02x}"
    if char.isprintable() or unicodedata.category(char) == "Zs":      # a no-break space
        return char
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def hint_label() -> str:
    return _("hint")


def warning_label() -> str:
    return _("warning")


class ErrorList(SiteError):
    """Every problem of a run, reported together."""

    def __init__(self, errors: Iterable[ContentError] = ()):
        self.errors: list[ContentError] = list(errors)
        super().__init__()

    def append(self, error: ContentError) -> None:
        self.errors.append(error)

    def extend(self, errors: Iterable[ContentError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ErrorList(sorted(self.errors, key=ContentError.sort_key))

    def lines(self) -> list[str]:
        count = len(self.errors)
        found = ngettext("{count} problem found", "{count} problems found", count)
        return [str(error) for error in self.errors] + [found.format(count=count)]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def field_label(name: str) -> str:
    """The place of a problem that is not a key of the file (those stay as the editor wrote
    them: title, photos[0].src): "front matter", "body", "link", … in the editor's words."""
    labels = {"front matter": _("front matter"), "file": _("file"), "body": _("body"),
              "link": _("link"), "image": _("image"), "photo": _("photo"),
              "output": _("output"), "template": _("template")}
    return labels.get(name, name)


def os_reason(error: OSError) -> str:
    """Why a file or network call failed, in the editor's language; the system's own words
    (English, from the C library) only for the rare cases not listed here."""
    reasons = {
        errno.ENOSPC: _("the disk is full"),
        errno.EDQUOT: _("the disk quota is used up"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EROFS: _("the disk is read-only"),
        errno.ENOENT: _("no such file or folder"),
        errno.EEXIST: _("already exists"),
        errno.ENOTDIR: _("not a folder"),
        errno.EISDIR: _("is a folder"),
        errno.ENAMETOOLONG: _("the name is too long"),
        errno.EIO: _("the disk could not be read or written (input/output error)"),
        errno.EADDRINUSE: _("the address is already in use"),
        errno.EADDRNOTAVAIL: _("this computer has no such address"),
    }
    return reasons.get(error.errno or 0) or error.strerror or str(error)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return _("did you mean '{word}'?").format(word=close[0]) if close else ""
