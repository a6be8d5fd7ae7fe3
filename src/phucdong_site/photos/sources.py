"""Find, check and inspect the photo files that articles refer to."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import ExifTags, Image, UnidentifiedImageError

from phucdong_site.files import FileStamp, leaves, settled, write_atomically
from phucdong_site.language import _, decimal, library_words
from phucdong_site.models import Photo
from phucdong_site.photos.heif import HEAD_BYTES, heif_reader, is_heif
from phucdong_site.text import fold

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif"}
SOURCES_INDEX = "photos/sources.json"    # under the site's .cache/
TURNED = {5, 6, 7, 8}            # EXIF orientations that swap width and height
MAX_PHOTO_BYTES = 50 * 2**20     # a phone's photo is 2-15 MB; a larger file is not a photo


class PhotoProblem(ValueError):
    """Why a photo reference cannot be used, in the editor's words; HINT: what may fix it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class PhotoFile:
    source: Path                 # relative to the site root
    width: int                   # upright, once the EXIF orientation is applied
    height: int
    digest: str


@dataclass
class SourceIndex:
    """What earlier builds learnt about photo files, so that an unchanged photo is neither
    read nor opened again: upright sizes by content digest, and each file's digest with
    the (size, mtime, inode) it had when hashed."""

    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    files: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, cache_dir: Path) -> SourceIndex:
        try:
            raw = json.loads((cache_dir / SOURCES_INDEX).read_text(encoding="utf-8"))
            sizes = {digest: (int(w), int(h)) for digest, (w, h) in raw["sizes"].items()}
            files = {path: (int(size), int(mtime), int(inode), str(digest))
                     for path, (size, mtime, inode, digest) in raw["files"].items()}
            return cls(sizes, files)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()         # no cache or a damaged one: inspect everything again

    def digest(self, full: Path, relative: Path) -> str:
        """The sha256 of the file's bytes; read only if the file changed since last hashed.

        A stamp is trusted, as git trusts its index, only if it was taken after the file's
        last change had settled: a file written within the last two seconds is hashed again.
        """
        stamp = FileStamp.of(full)
        key = relative.as_posix()
        known = self.files.get(key)
        if known is not None and known[:3] == stamp:
            return known[3]
        digest = hashlib.sha256(full.read_bytes()).hexdigest()
        if settled(stamp.mtime_ns):
            self.files[key] = (*stamp, digest)
        return digest

    def save(self, cache_dir: Path, photos: Iterable[Photo]) -> None:
        """Write what is known of PHOTOS only: files no longer used are forgotten."""
        used = {photo.digest for photo in photos}
        paths = {photo.source.as_posix() for photo in photos}
        index = {"sizes": {d: list(self.sizes[d]) for d in sorted(used & self.sizes.keys())},
                 "files": {p: list(self.files[p]) for p in sorted(paths & self.files.keys())}}
        write_atomically(cache_dir / SOURCES_INDEX, json.dumps(index, indent=0).encode())


def locate(src: str, article: Path, site_dir: Path) -> Path:
    """The photo file SRC names, relative to the site root; raises PhotoProblem.

    SRC is relative to the article's folder, or else to content/. It must stay inside
    content/, also once symbolic links are followed.
    """
    text = src.strip()
    if not text:
        raise PhotoProblem(_("is empty; write the photo's path, e.g. photos/2021/anh.jpg"))
    if "://" in text or text.startswith("//"):
        raise PhotoProblem(_("{path} is a web address; put the photo in content/ and give its "
                             "path").format(path=text))
    posix = PurePosixPath(text.replace("\\", "/"))
    if posix.is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise PhotoProblem(_("{path} is an absolute path; write it relative to the article "
                             "or to content/").format(path=text))
    content = (site_dir / "content").resolve()
    bases = [(site_dir / article).parent.resolve(), content]
    left_site = False
    searched: list[Path] = []
    for base in bases:
        candidate = Path(os.path.normpath(base / posix))
        if not candidate.is_relative_to(content):
            left_site = True
            continue
        if os.path.lexists(candidate):
            real = candidate.resolve()
            if leaves(real, content):
                raise PhotoProblem(_("{path} is a link to a file outside the site; copy the "
                                     "photo into content/").format(path=text))
            if not real.is_file():
                raise PhotoProblem(_("{path} is not a file").format(path=text))
            return candidate.relative_to(site_dir.resolve())
        searched.append(candidate)
    # "Leaves the site" only if every reading of SRC does: "../x.jpg" in content/2021/ may
    # be a missing content/x.jpg, and a near miss there deserves its hint.
    if left_site and not searched:
        raise PhotoProblem(_("{path} leaves the site; photos must be inside content/")
                           .format(path=text))
    raise PhotoProblem(_("{path} does not exist").format(path=text),
                       hint=_near_miss_hint(posix, searched))


def _near_miss_hint(written: PurePosixPath, searched: list[Path]) -> str:
    """"did you mean …?" naming a file beside a searched path whose name differs only in
    case, accents or image extension; "" if there is none."""
    for candidate in searched:
        found = similar_name(candidate)
        if found is None:
            continue
        if unicodedata.normalize("NFC", found) == unicodedata.normalize("NFC", candidate.name):
            # The same letters, with the accents stored as separate marks (NFD): they look
            # identical, so "did you mean" would only puzzle.
            return _("the file's name has its accents stored as separate marks, as some Mac "
                     "and Windows tools save names; retype the name of the file")
        shown = written.parent / found if written.parent != PurePosixPath(".") else found
        return _("did you mean {path}?").format(path=shown)
    return ""


