"""Find, check and inspect the photo files that articles refer to."""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from phucdong_site.models import Photo

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


class PhotoProblem(ValueError):
    """Why a photo reference cannot be used, in the editor's words."""


@dataclass(frozen=True, slots=True)
class PhotoFile:
    source: Path                 # relative to the site root
    width: int
    height: int
    digest: str


def locate(src: str, article: Path, site_dir: Path) -> Path:
    """The photo file SRC names, relative to the site root; raises PhotoProblem.

    SRC is relative to the article's folder, or else to content/. It must stay inside
    content/, also once symbolic links are followed.
    """
    text = src.strip()
    if not text:
        raise PhotoProblem("is empty; write the photo's path, e.g. photos/2021/anh.jpg")
    if "://" in text or text.startswith("//"):
        raise PhotoProblem(f"{text} is a web address; put the photo in content/ and give its path")
    posix = PurePosixPath(text.replace("\\", "/"))
    if posix.is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise PhotoProblem(f"{text} is an absolute path; write it relative to the article "
                           "or to content/")
    content = (site_dir / "content").resolve()
    bases = [(site_dir / article).parent.resolve(), content]
    left_site = False
    for base in bases:
        candidate = Path(os.path.normpath(base / posix))
        if not candidate.is_relative_to(content):
            left_site = True
            continue
        if os.path.lexists(candidate):
            real = candidate.resolve()
            if not real.is_relative_to(content):
                raise PhotoProblem(f"{text} is a link to a file outside the site; "
                                   "copy the photo into content/")
            if not real.is_file():
                raise PhotoProblem(f"{text} is not a file")
            return candidate.relative_to(site_dir.resolve())
    if left_site:
        raise PhotoProblem(f"{text} leaves the site; photos must be inside content/")
    raise PhotoProblem(f"{text} does not exist")


def inspect(path: Path, site_dir: Path) -> PhotoFile:
    """Size and digest of a photo file; raises PhotoProblem if Pillow cannot read it."""
    full = site_dir / path
    data = full.read_bytes()
    shown = path.name
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; a photo that large
        # is a mistake or an attack either way.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(full) as image:
                width, height = image.size
                # Decoding at 1/8 scale finds truncated files without paying for a full decode.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoProblem(f"{shown} is too large to process (over "
                               f"{Image.MAX_IMAGE_PIXELS:,} pixels); resize it first")
        except UnidentifiedImageError:
            raise PhotoProblem(f"{shown} is not an image (expected a JPEG, PNG, WebP or GIF file)")
        except (OSError, SyntaxError, ValueError) as error:
            raise PhotoProblem(f"{shown} is damaged or truncated ({error})")
    return PhotoFile(source=path, width=width, height=height,
                     digest=hashlib.sha256(data).hexdigest())


def make_photo(src: str, caption: str, found: PhotoFile) -> Photo:
    return Photo(src=src, source=found.source, caption=caption, width=found.width,
                 height=found.height, digest=found.digest)
