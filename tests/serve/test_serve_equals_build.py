"""What serve shows equals a clean build of the same content, byte for byte (but for the
live-reload script it adds to each page), after every kind of edit: serve keeps its caches
in memory, shows a body edit's page ahead of the whole build, and reuses unchanged pages."""

from __future__ import annotations

import re
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from conftest import REPO, run_cli, tree_bytes
from servetools import Served

sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests" / "cache"))
from corpus import generate  # noqa: E402
from test_incremental import EDITS  # noqa: E402

SCRIPT = re.compile(r"<script data-phucdong-serve>.*?</script>", re.S)   # serve's own
PRECOMPRESSED = (".gz", ".br")   # build's copies for nginx; serve compresses nothing


def clean_build(site: Path, where: Path, base_url: str) -> dict[str, bytes]:
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".cache", "build"))
    result = run_cli("build", str(where), "-q", "--drafts", "--base-url", base_url, timeout=300)
    assert result.returncode == 0, result.stderr
    return {path: data for path, data in tree_bytes(where / "build").items()
            if not path.endswith(PRECOMPRESSED)}


def served_bytes(served: Served, path: str) -> bytes | str:
    url = served.url + quote(path)
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = response.read()
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    if path.endswith(".html"):
        page = data.decode()
        page, added = SCRIPT.subn("", page)
        assert added == 1, path
        data = page.encode()
    return data


def test_serve_shows_a_clean_build_after_each_kind_of_edit(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=60, seed=5)
    with Served(site, "--lang", "vi") as served:
        status = served.status()
        for edit in EDITS:
            edit(site)
            status = served.settled(status["builds"])
            assert status["ok"], (edit.__name__, status["errors"])
            expected = clean_build(site, tmp_path / "clean", served.url)
            shown = tree_bytes(site / ".cache" / "serve")
            assert sorted(shown) == sorted(expected), edit.__name__
            # Over HTTP, but the files serve never answers for (hidden: the build's marker).
            different = [(path, got if isinstance(got, str) else f"{len(got)} bytes")
                         for path, data in expected.items()
                         if (got := (shown[path] if path.startswith(".") or "/." in path
                                     else served_bytes(served, path))) != data]
            assert not different, (edit.__name__, different[:10])
