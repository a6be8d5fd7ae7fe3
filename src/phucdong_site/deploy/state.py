"""What a target holds as far as this site knows: the files its deploys put there, recorded as
they land (a killed deploy resumes from it), and the lock that keeps two deploys of one
target from running at once."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from phucdong_site import system
from phucdong_site.config import DeployTarget, SiteConfig
from phucdong_site.errors import SiteError
from phucdong_site.files import write_atomically
from phucdong_site.language import _
from phucdong_site.output import lock_output
from phucdong_site.report import Progress

from .manifest import Entry

STATE_VERSION = 1
SAVE_SECONDS = 0.5               # at most this long between writes of the state while uploading


class DeployError(SiteError):
    """A deploy that cannot go on: one line naming the target and the cause, exit 1."""


class TargetState:
    """.cache/deploy/<name>.json: path -> [sha256, size] of every file known to be at the
    target. Written atomically, never ahead of what really landed."""

    def __init__(self, config: SiteConfig, target: DeployTarget):
        self.path = config.cache_dir / "deploy" / f"{target.name}.json"
        self.where = target.where()
        self.files: dict[str, Entry] = {}
        self._dirty = False
        self._saved = time.monotonic()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        # A target moved elsewhere in site.toml starts afresh.
        if isinstance(data, dict) and data.get("version") == STATE_VERSION \
                and data.get("where") == self.where and isinstance(data.get("files"), dict):
            self.files = {path: Entry(str(value[0]), int(value[1]))
                          for path, value in data["files"].items()
                          if isinstance(value, list) and len(value) == 2}

    def landed(self, path: str, entry: Entry) -> None:
        self.files[path] = entry
        self._changed()

    def gone(self, path: str) -> None:
        if self.files.pop(path, None) is not None:
            self._changed()

    def _changed(self) -> None:
        self._dirty = True
        if time.monotonic() - self._saved >= SAVE_SECONDS:
            self.save()

    def save(self) -> None:
        if not self._dirty and self.path.exists():
            return
        data = {"version": STATE_VERSION, "where": self.where,
                "files": {path: [entry.sha256, entry.size]
                          for path, entry in sorted(self.files.items())}}
        write_atomically(self.path, json.dumps(data, ensure_ascii=False, indent=0).encode())
        self._dirty = False
        self._saved = time.monotonic()


@contextlib.contextmanager
def target_lock(config: SiteConfig, target: DeployTarget):
    """Hold TARGET's deploy lock, or refuse at once: a second deploy of one target would
    upload and delete beside the first. The kernel drops the lock when its holder dies."""
    folder = config.cache_dir / "deploy"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"{target.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not system.lock(fd, wait=False):
            raise DeployError(_("{target}: another deploy to this target is running; wait "
                                "for it to finish and run this one again").format(
                                    target=target.name)) from None
        yield
    finally:
        system.unlock(fd)


@contextlib.contextmanager
def output_unchanging(out_dir: Path, progress: Progress = Progress()):
    """Keep OUT_DIR as it is while it is deployed: a shared lock on its parent, the lock a
    build takes whole (output/lock.py), so a build waits for the deploy, and a deploy for
    a build that is swapping the output (saying so)."""
    fd = lock_output(Path(os.path.realpath(out_dir)), progress, shared=True)   # as a build
    try:
        yield
    finally:
        system.unlock(fd)
