"""`publish`: build, then deploy. A scheduled article is absent from the deployed copy
before its time and present after it; a failed build deploys nothing; a run with nothing
due changes nothing at the target; the shipped units run it (systemd-analyze verify, and
the cron line run as cron would)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import SITE_TOML, ScratchSite, run_cli, tree_bytes

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SCHEDULED_URL = "2026/12/lich-tiep-cong-dan-thang-12/"
OUT_URL = "2026/11/hop-dan-to-dan-pho-so-5/"   # already public


def epoch(moment: str) -> dict[str, str]:
    """The environment of a run at MOMENT (Hà Nội time, "YYYY-MM-DD HH:MM:SS")."""
    when = datetime.strptime(moment, "%Y-%m-%d %H:%M:%S").replace(tzinfo=HANOI)
    return {**os.environ, "SOURCE_DATE_EPOCH": str(int(when.timestamp()))}


BEFORE = epoch("2026-12-05 07:59:59")
AT = epoch("2026-12-05 08:00:00")       # the scheduled article's own minute: public


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ROOT with its bytes, mtime and inode: "changes nothing" to the byte
    and the stamp."""
    return {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns,
                                                path.stat().st_ino)
            for path in sorted(root.rglob("*")) if path.is_file()}


def deployable(out: Path) -> dict[str, bytes]:
    """What a deploy puts at the target: the build's files but its marker."""
    return {name: data for name, data in tree_bytes(out).items() if name != ".phucdong-site"}


def mentions(root: Path, text: str) -> list[str]:
    """The files under ROOT whose bytes hold TEXT (pages, listings, feeds, sitemap, search)."""
    return [name for name, data in tree_bytes(root).items() if text.encode() in data]


def make_site(root: Path, web_root: Path) -> ScratchSite:
    """A site in ROOT with one article out and one scheduled for 08:00 on 05/12/2026,
    deployed to the folder WEB_ROOT as its target "web"."""
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(
        SITE_TOML + f'\n[[deploy]]\nname = "web"\ntype = "folder"\npath = "{web_root}"\n',
        encoding="utf-8")
    site = ScratchSite(root)
    site.article("2026/hop-dan.md", """
        title: "Họp dân tổ dân phố số 5"
        date: 2026-11-20 09:00
    """)
    site.article("2026/lich-tiep-cong-dan-thang-12.md", """
        title: "Lịch tiếp công dân tháng 12"
        date: 2026-12-05 08:00
    """)
    return site


@pytest.fixture
def published(tmp_path: Path) -> tuple[ScratchSite, Path]:
    return make_site(tmp_path / "site", tmp_path / "www"), tmp_path / "www"


