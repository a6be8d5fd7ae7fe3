"""Bad photos and bad [images] settings: clear errors in the editor's terms, output untouched."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from conftest import names_in, tree_bytes
from photo_samples import heic_bytes, photo_like
from PIL import Image

GOOD = """
    title: "Bài tốt"
    date: 2024-05-01 08:30
    photos:
      - src: good.jpg
        caption: "Ảnh tốt"
"""
BAD = """
    title: "Bài có ảnh hỏng"
    date: 2024-05-02 08:30
    photos:
      - src: {src}
        caption: "Ảnh"
"""


def bomb_png() -> bytes:
    """A small, valid PNG whose header claims 30000×30000 pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", 30000, 30000)
    crc = zlib.crc32(bytes(data[ihdr:ihdr + 17]))
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def _jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    photo_like((600, 400), seed=40).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _half_a_heic() -> bytes:
    """The first half of a phone's photo (HEIC), as an interrupted copy leaves it."""
    data = heic_bytes(photo_like((600, 400), seed=40))
    return data[: len(data) // 2]


def _garbage(size: int) -> bytes:
    """Deterministic junk with JPEG markers in it, as a bad copy leaves in the scan data."""
    return random.Random(7).randbytes(size)


def _write(site, name: str, data: bytes) -> None:
    (site.content / name).write_bytes(data)


CASES = {
    "missing": (lambda site: None, "nowhere.jpg", "nowhere.jpg does not exist"),
    "not an image": (lambda site: _write(site, "notes.jpg", "Biên bản họp\n".encode() * 50),
                     "notes.jpg", "notes.jpg is not an image"),
    "truncated": (lambda site: _write(site, "cut.jpg", _jpeg_bytes()[:6000]),
                  "cut.jpg", "cut.jpg is damaged or truncated"),
    "truncated HEIC": (lambda site: _write(site, "cut.heic", _half_a_heic()),
                       "cut.heic", "cut.heic is damaged or truncated ("),
    "corrupt": (lambda site: _write(site, "noise.jpg", _jpeg_bytes()[:3000] + _garbage(9000)),
                "noise.jpg", "noise.jpg is damaged or truncated"),
    "decompression bomb": (lambda site: _write(site, "bomb.png", bomb_png()),
                           "bomb.png", "bomb.png is too large to process"),
    "path leaving the site": (lambda site: (site.root / "secret.jpg").write_bytes(_jpeg_bytes()),
                              "../../secret.jpg", "../../secret.jpg leaves the site"),
    "absolute path": (lambda site: None, "/etc/hostname", "/etc/hostname is an absolute path"),
    "symlink out of the site": (
        lambda site: ((site.root.parent / "outside.jpg").write_bytes(_jpeg_bytes()),
                      (site.content / "link.jpg").symlink_to(site.root.parent / "outside.jpg")),
        "link.jpg", "link.jpg is a link to a file outside the site"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_photo_is_reported_at_its_line_and_the_previous_output_is_kept(site, case):
    prepare, src, message = CASES[case]
    photo_like((800, 600), seed=41).save(site.content / "good.jpg", quality=90)
    site.article("2024/good.md", GOOD)
    assert site.build().returncode == 0
    before = tree_bytes(site.out)

    prepare(site)
    site.article("2024/bad.md", BAD.format(src=src))
    result = site.build()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Line 5 of the file is "  - src: …" (line 1 is the opening ---).
    assert f"content/2024/bad.md:5: photos[0].src: {message}" in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("1 problem found")
    assert tree_bytes(site.out) == before
    leftovers = [name for name in names_in(site.root) if name.startswith(".build")]
    assert leftovers == []


def test_every_bad_photo_of_a_run_is_reported_together(site):
    _write(site, "notes.jpg", b"not a photo at all" * 20)
    _write(site, "bomb.png", bomb_png())
    site.article("2024/bad.md", """
        title: "Nhiều ảnh hỏng"
        date: 2024-05-02 08:30
        photos:
          - src: notes.jpg
          - src: bomb.png
          - src: missing.jpg
    """)
    result = site.build()
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("content/2024/bad.md:5: photos[0].src: notes.jpg is not an image")
    assert lines[1].startswith("content/2024/bad.md:6: photos[1].src: bomb.png is too large")
    assert lines[2] == "content/2024/bad.md:7: photos[2].src: missing.jpg does not exist"
    assert lines[-1] == "3 problems found"
    assert not site.out.exists()


@pytest.mark.parametrize("setting, message", [
    ("widths = [480, \"960\"]", "images.widths: expected a list of pixel widths"),
    ("widths = []", "images.widths: expected a list of pixel widths"),
    ("quality = 0", "images.quality: expected a whole number from 1 to 100"),
    ("webp_quality = 101", "images.webp_quality: expected a whole number from 1 to 100"),
    ("formats = [\"webp\"]", 'images.formats: expected a list of "webp" and "jpeg" that includes'),
    ("formats = [\"avif\", \"jpeg\"]", "images.formats: expected a list"),
    ("width = [480]", "images.width: unknown setting\n  hint: did you mean 'widths'?"),
])
def test_bad_image_settings_are_reported_with_their_line(site, setting, message):
    with open(site.root / "site.toml", "a", encoding="utf-8") as toml:
        toml.write(f"\n[images]\n{setting}\n")
    line = (site.root / "site.toml").read_text(encoding="utf-8").count("\n")
    result = site.build()
    assert result.returncode == 1
    assert f"site.toml:{line}: {message}" in result.stderr, result.stderr


def test_jobs_must_be_at_least_one(site):
    result = site.build("--jobs", "0")
    assert result.returncode == 2 and "--jobs" in result.stderr
