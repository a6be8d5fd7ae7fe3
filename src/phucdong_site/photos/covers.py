"""The one place that knows which published file shows an article's cover.

Pages (<img>, Open Graph, Twitter card), JSON-LD and feed enclosures all ask here, so
when the photo pipeline publishes resized variants, only this module changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from phucdong_site.config import ImageConfig
from phucdong_site.models import Photo
from phucdong_site.photos.pictures import renditions

MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".webp": "image/webp", ".gif": "image/gif"}


@dataclass(frozen=True, slots=True)
class CoverImage:
    path: str                    # under the site root, e.g. anh/bao-cao-1a2b3c4d5e6f.jpg
    width: int
    height: int
    media_type: str              # image/jpeg
    length: int                  # bytes of the published file (RSS enclosures need it)
    alt: str


def cover_image(photo: Photo, images: ImageConfig, published: Path | None = None) -> CoverImage:
    """The 1200×630 Open Graph rendition of PHOTO, which shares and feeds show.

    Its byte length is read from PUBLISHED (the folder being built) once the photo is
    processed; before that (check, page metadata) it is 0, as RSS allows for unknown sizes.
    """
    og = renditions(photo, images).og
    file = published / og.path if published is not None else None
    length = file.stat().st_size if file is not None and file.exists() else 0
    return CoverImage(path=og.path, width=og.width, height=og.height,
                      media_type=MEDIA_TYPES[Path(og.path).suffix.lower()],
                      length=length, alt=photo.caption)