def _name_key(name: str) -> tuple[str, str]:
    """(stem, kind of extension) with case, accents and đ folded away; every image
    extension (.jpg, .JPEG, .heic, ...) is one kind, so that any may stand for another."""
    stem, suffix = os.path.splitext(name)
    suffix = suffix.lower()
    kind = "image" if suffix in IMAGE_SUFFIXES or suffix == "" else fold(suffix).casefold()
    # Most names are plain ASCII (slugs), which folding would leave as they are.
    return (stem if stem.isascii() else fold(stem)).casefold(), kind


@functools.lru_cache(maxsize=4)
def _folder_names(folder: str, stamp: tuple[int, int, int]) -> dict[tuple[str, str], list[str]]:
    """The names in FOLDER by _name_key. STAMP (the folder's mtime, inode and device)
    changes when a name is added or removed, and with it the listing (serve runs for days)."""
    names: dict[tuple[str, str], list[str]] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            names.setdefault(_name_key(entry.name), []).append(entry.name)
    return names


def similar_name(path: Path) -> str | None:
    """The name of a file beside the missing PATH that differs only in letter case, accents
    (đ/d included) or image extension; the closest if several, None if none.

    The folder is listed once and each name compared by key, never pairwise: a folder of
    100,000 photos costs one listing, however many references miss in it.
    """
    folder = path.parent
    try:
        info = folder.stat()
        names = _folder_names(str(folder), (info.st_mtime_ns, info.st_ino, info.st_dev))
    except OSError:
        return None          # no such folder: nothing beside it to suggest
    wanted = path.name
    matches = [name for name in names.get(_name_key(wanted), ())
               if name != wanted and (folder / name).is_file()]
    if not matches:
        return None

    def distance(name: str) -> tuple[bool, bool, str]:
        # Only case or accents differ first, then .jpeg for .jpg, then any other image.
        same_letters = fold(name).casefold() == fold(wanted).casefold()
        same_type = _image_type(name) == _image_type(wanted)
        return (not same_letters, not same_type, name)

    return min(matches, key=distance)


def _image_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    return {".jpeg": ".jpg", ".heif": ".heic"}.get(suffix, suffix)


def inspect(path: Path, site_dir: Path, known: SourceIndex | None = None) -> PhotoFile:
    """Upright size and digest of a photo file; raises PhotoProblem if Pillow cannot read it."""
    full = site_dir / path
    size = full.stat().st_size           # before anything reads it: it would be read whole
    if size > MAX_PHOTO_BYTES:
        raise PhotoProblem(_("{name} is {size} MB, over the limit of {limit} MB for a "
                             "photo").format(name=path.name, size=decimal(size / 2**20, 1),
                                             limit=MAX_PHOTO_BYTES // 2**20),
                           hint=_("save it again at a smaller size (a photo for the web needs "
                                  "at most a few MB)"))
    if known is not None and (digest := known.digest(full, path)) in known.sizes:
        width, height = known.sizes[digest]
        return PhotoFile(source=path, width=width, height=height, digest=digest)
    data = full.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    heif = is_heif(data[:HEAD_BYTES])
    if heif:
        heif_reader()            # Pillow reads HEIF once pillow-heif is loaded
    shown = path.name
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; a photo that large
        # is a mistake or an attack either way.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(full) as image:
                width, height = image.size
                if image.getexif().get(ExifTags.Base.Orientation) in TURNED:
                    width, height = height, width
                # Decoding at 1/8 scale finds truncated files without paying for a full decode.
                # JPEG only: a HEIF "draft" decodes the embedded thumbnail instead, which
                # says nothing of the photo itself.
                if image.format == "JPEG":
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoProblem(_("{name} is too large to process (over {millions} million "
                                 "pixels); resize it first").format(
                                     name=shown, millions=Image.MAX_IMAGE_PIXELS // 1_000_000))
        except UnidentifiedImageError:
            if heif and (reason := _heif_damage(full)) is not None:
                raise PhotoProblem(_("{name} is damaged or truncated").format(name=shown)
                                   + library_words(reason))
            raise PhotoProblem(_("{name} is not an image (expected a JPEG, PNG, WebP, GIF or "
                                 "HEIC file)").format(name=shown))
        except (OSError, SyntaxError, ValueError) as error:
            raise PhotoProblem(_("{name} is damaged or truncated").format(name=shown)
                               + library_words(error))
    if known is not None:
        known.sizes[digest] = (width, height)
    return PhotoFile(source=path, width=width, height=height, digest=digest)


def _heif_damage(full: Path) -> str | None:
    """Why libheif refuses FULL, a HEIF file (a photo cut short by a copy loses the end its
    header points to, and Pillow then cannot even identify it); None if it cannot be read."""
    try:
        heif_reader().open_heif(full, convert_hdr_to_8bit=True)
    except OSError as error:
        return str(error).strip() if error.errno is None else None
    except (ValueError, RuntimeError, EOFError) as error:
        return str(error).strip()
    return "Pillow cannot identify it"   # libheif opens it: Pillow's reader refused it


def make_photo(src: str, caption: str, found: PhotoFile) -> Photo:
    return Photo(src=src, source=found.source, caption=caption, width=found.width,
                 height=found.height, digest=found.digest)
