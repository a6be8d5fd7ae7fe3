"""What each photo is published as, and the <picture> markup that offers it. Pure: no I/O.

Every published copy (a Rendition) is named by a hash of everything that produces its bytes:
the source's content digest, the operation, the settings and the versions of this pipeline and
its encoders. Names are therefore known before any pixel is touched, pages can be rendered
first, and the same hash keys the cache (publish.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from PIL import Image, features

from phucdong_site.config import ImageConfig
from phucdong_site.models import Photo
from phucdong_site.photos.heif import HEIF_SUFFIXES, heif_decoder
from phucdong_site.text import slugify

# Bump when a change in imageproc.py alters output pixels or bytes: every name changes with it.
PIPELINE_VERSION = "1"
ENCODERS = (Image.__version__, features.version("jpg"), features.version("webp"))
OG_SIZE = (1200, 630)            # what Facebook, Zalo and others show as a link preview
COVER_RATIO = (16, 9)            # listing cards (site.css: .card-cover aspect-ratio)
MIME = {"jpeg": "image/jpeg", "webp": "image/webp"}
EXTENSION = {"jpeg": "jpg", "webp": "webp"}


@dataclass(frozen=True, slots=True)
class Rendition:
    """One published image file made from a photo."""

    kind: str                    # "body" (whole photo), "cover" (16:9 crop) or "og" (1200×630)
    format: str                  # "jpeg" or "webp"
    width: int
    height: int
    crop: tuple[float, float, float, float]   # box in the upright source, as fractions
    quality: int
    key: str                     # sha256 of everything that produces the bytes
    path: str                    # output path under the site root: anh/<stem>-….<ext>


@dataclass(frozen=True, slots=True)
class PhotoRenditions:
    """Every published copy of one photo."""

    photo: Photo
    body: tuple[Rendition, ...]
    cover: tuple[Rendition, ...]
    og: Rendition

    @property
    def all(self) -> tuple[Rendition, ...]:
        return (*self.body, *self.cover, self.og)

    def of(self, kind: str, fmt: str) -> tuple[Rendition, ...]:
        return tuple(r for r in getattr(self, kind) if r.format == fmt)

    def fallback(self, kind: str) -> Rendition:
        """The JPEG an <img> shows by default: the largest no wider than 960 px."""
        jpegs = self.of(kind, "jpeg")
        return max((r for r in jpegs if r.width <= 960), key=lambda r: r.width, default=jpegs[0])

    def largest(self, kind: str) -> Rendition:
        return max(self.of(kind, "jpeg"), key=lambda r: r.width)


def _fit(width: int, height: int, ratio: tuple[int, int]) -> tuple[float, float, float, float]:
    """The largest centred box of RATIO inside WIDTH×HEIGHT, as fractions of each side."""
    box_w = min(1.0, height * ratio[0] / (ratio[1] * width))
    box_h = min(1.0, width * ratio[1] / (ratio[0] * height))
    left, top = (1 - box_w) / 2, (1 - box_h) / 2
    return (left, top, left + box_w, top + box_h)


def _key(photo: Photo, kind: str, fmt: str, size: tuple[int, int],
         crop: tuple[float, ...], quality: int) -> str:
    recipe = [PIPELINE_VERSION, *ENCODERS, photo.digest, kind, fmt, *size,
              [round(c, 6) for c in crop], quality]
    if photo.source.suffix.lower() in HEIF_SUFFIXES:
        # Decoded by libheif, through pillow-heif: their keys name both versions too (only
        # theirs, so that the names of every other photo stay as they were).
        recipe.append(list(heif_decoder()))
    return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()


@functools.lru_cache(maxsize=8192)
def renditions(photo: Photo, config: ImageConfig) -> PhotoRenditions:
    """The published copies of PHOTO: body widths, cover crops and the Open Graph image.

    Widths above the original are replaced by the original's width: never upscaled.
    """
    stem = slugify(photo.source.stem)[:40].strip("-") or "anh"
    quality = {"jpeg": config.quality, "webp": config.webp_quality}

    def make(kind: str, box: tuple[float, float, float, float], widths, ratio_h: float,
             formats) -> tuple[Rendition, ...]:
        crop_w = (box[2] - box[0]) * photo.width
        made = []
        for width in sorted({min(w, math.floor(crop_w)) for w in widths}):
            height = max(1, round(width * ratio_h))
            for fmt in formats:
                key = _key(photo, kind, fmt, (width, height), box, quality[fmt])
                label = "" if kind == "body" else f"{kind}-"
                made.append(Rendition(kind, fmt, width, height, box, quality[fmt], key,
                                      f"anh/{stem}-{label}{width}w-{key[:12]}.{EXTENSION[fmt]}"))
        return tuple(made)

    whole = (0.0, 0.0, 1.0, 1.0)
    body = make("body", whole, config.widths, photo.height / photo.width, config.formats)
    cover = make("cover", _fit(photo.width, photo.height, COVER_RATIO), config.cover_widths,
                 COVER_RATIO[1] / COVER_RATIO[0], config.formats)
    og_box = _fit(photo.width, photo.height, OG_SIZE)
    (og,) = make("og", og_box, [OG_SIZE[0]], OG_SIZE[1] / OG_SIZE[0], ["jpeg"])
    return PhotoRenditions(photo, body, cover, og)


def srcset(items: tuple[Rendition, ...], base: str) -> str:
    return ", ".join(f"{base}{r.path} {r.width}w" for r in items)


def picture(photo: Photo, alt: str, *, eager: bool, config: ImageConfig, base: str,
            kind: str = "body", sizes: str | None = None) -> etree.Element:
    """<picture> offering PHOTO as WebP, then JPEG, at every width.

    The first photo of a page is the largest thing above the fold: it is fetched first and
    never lazily; every other photo waits until it nears the screen.
    """
    made = renditions(photo, config)
    sizes = sizes or config.sizes
    element = etree.Element("picture")
    for fmt in config.formats:
        if fmt != "jpeg":
            etree.SubElement(element, "source", {"type": MIME[fmt], "sizes": sizes,
                                                 "srcset": srcset(made.of(kind, fmt), base)})
    fallback, largest = made.fallback(kind), made.largest(kind)
    attributes = {"src": f"{base}{fallback.path}", "srcset": srcset(made.of(kind, "jpeg"), base),
                  "sizes": sizes, "alt": alt,
                  "width": str(largest.width), "height": str(largest.height)}
    if eager:
        attributes["fetchpriority"] = "high"
    else:
        attributes.update(loading="lazy", decoding="async")
    etree.SubElement(element, "img", attributes)
    return element


def picture_html(photo: Photo, alt: str = "", *, eager: bool = False, config: ImageConfig,
                 base: str, kind: str = "body", sizes: str | None = None) -> str:
    """picture() as an HTML string, for templates."""
    element = picture(photo, alt, eager=eager, config=config, base=base, kind=kind, sizes=sizes)
    return etree.tostring(element, encoding="unicode", method="html")
