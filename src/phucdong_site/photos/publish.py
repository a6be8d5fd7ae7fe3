"""Photo renditions made once: a content-keyed cache under .cache/photos/, filled by a pool.

A rendition's key (pictures.py) hashes everything that produces its bytes, so a cached file
is reused whatever the article, the file name or the build; a photo whose renditions are all
cached is never opened. Files are written atomically and checked against their recorded size
and CRC-32 before use (damage, not tampering, is what a local cache must survive), so a
damaged cache costs time, never a wrong image.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path

from PIL import features

from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError, ErrorList, SiteError, field_label
from phucdong_site.files import write_atomically
from phucdong_site.language import _
from phucdong_site.models import Photo
from phucdong_site.photos import imageproc
from phucdong_site.photos.pictures import EXTENSION, Rendition, renditions
from phucdong_site.workers import available_cores, worker_pool

CACHE_FOLDER = "photos"
INDEX_NAME = "outputs.json"
INDEX_VERSION = 1

Progress = Callable[[int, int], None]     # (photos done, photos to do)


@dataclass
class OutputCache:
    """Rendition files by key, with the size and CRC-32 each had when written."""

    root: Path
    entries: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def open(cls, cache_dir: Path) -> OutputCache:
        root = cache_dir / CACHE_FOLDER
        try:
            raw = json.loads((root / INDEX_NAME).read_text(encoding="utf-8"))
            entries = {key: (int(size), int(crc))
                       for key, (size, crc) in raw["outputs"].items()}
            if raw.get("version") != INDEX_VERSION:
                entries = {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            entries = {}         # no cache or a damaged index: everything is remade
        return cls(root, entries)

    def file(self, item: Rendition) -> Path:
        return self.root / item.key[:2] / f"{item.key}.{EXTENSION[item.format]}"

    def has(self, item: Rendition) -> bool:
        """Whether ITEM's file is recorded and has its recorded size (cheap: one stat)."""
        entry = self.entries.get(item.key)
        try:
            return entry is not None and self.file(item).stat().st_size == entry[0]
        except OSError:
            return False

    def verified(self, item: Rendition) -> Path | None:
        """ITEM's file if it matches its recorded size and checksum, else None."""
        entry = self.entries.get(item.key)
        if entry is None:
            return None
        try:
            data = self.file(item).read_bytes()
        except OSError:
            return None
        if len(data) != entry[0] or zlib.crc32(data) != entry[1]:
            return None
        return self.file(item)

    def save(self, used: set[str]) -> None:
        """Keep only the USED keys: delete every other file, then write the index."""
        self.entries = {key: value for key, value in self.entries.items() if key in used}
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if not folder.is_dir():
                    continue
                for path in folder.iterdir():
                    if path.name.split(".", 1)[0] not in self.entries:
                        path.unlink(missing_ok=True)     # stale, or a killed run's temp file
                if not any(folder.iterdir()):
                    folder.rmdir()
        index = {"version": INDEX_VERSION,
                 "outputs": {key: list(self.entries[key]) for key in sorted(self.entries)}}
        write_atomically(self.root / INDEX_NAME, json.dumps(index, indent=0).encode())


@dataclass(frozen=True, slots=True)
class PhotoTask:
    """The renditions one photo still needs, for a worker process."""

    source: Path                 # absolute
    shown: Path                  # relative to the site root, for messages
    width: int                   # upright size recorded by inspection
    height: int
    outputs: tuple[Rendition, ...]
    cache_root: Path


@dataclass(frozen=True, slots=True)
class TaskResult:
    shown: Path
    stored: tuple[tuple[str, int, int], ...] = ()    # (key, size, CRC-32)
    problem: str = ""
    decodes: int = 0


