"""HEIC photos, as phones save them, are published exactly like JPEG ones: JPEG + WebP."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageStat

from conftest import SITE_TOML, ScratchSite, tree_bytes
from photo_samples import COMMENT, XMP, exif_with_gps_and_orientation, heic_bytes, photo_like

ARTICLE = """
    title: "Hội nghị tổng kết"
    date: 2024-05-01 08:30
    photos:
      - src: {src}
        caption: "Toàn cảnh hội nghị"
"""


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read messages in English, the language of the code."""
    monkeypatch.setenv("LANGUAGE", "en")


def new_site(root: Path) -> ScratchSite:
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return ScratchSite(root)


def published(site: ScratchSite) -> dict[str, tuple[str, tuple[int, int]]]:
    """{name with its content hash masked: (format, size)} of every published photo file."""
    files = {}
    for path in sorted((site.out / "anh").iterdir()):
        with Image.open(path) as image:
            files[re.sub(r"-[0-9a-f]{12}\.", "-HASH.", path.name)] = (image.format, image.size)
    return files


def test_a_heic_photo_gives_the_renditions_of_the_same_photo_as_jpeg(tmp_path):
    picture = photo_like((2000, 1500), seed=60)
    heic, jpeg = new_site(tmp_path / "heic"), new_site(tmp_path / "jpeg")
    (heic.content / "hoi-nghi.heic").write_bytes(heic_bytes(picture))
    picture.save(jpeg.content / "hoi-nghi.jpg", quality=90)
    for site, src in ((heic, "../hoi-nghi.heic"), (jpeg, "../hoi-nghi.jpg")):
        site.article("2024/a.md", ARTICLE.format(src=src))
        result = site.build()
        assert result.returncode == 0, result.stderr

    from_heic, from_jpeg = published(heic), published(jpeg)
    assert from_heic == from_jpeg
    assert {fmt for fmt, _size in from_heic.values()} == {"JPEG", "WEBP"}   # never HEIC
    assert ("WEBP", (480, 360)) in from_heic.values()
    assert not list(heic.out.rglob("*.hei[cf]"))
    # Same pixels, give or take the two encoders' losses.
    name = next(n for n in from_heic if n.endswith("-960w-HASH.jpg"))
    means = []
    for site in (heic, jpeg):
        [path] = (site.out / "anh").glob(name.replace("HASH", "*"))
        with Image.open(path) as image:
            means.append(ImageStat.Stat(image).mean)
    assert all(abs(a - b) < 3 for a, b in zip(*means)), means
    # The pages differ only by the names' hashes (the sources' bytes differ).
    pages = [re.sub(r"-[0-9a-f]{12}\.", "-HASH.", (site.out / "2024/05/hoi-nghi-tong-ket"
                                                   / "index.html").read_text(encoding="utf-8"))
             for site in (heic, jpeg)]
    assert pages[0] == pages[1]


