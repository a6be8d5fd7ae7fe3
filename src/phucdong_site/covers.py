"""The one place that knows which published file shows an article's cover.

Pages (<img>, Open Graph, Twitter card), JSON-LD and feed enclosures all ask here, so
when the photo pipeline publishes resized variants, only this module changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from phucdong_site.models import Photo

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


def cover_image(photo: Photo, site_dir: Path) -> CoverImage:
    """The published file that shows PHOTO as a cover."""
    # Today the published file is a byte-for-byte copy of the source.
    length = (site_dir / photo.source).stat().st_size
    return CoverImage(path=photo.output_path, width=photo.width, height=photo.height,
                      media_type=MEDIA_TYPES.get(photo.source.suffix.lower(),
                                                 "application/octet-stream"),
                      length=length, alt=photo.caption)