def run_task(task: PhotoTask) -> TaskResult:
    """Decode the photo once, make and store every rendition it needs."""
    before = imageproc.DECODES
    try:
        made = imageproc.render_all(task.source, list(task.outputs), task.width, task.height)
    except imageproc.ProcessingProblem as problem:
        return TaskResult(task.shown, problem=str(problem),
                          decodes=imageproc.DECODES - before)
    cache = OutputCache(task.cache_root)
    stored = []
    for item in task.outputs:
        data = made[item.key]
        write_atomically(cache.file(item), data)
        stored.append((item.key, len(data), zlib.crc32(data)))
    return TaskResult(task.shown, tuple(stored), decodes=imageproc.DECODES - before)


def _run(tasks: list[PhotoTask], jobs: int, progress: Progress | None) -> Iterable[TaskResult]:
    if progress:
        progress(0, len(tasks))
    if jobs <= 1 or len(tasks) <= 1:
        for done, task in enumerate(tasks, start=1):
            yield run_task(task)
            if progress:
                progress(done, len(tasks))
        return
    pool = worker_pool(min(jobs, len(tasks)))
    try:
        futures = [pool.submit(run_task, task) for task in tasks]
        for done, future in enumerate(as_completed(futures), start=1):
            yield future.result()
            if progress:
                progress(done, len(tasks))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True, slots=True)
class PhotoReport:
    files: int                   # rendition files published
    processed: int               # photos decoded in this build
    decodes: int


# Publishes each rendition: (output path, its verified cache file, the photo's source for
# messages). The cache file may be hard-linked: a cache entry is never modified in place.
Publisher = Callable[[str, Path, Path], None]


def publish_photos(photos: Iterable[Photo], config: SiteConfig, publish: Publisher,
                   progress: Progress | None = None) -> PhotoReport:
    """Write every rendition of PHOTOS, from the cache or freshly made; raises ErrorList."""
    if "webp" in config.images.formats and not features.check("webp"):
        raise SiteError(_('this Pillow was built without WebP: install Pillow from PyPI, or set '
                          'formats = ["jpeg"] in the [images] table of site.toml'))
    cache = OutputCache.open(config.cache_dir)
    plans: dict[str, tuple[Photo, Rendition]] = {}      # output path → what makes it
    for photo in photos:
        for item in renditions(photo, config.images).all:
            plans.setdefault(item.path, (photo, item))
    # One task per distinct source content, however many files or articles show it.
    needed: dict[str, tuple[Photo, dict[str, Rendition]]] = {}
    for photo, item in plans.values():
        if not cache.has(item):
            needed.setdefault(photo.digest, (photo, {}))[1][item.key] = item
    tasks = [PhotoTask(config.site_dir / photo.source, photo.source, photo.width, photo.height,
                       tuple(outputs.values()), cache.root)
             for photo, outputs in needed.values()]
    errors, decodes = ErrorList(), 0
    jobs = config.jobs or available_cores()
    for result in _run(tasks, jobs, progress):
        decodes += result.decodes
        if result.problem:
            errors.append(ContentError(result.shown, None, field_label("photo") + ": " + result.problem))
        for key, size, crc in result.stored:
            cache.entries[key] = (size, crc)
    errors.raise_if_any()

    for path, (photo, item) in sorted(plans.items()):
        file = cache.verified(item)
        if file is None:         # the cached file changed after the size check: remake it
            (result,) = _run([PhotoTask(config.site_dir / photo.source, photo.source,
                                        photo.width, photo.height, (item,), cache.root)], 1, None)
            decodes += result.decodes
            if result.problem:
                raise ErrorList([ContentError(result.shown, None,
                                              field_label("photo") + ": " + result.problem)])
            cache.entries[item.key] = result.stored[0][1:]
            file = cache.verified(item)
            if file is None:
                raise OSError(_("{file}: the photo cache cannot be read back")
                              .format(file=cache.file(item)))
        publish(path, file, photo.source)
    cache.save({item.key for _photo, item in plans.values()})
    return PhotoReport(files=len(plans), processed=len(tasks), decodes=decodes)
