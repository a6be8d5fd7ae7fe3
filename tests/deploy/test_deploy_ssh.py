"""deploy over ssh: rsync to a real sshd on 127.0.0.1 (OpenSSH from Debian), only the changed
files, deletions in a second step, a killed deploy resumed; an unreachable server, a refused
login and a full disk each told in one line."""

from __future__ import annotations

import shutil

import pytest
from conftest import tree_bytes
from deploytools import (
    Sshd,
    add_target,
    built,
    changed_between,
    edit_article,
    fill_site,
    free_port,
    kill_and_resume,
    run_deploy,
)

pytestmark = pytest.mark.skipif(
    not (shutil.which("rsync") and shutil.which("ssh") and shutil.which("/usr/sbin/sshd")),
    reason="needs Debian's rsync, openssh-client and openssh-server (make test-tools)")


@pytest.fixture
def sshd(tmp_path):
    server = Sshd(tmp_path / "sshd")
    yield server
    server.stop()


def inodes(root) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino
            for p in root.rglob("*") if p.is_file()}


def test_rsync_sends_only_the_changed_files_and_ends_equal(site, sshd, tmp_path):
    fill_site(site)
    remote = tmp_path / "srv" / "www"
    add_target(site, sshd.target(path=remote))
    assert site.build("-q").returncode == 0
    first = run_deploy(site)
    assert first.returncode == 0, first.stderr
    assert tree_bytes(remote) == built(site)
    before, first_inodes = built(site), inodes(remote)

    edit_article(site)
    (site.content / "2021/bai-5.md").unlink()
    assert site.build("-q").returncode == 0
    after = built(site)
    changed = changed_between(before, after)
    gone = before.keys() - after.keys()
    assert changed and gone
    result = run_deploy(site)
    assert result.returncode == 0, result.stderr
    # counted on the server: rsync renames a new copy into place, so a moved file has a
    # new inode; every other file kept its own
    moved = {path for path, inode in inodes(remote).items() if first_inodes.get(path) != inode}
    assert moved == changed
    assert f"{len(changed)} new or changed files, {len(gone)} files deleted" in result.stdout
    assert tree_bytes(remote) == after
    assert not (remote / "2021/01/bai-viet-so-5-ve-phuong-phuc-dong").exists()   # folder too


def test_others_files_on_the_server_are_kept_unless_delete(site, sshd, tmp_path):
    fill_site(site, 3)
    remote = tmp_path / "www"
    remote.mkdir()
    (remote / "google1234.html").write_text("verification")
    add_target(site, sshd.target(path=remote))
    site.build("-q")
    assert run_deploy(site).returncode == 0
    assert (remote / "google1234.html").exists()
    dry = run_deploy(site, "--delete", "--dry-run")
    assert "- google1234.html" in dry.stdout and (remote / "google1234.html").exists()
    assert run_deploy(site, "--delete").returncode == 0
    assert tree_bytes(remote) == built(site)


def test_a_killed_rsync_deploy_run_again_ends_equal(site, sshd, tmp_path):
    fill_site(site, 10)
    remote = tmp_path / "www"
    add_target(site, sshd.target(path=remote))
    site.build("-q")
    kill_and_resume(site, (), times=3, seconds=(0.4, 1.2))
    assert tree_bytes(remote) == built(site)
    edit_article(site, 4)
    site.build("-q")
    kill_and_resume(site, (), times=2, seconds=(0.4, 1.0), seed=3)
    assert tree_bytes(remote) == built(site)


def test_unreachable_server_and_refused_login(site, sshd, tmp_path):
    fill_site(site, 2)
    config = sshd.folder / "ssh_config_closed"
    config.write_text((sshd.folder / "ssh_config").read_text().replace(
        f"Port {sshd.port}", f"Port {free_port()}"))
    add_target(site, sshd.target("dong", tmp_path / "www", "ssh_config_closed"))
    add_target(site, sshd.target("la", tmp_path / "www", "ssh_config_stranger"))
    site.build("-q")
    closed = run_deploy(site, "dong")
    assert closed.returncode == 1
    assert closed.stderr.startswith("dong: cannot reach the server (deploy-test:"), closed.stderr
    refused = run_deploy(site, "la")
    assert refused.returncode == 1
    assert refused.stderr.startswith("la: the server refused the login"), refused.stderr
    for result in (closed, refused):
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (site.root / ".cache/deploy/dong.json").exists() or \
        '"files": {}' in (site.root / ".cache/deploy/dong.json").read_text()


def test_a_full_server_disk_is_told(site, tmp_path):
    server = Sshd(tmp_path / "sshd-small", file_size_limit=20_000)
    try:
        fill_site(site, 2)
        (site.root / "root").mkdir()
        (site.root / "root/tai-lieu.bin").write_bytes(b"x" * 60_000)
        remote = tmp_path / "www"
        add_target(site, server.target(path=remote))
        site.build("-q")
        result = run_deploy(site)
        assert result.returncode == 1
        assert result.stderr.startswith("may-chu: the server's disk is full"), result.stderr
        assert "Traceback" not in result.stderr
    finally:
        server.stop()
