"""The site's icons and header logo, made from its logo with fixed options: the same logo
gives the same bytes, build after build."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 10 * 2**20
LOGO_MAX_SIDE = 4096             # pixels, either way
LOGO_HEIGHT = 128                # the header's copy: twice the 4rem it is shown at
FAVICON_SIZES = (16, 32, 48)
TOUCH_ICON = 180
APP_ICONS = (192, 512)
ENORMOUS = (0, 0)                # image_size() of one with more pixels than Pillow opens


def image_size(path: Path) -> tuple[int, int] | None:
    """The pixel size of the image at PATH; ENORMOUS for one with more pixels than Pillow
    opens; None if Pillow cannot read it, or cannot decode all of it (a truncated file has a
    good header). One over LOGO_MAX_SIDE is not decoded: its size is enough to refuse it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                if max(image.size) <= LOGO_MAX_SIDE:
                    image.load()
                return image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return ENORMOUS
        except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
            return None


def icon_files(path: Path, logo_name: str) -> list[tuple[str, bytes]]:
    """favicon.ico (16, 32, 48), apple-touch-icon.png (180, on white: iOS draws the
    transparent parts black), icon-192.png and icon-512.png (the logo centred on a
    transparent square), and the header's copy LOGO_NAME: (path, bytes)."""
    with Image.open(path) as opened:
        logo = ImageOps.exif_transpose(opened).convert("RGBA")
    side = max(logo.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(logo, ((side - logo.width) // 2, (side - logo.height) // 2))
    large = square.resize((max(APP_ICONS), max(APP_ICONS)), Image.Resampling.LANCZOS)
    files = [(f"icon-{size}.png", _png(large if size == large.width else
                                       large.resize((size, size), Image.Resampling.LANCZOS)))
             for size in APP_ICONS]
    touch = Image.new("RGBA", large.size, (255, 255, 255, 255))
    touch.alpha_composite(large)
    files.append(("apple-touch-icon.png", _png(touch.convert("RGB").resize(
        (TOUCH_ICON, TOUCH_ICON), Image.Resampling.LANCZOS))))
    ico = io.BytesIO()
    large.save(ico, "ICO", sizes=[(size, size) for size in FAVICON_SIZES])
    files.append(("favicon.ico", ico.getvalue()))
    height = min(LOGO_HEIGHT, logo.height)
    width = max(1, round(logo.width * height / logo.height))
    files.append((logo_name, _png(logo.resize((width, height), Image.Resampling.LANCZOS))))
    return files


def header_logo_size(size: tuple[int, int]) -> tuple[int, int]:
    """The header copy's width and height in CSS pixels (half its pixels), for <img>."""
    width, height = size
    shown = min(LOGO_HEIGHT, height) / 2
    return max(1, round(width * shown / height)), max(1, round(shown))


def _png(image: Image.Image) -> bytes:
    """PNG bytes without metadata (no time, no text): the same image, the same bytes."""
    data = io.BytesIO()
    image.save(data, "PNG", optimize=False, compress_level=9)
    return data.getvalue()
