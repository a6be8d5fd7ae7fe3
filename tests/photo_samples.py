"""Real image files for the photo tests and the photo benchmark, made with Pillow.

photo_like() is deterministic and compresses like a camera photo (smooth light, soft shapes,
mid-frequency texture and sensor noise), unlike a flat colour that any encoder shrinks to
nothing.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct

import pillow_heif
from PIL import ExifTags, Image, ImageChops, ImageDraw, ImageFilter


def _noise(size: tuple[int, int], seed: str, amplitude: int) -> Image.Image:
    """Deterministic uniform noise centred on 128, ±AMPLITUDE."""
    data = hashlib.shake_256(seed.encode()).digest(size[0] * size[1])
    noise = Image.frombytes("L", size, data)
    return noise.point(lambda v: 128 - amplitude + v * (2 * amplitude) // 255)


def photo_like(size: tuple[int, int] = (4000, 3000), seed: int = 0) -> Image.Image:
    """A photo-like RGB image: sky-to-ground light, soft shapes, texture and grain."""
    rnd = random.Random(seed)
    width, height = size
    vertical = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    radial = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
    tint = [rnd.uniform(0.4, 1.0) for _ in range(3)]
    channels = [vertical.point(lambda v, t=t: int(60 + v * 0.6 * t)) for t in tint]
    image = Image.merge("RGB", channels)
    image = ImageChops.blend(image, Image.merge("RGB", [radial] * 3), 0.25)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rnd.randrange(width), rnd.randrange(height)
        w, h = rnd.randrange(width // 40, width // 5), rnd.randrange(height // 40, height // 4)
        colour = tuple(rnd.randrange(30, 230) for _ in range(3))
        shape = rnd.choice(("ellipse", "rectangle", "polygon"))
        if shape == "polygon":
            points = [(x + rnd.randrange(-w, w), y + rnd.randrange(-h, h)) for _ in range(5)]
            draw.polygon(points, fill=colour)
        else:
            getattr(draw, shape)((x, y, x + w, y + h), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    # Texture (foliage, fabric, asphalt): noise at 1/6 scale, smoothly enlarged.
    small = (max(1, width // 6), max(1, height // 6))
    texture = _noise(small, f"texture-{seed}", 28).resize(size, Image.Resampling.BICUBIC)
    image = ImageChops.add(image, Image.merge("RGB", [texture] * 3), scale=1, offset=-128)
    grain = _noise(size, f"grain-{seed}", 6)
    return ImageChops.add(image, Image.merge("RGB", [grain] * 3), scale=1, offset=-128)


def heic_bytes(image: Image.Image, quality: int = 90, **params) -> bytes:
    """IMAGE encoded as HEIC, as an iPhone saves it. An EXIF orientation becomes the HEIF
    rotation (irot/imir), as on a phone; pillow-heif does that only for EXIF given as bytes."""
    pillow_heif.register_heif_opener()
    if isinstance(params.get("exif"), Image.Exif):
        params["exif"] = params["exif"].tobytes()
    # x265's default preset takes 20 s for a 3-megapixel image on a busy machine.
    params.setdefault("enc_params", {"preset": "ultrafast"})
    buffer = io.BytesIO()
    image.save(buffer, "HEIF", quality=quality, **params)
    return buffer.getvalue()


def exif_with_gps_and_orientation(orientation: int) -> Image.Exif:
    """EXIF as a phone writes it: orientation, camera, time and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.DateTime] = "2021:01:07 18:11:00"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (21.0, 2.0, 30.5),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (105.0, 53.0, 12.25),
    }
    return exif


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
       b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
       b'photoshop:City="Long Bien"/></rdf:RDF></x:xmpmeta>')
COMMENT = b"taken at the ward office by staff member 42"


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def matrix_icc_profile(red: tuple[float, float, float], green: tuple[float, float, float],
                       blue: tuple[float, float, float]) -> bytes:
    """A minimal ICC v2 RGB display profile with the given D50 colorants and linear curves."""
    def xyz(values):
        return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in values)

    text = b"test profile\0"
    desc = (b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + b"\0" * 8
            + b"\0\0\0" + b"\0" * 67)
    curve = b"curv\0\0\0\0" + struct.pack(">I", 0)       # no entries: identity
    tags = [(b"desc", desc), (b"wtpt", xyz((0.9642, 1.0, 0.8249))), (b"rXYZ", xyz(red)),
            (b"gXYZ", xyz(green)), (b"bXYZ", xyz(blue)), (b"rTRC", curve),
            (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"\0" * 4 + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 24 + b"\0" * 4
              + _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


# sRGB's own D50 colorants, with red and green swapped: pure red in this space is sRGB green.
SWAPPED_RED_GREEN = matrix_icc_profile(red=(0.3851, 0.7169, 0.0971),
                                       green=(0.4361, 0.2225, 0.0139),
                                       blue=(0.1431, 0.0606, 0.7141))
