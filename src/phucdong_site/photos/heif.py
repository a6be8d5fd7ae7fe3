"""HEIC/HEIF photos (an iPhone's default), read through pillow-heif.

pillow-heif is loaded the first time a build meets such a photo, not at start: importing it
(and libheif) costs about 80 ms, which every no-change rebuild and `check` would pay for
photos most sites never have. Pillow then opens HEIF files like any other format.
"""

from __future__ import annotations

import functools
from pathlib import Path
from types import ModuleType

HEIF_SUFFIXES = (".heic", ".heif")
# The ftyp brands of HEIF files (ISO/IEC 23008-12), to tell a HEIF photo (under any name)
# from an MP4 video, which has an ftyp box too.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
               b"mif1", b"mif2", b"msf1"}
HEAD_BYTES = 64


def is_heif(head: bytes) -> bool:
    """Whether a file starting with HEAD (its first HEAD_BYTES bytes) is a HEIF file."""
    size = int.from_bytes(head[:4], "big")
    if head[4:8] != b"ftyp" or size < 16:
        return False
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
    return bool(brands & HEIF_BRANDS)


def file_is_heif(path: Path) -> bool:
    if path.suffix.lower() in HEIF_SUFFIXES:
        return True
    try:
        with open(path, "rb") as file:
            return is_heif(file.read(HEAD_BYTES))
    except OSError:
        return False


@functools.cache
def heif_reader() -> ModuleType:
    """pillow_heif, its opener registered with Pillow (once per process)."""
    import pillow_heif  # noqa: PLC0415 - loaded on first use: see the module's docstring

    pillow_heif.register_heif_opener()
    return pillow_heif


@functools.cache
def heif_decoder() -> tuple[str, str]:
    """pillow-heif's and libheif's versions: rendition keys of HEIF photos name them."""
    reader = heif_reader()
    return reader.__version__, reader.libheif_version()
