"""Resource faults (disk full, a photo gone mid-build): one clear line, exit 1, and the
previous output exactly as it was."""

import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import names_in, run_cli, tree_bytes
from photo_samples import photo_like

GOOD = 'title: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30'


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs: root can mount one (CI runs as root); elsewhere the test cannot run."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    if result.returncode != 0:     # as root, as in CI: the test must run, not pass by skipping
        pytest.fail(f"root cannot mount a tmpfs here: {result.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_cleanly_and_keeps_the_previous_output(site, small_disk):
    out = small_disk / "build"
    site.article("2024/a.md", GOOD)
    assert run_cli("build", str(site.root), "-o", str(out)).returncode == 0
    before = tree_bytes(out)
    for number in range(60):       # ~60 KB of text each: the new site cannot fit beside the old
        site.article(f"2024/bai-{number}.md", f'title: "Bài số {number}"\ndate: 2024-05-02',
                     body="Phúc Đồng " * 6000)
    result = run_cli("build", str(site.root), "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "the disk is full" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    in_vietnamese = run_cli("build", str(site.root), "-o", str(out), "--lang", "vi")
    assert in_vietnamese.returncode == 1 and "ổ đĩa đã đầy" in in_vietnamese.stderr
    assert tree_bytes(out) == before
    assert names_in(small_disk) == ["build"]     # the staging folder is gone


def test_a_photo_deleted_mid_build_is_a_clear_error_or_a_whole_build(site):
    names = [f"photos/anh-{n}.jpg" for n in range(6)]
    for number, name in enumerate(names):
        path = site.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        photo_like((4000, 3000), seed=number).save(path, "JPEG", quality=90)
    site.article("2024/a.md", GOOD + "\nphotos: [" + ", ".join(names) + "]")
    site.article("2024/b.md", 'title: "Tin khác"\ndate: 2024-05-02')
    assert run_cli("build", str(site.root), "--jobs", "1").returncode == 0
    before = tree_bytes(site.out)
    shutil.rmtree(site.root / ".cache")          # the photos must be processed again
    site.article("2024/b.md", 'title: "Tin khác đã sửa"\ndate: 2024-05-02')
    build = subprocess.Popen([sys.executable, "-m", "phucdong_site", "build", str(site.root),
                              "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60
    while not list(site.root.glob(".build.building-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    (site.content / names[-1]).unlink()
    out, err = build.communicate(timeout=300)
    assert "Traceback" not in err
    if build.returncode == 0:              # the photo was read before it went: a whole build
        assert "Tin khác đã sửa" in (site.out / "index.html").read_text(encoding="utf-8")
    else:
        assert build.returncode == 1
        assert "anh-5.jpg" in err
        assert tree_bytes(site.out) == before
