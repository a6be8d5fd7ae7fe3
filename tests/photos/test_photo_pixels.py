"""Correct pixels from awkward inputs: each case is a real file decoded by imageproc."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from phucdong_site.photos import imageproc
from photo_samples import SWAPPED_RED_GREEN, exif_with_gps_and_orientation

# The transform a viewer applies for each EXIF orientation (6: turn 90° clockwise).
ORIENTATION_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                         4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                         6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
                         8: Image.Transpose.ROTATE_90}


def close(pixel, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_applied(tmp_path, orientation):
    upright = Image.new("RGB", (300, 200), (30, 60, 200))
    upright.paste((230, 20, 20), (0, 0, 100, 60))            # marker at the top-left
    stored = upright
    if orientation in ORIENTATION_TRANSPOSE:
        # What a camera writes: pixels as the sensor saw them, plus the tag that undoes it.
        inverse = {Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270,
                   Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90}
        method = ORIENTATION_TRANSPOSE[orientation]
        stored = upright.transpose(inverse.get(method, method))
    path = tmp_path / "o.jpg"
    stored.save(path, quality=95, exif=exif_with_gps_and_orientation(orientation))
    image = imageproc.decode(path)
    assert image.size == (300, 200)
    assert close(image.getpixel((20, 15)), (230, 20, 20), 30)
    assert close(image.getpixel((280, 185)), (30, 60, 200), 30)
    assert image.info == {}


def test_cmyk_jpeg_becomes_rgb_with_the_right_colours(tmp_path):
    path = tmp_path / "cmyk.jpg"
    Image.new("RGB", (64, 64), (200, 40, 40)).convert("CMYK").save(path, quality=95)
    assert Image.open(path).mode == "CMYK"
    image = imageproc.decode(path)
    assert image.mode == "RGB" and close(image.getpixel((32, 32)), (200, 40, 40), 20)


def test_palette_png_keeps_transparency_in_webp_and_gets_white_in_jpeg(tmp_path):
    path = tmp_path / "logo.png"
    logo = Image.new("RGBA", (80, 80), (0, 0, 0, 0))
    logo.paste((20, 120, 40, 255), (20, 20, 60, 60))
    logo.quantize(4).save(path)
    source = Image.open(path)
    assert source.mode == "P" and "transparency" in source.info
    image = imageproc.decode(path)
    assert image.mode == "RGBA" and image.getpixel((2, 2))[3] == 0
    webp = Image.open(io.BytesIO(imageproc.encode(image, "webp", 80)))
    assert webp.mode == "RGBA" and webp.getpixel((2, 2))[3] < 10
    jpeg = Image.open(io.BytesIO(imageproc.encode(image, "jpeg", 82)))
    assert close(jpeg.getpixel((2, 2)), (255, 255, 255), 6)     # white, never black
    assert close(jpeg.getpixel((40, 40)), (20, 120, 40), 25)


def test_rgba_png_with_soft_edges_resizes_without_dark_fringes(tmp_path):
    path = tmp_path / "soft.png"
    image = Image.new("RGBA", (200, 200), (255, 255, 255, 0))
    image.paste((250, 250, 250, 255), (50, 50, 150, 150))
    image.save(path)
    outputs = imageproc.render_all(path, [_rendition(50, 50, "jpeg")], 200, 200)
    small = Image.open(io.BytesIO(next(iter(outputs.values()))))
    assert small.convert("L").getextrema()[0] > 200             # no black halo from alpha


def _rendition(width, height, fmt):
    from phucdong_site.photos.pictures import Rendition
    return Rendition("body", fmt, width, height, (0.0, 0.0, 1.0, 1.0), 90, f"k{width}{fmt}",
                     f"anh/x-{width}.{fmt}")


def test_grayscale_and_16_bit_inputs_keep_their_tones(tmp_path):
    grey = tmp_path / "grey.jpg"
    Image.new("L", (40, 40), 100).save(grey, quality=95)
    assert close(imageproc.decode(grey).getpixel((5, 5)), (100, 100, 100), 4)
    deep = tmp_path / "deep.png"
    Image.new("I;16", (40, 40), 32768).save(deep)               # half of 65535
    assert Image.open(deep).mode.startswith("I")
    image = imageproc.decode(deep)
    assert image.mode == "RGB" and close(image.getpixel((5, 5)), (128, 128, 128), 3)


def test_embedded_icc_profile_is_converted_to_srgb(tmp_path):
    path = tmp_path / "wide.jpg"
    # Pure "red" in a space whose red primary is sRGB's green: it must come out green.
    Image.new("RGB", (32, 32), (255, 0, 0)).save(path, quality=95,
                                                  icc_profile=SWAPPED_RED_GREEN)
    image = imageproc.decode(path)
    red, green, blue = image.getpixel((16, 16))
    assert green > 200 and red < 60 and blue < 60
    assert "icc_profile" not in image.info


def test_animated_gif_gives_its_first_frame(tmp_path):
    path = tmp_path / "anim.gif"
    frames = [Image.new("RGB", (40, 40), colour) for colour in
              ((250, 0, 0), (0, 250, 0), (0, 0, 250))]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(path).n_frames == 3
    assert close(imageproc.decode(path).getpixel((20, 20)), (250, 0, 0), 10)


def test_jpeg_draft_decodes_at_a_reduced_size_but_never_below_the_need(tmp_path):
    path = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (90, 90, 90)).save(path, quality=80)
    image = imageproc.decode(path, scale=1600 / 4000)
    assert image.size == (2000, 1500)                           # 1/2 scale: ≥ 1600 wide
    assert imageproc.decode(path, scale=1.0).size == (4000, 3000)


def test_outputs_are_progressive_jpeg_and_webp(tmp_path):
    path = tmp_path / "a.png"
    Image.new("RGB", (300, 200), (10, 200, 30)).save(path)
    made = imageproc.render_all(path, [_rendition(150, 100, "jpeg"),
                                       _rendition(150, 100, "webp")], 300, 200)
    jpeg, webp = (Image.open(io.BytesIO(made[key])) for key in ("k150jpeg", "k150webp"))
    assert jpeg.format == "JPEG" and jpeg.info.get("progressive") and jpeg.size == (150, 100)
    assert webp.format == "WEBP" and webp.size == (150, 100)