def publish(site: ScratchSite, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run_cli("publish", "web", *args, cwd=site.root, env=env)


def test_a_scheduled_article_is_absent_before_its_time_and_present_after(published):
    site, web_root = published
    before = publish(site, BEFORE)
    assert before.returncode == 0, before.stderr
    # Said in the site's time zone (08:00 in Hà Nội is 01:00 UTC).
    assert "Next scheduled article: 08:00 on 05/12/2026" in before.stdout
    assert (web_root / f"{OUT_URL}index.html").is_file()
    assert not (web_root / SCHEDULED_URL).exists()
    # Not in any page, listing, feed, the sitemap or the search index of the deployed copy.
    assert mentions(web_root, "lich-tiep-cong-dan-thang-12") == []

    at = publish(site, AT)
    assert at.returncode == 0, at.stderr
    assert "Next scheduled article" not in at.stdout
    assert (web_root / SCHEDULED_URL / "index.html").is_file()
    naming = mentions(web_root, SCHEDULED_URL)
    for where in ("index.html", "tin-tuc/index.html", "rss.xml", "atom.xml", "sitemap.xml"):
        assert where in naming, where
    # The deployed copy is the build, byte for byte.
    assert tree_bytes(web_root) == deployable(site.out)


def test_the_next_publication_is_said_in_vietnamese(published):
    site, _ = published
    result = publish(site, {**BEFORE, "LANGUAGE": "vi"})
    assert result.returncode == 0, result.stderr
    assert "Bài hẹn giờ tiếp theo: 08:00 ngày 05/12/2026" in result.stdout


def test_a_failed_build_deploys_nothing(published):
    site, web_root = published
    assert publish(site, BEFORE).returncode == 0
    deployed = snapshot(web_root)
    built = snapshot(site.out)
    # Due now, but another article is broken: nothing of this run may reach the target.
    site.article("2026/hong.md", """
        title: "Bài hỏng"
        date: ngày mai
    """)
    result = publish(site, AT)
    assert result.returncode == 1
    assert re.search(r"content/2026/hong\.md:3: date", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(web_root) == deployed
    assert snapshot(site.out) == built


def test_publishing_again_with_nothing_due_changes_nothing(published):
    site, web_root = published
    assert publish(site, AT).returncode == 0
    deployed = snapshot(web_root)
    again = publish(site, AT)
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    assert snapshot(web_root) == deployed


def test_quiet_publish_prints_nothing_when_all_is_well(published):
    site, web_root = published
    result = publish(site, BEFORE, "-q")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (web_root / "index.html").is_file()


# ----- the units: the timer's service, the timer, the cron line --------------------------

def units(site: ScratchSite, *args: str) -> dict[str, str]:
    result = run_cli("publish", "web", "--print-units", *args, cwd=site.root)
    assert result.returncode == 0, result.stderr
    parts = re.split(r"^# ===== (\S+) =====\n", result.stdout, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def setting(unit: str, key: str) -> str:
    found = re.findall(rf"^{key}=(.*)$", unit, flags=re.M)
    assert len(found) == 1, (key, unit)
    return found[0]


def _odd(tmp_path: Path) -> tuple[ScratchSite, Path]:
    """The site in a folder whose name needs quoting in a unit and in a shell."""
    return make_site(tmp_path / "Cổng 100% $HOME" / "site", tmp_path / "www"), tmp_path / "www"


def test_print_units_fills_in_the_site_folder_and_this_python(published):
    site, _ = published
    files = units(site, "-o", "out")
    assert set(files) == {"phucdong-site-publish.service", "phucdong-site-publish.timer",
                          "crontab"}
    service, timer = files["phucdong-site-publish.service"], files["phucdong-site-publish.timer"]
    assert setting(service, "Type") == "oneshot"
    assert setting(service, "WorkingDirectory") == str(site.root)
    assert setting(service, "ExecStart") == (
        f"{sys.executable} -m phucdong_site publish -q web -o {site.root / 'out'}")
    assert setting(service, "User") == site.root.owner()
    assert setting(timer, "OnCalendar") == "*:0/5"
    assert setting(timer, "Persistent") == "true"
    assert setting(timer, "Unit") == "phucdong-site-publish.service"
    cron = [line for line in files["crontab"].splitlines() if not line.startswith("#")]
    assert cron == [f"*/5 * * * * cd {site.root} && {sys.executable} -m phucdong_site "
                    f"publish -q web -o {site.root / 'out'}"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed here: the units are not verified")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    site, _ = _odd(tmp_path)
    folder = tmp_path / "units"
    folder.mkdir()
    written = run_cli("publish", "web", "-o", "out", "--write-units", str(folder),
                      cwd=site.root)
    assert written.returncode == 0, written.stderr
    assert sorted(path.name for path in folder.iterdir()) == [
        "phucdong-site-publish.service", "phucdong-site-publish.timer"]
    files = units(site, "-o", "out")
    for name in ("phucdong-site-publish.service", "phucdong-site-publish.timer"):
        assert (folder / name).read_text(encoding="utf-8").rstrip() == files[name].rstrip()
    service = files["phucdong-site-publish.service"]
    # % is doubled (a systemd specifier otherwise), and $ in ExecStart (a variable there);
    # a word with a space is quoted.
    assert setting(service, "WorkingDirectory") == str(site.root).replace("%", "%%")
    out = str(site.root / "out").replace("%", "%%").replace("$", "$$")
    assert setting(service, "ExecStart") == (
        f'{sys.executable} -m phucdong_site publish -q web -o "{out}"')
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no",
         str(folder / "phucdong-site-publish.service"),
         str(folder / "phucdong-site-publish.timer")],
        capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_service_command_publishes(tmp_path):
    """ExecStart read as systemd reads it (quotes, then %% and $$), run in WorkingDirectory."""
    site, web_root = _odd(tmp_path)
    service = units(site, "-o", "out")["phucdong-site-publish.service"]
    words = [word.replace("%%", "%").replace("$$", "$")
             for word in shlex.split(setting(service, "ExecStart"))]
    folder = setting(service, "WorkingDirectory").replace("%%", "%")
    result = subprocess.run(words, cwd=folder, env=AT, capture_output=True, text=True,
                            timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (site.root / "out" / "2026/12/lich-tiep-cong-dan-thang-12/index.html").is_file()
    assert tree_bytes(web_root) == deployable(site.root / "out")


def test_the_cron_line_publishes_as_cron_runs_it(tmp_path):
    """Cron hands the command (after the five time fields, % unescaped) to /bin/sh from the
    owner's home folder."""
    site, web_root = _odd(tmp_path)
    (line,) = [line for line in units(site, "-o", "out")["crontab"].splitlines()
               if line and not line.startswith("#")]
    fields = line.split(" ", 5)
    assert fields[:5] == ["*/5", "*", "*", "*", "*"]
    command = fields[5].replace("\\%", "%")
    result = subprocess.run(["/bin/sh", "-c", command], cwd=tmp_path, env=AT,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (web_root / f"{OUT_URL}index.html").is_file()
    assert tree_bytes(web_root) == deployable(site.root / "out")


def test_dry_run_builds_and_lists_but_sends_nothing(published):
    site, web_root = published
    assert publish(site, BEFORE).returncode == 0
    deployed = snapshot(web_root)
    result = publish(site, AT, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert SCHEDULED_URL in result.stdout           # listed as it would be sent
    assert (site.out / SCHEDULED_URL / "index.html").is_file()     # built
    assert snapshot(web_root) == deployed                          # not sent


def test_an_unknown_target_is_told_before_building(published):
    site, web_root = published
    result = run_cli("publish", "wbe", cwd=site.root, env=AT)
    assert result.returncode == 2
    assert "no deploy target named wbe in site.toml (there are: web)" in result.stderr
    assert not site.out.exists() and not web_root.exists()


def test_write_units_needs_an_existing_folder(published, tmp_path):
    site, _ = published
    result = run_cli("publish", "--write-units", str(tmp_path / "nowhere"), cwd=site.root)
    assert result.returncode == 2
    assert f"{tmp_path / 'nowhere'}: no such folder" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_the_next_expiry_is_said_too(published):
    site, _ = published
    site.article("2026/thong-bao.md", """
        title: "Thông báo lịch cắt điện"
        date: 2026-11-25 07:00
        expires: 2026-12-31 17:00
    """)
    result = publish(site, BEFORE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [
        "Next scheduled article: 08:00 on 05/12/2026",
        "Next expiry or change of a document's status: 17:00 on 31/12/2026"]
