"""Precompressed copies: x.gz and x.br beside every HTML, CSS, JS, XML, JSON, SVG and web
manifest file of the staged output that is worth it, for web servers that send them as they
are (nginx's gzip_static and brotli_static) and for object stores, which cannot compress.

Byte for byte reproducible: gzip -6 with a fixed header (no name, mtime 0, OS "unknown"),
brotli at quality BROTLI_QUALITY with a window fitted to the file's size. Both are kept in
the build cache (.cache/compressed/) under the sha256 of the file they compress, so a
rebuild compresses only the files whose bytes changed: the others are hard links of the
cache's copies, which the staging folder then publishes like any file, in the same atomic
swap.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import brotli

from phucdong_site.files import FileStamp, read_checked, settled, write_checked
from phucdong_site.output.headers import is_compressible
from phucdong_site.output.staging import Staging
from phucdong_site.report import Progress
from phucdong_site.workers import worker_pool

THRESHOLD = 1024                 # bytes: smaller files gain too little to be worth a request
WORTH = 0.95                     # a copy must save at least 5 % of the file, else none
SUFFIXES = (".gz", ".br")
CACHE = "compressed"             # under .cache/
STAMPS = "stamps.pickle"         # under it: the stamps and sha256 of files compressed before
# The copies depend on the compressors' versions: a cache of others is not used (and pruned).
# Brotli 11 gave pages 28 % of their size at 0.7 MB/s a core; 5 gives 31 % at 34 MB/s (the
# sample site's pages, this machine). At 11 a cold build of 10,000 articles spent 520 CPU
# seconds compressing, five minutes an editor waits after a fresh clone; at 5, ten seconds.
BROTLI_QUALITY = 5
# gzip's default level: -9 took half as long again (0.46 s against 0.31 s for 2,000 pages
# of the 10,000-article site) for copies 0.1 % smaller (23.85 % of the pages, not 23.87 %).
GZIP_LEVEL = 6
VERSION = (f"gz{GZIP_LEVEL}-zlib{zlib.ZLIB_RUNTIME_VERSION}-br{BROTLI_QUALITY}-"
           f"{brotli.__version__}")
MANY = 8                         # files to compress that are worth a worker pool


@dataclass(frozen=True, slots=True)
class CompressReport:
    compressed: int = 0          # files compressed this time
    reused: int = 0              # files whose copies came from the cache
    copies: int = 0              # .gz and .br files published


def gzip_bytes(data: bytes) -> bytes:
    """DATA in gzip's format with the deflate stream gzip -6 -n writes, and a header
    without name, time or system (0xff, "unknown"), so that the same bytes always give the
    same file on every machine (Python's gzip.compress and gzip itself put the machine's
    system in it, and the time unless told not to)."""
    deflate = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, 8)
    body = deflate.compress(data) + deflate.flush()
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x00\xff"
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def brotli_bytes(data: bytes) -> bytes:
    """DATA as brotli at BROTLI_QUALITY, the window no larger than the file needs (the same
    output for pages, less memory and time to set up)."""
    window = max(10, min(24, (len(data) - 1).bit_length() + 1))
    return brotli.compress(data, quality=BROTLI_QUALITY, lgwin=window)


def precompress(staging: Staging, cache_dir: Path, jobs: int | None = None,
                progress: Progress = Progress()) -> CompressReport:
    """Publish in STAGING a .gz and a .br copy beside each compressible staged file over the
    threshold, where each saves at least 5 %: from CACHE_DIR's copies, compressing (over
    JOBS processes) only the files not seen before. A copy the site publishes itself (a
    root/ file named x.html.gz) is left as it is. (Strings, not Paths: a rebuild of 10,000
    articles looks at some 27,000 files and 54,000 copies.)"""
    folder = cache_dir / CACHE
    store = f"{folder / VERSION}/"
    staged = f"{staging.path}/"
    record = read_checked(folder / STAMPS)
    known, last_used, made = (record if isinstance(record, tuple) and len(record) == 3
                              else ({}, None, {}))
    stamps: dict[str, tuple[FileStamp, str]] = {}
    todo: dict[str, list[str]] = {}          # sha256 → files to compress (one each)
    wanted: list[tuple[str, str, int]] = []  # (file, sha256, size)
    written = staging.written
    for relative in sorted(written):
        if not is_compressible(relative) or f"{relative}.gz" in written or \
                f"{relative}.br" in written:
            continue
        stat = os.lstat(staged + relative)
        if stat.st_size < THRESHOLD:
            continue
        stamp = FileStamp.from_stat(stat)
        last = known.get(relative)
        if last is not None and last[0] == stamp:
            digest = last[1]
        else:
            with open(staged + relative, "rb") as file:
                digest = hashlib.sha256(file.read()).hexdigest()
        if settled(stamp.mtime_ns):
            stamps[relative] = (stamp, digest)
        wanted.append((relative, digest, stat.st_size))
    sizes: dict[str, int] = {}               # cache entry → its size
    for relative, digest, _size in wanted:
        for suffix in SUFFIXES:
            entry = _entry(store, digest, suffix)
            if entry not in sizes:
                try:
                    sizes[entry] = os.stat(entry).st_size
                except OSError:
                    todo.setdefault(digest, []).append(relative)
                    continue
                # A copy cut short (a full disk, a hand in .cache/) is made again, never
                # published: its size is the one recorded when it was written.
                if made.get(entry, sizes[entry]) != sizes[entry]:
                    del sizes[entry]
                    todo.setdefault(digest, []).append(relative)
    if todo:         # a build killed while compressing leaves the next one a full prune
        with contextlib.suppress(OSError):
            (folder / STAMPS).unlink()
    _compress_all(staging, store, todo, jobs, progress)
    copies = 0
    for relative, digest, size in wanted:
        for suffix in SUFFIXES:
            entry = _entry(store, digest, suffix)
            if entry not in sizes:
                sizes[entry] = os.stat(entry).st_size
            if sizes[entry] <= size * WORTH:
                staging.link(relative + suffix, entry)    # type: ignore[arg-type]
                copies += 1
    used = {digest for _, digest, _ in wanted}
    _prune(folder, store, used, last_used)
    write_checked(folder / STAMPS, (stamps, used, {
        entry: size for entry, size in sizes.items() if entry.rpartition("/")[2].partition(
            ".")[0] in used}))
    return CompressReport(compressed=len(todo), reused=len(wanted) - len(todo), copies=copies)


def _entry(store: str, digest: str, suffix: str) -> str:
    return f"{store}{digest[:2]}/{digest}{suffix}"


def _compress_all(staging: Staging, store: str, todo: dict[str, list[str]],
                  jobs: int | None, progress: Progress) -> None:
    if not todo:
        return
    progress.stage("compress", len(todo))
    work = [(f"{staging.path}/{files[0]}", _entry(store, digest, ""))
            for digest, files in todo.items()]
    workers = min(jobs or os.cpu_count() or 1, len(work))
    if workers > 1 and len(work) >= MANY:
        with worker_pool(workers) as pool:
            for _done in pool.map(compress_file, *zip(*work), chunksize=4):
                progress.advance()
    else:
        for source, entry in work:
            compress_file(source, entry)
            progress.advance()


def compress_file(source: str, entry: str) -> None:
    """Write ENTRY.gz and ENTRY.br for the file SOURCE, each whole or not at all."""
    data = Path(source).read_bytes()
    os.makedirs(os.path.dirname(entry), exist_ok=True)
    for suffix, make in ((".gz", gzip_bytes), (".br", brotli_bytes)):
        path = entry + suffix
        temporary = f"{path}.tmp-{os.getpid()}"
        with open(temporary, "wb") as file:
            file.write(make(data))
        os.replace(temporary, path)


def _prune(folder: Path, store: str, used: set[str], last_used: set[str] | None) -> None:
    """Drop the copies no file of this build has, and the caches of other versions: those
    the last build used and this one does not, or, without that record, every one found."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != VERSION:
                shutil.rmtree(entry.path, ignore_errors=True)
    if last_used is not None:
        for digest in last_used - used:
            for suffix in SUFFIXES:
                try:
                    os.unlink(_entry(store, digest, suffix))
                except OSError:
                    pass
        return
    try:
        shards = list(os.scandir(store))
    except OSError:
        return
    for shard in shards:
        if not shard.is_dir(follow_symlinks=False):
            continue
        for entry in os.scandir(shard.path):
            if entry.name.partition(".")[0] not in used or ".tmp-" in entry.name:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
