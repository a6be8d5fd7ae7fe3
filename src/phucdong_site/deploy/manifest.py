"""The output's manifest: every published file with its sha256 and size, from what the build
already knows. The build lists its files (OUTPUT_TREES) and keeps an unchanged file's stamp
(republished as a hard link); a file is hashed again only when its stamp changed."""

from __future__ import annotations

import hashlib
import os
import stat as _stat
from dataclasses import dataclass
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.files import FileStamp, read_checked, settled, write_checked
from phucdong_site.pipeline import OUTPUT_TREES

BUILD_MARKER = ".phucdong-site"      # output/staging.py's MARKER: the build folder's, not a page
HASHES = "deploy/hashes.pickle"      # under .cache/: path -> (stamp, sha256) of settled files


@dataclass(frozen=True, slots=True)
class Entry:
    sha256: str
    size: int


def build_files(out_dir: Path, cache_dir: Path) -> list[str]:
    """The files of OUT_DIR, as the last build recorded them when its folder is the one
    recorded (its device, inode and ctime), else listed."""
    trees = read_checked(cache_dir / OUTPUT_TREES)
    try:
        stat = os.lstat(out_dir)
    except OSError:
        return []
    known = trees.get((stat.st_dev, stat.st_ino, stat.st_ctime_ns)) if isinstance(
        trees, dict) else None
    if known is not None:
        return sorted(name for name in known if name != BUILD_MARKER)
    found = []
    for folder, subfolders, files in os.walk(out_dir):
        subfolders.sort()
        relative = os.path.relpath(folder, out_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in files)
    return sorted(name for name in found if name != BUILD_MARKER)


def output_manifest(config: SiteConfig) -> dict[str, Entry]:
    """Path (relative, "/" separated) -> Entry of every file of the built output."""
    out_dir = config.output_dir
    remembered = read_checked(config.cache_dir / HASHES)
    remembered = remembered if isinstance(remembered, dict) else {}
    kept: dict[str, tuple[FileStamp, str]] = {}
    manifest: dict[str, Entry] = {}
    now = None
    for relative in build_files(out_dir, config.cache_dir):
        path = out_dir / relative
        try:
            stat = os.lstat(path)
        except FileNotFoundError:
            continue                         # listed by a build, gone since: not published
        if not _stat.S_ISREG(stat.st_mode):
            continue
        stamp = FileStamp.from_stat(stat)
        known = remembered.get(relative)
        if known is not None and known[0] == stamp:
            digest = known[1]
        else:
            digest = _sha256(path)
            if stamp != FileStamp.of(path):  # changed while read: trust nothing of it
                digest = _sha256(path)
                stamp = FileStamp.of(path)
        manifest[relative] = Entry(digest, stamp.size)
        if settled(stamp.mtime_ns, now):
            kept[relative] = (stamp, digest)
    if kept != remembered:
        write_checked(config.cache_dir / HASHES, kept)
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
