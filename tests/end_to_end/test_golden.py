"""The sample site (tests/sites/sample/) builds to exactly its golden tree
(tests/sites/sample-golden/): the same files, byte for byte.

A change that is meant to change the output regenerates the tree, and the diff shows it:

    .venv/bin/python -m pytest tests/end_to_end/test_golden.py --regen-golden   # or make golden

Without --regen-golden nothing here writes into the repository: the site is copied to tmp_path
first, so its .cache/ and its output land there. The photos under sample/content/photos/ were
made once with Pillow and are committed as files; the renditions' bytes depend on the Pillow,
libjpeg and libwebp the build runs with."""

import os
import shutil
from pathlib import Path

from conftest import REPO, run_cli, tree_bytes

SITES = REPO / "tests" / "sites"
SAMPLE = SITES / "sample"
GOLDEN = SITES / "sample-golden"
# The build time (SOURCE_DATE_EPOCH), 2025-01-01 00:00 UTC: after every article's date, so the
# output is the same whenever the test runs (the clock only decides which articles are public).
BUILD_TIME = "1735689600"


def tree_differences(built: Path, golden: Path) -> dict[str, str]:
    """Each relative path whose file is not the same in both trees → how it differs."""
    ours, theirs = tree_bytes(built), tree_bytes(golden)
    differences = {}
    for path in sorted(ours.keys() | theirs.keys()):
        if path not in theirs:
            differences[path] = "built, but not in the golden tree"
        elif path not in ours:
            differences[path] = "in the golden tree, but not built"
        elif ours[path] != theirs[path]:
            differences[path] = (f"different bytes ({len(ours[path])} built, "
                                 f"{len(theirs[path])} golden)")
    return differences


def build_sample(tmp_path: Path) -> Path:
    """The output folder of a clean build of a copy of the sample site."""
    site, out = tmp_path / "sample", tmp_path / "out"
    shutil.copytree(SAMPLE, site)
    result = run_cli("build", str(site), "-o", str(out), cwd=tmp_path,
                     env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_TIME})
    assert result.returncode == 0, result.stderr
    return out


def test_the_sample_site_builds_to_its_golden_tree_byte_for_byte(tmp_path, regen_golden):
    out = build_sample(tmp_path)
    if regen_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    assert GOLDEN.is_dir(), f"{GOLDEN} is missing: run pytest --regen-golden once"
    differences = tree_differences(out, GOLDEN)
    assert not differences, (
        f"{len(differences)} file(s) differ from {GOLDEN.relative_to(REPO)}:\n"
        + "\n".join(f"  {path}: {how}" for path, how in differences.items())
        + "\nIf the change is intended: pytest --regen-golden, then review and commit the diff")


def test_the_comparison_names_the_one_file_whose_byte_changed(tmp_path):
    changed = tmp_path / "golden"
    shutil.copytree(GOLDEN, changed)
    page = changed / "tin-tuc" / "index.html"
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 0x01
    page.write_bytes(bytes(data))
    size = len(data)
    assert tree_differences(changed, GOLDEN) == {
        "tin-tuc/index.html": f"different bytes ({size} built, {size} golden)"}


def test_the_comparison_names_a_missing_file_and_an_extra_one(tmp_path):
    changed = tmp_path / "golden"
    shutil.copytree(GOLDEN, changed)
    (changed / "robots.txt").unlink()
    (changed / "tin-tuc" / "stray.html").write_text("<p>không có trong bản dựng</p>\n")
    assert tree_differences(changed, GOLDEN) == {
        "robots.txt": "in the golden tree, but not built",
        "tin-tuc/stray.html": "built, but not in the golden tree"}
