"""Whether a build would change nothing, answered from file stamps alone.

After a build, every input file's stamp (site.toml, content/, the site's and the default
theme's templates and static files, the site's root/ files, the counted views of
data/luot-xem.csv) is recorded in .cache/ with every output file's, and with the rest the
output depends on: the generator's code and libraries, the effective config and the next
scheduled publication. A build that finds all of these as recorded would write the same
bytes again, so it reports the recorded build instead of redoing it; anything else, a
stamp, a file more or less, a hand-edited output file, runs the build.

Stamps are (size, mtime, inode) and, for inputs, the change time too, which no tool can
set back, and the file's type: richer than files.FileStamp, since a no-change build
promises more than "same bytes". A build whose newest input has not settled (files.settled:
an edit in the same clock tick could leave the same stamp) is not recorded. The margin is
ten times the coarsest tick of Linux's own file systems (10 ms), or files.SETTLED_NS (two
seconds) where every stamp is a whole second (FAT, some network file systems).

While another build of the same output runs, or a killed one left its staging folder, the
answer is no: the build then waits for the lock, or cleans up.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat as _stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2
import PIL

from phucdong_site.cache.digests import config_digest, generator_digest
from phucdong_site.config import SiteConfig
from phucdong_site.content import VIEWS_FILE
from phucdong_site.errors import ContentError
from phucdong_site.files import SETTLED_NS, read_checked, settled, write_checked
from phucdong_site.models import LeftOut
from phucdong_site.output import quiet_output
from phucdong_site.render import default_theme_dir

FILE = "fresh.pickle"            # under the site's .cache/
FINE_CLOCK_SETTLED_NS = 100_000_000     # where stamps are seen to keep sub-second times

Stamps = dict[str, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Inputs:
    context: str                 # generator, libraries and effective config, hashed
    stamps: Stamps               # every input file, by path
    settled: bool                # no file changed just before the scan


@dataclass(frozen=True, slots=True)
class Record:
    """What a build was made from and what it wrote, with what it reported."""

    inputs: Inputs
    left_out: LeftOut            # drafts, and articles still waiting for their date
    output: Stamps
    articles: int
    pages: int
    photos: int
    warnings: tuple[ContentError, ...]

    def problems(self) -> tuple[ContentError, ...]:
        return self.warnings


def scan_inputs(config: SiteConfig) -> Inputs:
    started = time.time_ns()
    stamps: Stamps = {}
    _stamp_tree(config.site_dir / "site.toml", "site.toml", stamps, inputs=True)
    for name, root in (("content", config.content_dir),
                       ("templates", config.site_dir / "templates"),
                       ("static", config.site_dir / "static"),
                       ("root", config.site_dir / "root"),
                       ("theme/templates", default_theme_dir("templates")),
                       ("theme/static", default_theme_dir("static"))):
        _stamp_tree(root, name, stamps, inputs=True)
    if config.logo:              # anywhere in the site: its icons are made from it
        _stamp_tree(config.site_dir / config.logo, "logo", stamps, inputs=True)
    # The counted views: added to the articles' front matter views, and their date shown.
    _stamp_tree(config.site_dir / VIEWS_FILE, "views", stamps, inputs=True)
    context = hashlib.sha256(" ".join([
        generator_digest(), jinja2.__version__, PIL.__version__, config_digest(config),
        repr(dataclasses.replace(config, jobs=None))]).encode()).hexdigest()
    files = [stamp for stamp in stamps.values() if stamp[0] >= 0]
    newest = max((max(stamp[1], stamp[2]) for stamp in files), default=0)
    coarse = bool(files) and all(stamp[1] % 1_000_000_000 == 0 for stamp in files)
    margin = SETTLED_NS if coarse else FINE_CLOCK_SETTLED_NS
    return Inputs(context, stamps, settled=settled(newest, started, margin))


def unchanged_build(config: SiteConfig, inputs: Inputs, now: datetime) -> Record | None:
    """The last build's record if building again would write the same output, else None."""
    record = read_checked(config.cache_dir / FILE)
    if not isinstance(record, Record) or record.inputs != inputs or not inputs.settled:
        return None
    changes = (record.left_out.next_publication, record.left_out.next_expiry)
    if any(moment is not None and moment <= now for moment in changes):
        return None              # an article has come out, or one has expired, since
    with quiet_output(config.output_dir) as quiet:
        output: Stamps = {}
        if quiet:
            _stamp_tree(config.output_dir, "", output, inputs=False)
        return record if quiet and output == record.output else None


def remember_build(config: SiteConfig, inputs: Inputs, left_out: LeftOut,
                   articles: int, pages: int, photos: int,
                   warnings: tuple[ContentError, ...], written: Iterable[str] = ()) -> None:
    """Record a finished build; called once its output is in place. WRITTEN: the files
    the build put in the output (relative paths), which then need not be listed."""
    if not inputs.settled:
        forget(config)
        return
    output = _stamp_files(config.output_dir, written)
    if output is None:
        output = {}
        _stamp_tree(config.output_dir, "", output, inputs=False)
    write_checked(config.cache_dir / FILE, Record(
        inputs, left_out, output, articles, pages, photos,
        tuple(warnings)))


def forget(config: SiteConfig) -> None:
    try:
        (config.cache_dir / FILE).unlink()
    except OSError:
        pass


def _stamp_files(root: Path, files: Iterable[str]) -> Stamps | None:
    """The stamps _stamp_tree takes of the output ROOT when it holds just FILES, without
    listing a folder (most of the time it takes: a folder per article page); None if one
    of them is not there. A file someone added to the output is missing from them: the
    next build then finds the output changed, and builds."""
    stamps: Stamps = {}
    counted: dict[str, set[str]] = {}
    prefix = f"{root}/"
    try:
        for relative in files:
            stat = os.lstat(prefix + relative)
            name = f"/{relative}"
            stamps[name] = (stat.st_mode, stat.st_size, stat.st_mtime_ns, stat.st_ino)
            while name:
                folder, _, child = name.rpartition("/")
                names = counted.setdefault(folder, set())
                if child in names:
                    break       # its parents are counted already
                names.add(child)
                name = folder
    except OSError:
        return None
    if not stamps:
        return None
    for folder, names in counted.items():
        stamps[folder] = (-2, len(names))
    return stamps


def _stamp_tree(root: Path, name: str, stamps: Stamps, *, inputs: bool) -> None:
    """Stamp ROOT, a file or a folder's every file, recursively, under NAME.

    Inputs are read through symbolic links, as the build reads them (each folder once);
    the output is stamped as it is, links included.
    """
    seen: set[tuple[int, int]] = set()

    def visit(path: str, name: str) -> None:
        try:
            stat = os.stat(path, follow_symlinks=inputs)
        except OSError:
            return
        if _stat.S_ISDIR(stat.st_mode):
            if (stat.st_dev, stat.st_ino) in seen:
                return
            seen.add((stat.st_dev, stat.st_ino))
            try:
                children = sorted(os.listdir(path))
            except OSError:
                stamps[name] = (-1,)
                return
            stamps[name] = (-2, len(children))
            for child in children:
                visit(os.path.join(path, child), f"{name}/{child}")
        elif inputs:
            stamps[name] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        else:
            stamps[name] = (stat.st_mode, stat.st_size, stat.st_mtime_ns, stat.st_ino)

    visit(os.fspath(root), name)
