"""How the pipeline tells what it is doing, without printing: the Progress protocol.

The core never prints (console.py draws for the command line; serve and tests pass their
own or none). The base class is the protocol and also its silent implementation, for a
build nobody watches (library use, tests).
"""

from __future__ import annotations

from pathlib import Path


class Dropped(Exception):
    """A build stopped on purpose by its Progress, not for anything wrong with the site or
    the disk: what it staged may serve the next build."""


class Progress:
    """What a build reports as it goes: stages with counts, and a wait for the output."""

    def stage(self, name: str, total: int) -> None:
        """A new stage NAME ("parse", "render", "photos") begins, with TOTAL items to do."""

    def advance(self, count: int = 1) -> None:
        """COUNT more items of the current stage are done."""

    def between(self) -> None:
        """The build is between two of its steps, before its output is swapped in: where
        an implementation may stop it by raising Dropped (serve, for a newer save)."""

    def waiting(self, out_dir: Path) -> None:
        """Another build holds OUT_DIR's lock: this one waits until it is done."""

    def finish(self) -> None:
        """The build ended (well or not): leave the terminal clean."""
