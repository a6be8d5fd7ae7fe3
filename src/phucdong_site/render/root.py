"""The site's root/ folder: files published as they are at the output's root, at any depth
(robots.txt, favicon.ico, a search engine's verification file, .well-known/security.txt).

robots.txt there replaces the generated one; any other file the build makes itself
(sitemap.xml, a page, a feed, the search index, ...) cannot be replaced: a clash is an error
naming the file of root/ and what the build writes there."""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from phucdong_site.errors import ContentError, ErrorList, field_label
from phucdong_site.language import N_, _, decimal
from phucdong_site.render.theme import refuse_outside_links

ROOT_FOLDER = "root"             # in the site folder
REPLACEABLE = frozenset({"robots.txt"})   # generated files a site's own one replaces
MAX_FILES = 500                  # favicons, verification files: a few dozen at most
MAX_FILE_BYTES = 10 * 2**20
MAX_TOTAL_BYTES = 50 * 2**20
# Files that systems leave in folders, which nobody means to publish.
JUNK = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# What a build writes where, in an editor's words, for a clash with a file of root/.
_MADE = {"sitemap.xml": N_("the sitemap"), "rss.xml": N_("the news feed (RSS)"),
         "atom.xml": N_("the news feed (Atom)"),
         "404.html": N_("the page shown for a missing address"),
         "redirects.map": N_("the web server's map of old addresses"),
         ".phucdong-site": N_("the mark of a folder this tool built")}


def root_files(site_dir: Path) -> dict[str, Path]:
    """Every file of SITE_DIR/root/ by its path under the output; raises ErrorList for a
    link leaving the site, a link to a folder, or a folder over the bounds."""
    root = site_dir / ROOT_FOLDER
    if not root.is_dir():
        return {}
    refuse_outside_links(site_dir, ROOT_FOLDER)
    errors = ErrorList()
    found: dict[str, Path] = {}
    total = 0
    for folder, subfolders, names in os.walk(root):
        for name in sorted(subfolders):
            path = Path(folder, name)
            if path.is_symlink():
                errors.append(ContentError(path.relative_to(site_dir), None, field_label("file")
                                           + ": " + _("is a link to a folder; copy its files "
                                                      "into {folder}/ instead").format(
                                                          folder=ROOT_FOLDER)))
        subfolders[:] = sorted(name for name in subfolders if name != ".git")
        for name in sorted(names):
            path = Path(folder, name)
            if name in JUNK or not path.is_file():
                continue
            size = path.stat().st_size
            shown = path.relative_to(site_dir)
            if size > MAX_FILE_BYTES:
                errors.append(ContentError(shown, None, field_label("file") + ": " + _(
                    "{size} MB is too large for a file at the site's root (the limit is "
                    "{limit} MB)").format(size=decimal(size / 2**20, 1), limit=MAX_FILE_BYTES // 2**20),
                    hint=_("documents go under content/, linked from a page or an article")))
                continue
            total += size
            found[path.relative_to(root).as_posix()] = path
    if len(found) > MAX_FILES or total > MAX_TOTAL_BYTES:
        errors.append(ContentError(Path(ROOT_FOLDER), None, field_label("file") + ": " + _(
            "{count} files, {size} MB: more than a site's root holds (the limits are "
            "{files} files and {limit} MB)").format(
                count=len(found), size=decimal(total / 2**20, 1), files=MAX_FILES,
                limit=MAX_TOTAL_BYTES // 2**20),
            hint=_("root/ is for robots.txt, favicon.ico and verification files; documents go "
                   "under content/, linked from a page or an article")))
    errors.raise_if_any()
    return dict(sorted(found.items()))


def root_clashes(files: Mapping[str, Path], written: Mapping[str, Path | None] | Iterable[str]
                 ) -> list[ContentError]:
    """A file of root/ on a file the build writes itself (WRITTEN: each path under the
    output, with the content file it comes from when it has one), or on one of its
    folders, or under one."""
    made = written if isinstance(written, Mapping) else dict.fromkeys(written)
    # A folder of a made file is a prefix of the sorted paths; not a set of every path's
    # every parent (1.4 s of a serve rebuild of 10,000 articles).
    paths = sorted(made) if files else []

    def is_folder(relative: str) -> bool:
        at = bisect.bisect_left(paths, f"{relative}/")
        return at < len(paths) and paths[at].startswith(f"{relative}/")

    errors = []
    for relative in files:
        if relative in REPLACEABLE:
            continue
        shown = Path(ROOT_FOLDER, relative)
        parents = [str(parent) for parent in PurePosixPath(relative).parents
                   if str(parent) in made]
        if relative in made:
            what = _describe(relative, made[relative])
        elif is_folder(relative):
            what = _("a folder of files the build makes")
        elif parents:
            what = _("{path}, a file the build makes").format(path=parents[0])
        else:
            continue
        errors.append(ContentError(shown, None, field_label("file") + ": " + _(
            "/{path} is where the build writes {what}").format(path=relative, what=what),
            hint=_("rename or remove it from root/; only robots.txt there replaces the "
                   "build's own")))
    return errors


def _describe(relative: str, source: Path | None) -> str:
    if source is not None:
        return _("the page of {source}").format(source=source.as_posix()) \
            if relative.endswith(".html") else _("a file of {source}").format(
                source=source.as_posix())
    known = _MADE.get(relative)
    if known is not None:
        return _(known)
    if relative.endswith("index.html") or relative.endswith(".html"):
        return _("a page the site makes")
    return _("a file the build makes ({path})").format(path=relative)
