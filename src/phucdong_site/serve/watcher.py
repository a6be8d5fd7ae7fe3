"""Watch a site's sources and hand out debounced batches of changes for `serve`.

watchfiles (Rust `notify`: inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows) reports changes as the system sees them instead of rescanning the tree, so an
idle `serve` costs nothing on a site of thousands of articles. It is a runtime dependency
of `serve` only; `build` and `check` never import it.

Only content/, templates/, static/, root/ and data/ (the counted views) are watched
recursively, plus the site folder itself without recursion (for site.toml, and for one of
those folders being created), and the folder of the logo site.toml names (the icons are
made from it). Watching the whole site folder
would also watch build/ and .cache/, where every rebuild writes thousands of files.
"""

from __future__ import annotations

import enum
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from phucdong_site.config import CONFIG_NAME

WATCHED_DIRS = ("content", "templates", "static", "root", "data")
# A save storm (an editor saving 20 times, a sync tool copying a folder) becomes one batch
# or two: a batch closes once the tree has been quiet for QUIET_SECONDS, or MAX_WAIT_SECONDS
# after its first change, so a stream of changes that never pauses still shows up. An
# editor's save is one burst of events within a few milliseconds (watchfiles groups each
# burst over its STEP_MS), and every millisecond of quiet is added to the reload the editor
# waits for: the quiet time is short, unless the last batch closed less than STORM_SECONDS
# ago. Then the changes are a storm, and the batch waits STORM_QUIET_SECONDS of quiet.
QUIET_SECONDS = 0.02
STORM_SECONDS = 1.0
STORM_QUIET_SECONDS = 0.3
STEP_MS = 10
MAX_WAIT_SECONDS = 2.0
# Files editors write beside the real one while saving (vim's probe file "4913",
# LibreOffice's lock files, partial downloads); the default filter of watchfiles already
# drops .swp, ~ backups, .#emacs locks and .DS_Store.
NOISE_SUFFIXES = (".tmp", ".part", ".crdownload", ".swx", "~")
NOISE_NAMES = {"4913"}


class ChangeKind(enum.Enum):
    """What a changed file is, which decides what a rebuild must redo."""

    CONTENT = "content"          # an article or a photo
    TEMPLATES = "templates"      # every page may change
    STATIC = "static"            # fingerprinted names change in every page
    CONFIG = "config"            # site.toml: everything, and it is read again
    ROOT = "root"                # a file of root/, copied as it is to the output's root
    DATA = "data"                # data/luot-xem.csv: the counted views, shown on pages


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    path: Path                   # relative to the site folder


def classify(path: Path, site_dir: Path, logo: Path | None = None) -> ChangeKind | None:
    """The kind of a changed PATH, or None for a file no build reads (temporary files etc.).
    LOGO: the logo site.toml names, relative to the site folder: a change of the site's
    identity, as site.toml's."""
    try:
        relative = path.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return None
    parts = relative.parts
    if not parts:
        return None
    if logo is not None and relative == logo:
        return ChangeKind.CONFIG
    name = parts[-1]
    if name.startswith(("~", ".#")) or name in NOISE_NAMES or name.endswith(NOISE_SUFFIXES):
        return None
    if len(parts) > 1 and parts[0] == "root" and ".git" not in parts:
        return ChangeKind.ROOT   # published as they are, hidden ones (.well-known/) too
    if name.startswith("."):
        return None
    if len(parts) == 1:
        return ChangeKind.CONFIG if name == CONFIG_NAME else _created_dir(parts[0])
    if any(part.startswith(".") for part in parts[1:-1]):
        return None
    return _created_dir(parts[0])


def _created_dir(name: str) -> ChangeKind | None:
    return {"content": ChangeKind.CONTENT, "templates": ChangeKind.TEMPLATES,
            "static": ChangeKind.STATIC, "root": ChangeKind.ROOT,
            "data": ChangeKind.DATA}.get(name)


class Watcher:
    """Watches SITE_DIR on background threads; next_batch() returns debounced changes."""

    def __init__(self, site_dir: Path, quiet: float = QUIET_SECONDS,
                 max_wait: float = MAX_WAIT_SECONDS,
                 logo: Callable[[], Path | None] = lambda: None):
        """LOGO: the logo site.toml names now (asked again whenever site.toml changes)."""
        self.site_dir = site_dir.resolve()
        self.logo_of, self.logo = logo, logo()
        self.quiet, self.max_wait = quiet, max_wait
        self._last_batch = float("-inf")     # when the last batch closed (monotonic)
        self.changes: queue.Queue[Change] = queue.Queue()
        self.stopping = threading.Event()
        self._tree_stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._watched: tuple[Path, ...] = ()

    def start(self) -> None:
        self._spawn(self._watch_top)
        self._restart_tree_watch()

    def stop(self) -> None:
        self.stopping.set()
        self._tree_stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def next_batch(self, timeout: float | None = None) -> tuple[Change, ...] | None:
        """The next group of changes, once they have settled; None after TIMEOUT seconds."""
        try:
            first = self.changes.get(timeout=timeout)
        except queue.Empty:
            return None
        batch = {first: None}
        now = time.monotonic()
        quiet = (self.quiet if now - self._last_batch > STORM_SECONDS else
                 max(self.quiet, STORM_QUIET_SECONDS))
        deadline = now + self.max_wait
        while (left := deadline - time.monotonic()) > 0:
            try:
                batch[self.changes.get(timeout=min(quiet, left))] = None
            except queue.Empty:
                break
        self._last_batch = time.monotonic()
        return tuple(batch)

    def has_changes(self) -> bool:
        """Whether changes are waiting for next_batch()."""
        return not self.changes.empty()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True,
                                  name=f"watch-{target.__name__}")
        thread.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _restart_tree_watch(self) -> None:
        self.logo = self.logo_of()
        dirs = tuple(self.site_dir / name for name in WATCHED_DIRS
                     if (self.site_dir / name).is_dir())
        if self.logo is not None and len(self.logo.parts) > 1 \
                and self.logo.parts[0] not in WATCHED_DIRS \
                and (folder := self.site_dir / self.logo.parent).is_dir():
            dirs += (folder,)            # a logo at the top is the top watch's
        if dirs == self._watched:
            return
        self._tree_stop.set()
        self._tree_stop = threading.Event()
        self._watched = dirs
        if dirs:
            self._spawn(self._watch, dirs, True, self._tree_stop)

    def _watch_top(self) -> None:
        self._watch((self.site_dir,), False, self.stopping)

    def _watch(self, paths: tuple[Path, ...], recursive: bool, stop: threading.Event) -> None:
        # step: how long watchfiles waits for more events before yielding a group; our own
        # debounce in next_batch() merges the groups of both watchers.
        for events in watchfiles.watch(*paths, recursive=recursive, stop_event=stop,
                                       step=STEP_MS, rust_timeout=500, yield_on_timeout=False,
                                       raise_interrupt=False):
            for _, name in events:
                path = Path(name)
                kind = classify(path, self.site_dir, self.logo)
                if kind is None:
                    continue
                if not recursive and path.name in (*WATCHED_DIRS, CONFIG_NAME):
                    self._restart_tree_watch()      # a folder made, or the logo moved
                self.changes.put(Change(kind, path.resolve().relative_to(self.site_dir)))
