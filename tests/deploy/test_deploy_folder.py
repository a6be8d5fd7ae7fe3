"""deploy to a folder: only what changed moves, the target equals build/, deletions are
guarded, others' files are kept, a killed deploy resumes, two deploys never run at once."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess

import pytest
from conftest import tree_bytes
from deploytools import (
    add_target,
    built,
    changed_between,
    deploy_command,
    edit_article,
    files_in,
    fill_site,
    kill_and_resume,
    run_deploy,
)

from phucdong_site import system


def inodes(root) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def deployed(site, tmp_path):
    fill_site(site)
    www = tmp_path / "www"
    add_target(site, f'[[deploy]]\nname = "may-chu"\ntype = "folder"\npath = "{www}"')
    assert site.build("-q").returncode == 0
    first = run_deploy(site)
    assert first.returncode == 0, first.stderr
    assert tree_bytes(www) == built(site)
    return site, www


def test_deploy_then_one_edit_moves_only_the_changed_files(deployed):
    site, www = deployed
    before, first_inodes = built(site), inodes(www)
    edit_article(site)
    assert site.build("-q").returncode == 0
    after = built(site)
    changed = changed_between(before, after)
    assert 0 < len(changed) < len(after) // 3
    result = run_deploy(site)
    assert result.returncode == 0, result.stderr
    # counted at the target: a file replaced has a new inode, the others kept theirs
    moved = {path for path, inode in inodes(www).items() if first_inodes.get(path) != inode}
    assert moved == changed
    assert f"{len(changed)} new or changed files, 0 files deleted" in result.stdout
    assert tree_bytes(www) == after
    again = run_deploy(site)
    assert "nothing to send" in again.stdout and inodes(www) == inodes(www)


def test_summary_in_vietnamese_by_default(deployed):
    site, _www = deployed
    edit_article(site, 2)
    site.build("-q")
    result = run_deploy(site, env={"LANGUAGE": "vi"})
    assert result.returncode == 0
    assert result.stdout.startswith("Đã đưa lên may-chu: "), result.stdout


def test_dry_run_lists_and_touches_nothing(deployed):
    site, www = deployed
    edit_article(site)
    site.build("-q")
    before = tree_bytes(www)
    result = run_deploy(site, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "+ 2021/01/bai-viet-so-1-ve-phuong-phuc-dong/index.html" in result.stdout
    assert tree_bytes(www) == before
    assert run_deploy(site, "--dry-run").stdout == result.stdout   # nothing recorded


def test_deleted_article_is_removed_last_and_others_files_are_kept(deployed):
    site, www = deployed
    (www / "google1234.html").write_text("google-site-verification")
    (site.content / "2021/bai-5.md").unlink()
    site.build("-q")
    result = run_deploy(site)
    assert result.returncode == 0, result.stderr
    assert not (www / "2021/01/bai-viet-so-5-ve-phuong-phuc-dong").exists()
    assert (www / "google1234.html").exists()
    files = tree_bytes(www)
    files.pop("google1234.html")
    assert files == built(site)
    # --delete removes what the site did not write, and only that
    result = run_deploy(site, "--delete")
    assert result.returncode == 0, result.stderr
    assert tree_bytes(www) == built(site)


def test_mass_deletion_needs_max_deletes(deployed):
    site, www = deployed
    before = tree_bytes(www)
    for number in range(1, 6):
        (site.content / f"2021/bai-{number}.md").unlink()
    site.build("-q")
    refused = run_deploy(site, "--max-deletes", "3")
    assert refused.returncode == 1
    assert "more than the 3 allowed" in refused.stderr and "--max-deletes" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert tree_bytes(www) == before               # refused before anything changed
    allowed = run_deploy(site, "--max-deletes", "1000")
    assert allowed.returncode == 0, allowed.stderr
    assert tree_bytes(www) == built(site)


def test_a_second_deploy_refuses_while_one_runs(deployed):
    site, _www = deployed
    lock = site.root / ".cache/deploy/may-chu.lock"
    fd = os.open(lock, os.O_RDWR)
    try:
        assert system.lock(fd, wait=False)         # as a running deploy holds it
        result = run_deploy(site)
    finally:
        system.unlock(fd)
    assert result.returncode == 1
    assert "may-chu: another deploy to this target is running" in result.stderr


def test_a_killed_deploy_run_again_ends_equal(site, tmp_path):
    fill_site(site, 12)
    www = tmp_path / "www"
    add_target(site, f'[[deploy]]\nname = "may-chu"\ntype = "folder"\npath = "{www}"')
    site.build("-q")
    struck = kill_and_resume(site, (), times=4, landed=files_in(www))
    assert struck >= 1
    assert tree_bytes(www) == built(site)
    for number in (3, 7):
        edit_article(site, number)
    (site.content / "2021/bai-11.md").unlink()
    site.build("-q")
    kill_and_resume(site, (), times=3, landed=files_in(www), seed=7)
    assert tree_bytes(www) == built(site)


def test_a_full_target_is_told_and_only_what_landed_is_recorded(deployed, tmp_path):
    site, www = deployed
    (site.root / "root").mkdir()
    (site.root / "root/tai-lieu.bin").write_bytes(os.urandom(60_000))   # over the room left
    assert site.build("-q").returncode == 0
    shutil.rmtree(www)
    shutil.rmtree(site.root / ".cache/deploy")

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = subprocess.run(deploy_command(site), capture_output=True, text=True,
                            preexec_fn=small_disk)
    assert result.returncode == 1
    assert result.stderr.startswith("may-chu: the target is full"), result.stderr
    assert "Traceback" not in result.stderr
    state = (site.root / ".cache/deploy/may-chu.json").read_text()
    at_target = tree_bytes(www)
    recorded = json.loads(state)["files"]
    assert recorded and set(recorded) <= set(at_target)
    assert all(at_target[path] == built(site)[path] for path in recorded)
    assert run_deploy(site).returncode == 0
    assert tree_bytes(www) == built(site)


def test_an_unwritable_target_is_one_line(deployed, tmp_path):
    site, _www = deployed
    (tmp_path / "file").write_text("x")
    add_target(site, f'[[deploy]]\nname = "khac"\ntype = "folder"\npath = "{tmp_path}/file/www"')
    result = run_deploy(site, "khac")
    assert result.returncode == 1
    assert result.stderr.startswith("khac: cannot write to ") and "Traceback" not in result.stderr


def test_unknown_target_and_no_build(site, tmp_path):
    add_target(site, f'[[deploy]]\nname = "may-chu"\ntype = "folder"\npath = "{tmp_path}/w"')
    result = run_deploy(site, "khong-co")
    assert result.returncode == 2
    assert "no deploy target named khong-co in site.toml (there are: may-chu)" in result.stderr
    result = run_deploy(site)
    assert result.returncode == 1 and "run phucdong-site build first" in result.stderr
