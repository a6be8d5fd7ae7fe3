"""An OUT that is a mount point (a container volume, an NFS web root) cannot be renamed: the
build publishes into it. Real mounts, in a mount namespace of their own (unshare), so that
nothing is mounted on the machine."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tree_bytes

from phucdong_site import system

# Where the system locks a file rather than OUT's folder, that file stays beside OUT.
LOCK_FILE = {".build.lock"} if system.lock_path(Path("."), ".build.lock")[1] else set()


def in_namespace(script: str, **paths: Path) -> subprocess.CompletedProcess:
    """Run the shell SCRIPT as root of a private mount namespace; PATHS as $NAMES."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is needed to mount without touching the machine")
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        if os.geteuid() == 0:       # as root, as in CI: the test must run, not pass by skipping
            pytest.fail(f"unshare -rm fails here: {probe.stderr.strip()}")
        pytest.skip("this machine allows no user namespaces (unshare -rm)")
    env = {**os.environ, "PYTHON": sys.executable, "PYTHONIOENCODING": "utf-8",
           **{name: str(path) for name, path in paths.items()}}
    return subprocess.run(["unshare", "-rm", "sh", "-c", "set -e\n" + script], env=env,
                          capture_output=True, text=True, timeout=300)


BUILD = '"$PYTHON" -m phucdong_site build "$SITE" -q'


def write_site(site) -> None:
    site.article("2024/a.md", 'title: "Tin đầu tiên"\ndate: 2024-01-01')
    site.article("2024/b.md", 'title: "Tin sẽ bị gỡ"\ndate: 2024-01-02')


def clean_build(site, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site.root), "-q",
                    "-o", str(clean)], check=True, capture_output=True)
    return tree_bytes(clean)


@pytest.mark.parametrize("volume", ["tmpfs", "bind"])
def test_an_output_that_is_a_mount_point_is_published_into(site, tmp_path, volume):
    """tmpfs: another filesystem (os.path.ismount sees it); bind: a folder of the same
    filesystem mounted there (only the mount table shows it), as a container volume is."""
    write_site(site)
    out, snapshots, volume_folder = site.out, tmp_path / "seen", tmp_path / "volume"
    out.mkdir()
    volume_folder.mkdir()
    for n in (1, 2):
        (snapshots / str(n)).mkdir(parents=True)
    edited = site.content / "2024" / "a.md.sau"
    edited.write_text('---\ntitle: "Tin đã sửa"\ndate: 2024-01-01\n---\n\nSửa.\n',
                      encoding="utf-8")
    mount = ('mount -t tmpfs -o size=64m tmpfs "$OUT"' if volume == "tmpfs" else
             'mount --bind "$VOLUME" "$OUT"')
    result = in_namespace(f"""
        {mount}
        mkdir "$OUT/lost+found"
        {BUILD}
        cp -a "$OUT/." "$SEEN/1"
        mv "$SITE/content/2024/a.md.sau" "$SITE/content/2024/a.md"
        rm "$SITE/content/2024/b.md"
        {BUILD}
        cp -a "$OUT/." "$SEEN/2"
        ls -A "$SITE" > "$SEEN/beside"
    """, SITE=site.root, OUT=out, SEEN=snapshots, VOLUME=volume_folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "busy" not in result.stderr
    first, second = tree_bytes(snapshots / "1"), tree_bytes(snapshots / "2")
    assert "Tin sẽ bị gỡ" in first["index.html"].decode()
    # the second build replaced the first whole: the same as a clean build of the same site
    assert second == clean_build(site, tmp_path)
    assert "Tin đã sửa" in second["index.html"].decode()
    assert not any("bi-go" in name or "b/" in name for name in second)
    # no staging folder left inside the volume, and none beside it
    assert not [name for name in os.listdir(snapshots / "2") if name.startswith(".phucdong-site.")]
    assert [name for name in (snapshots / "beside").read_text().split() if name not in LOCK_FILE] == [
        ".cache", "build", "content", "site.toml"]
    assert (snapshots / "2" / "lost+found").is_dir()       # the filesystem's own: left alone
    if volume == "bind":          # what went into the mount point is in the volume
        assert tree_bytes(volume_folder) == second


def test_a_mount_point_the_mount_table_does_not_show_is_still_published_into(site, tmp_path):
    """Without /proc (a tmpfs mounted over it), a bind mount of the same filesystem looks
    like any folder until the swap is refused (EBUSY): the build then moves in instead."""
    write_site(site)
    (site.content / "2024" / "a.md.sau").write_text(
        '---\ntitle: "Tin đã sửa"\ndate: 2024-01-01\n---\n\nSửa.\n', encoding="utf-8")
    site.out.mkdir()
    volume_folder = tmp_path / "volume"
    volume_folder.mkdir()
    result = in_namespace(f"""
        mount --bind "$VOLUME" "$OUT"
        {BUILD}
        mount -t tmpfs tmpfs /proc
        mv "$SITE/content/2024/a.md.sau" "$SITE/content/2024/a.md"
        {BUILD} --jobs 1
        ls -A "$SITE" > "$VOLUME/../beside"
    """, SITE=site.root, OUT=site.out, VOLUME=volume_folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert tree_bytes(volume_folder) == clean_build(site, tmp_path)
    assert "Tin đã sửa" in (volume_folder / "index.html").read_text(encoding="utf-8")
    assert [name for name in (tmp_path / "beside").read_text().split() if name not in LOCK_FILE] == [
        ".cache", "build", "content", "site.toml"]


def test_a_killed_first_build_inside_the_output_does_not_make_it_someone_elses(site):
    """A first build killed inside an empty mount point leaves only its staging folder
    there (no marker yet): the next build removes it, rather than refusing OUT as a folder
    this tool did not build."""
    write_site(site)
    site.out.mkdir()
    leftover = site.out / ".phucdong-site.building-999999"
    leftover.mkdir()
    (leftover / "index.html").write_text("nửa chừng", encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()
    assert (site.out / "index.html").is_file()
