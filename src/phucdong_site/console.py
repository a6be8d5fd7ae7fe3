"""The terminal: the one module that draws what a build is doing.

Hand-written rather than rich/tqdm: the build has three counters (files parsed, pages
rendered, photos processed) and needs one redrawn line, which is thirty lines of code;
a progress library would be the largest dependency of the tool for that. Redraws are
throttled so that counting a page costs one integer addition and one clock read.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from phucdong_site import system
from phucdong_site.errors import ContentError, hint_label, warning_label
from phucdong_site.language import _, decimal, ngettext
from phucdong_site.report import Progress

REDRAW_SECONDS = 0.1


def stage_name(stage: str) -> str:
    """A stage as the pipeline reports it ("parse"), as the editor reads it."""
    names = {"parse": _("reading articles"), "render": _("rendering pages"),
             "photos": _("processing photos"), "compress": _("compressing files"),
             "upload": _("uploading files"), "delete": _("deleting files"),
             "views": _("reading logs (MB)")}
    return names.get(stage, stage)


def waiting_line(out_dir: Path) -> str:
    return _("waiting for another build of {folder} to finish…").format(folder=out_dir)


class QuietProgress(Progress):
    """-q: no counters, but a build that waits for another still says so."""

    def __init__(self, stream: TextIO = sys.stderr):
        self.stream = stream

    def waiting(self, out_dir: Path) -> None:
        print(waiting_line(out_dir), file=self.stream, flush=True)


class TerminalProgress(Progress):
    """Counts stages; redraws one line on a terminal, and prints stage lines when verbose."""

    def __init__(self, stream: TextIO = sys.stderr, *, live: bool | None = None,
                 verbose: bool = False):
        self.stream = stream
        self.live = stream.isatty() if live is None else live
        self.verbose = verbose
        self.counts: dict[str, tuple[int, int]] = {}    # stage -> (done, total)
        self.current = ""
        self.started = time.perf_counter()
        self.next_draw = 0.0
        self.drawn = False
        self.drawn_width = 0

    def stage(self, name: str, total: int) -> None:
        self._end_stage()
        self.current = name
        self.counts[name] = (0, total)
        self.started = time.perf_counter()
        self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        done, total = self.counts[self.current]
        self.counts[self.current] = (done + count, total)
        if self.live and time.perf_counter() >= self.next_draw:
            self._draw()

    def waiting(self, out_dir: Path) -> None:
        self._clear()
        print(waiting_line(out_dir), file=self.stream, flush=True)

    def finish(self) -> None:
        self._end_stage()
        self._clear()
        self.current = ""

    def _end_stage(self) -> None:
        if not self.current:
            return
        if self.verbose:
            done = self.counts[self.current][0]
            seconds = time.perf_counter() - self.started
            self._clear()
            line = _("{stage}: {count} in {seconds} s").format(
                stage=stage_name(self.current), count=done, seconds=decimal(seconds, 2))
            print(line, file=self.stream, flush=True)
        self._draw(force=True)

    def line(self) -> str:
        """The live line: every stage so far, e.g. "đọc bài 1000/1000 · dựng trang 12/1120"."""
        return " · ".join(f"{stage_name(name)} {done}/{total}"
                          for name, (done, total) in self.counts.items())

    def _draw(self, force: bool = False) -> None:
        if not self.live or not (force or time.perf_counter() >= self.next_draw):
            return
        self.next_draw = time.perf_counter() + REDRAW_SECONDS
        # \r and clear-to-end-of-line: the line shrinks cleanly when a count gets shorter.
        # A console without escape codes (Windows') gets spaces over the longer line.
        line = self.line()
        if system.terminal_escapes():
            self.stream.write(f"\r{line}\x1b[K")
        else:
            self.stream.write(f"\r{line.ljust(self.drawn_width)}")
        self.stream.flush()
        self.drawn, self.drawn_width = True, len(line)

    def _clear(self) -> None:
        if self.drawn:
            if system.terminal_escapes():
                self.stream.write("\r\x1b[K")
            else:
                self.stream.write(f"\r{' ' * self.drawn_width}\r")
            self.stream.flush()
            self.drawn, self.drawn_width = False, 0


def print_warnings(warnings: Iterable[ContentError], stream: TextIO | None = None) -> None:
    """Problems that did not stop the build, on stderr, each marked as a warning."""
    stream = stream or sys.stderr
    for warning in warnings:
        where = f"{warning.path}:{warning.line}" if warning.line else warning.path
        print(f"{where}: {warning_label()}: {warning.message}", file=stream)
        if warning.hint:
            print(f"  {hint_label()}: {warning.hint}", file=stream)


def checked_line(articles: int, pages: int, documents: int) -> str:
    """What `check` found no problem in, in the editor's words: the articles, the pages of
    content/trang/ and the documents of the register, the last two when there are any."""
    if not (pages or documents):
        return ngettext("{count} article: no problems found",
                        "{count} articles: no problems found", articles).format(count=articles)
    parts = [ngettext("{count} article", "{count} articles", articles).format(
        count=articles)] if articles else []
    if pages:
        parts.append(ngettext("{count} page of content/trang/",
                              "{count} pages of content/trang/", pages).format(count=pages))
    if documents:
        parts.append(ngettext("{count} document", "{count} documents", documents).format(
            count=documents))
    items = parts[0] if len(parts) == 1 else _("{items} and {last}").format(
        items=", ".join(parts[:-1]), last=parts[-1])
    return _("{items}: no problems found").format(items=items)


def summary(articles: int, pages: int, photos: int, seconds: float) -> str:
    """The one-line summary of a build, in the editor's words."""
    parts = (ngettext("{count} article", "{count} articles", articles).format(count=articles),
             ngettext("{count} page", "{count} pages", pages).format(count=pages),
             ngettext("{count} photo", "{count} photos", photos).format(count=photos))
    return _("{parts} in {seconds} s").format(parts=", ".join(parts), seconds=decimal(seconds, 1))


# Letters and signs the messages use; a stream that cannot write them all is changed.
_SAMPLE = "Phường Phúc Đồng → … · ×"


def write_every_letter(*streams: TextIO) -> None:
    """Make STREAMS able to print every message. Windows writes output sent to a file or a
    pipe (a log of the publish timer, `build > log.txt`) in its ANSI code page, cp1252 or
    cp1258, which has neither 'ờ' nor '→': the first message would fail the command. Such
    a stream writes UTF-8 instead (what Notepad and every editor read); a terminal that
    cannot show those letters (its console is UTF-8 on Windows) gets \\u escapes."""
    for stream in streams:
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue
        try:
            _SAMPLE.encode(encoding)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        try:
            if stream.isatty():
                stream.reconfigure(errors="backslashreplace")
            else:
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (OSError, ValueError):
            pass
