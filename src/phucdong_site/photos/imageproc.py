"""The pixel work: one decode of a photo → every rendition it needs, encoded without metadata.

Runs in worker processes (publish.py), so it takes and returns plain picklable data.
"""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path

from PIL import ExifTags, Image, ImageCms, ImageOps

from phucdong_site.language import _, library_words
from phucdong_site.photos.heif import file_is_heif, heif_reader
from phucdong_site.photos.pictures import Rendition

# Decodes done by this process; tests read it to prove that a warm build decodes nothing.
DECODES = 0
# Lanczos after a box reduce to within 3× of the target: indistinguishable from a full
# Lanczos on photos (Pillow's own thumbnail() uses 2.0) and several times faster.
REDUCING_GAP = 3.0
WHITE = (255, 255, 255)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ProcessingProblem(ValueError):
    """The photo passed inspection but could not be processed."""


def needed_scale(outputs: list[Rendition], width: int, height: int) -> float:
    """The largest scale of the upright source that any output needs (at most 1)."""
    scale = 0.0
    for item in outputs:
        crop_w = (item.crop[2] - item.crop[0]) * width
        crop_h = (item.crop[3] - item.crop[1]) * height
        scale = max(scale, item.width / crop_w, item.height / crop_h)
    return min(1.0, scale)


def decode(path: Path, scale: float = 1.0) -> Image.Image:
    """The photo upright, in sRGB, as RGB or RGBA, at no less than SCALE, with no metadata."""
    global DECODES
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            if file_is_heif(path):
                heif_reader()
            image = Image.open(path)
            DECODES += 1
            if getattr(image, "n_frames", 1) > 1 and image.format != "HEIF":
                # An animated GIF or WebP: its first frame. A HEIF file opens on its primary
                # image, which inspection measured, and which need not be the first.
                image.seek(0)
            orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
            if image.format == "JPEG" and scale < 1:
                # JPEG draft mode decodes straight at 1/2, 1/4 or 1/8 size (DCT scaling),
                # never below what the largest output needs.
                size = (math.ceil(image.width * scale), math.ceil(image.height * scale))
                image.draft(image.mode, size)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ProcessingProblem(_("is too large to process") + library_words(error))
        except FileNotFoundError:
            raise ProcessingProblem(_("disappeared during the build; the previous output is "
                                      "unchanged"))
        except (OSError, SyntaxError, ValueError) as error:
            raise ProcessingProblem(_("cannot be decoded") + library_words(error))
    if orientation != 1:         # never for HEIF: pillow-heif applies its rotation itself
        ImageOps.exif_transpose(image, in_place=True)
    image = to_srgb(image)
    image.info = {}              # EXIF, GPS, XMP, comments: none may reach an output
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info)


def to_srgb(image: Image.Image) -> Image.Image:
    """IMAGE as 8-bit RGB, or RGBA when it really has transparency, in sRGB."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        # 16-bit and 32-bit greys: scale to 8 bits (a plain convert would clip to white).
        top = 65535 if image.mode.startswith("I;16") or image.getextrema()[1] > 255 else 255
        image = image.convert("I").point(lambda v: v * (255 / top)).convert("L")
    elif image.mode == "1":
        image = image.convert("L")
    alpha = _has_alpha(image)
    if image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert("RGBA" if alpha else "RGB")
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=out_mode,
                                              renderingIntent=ImageCms.Intent.PERCEPTUAL)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass                 # a broken profile: the pixels are most likely sRGB already
    if image.mode == "L" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")     # CMYK without a profile, grey
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")     # an alpha channel that hides nothing
    return image


def flatten(image: Image.Image) -> Image.Image:
    """IMAGE on white: JPEG has no transparency, and black would show through otherwise."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, WHITE)
    background.paste(image, mask=image.getchannel("A"))
    return background


def encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    """IMAGE as a progressive optimised JPEG or a WebP, with no metadata of any kind."""
    buffer = io.BytesIO()
    if fmt == "jpeg":
        flatten(image).save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, method=4)
    else:
        raise ValueError(f"unknown format {fmt}")
    return buffer.getvalue()


def render_all(path: Path, outputs: list[Rendition], width: int, height: int) -> dict[str, bytes]:
    """Every output's bytes, by key, from a single decode of the photo at PATH.

    WIDTH and HEIGHT are the upright size that inspection recorded.
    """
    base = decode(path, needed_scale(outputs, width, height))
    if abs(base.width / base.height - width / height) > 0.02 * width / height:
        raise ProcessingProblem(_("changed shape since it was inspected ({width}×{height}, "
                                  "expected {expected_width}×{expected_height})").format(
                                      width=base.width, height=base.height,
                                      expected_width=width, expected_height=height))
    results: dict[str, bytes] = {}
    resized: dict[tuple, Image.Image] = {}
    # Largest first, so that a small size can be made from a made one at least twice its
    # width (a mipmap step: same sharpness, a fraction of the work) instead of from the base.
    for item in sorted(outputs, key=lambda o: (o.crop, -o.width, o.format)):
        shape = (item.width, item.height, item.crop)
        if shape not in resized:     # one resize serves both formats
            resized[shape] = _resize(base, item, resized)
        results[item.key] = encode(resized[shape], item.format, item.quality)
    return {item.key: results[item.key] for item in outputs}


def _resize(base: Image.Image, item: Rendition, made: dict[tuple, Image.Image]) -> Image.Image:
    larger = [image for (width, _height, crop), image in made.items()
              if crop == item.crop and width >= 2 * item.width]
    if larger:
        source = min(larger, key=lambda image: image.width)
        return source.resize((item.width, item.height), Image.Resampling.LANCZOS,
                             reducing_gap=REDUCING_GAP)
    box = (item.crop[0] * base.width, item.crop[1] * base.height,
           item.crop[2] * base.width, item.crop[3] * base.height)
    return base.resize((item.width, item.height), Image.Resampling.LANCZOS, box=box,
                       reducing_gap=REDUCING_GAP)
