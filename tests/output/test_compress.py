"""Precompressed copies (.gz, .br) beside the output's text files: reproducible, equal to
their file once decompressed, made again only for files whose bytes changed, and an
incremental build equal to a clean one."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import brotli
import pytest
from conftest import REPO, names_in, run_cli, tree_bytes

from phucdong_site.config import load_config
from phucdong_site.output.compress import (
    THRESHOLD,
    WORTH,
    brotli_bytes,
    gzip_bytes,
)
from phucdong_site.output.headers import is_compressible
from phucdong_site.pipeline.stages import build

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402


def copies_are_right(out: Path) -> int:
    """Every compressible file over the threshold has its copies when they save 5 %, each
    decompressing to the file; no copy without its file. Returns how many copies."""
    count = 0
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(out).as_posix()
        if path.suffix in (".gz", ".br"):
            original = path.with_suffix("")
            assert original.is_file(), relative
            data = original.read_bytes()
            packed = path.read_bytes()
            unpacked = gzip.decompress(packed) if path.suffix == ".gz" else brotli.decompress(
                packed)
            assert unpacked == data, relative
            assert len(packed) <= len(data) * WORTH, relative
            count += 1
        elif is_compressible(relative):
            data = path.read_bytes()
            for suffix, make in ((".gz", gzip_bytes), (".br", brotli_bytes)):
                copy = Path(f"{path}{suffix}")
                worth = len(data) >= THRESHOLD and len(make(data)) <= len(data) * WORTH
                assert copy.is_file() == worth, (relative, suffix)
    return count


def varied_text(size: int) -> bytes:
    """Text whose deflate stream differs between levels 6 and 9 (a repeated phrase does not)."""
    words = "phường Phúc Đồng Long Biên tổ dân phố họp bàn vệ sinh môi trường ngày".split()
    rng = random.Random(20)
    return " ".join(rng.choice(words) + str(rng.randrange(300)) for _ in range(size)).encode()


def test_gzip_copies_are_made_at_level_6_without_name_time_or_system():
    data = varied_text(6000)
    level = {n: zlib.compressobj(n, zlib.DEFLATED, -zlib.MAX_WBITS, 8) for n in (6, 9)}
    stream = {n: d.compress(data) + d.flush() for n, d in level.items()}
    assert stream[6] != stream[9]             # else the test could not tell the level
    packed = gzip_bytes(data)
    assert packed == gzip_bytes(data)
    assert packed[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"   # no name, time, system
    assert packed[10:-8] == stream[6]
    assert gzip.decompress(packed) == data
    assert zlib.decompress(packed, 31) == data
    assert brotli.decompress(brotli_bytes(data)) == data
    assert brotli_bytes(data) == brotli_bytes(data)


@pytest.mark.skipif(shutil.which("gzip") is None, reason="no gzip on this machine")
def test_gzip_copies_hold_the_stream_gzip_6_n_writes():
    data = varied_text(6000)
    made_by_gzip = subprocess.run(["gzip", "-6", "-n", "-c"], input=data, capture_output=True,
                                  check=True).stdout
    assert gzip_bytes(data)[10:] == made_by_gzip[10:]     # all but gzip's system byte
    made_at_9 = subprocess.run(["gzip", "-9", "-n", "-c"], input=data, capture_output=True,
                               check=True).stdout
    assert gzip_bytes(data)[10:] != made_at_9[10:]


def test_build_writes_copies_beside_text_files_that_decompress_to_them(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=12, seed=3)
    (site / "root").mkdir()
    (site / "root" / "tiny.json").write_text("{}\n")                      # under the threshold
    random = os.urandom(4096).hex().encode()     # hex: text that compresses, but not by much
    (site / "root" / "du-lieu.json").write_bytes(b'"' + random + b'"')
    result = run_cli("build", str(site), "-q", timeout=300)
    assert result.returncode == 0, result.stderr
    out = site / "build"
    assert copies_are_right(out) > 30
    assert (out / "index.html.gz").is_file() and (out / "index.html.br").is_file()
    assert not (out / "tiny.json.gz").exists()
    statics = list((out / "static" / "css").glob("site.*.css.br"))
    assert statics, "the theme's style sheet has its brotli copy"
    assert not list(out.rglob("*.jpg.gz")) and not list(out.rglob("*.webp.br"))
    # A copy is a link of the build cache's entry: no second copy of its bytes on disk.
    assert (out / "index.html.br").stat().st_nlink == 2


def test_copies_are_byte_for_byte_the_same_in_a_clean_build_elsewhere(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=8, seed=5)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    other = tmp_path / "other"
    shutil.copytree(site, other, ignore=shutil.ignore_patterns(".cache", "build"))
    assert run_cli("build", str(other), "-q", timeout=300).returncode == 0
    first, second = tree_bytes(site / "build"), tree_bytes(other / "build")
    assert [name for name in first if name.endswith((".gz", ".br"))]
    assert first == second


def test_only_changed_files_are_compressed_again(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=30, seed=7)
    config = load_config(site)
    cold = build(config)
    assert cold.compressed > 40
    article = sorted((site / "content").rglob("*.md"))[-1]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.rstrip("\n") + "\n\nMột câu mới ở cuối bài.\n", encoding="utf-8")
    edited = build(config)
    # The article's page, and its search fragment if over the threshold: a handful.
    assert 1 <= edited.compressed <= 4, edited.compressed
    assert copies_are_right(site / "build")
    page = site / "build" / edited_page(site / "build", "Một câu mới ở cuối bài.")
    assert gzip.decompress(Path(f"{page}.gz").read_bytes()) == page.read_bytes()
    # Nothing changed: nothing compressed (the files are those of the output, not read).
    again = build(config)
    assert again.compressed == 0
    # The cache keeps one .gz and one .br per file compressed, no more.
    entries = [p for p in (site / ".cache" / "compressed").rglob("*") if p.is_file()
               and p.suffix in (".gz", ".br")]
    staged = [p for p in (site / "build").rglob("*") if p.suffix in (".gz", ".br")]
    assert {p.stat().st_ino for p in staged} <= {p.stat().st_ino for p in entries}
    assert len(entries) <= 2 * (cold.compressed + edited.compressed)
    digests = {p.name.partition(".")[0] for p in entries}
    assert len(entries) == 2 * len(digests)


def edited_page(out: Path, needle: str) -> str:
    for path in out.rglob("index.html"):
        if needle in path.read_text(encoding="utf-8"):
            return path.relative_to(out).as_posix()
    raise AssertionError(needle)


def test_incremental_build_with_copies_equals_a_clean_build(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=20, seed=9)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    for article in sorted((site / "content").rglob("*.md"))[:2]:
        article.unlink()
    (site / ".cache" / "compressed").joinpath("stamps.pickle").write_bytes(b"damaged")
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "build"))
    assert run_cli("build", str(clean), "-q", timeout=300).returncode == 0
    assert tree_bytes(site / "build") == tree_bytes(clean / "build")
    copies_are_right(site / "build")
    # A build leaves nothing behind: no staging folder, no temporary file in the cache.
    assert names_in(site) == [".build.previous", ".cache", "build",
                                                      "content", "site.toml"]
    assert not [p for p in (site / ".cache").rglob("*") if ".tmp-" in p.name]


def test_a_copy_the_site_publishes_itself_is_left_as_it_is(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=3, seed=1)
    (site / "root").mkdir()
    (site / "root" / "robots.txt").write_text("User-agent: *\n" * 200)     # not compressible
    own = gzip_bytes(b"not the page")
    (site / "root" / "404.html.gz").write_bytes(own)
    result = run_cli("build", str(site), "-q", timeout=300)
    assert result.returncode == 0, result.stderr
    assert (site / "build" / "404.html.gz").read_bytes() == own
    assert not (site / "build" / "robots.txt.gz").exists()


def test_a_copy_cut_short_in_the_cache_is_made_again_not_published(tmp_path):
    """A copy in .cache/compressed/ whose size is not the one recorded when it was written
    (a full disk, a hand in the cache) is compressed again, never linked into the site."""
    site = tmp_path / "site"
    generate(site, articles=12, seed=3)
    config = load_config(site)
    build(config)
    entries = sorted(p for p in (site / ".cache" / "compressed").rglob("*")
                     if p.suffix in (".gz", ".br"))
    for entry in entries[:6]:        # each a new file: the published copies keep theirs
        data = entry.read_bytes()
        entry.unlink()
        entry.write_bytes(data[:len(data) // 2])
    article = sorted((site / "content").rglob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nThêm một dòng.\n",
                       encoding="utf-8")
    rebuilt = build(config)
    assert rebuilt.compressed >= 3
    assert copies_are_right(site / "build")


def test_the_copies_of_another_version_go_once_a_build_has_its_own(tmp_path):
    """A cache made at another level or library version (gzip 9 before) is removed, also
    when the record of the last build's copies is there to spare a full listing."""
    site = tmp_path / "site"
    generate(site, articles=4, seed=5)
    config = load_config(site)
    build(config)
    cache = site / ".cache" / "compressed"
    (current,) = [p for p in cache.iterdir() if p.is_dir()]
    old = cache / "gz9-zlib1.2.13-br5-brotli1.0.9"
    shutil.copytree(current, old)
    assert (cache / "stamps.pickle").is_file()
    build(config)
    assert [p for p in cache.iterdir() if p.is_dir()] == [current]
    assert copies_are_right(site / "build")
