"""A .cache/ the build cannot use (a file in its place, a folder this user may not read or
write) is done without: the build says so once, goes on, and publishes what a clean build
publishes. Damaged files in it are made again, never used."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tree_bytes
from PIL import Image

GOOD = 'title: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30'


@pytest.fixture
def full_site(site):
    """Articles with a photo and an attached PDF: every part of the cache is used (parsed
    articles, page keys, photo renditions, attachments, compressed copies, templates)."""
    site.photo("2024/anh/hoi-nghi.jpg", (1200, 800))
    pdf = site.content / "2024" / "ke-hoach.pdf"
    Image.new("RGB", (300, 400), "white").save(pdf, "PDF")
    site.article("2024/a.md", GOOD + "\ncover: anh/hoi-nghi.jpg\nattachments: [ke-hoach.pdf]",
                 body="Phúc Đồng tổng kết năm. " * 200)
    for number in range(5):
        site.article(f"2024/tin-{number}.md", f'title: "Tin số {number}"\ndate: 2024-04-0{number + 1}')
    return site


def build(site, *, unprivileged: bool = False) -> subprocess.CompletedProcess:
    """The build command as an editor runs it. UNPRIVILEGED: without root's power to read
    and write any file (its permission bits apply to it too), as any editor's account."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site.root)],
                          env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=_without_root_powers if unprivileged else None)


def _without_root_powers() -> None:
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):         # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:      # PR_CAPBSET_DROP: gone at exec
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def clean(site, tmp_path: Path) -> dict[str, bytes]:
    """What a build of the same site publishes from scratch (no .cache/, no output)."""
    copy = tmp_path / "clean"
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns(".cache", "build"))
    result = subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(copy)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return tree_bytes(copy / "build")


def went_on_without_it(result: subprocess.CompletedProcess, shown: str) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if not line.startswith("  ")]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith(f"{shown}: warning: cannot be used")


def test_a_file_in_place_of_the_cache_folder_is_built_without(full_site, tmp_path):
    assert build(full_site).returncode == 0
    shutil.rmtree(full_site.root / ".cache")
    (full_site.root / ".cache").write_text("not a folder", encoding="utf-8")
    for _ in range(2):                # the first build, and one with an output to reuse
        went_on_without_it(build(full_site), ".cache")
        assert (full_site.root / ".cache").read_text(encoding="utf-8") == "not a folder"
        assert tree_bytes(full_site.out) == clean(full_site, tmp_path)
        shutil.rmtree(tmp_path / "clean")


@pytest.mark.parametrize("mode", [0o000, 0o500, 0o300])
def test_a_cache_folder_this_user_cannot_use_is_built_without(full_site, tmp_path, mode):
    """Unreadable, read-only, or not listable: the build goes on without it, and never
    crashes writing to it (a new photo's renditions have nowhere else to go)."""
    assert build(full_site).returncode == 0
    full_site.photo("2024/anh/moi.jpg", (900, 600), color=(20, 90, 160))
    full_site.article("2024/moi.md", 'title: "Tin mới"\ndate: 2024-05-02\ncover: anh/moi.jpg')
    (full_site.content / "2024" / "tin-0.md").write_text(
        '---\ntitle: "Tin số 0"\ndate: 2024-04-01\n---\n\nĐã sửa.\n', encoding="utf-8")
    cache = full_site.root / ".cache"
    cache.chmod(mode)
    try:
        result = build(full_site, unprivileged=True)
    finally:
        cache.chmod(0o755)
    went_on_without_it(result, ".cache")
    assert tree_bytes(full_site.out) == clean(full_site, tmp_path)


def test_a_cache_subfolder_this_user_cannot_use_is_built_without(full_site, tmp_path):
    assert build(full_site).returncode == 0
    shutil.rmtree(full_site.out)
    photos = full_site.root / ".cache" / "photos"
    photos.chmod(0o500)
    try:
        result = build(full_site, unprivileged=True)
    finally:
        photos.chmod(0o755)
    went_on_without_it(result, ".cache/photos")
    assert tree_bytes(full_site.out) == clean(full_site, tmp_path)


def test_cache_files_cut_short_are_made_again_not_used(full_site, tmp_path):
    """Every pickle, index and compiled template of .cache/ truncated, as a full disk or a
    killed machine leaves them: the build publishes what a clean one does."""
    assert build(full_site).returncode == 0
    cache = full_site.root / ".cache"
    cut = 0
    for file in cache.rglob("*"):
        if file.is_file() and file.suffix in (".pickle", ".json", ".cache", ".bodies"):
            file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
            cut += 1
    assert cut >= 5
    shutil.rmtree(full_site.out)
    result = build(full_site)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert tree_bytes(full_site.out) == clean(full_site, tmp_path)