def test_a_heic_photo_is_published_upright_and_without_its_metadata(site):
    # Stored sideways (600×400), to be turned 90° clockwise, as a phone held upright saves
    # it; the red block is the top of the upright photo.
    stored = Image.new("RGB", (600, 400), (40, 90, 160))
    stored.paste((220, 20, 20), (0, 0, 150, 400))
    data = heic_bytes(stored, exif=exif_with_gps_and_orientation(6), xmp=XMP)
    (site.content / "phone.heic").write_bytes(data)
    with Image.open(site.content / "phone.heic") as original:  # the input really has them
        assert original.format == "HEIF" and original.size == (400, 600)
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert original.info["xmp"] and original.info["original_orientation"] == 6
    assert b"PhoneMaker" in data
    site.article("2024/a.md", ARTICLE.format(src="phone.heic"))
    result = site.build()
    assert result.returncode == 0, result.stderr

    files = sorted((site.out / "anh").iterdir())
    assert len(files) == 5       # 400w body and cover, JPEG + WebP; the og image
    for path in files:
        data = path.read_bytes()
        for secret in (b"Exif", b"PhoneMaker", b"http://ns.adobe.com", COMMENT, b"XMP"):
            assert secret not in data, (path.name, secret)
        with Image.open(path) as image:
            assert image.format in ("JPEG", "WEBP")
            assert not image.getexif(), path.name
            assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & image.info.keys()
            if "-cover-" in path.name or "-og-" in path.name:
                continue
            assert image.height > image.width, path.name          # upright: portrait
            rgb = image.convert("RGB")
            top = rgb.getpixel((image.width // 2, image.height // 10))
            bottom = rgb.getpixel((image.width // 2, image.height * 9 // 10))
            assert top[0] > 180 and top[2] < 80, (path.name, top)
            assert bottom[2] > 120 and bottom[0] < 90, (path.name, bottom)


def test_heic_photos_are_processed_by_worker_processes(site, tmp_path):
    for seed in range(3):
        (site.content / f"p{seed}.heic").write_bytes(
            heic_bytes(photo_like((900, 600), seed=61 + seed)))
        site.article(f"2024/a{seed}.md", ARTICLE.format(src=f"../p{seed}.heic")
                     .replace("tổng kết", f"số {seed}"))
    result = site.build("--jobs", "2")
    assert result.returncode == 0, result.stderr
    serial = site.build("--jobs", "1", "-o", str(tmp_path / "serial"))
    assert serial.returncode == 0, serial.stderr
    assert tree_bytes(tmp_path / "serial") == tree_bytes(site.out)


def test_a_fresh_process_that_imports_only_the_pixel_module_decodes_heic(tmp_path):
    # What a worker started by spawn or forkserver (not fork) has: only what it imports.
    path = tmp_path / "a.heic"
    path.write_bytes(heic_bytes(photo_like((300, 200), seed=64)))
    script = textwrap.dedent(f"""
        from pathlib import Path
        from phucdong_site.photos import imageproc
        image = imageproc.decode(Path({str(path)!r}))
        print(image.mode, image.size)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RGB", "(300,", "200)"]


# A truncated HEIC: see CASES in test_photo_errors.py.


def test_a_video_is_not_mistaken_for_a_damaged_heic(site):
    # An MP4 is an ISO media file too (an ftyp box), but not a photo.
    (site.content / "clip.heic").write_bytes(
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(200))
    site.article("2024/a.md", ARTICLE.format(src="clip.heic"))
    result = site.build()
    assert result.returncode == 1
    assert "photos[0].src: clip.heic is not an image" in result.stderr, result.stderr


def test_rendition_names_of_heic_photos_follow_the_heif_decoder():
    from phucdong_site.config import ImageConfig
    from phucdong_site.models import Photo
    from phucdong_site.photos import pictures, renditions

    def og_key(name: str) -> str:
        photo = Photo(src=name, source=Path(f"content/{name}"), caption="", width=800,
                      height=600, digest="0" * 64)
        return renditions(photo, ImageConfig()).og.key

    assert pictures.heif_decoder() == (pillow_heif.__version__, pillow_heif.libheif_version())
    assert og_key("a.heic") != og_key("a.jpg")       # same bytes, another decoder
    assert og_key("a.HEIF") == og_key("b.heic")


def test_pillow_heif_is_loaded_only_when_a_build_meets_a_heif_photo(site, tmp_path):
    # Its import costs ~80 ms that a no-change rebuild or a check of a JPEG site never pays.
    site.photo("2024/a.jpg")
    site.article("2024/a.md", 'title: "Ảnh JPEG"\ndate: 2024-05-01 08:30\nphotos:\n'
                 '  - src: a.jpg\n    caption: "Ảnh"')
    script = textwrap.dedent(f"""
        import sys
        from phucdong_site.cli import main
        code = main(["build", {str(site.root)!r}, "-q", "--jobs", "1"])
        print(code, "pillow_heif" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.split() == ["0", "False"], result.stderr
    # A HEIC photo that an editor renamed .jpg is still read as HEIC.
    (site.content / "2024" / "a.jpg").write_bytes(heic_bytes(photo_like((320, 240), seed=3)))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.split() == ["0", "True"], result.stderr
