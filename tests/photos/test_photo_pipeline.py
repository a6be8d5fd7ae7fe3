"""The photo pipeline end to end: real files in, a real build, published files decoded back."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import ExifTags, Image

from conftest import tree_bytes
from phucdong_site.photos import imageproc
from phucdong_site.config import load_config
from phucdong_site.pipeline.stages import build
from photo_samples import COMMENT, XMP, exif_with_gps_and_orientation, photo_like

ARTICLE = """
    title: "Hội nghị tổng kết"
    date: 2024-05-01 08:30
    photos:
      - src: {src}
        caption: "Toàn cảnh hội nghị"
"""


def page(site, url="2024/05/hoi-nghi-tong-ket/") -> BeautifulSoup:
    return BeautifulSoup((site.out / url / "index.html").read_text(encoding="utf-8"),
                         "html.parser")


def srcset_files(site, srcset: str) -> dict[int, Path]:
    """{width: published file} from a srcset of root-relative URLs."""
    files = {}
    for entry in srcset.split(","):
        url, width = entry.split()
        files[int(width.removesuffix("w"))] = site.out / url.lstrip("/")
    return files


def test_phone_sized_webp_of_a_4000x3000_photo_is_under_120_kb(site):
    photo_like((4000, 3000), seed=1).save(site.content / "big.jpg", quality=90)
    assert (site.content / "big.jpg").stat().st_size > 1_500_000     # a camera-sized file
    site.article("2024/a.md", ARTICLE.format(src="big.jpg"))
    result = site.build()
    assert result.returncode == 0, result.stderr

    source = page(site).select_one("article picture source[type='image/webp']")
    webps = srcset_files(site, source["srcset"])
    assert sorted(webps) == [480, 960, 1600]
    phone = webps[480]
    assert phone.stat().st_size < 120_000
    with Image.open(phone) as image:
        assert (image.format, image.size) == ("WEBP", (480, 360))


def test_published_images_are_upright_and_carry_no_metadata(site):
    # Stored sideways (600×400) with "rotate 90° clockwise to view": upright it is 400×600.
    # The red block sits where the top of the upright photo is.
    stored = Image.new("RGB", (600, 400), (40, 90, 160))
    stored.paste((220, 20, 20), (0, 0, 150, 400))
    stored.save(site.content / "phone.jpg", quality=92,
                exif=exif_with_gps_and_orientation(6), comment=COMMENT, xmp=XMP)
    with Image.open(site.content / "phone.jpg") as original:   # the input really has them
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert original.info["comment"] == COMMENT and original.info["xmp"]
    site.article("2024/a.md", ARTICLE.format(src="phone.jpg"))
    result = site.build()
    assert result.returncode == 0, result.stderr

    published = sorted((site.out / "anh").iterdir())
    assert len(published) == 5       # 400w body and cover, JPEG + WebP; the og image
    for path in published:
        data = path.read_bytes()
        for secret in (b"Exif", b"PhoneMaker", b"http://ns.adobe.com", COMMENT, b"XMP"):
            assert secret not in data, (path.name, secret)
        with Image.open(path) as image:
            assert not image.getexif(), path.name
            assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & image.info.keys()
            if "-cover-" in path.name or "-og-" in path.name:
                continue
            assert image.height > image.width, path.name          # upright: portrait
            top = image.convert("RGB").getpixel((image.width // 2, image.height // 10))
            bottom = image.convert("RGB").getpixel((image.width // 2, image.height * 9 // 10))
            assert top[0] > 180 and top[2] < 80, (path.name, top)
            assert bottom[2] > 120 and bottom[0] < 90, (path.name, bottom)
    img = page(site).select_one("article picture img")
    assert (img["width"], img["height"]) == ("400", "600")


def _build_in_process(site, jobs=1):
    return build(load_config(site.root, jobs=jobs))


def test_a_second_build_with_no_change_opens_no_photo(site, monkeypatch):
    photo_like((1200, 900), seed=2).save(site.content / "a.jpg", quality=90)
    photo_like((900, 1200), seed=3).save(site.content / "b.png")
    site.article("2024/a.md", ARTICLE.format(src="a.jpg"), body="![Cảnh](../b.png)\n")
    opened: list[str] = []
    real_open = Image.open

    def counting_open(fp, *args, **kwargs):
        opened.append(str(fp))
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting_open)
    first = _build_in_process(site)
    assert first.photos_processed == 2 and len(opened) >= 2
    before = tree_bytes(site.out)

    opened.clear()
    decodes = imageproc.DECODES
    second = _build_in_process(site)
    assert opened == []
    assert imageproc.DECODES == decodes and second.photos_processed == 0
    assert tree_bytes(site.out) == before       # the cache gives byte-identical output


def test_a_photo_shared_by_articles_and_files_is_decoded_once(site):
    photo_like((1000, 750), seed=4).save(site.content / "shared.jpg", quality=90)
    (site.content / "copy.jpg").write_bytes((site.content / "shared.jpg").read_bytes())
    site.article("2024/a.md", ARTICLE.format(src="shared.jpg"))
    site.article("2024/b.md", ARTICLE.format(src="copy.jpg").replace("tổng kết", "sơ kết"))
    site.article("2024/c.md", ARTICLE.format(src="shared.jpg").replace("tổng kết", "đầu năm"))
    decodes = imageproc.DECODES
    report = _build_in_process(site)
    assert report.photos_processed == 1 and imageproc.DECODES - decodes == 1
    # Each file keeps its own published names, made from the one decode.
    names = {p.name.split("-")[0] for p in (site.out / "anh").iterdir()}
    assert names == {"shared", "copy"}


def _cache_files(site) -> set[str]:
    root = site.root / ".cache" / "photos"
    return {p.name for p in root.glob("*/*")}


def test_changed_photo_is_remade_and_its_old_cache_entries_are_pruned(site):
    photo_like((800, 600), seed=5).save(site.content / "a.jpg", quality=90)
    site.article("2024/a.md", ARTICLE.format(src="a.jpg"))
    _build_in_process(site)
    old = _cache_files(site)
    published = {p.name for p in (site.out / "anh").iterdir()}
    assert len(old) == len(published)

    photo_like((800, 600), seed=6).save(site.content / "a.jpg", quality=90)
    report = _build_in_process(site)
    assert report.photos_processed == 1
    new = _cache_files(site)
    assert not old & new and len(new) == len(old)
    index = json.loads((site.root / ".cache/photos/outputs.json").read_text())
    assert {f"{key}" for key in index["outputs"]} == {name.split(".")[0] for name in new}


def test_damaged_cache_entry_is_detected_and_remade(site):
    photo_like((800, 600), seed=7).save(site.content / "a.jpg", quality=90)
    site.article("2024/a.md", ARTICLE.format(src="a.jpg"))
    _build_in_process(site)
    good = tree_bytes(site.out)
    victim = next((site.root / ".cache" / "photos").glob("*/*.webp"))
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF                 # same size, one byte flipped
    victim.write_bytes(bytes(data))
    _build_in_process(site)
    assert tree_bytes(site.out) == good


def test_parallel_build_matches_a_serial_one(site, tmp_path, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "vi")         # the summary an editor reads, by default
    for seed in range(4):
        photo_like((900, 600), seed=10 + seed).save(site.content / f"p{seed}.jpg", quality=90)
        site.article(f"2024/a{seed}.md", ARTICLE.format(src=f"../p{seed}.jpg")
                     .replace("tổng kết", f"số {seed}"))
    result = site.build("--jobs", "2")
    assert result.returncode == 0, result.stderr
    parallel = tree_bytes(site.out)
    serial_out = tmp_path / "serial"
    result = site.build("--jobs", "1", "-o", str(serial_out))
    assert result.returncode == 0, result.stderr
    assert tree_bytes(serial_out) == parallel
    assert "(0 ảnh mới xử lý)" in result.stdout       # the parallel run filled the cache


def test_markup_offers_webp_and_jpeg_with_sizes_and_only_the_first_photo_eager(site):
    for name, seed in (("a.jpg", 20), ("b.jpg", 21), ("c.jpg", 22)):
        photo_like((2000, 1500), seed=seed).save(site.content / name, quality=85)
    site.article("2024/a.md", """
        title: "Hội nghị tổng kết"
        date: 2024-05-01 08:30
        photos:
          - src: a.jpg
            caption: "Ảnh thứ nhất"
          - src: b.jpg
            caption: "Ảnh thứ hai"
    """, body="Mở đầu.\n\n![](b.jpg)\n\nGiữa bài ![nhỏ](c.jpg) tiếp.\n\n![](a.jpg)\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    article = page(site).select_one("article")
    images = article.select("img")
    assert len(images) == 3
    for img in images:
        assert img["width"].isdigit() and img["height"].isdigit()
        assert img.parent.name == "picture"
        assert img["sizes"] and img["srcset"] and img["src"].endswith(".jpg")
        webp = img.parent.select_one("source[type='image/webp']")
        assert webp["sizes"] == img["sizes"] and ".webp 480w" in webp["srcset"]
        for file in srcset_files(site, webp["srcset"]).values():
            assert file.is_file()
    first, *rest = images
    assert first["alt"] == "Ảnh thứ hai"            # first in the body, alt from its caption
    assert first["fetchpriority"] == "high" and "loading" not in first.attrs
    for img in rest:
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        assert "fetchpriority" not in img.attrs
    assert [img["alt"] for img in rest] == ["nhỏ", "Ảnh thứ nhất"]


def test_card_shows_a_16_9_cover_and_the_article_an_og_image(site):
    photo_like((1600, 1600), seed=30).save(site.content / "square.jpg", quality=90)
    site.article("2024/a.md", ARTICLE.format(src="square.jpg"))
    assert site.build().returncode == 0
    card = page(site, "tin-tuc/").select_one(".card-cover picture img")
    assert (card["width"], card["height"]) == ("960", "540")
    with Image.open(site.out / card["src"].lstrip("/")) as image:
        assert image.size == (960, 540)
    meta = page(site).select_one("meta[property='og:image']")
    assert meta["content"].startswith("https://phucdong.gov.vn/anh/")
    with Image.open(site.out / meta["content"].removeprefix("https://phucdong.gov.vn/")) as og:
        assert (og.format, og.size) == ("JPEG", (1200, 630))


def test_small_photos_are_never_upscaled(site):
    photo_like((700, 500), seed=31).save(site.content / "small.jpg", quality=90)
    site.article("2024/a.md", ARTICLE.format(src="small.jpg"))
    assert site.build().returncode == 0
    img = page(site).select_one("article picture img")
    widths = sorted(srcset_files(site, img["srcset"]))
    assert widths == [480, 700]
    for path in (site.out / "anh").iterdir():
        with Image.open(path) as image:
            assert image.width <= 700 and image.height <= 500


def test_image_settings_from_site_toml_are_used(site):
    with open(site.root / "site.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[images]\nwidths = [320, 640]\nformats = ["jpeg"]\nquality = 70\n')
    photo_like((1000, 750), seed=32).save(site.content / "a.jpg", quality=90)
    site.article("2024/a.md", ARTICLE.format(src="a.jpg"))
    result = site.build()
    assert result.returncode == 0, result.stderr
    picture = page(site).select_one("article picture")
    assert picture.select("source") == []
    assert sorted(srcset_files(site, picture.img["srcset"])) == [320, 640]
    assert not list((site.out / "anh").glob("*.webp"))


def test_progress_shows_on_a_terminal_and_stays_quiet_otherwise(site, monkeypatch):
    import os
    import pty
    import subprocess
    import sys

    photo_like((600, 400), seed=33).save(site.content / "a.jpg", quality=90)
    site.article("2024/a.md", ARTICLE.format(src="a.jpg"))
    piped = site.build("--jobs", "1", "-o", str(site.root / "piped"))
    assert piped.returncode == 0 and piped.stderr == ""
    assert "\r" not in piped.stdout

    (site.root / ".cache").rename(site.root / ".cache-old")      # photos to process again
    monkeypatch.setenv("LANGUAGE", "vi")         # the progress an editor sees, by default
    main, terminal = pty.openpty()
    process = subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site.root)],
                             stdin=terminal, stdout=terminal, stderr=terminal, timeout=120)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:          # the terminal is closed: all read
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.returncode == 0
    assert "xử lý ảnh 1/1" in shown.decode()


def test_a_photo_replaced_under_the_same_name_is_detected_by_its_new_stamp(site):
    import os
    import time

    path = site.content / "a.jpg"
    photo_like((800, 600), seed=34).save(path, quality=90)
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))   # settled: its stamp is trusted
    site.article("2024/a.md", ARTICLE.format(src="a.jpg"))
    _build_in_process(site)
    sources = json.loads((site.root / ".cache/photos/sources.json").read_text())
    assert sources["files"]["content/a.jpg"][0] == path.stat().st_size
    assert _build_in_process(site).photos_processed == 0
    old_src = page(site).select_one("article picture img")["src"]

    photo_like((800, 600), seed=35).save(path, quality=90)     # an editor swaps the photo
    os.utime(path, (an_hour_ago + 60, an_hour_ago + 60))
    assert _build_in_process(site).photos_processed == 1
    assert page(site).select_one("article picture img")["src"] != old_src
    sources = json.loads((site.root / ".cache/photos/sources.json").read_text())
    assert sources["files"]["content/a.jpg"][3] == hashlib.sha256(path.read_bytes()).hexdigest()
