""".cache/, the build cache's folder: used when this user can read and write it and the
folders in it; else a temporary folder stands in for it for one build (from scratch, with
a warning), and .cache/ is left as it is. A cache only saves time: a file in its place, a
folder the editor's account may not read, must not stop the site being built."""

from __future__ import annotations

import dataclasses
import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError, os_reason
from phucdong_site.language import _

USE = os.R_OK | os.W_OK | os.X_OK


@contextmanager
def usable_cache(config: SiteConfig) -> Iterator[tuple[SiteConfig, ContentError | None]]:
    """CONFIG, and None, when its cache folder can be used; else CONFIG with a temporary
    cache folder (removed afterwards), and the warning that says why."""
    problem = unusable(config.cache_dir)
    if problem is None:
        yield config, None
        return
    path, error = problem
    try:
        shown = path.relative_to(config.site_dir)
    except ValueError:
        shown = path
    warning = ContentError(shown, None, _(
        "cannot be used ({reason}): the build made everything again without the build "
        "cache").format(reason=os_reason(error)),
        hint=_("delete it, or let this account read and write it; the next build makes it "
               "again"))
    with tempfile.TemporaryDirectory(prefix="phucdong-site-cache-",
                                     ignore_cleanup_errors=True) as temporary:
        yield dataclasses.replace(config, cache_folder=Path(temporary)), warning


def unusable(folder: Path) -> tuple[Path, OSError] | None:
    """Why FOLDER (or a folder in it) cannot hold the build cache, or None: it is something
    else than a folder, or this user may not read, write or enter it. Not made here: a
    folder that is not there yet is usable if the one it goes in is."""
    try:
        if not folder.exists() and not folder.is_symlink():
            return _refused(folder.parent)
        if not folder.is_dir():
            return folder, OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        if (refused := _refused(folder)) is not None:
            return refused
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir() and (refused := _refused(Path(entry.path))) is not None:
                    return refused
    except OSError as error:
        return folder, error
    return None


def _refused(folder: Path) -> tuple[Path, OSError] | None:
    if os.access(folder, USE):
        return None
    return folder, OSError(errno.EACCES, os.strerror(errno.EACCES))
