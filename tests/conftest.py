"""Shared fixtures: a scratch site on disk, real image files, and the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from phucdong_site import system

REPO = Path(__file__).resolve().parents[1]

# The suite reads the program's English wording (the code's own); the Vietnamese catalog,
# the default for editors, is tested where the tests ask for it (--lang vi, LANGUAGE=vi).
# Set before any test runs, so the command line in subprocesses inherits it too.
os.environ["LANGUAGE"] = "en"

# The browser fixtures (a served demo site, Chromium through Playwright) live in their own
# module; registered here so that every test module shares one browser.
pytest_plugins = ["browser_support"]

SITE_TOML = """\
name = "Phường Phúc Đồng"
section_title = "tin tức - sự kiện nổi bật"
base_url = "https://phucdong.gov.vn/"
per_page = 3
timezone = "Asia/Ho_Chi_Minh"
default_category = "tin-tuc-su-kien"

[categories]
tin-tuc-su-kien = "Tin tức - sự kiện"
van-hoa = "Văn hoá - xã hội"
"""


@dataclass
class ScratchSite:
    """A site folder under tmp_path that tests fill with articles and photos."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def out(self) -> Path:
        return self.root / "build"

    def article(self, relative: str, front_matter: str, body: str = "Nội dung bài viết.\n") -> Path:
        """Write content/RELATIVE with the given front matter (YAML lines) and body."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        fm = textwrap.dedent(front_matter).strip("\n")
        path.write_text(f"---\n{fm}\n---\n\n{textwrap.dedent(body)}", encoding="utf-8")
        return path

    def photo(self, relative: str, size: tuple[int, int] = (640, 480), fmt: str = "JPEG",
              color: tuple[int, int, int] = (180, 120, 60)) -> Path:
        """A real image file under content/, made by Pillow."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, color).save(path, fmt)
        return path

    def build(self, *args: str) -> subprocess.CompletedProcess:
        return run_cli("build", str(self.root), *args)

    def check(self, *args: str) -> subprocess.CompletedProcess:
        return run_cli("check", str(self.root), *args)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m phucdong_site ARGS` as an editor would, capturing its output."""
    env = {**(os.environ if env is None else env), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "phucdong_site", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def names_in(folder: Path) -> list[str]:
    """FOLDER's entries, sorted, less the lock files builds leave beside their outputs where
    the system locks a file rather than the folder (system.lock_path): Windows and the
    portable paths promise less there, as the lock file stays."""
    locks_a_file = system.lock_path(folder, ".lock")[1]
    return sorted(path.name for path in folder.iterdir()
                  if not (locks_a_file and path.name.startswith(".")
                          and path.name.endswith(".lock")))


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ROOT by relative path, for byte-for-byte comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def folders_in(root: Path) -> list[str]:
    """Every folder under ROOT: tree_bytes sees files only, not an empty folder left behind."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="rewrite the golden output trees (tests/sites/*-golden/) from a fresh "
                          "build instead of comparing with them; review the diff before committing")


@pytest.fixture
def regen_golden(request) -> bool:
    """Whether this run rewrites golden trees (pytest --regen-golden) instead of comparing."""
    return request.config.getoption("--regen-golden")


@pytest.fixture
def site(tmp_path: Path) -> ScratchSite:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return ScratchSite(root)


@dataclass
class Invocation:
    code: int
    out: str
    err: str


@pytest.fixture
def invoke(capsys):
    """Call the command line in-process (fast), as `phucdong-site ARGS` would run."""
    from phucdong_site.cli import main

    def call(*args: str) -> Invocation:
        try:
            code = main(list(args))
        except SystemExit as exit_:       # argparse usage errors
            code = exit_.code
        captured = capsys.readouterr()
        return Invocation(code, captured.out, captured.err)

    return call


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether it failed
    (the browser fixtures save a screenshot of a failed test)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


# Property tests: a short run in every `make test`; `make fuzz` sets HYPOTHESIS_PROFILE=long.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("default", max_examples=150)
_hypothesis_settings.register_profile("long", max_examples=5000)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
