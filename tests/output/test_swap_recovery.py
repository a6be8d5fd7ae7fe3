"""Where the system cannot swap two folders in one step (Windows, or the portable paths
forced), the build renames twice: a build killed between the two renames leaves no OUT, and
the next command that takes OUT's lock finishes the swap before anything else.

The portable paths promise less than Linux's exchange: OUT is missing for the moment
between the renames, until the next command runs. These tests kill the build at each
moment of the pair, by SIGKILL from inside os.rename, so that the moment is exact."""

import os
import signal
import subprocess
import sys

import pytest

from conftest import run_cli, tree_bytes

KILLED_BUILD = """
import os, signal, sys
out, moment = os.path.realpath(sys.argv[1]), sys.argv[2]
rename = os.rename

def killing_rename(source, dest, *args, **kwargs):
    source, dest = os.fspath(source), os.fspath(dest)
    if moment == "before-aside" and source == out:
        os.kill(os.getpid(), signal.SIGKILL)
    result = rename(source, dest, *args, **kwargs)
    if (moment == "between" and source == out) or (moment == "after-in" and dest == out):
        os.kill(os.getpid(), signal.SIGKILL)
    return result

os.rename = killing_rename
from phucdong_site.cli import main
sys.exit(main(["build", sys.argv[3], "-q"]))
"""

RECOVER = """
import sys
from pathlib import Path
from phucdong_site import system
from phucdong_site.output import lock_output
system.unlock(lock_output(Path(sys.argv[1])))
"""

PORTABLE = {**os.environ, "PHUCDONG_SITE_PORTABLE": "1"}


def killed_build(site, moment: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILLED_BUILD, str(site.out), moment,
                           str(site.root)], env=PORTABLE, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("moment, expected", [("before-aside", "old"), ("between", "new"),
                                              ("after-in", "new")])
def test_a_build_killed_during_the_rename_pair_is_finished_by_the_next_command(
        site, tmp_path, moment, expected):
    article = site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01', "Bản cũ.\n")
    assert run_cli("build", str(site.root), env=PORTABLE).returncode == 0
    old = tree_bytes(site.out)
    article.write_text(article.read_text(encoding="utf-8").replace("Bản cũ.", "Bản mới."),
                       encoding="utf-8")
    clean = tmp_path / "clean"
    assert run_cli("build", str(site.root), "-o", str(clean), env=PORTABLE).returncode == 0
    new = tree_bytes(clean)

    result = killed_build(site, moment)
    assert result.returncode == -signal.SIGKILL, result.stderr
    record = site.root / ".build.swapping"
    assert record.exists()
    if moment == "between":
        assert not site.out.exists()          # what the portable path cannot avoid

    # Any command that takes OUT's lock recovers first; here, the lock alone.
    subprocess.run([sys.executable, "-c", RECOVER, str(site.out)], env=PORTABLE, check=True,
                   timeout=60)
    assert tree_bytes(site.out) == (new if expected == "new" else old)
    assert not record.exists()

    # and the next build cleans up what the killed one left, equal to a clean build
    assert run_cli("build", str(site.root), env=PORTABLE).returncode == 0
    assert tree_bytes(site.out) == new
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".build.")) == [
        ".build.lock", ".build.previous"]


def test_a_build_recovers_a_swap_left_halfway_before_it_builds(site):
    """The next build itself (not only the lock) finishes the swap: its unchanged-build
    check must not see a missing OUT as nothing to do."""
    article = site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01', "Bản cũ.\n")
    assert run_cli("build", str(site.root), env=PORTABLE).returncode == 0
    article.write_text(article.read_text(encoding="utf-8").replace("Bản cũ.", "Bản mới."),
                       encoding="utf-8")
    assert killed_build(site, "between").returncode == -signal.SIGKILL
    assert not site.out.exists()
    result = run_cli("build", str(site.root), env=PORTABLE)
    assert result.returncode == 0, result.stderr
    assert any("Bản mới." in path.read_text(encoding="utf-8")
               for path in site.out.rglob("*.html"))
