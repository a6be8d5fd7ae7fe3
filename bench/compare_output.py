"""The output of two commits of the generator, compared byte for byte (not a test).

    python bench/compare_output.py BASE [--articles 2000]

For a change that must not change the output (a reorganisation, say): content/ of this
repository and a generated site with photos (bench/corpus.py) are built by the commit BASE
(a git worktree under bench/.work/) and by the working tree: cold, after a body edit, after
a title edit, and cold again after the edits. Every pair of output trees must be the same
files with the same bytes; prints each pair's verdict and exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work" / "output"
sys.path.insert(0, str(BENCH))
from compare_commits import checkout  # noqa: E402


def builds(src: Path, root: Path, articles: int) -> list[Path]:
    """The output trees the generator in SRC makes, in order, under ROOT."""
    env = {**os.environ, "PYTHONPATH": str(src), "SOURCE_DATE_EPOCH": "1767225600"}

    def build(site: Path, out: Path) -> Path:
        subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site), "-o", str(out),
                        "-q"], env=env, check=True)
        return out

    shutil.rmtree(root, ignore_errors=True)
    seed = root / "seed"
    seed.mkdir(parents=True)
    shutil.copytree(REPO / "content", seed / "content")
    shutil.copy(REPO / "site.toml", seed)
    trees = [build(seed, root / "seed-out")]
    site = root / "site"
    subprocess.run([sys.executable, str(BENCH / "corpus.py"), str(site), "--articles",
                    str(articles)], check=True, stdout=subprocess.DEVNULL)
    out = root / "out"
    build(site, out)
    trees.append(_keep(out, root / "cold"))
    first, second = sorted((site / "content").rglob("*.md"))[:2]
    first.write_text(first.read_text(encoding="utf-8") + "\nMột đoạn thêm vào.\n",
                     encoding="utf-8")
    build(site, out)
    trees.append(_keep(out, root / "body-edited"))
    second.write_text(re.sub(r"^title: .*$", 'title: "Tiêu đề đã sửa"',
                             second.read_text(encoding="utf-8"), count=1, flags=re.M),
                      encoding="utf-8")
    build(site, out)
    trees.append(_keep(out, root / "title-edited"))
    shutil.rmtree(site / ".cache")
    trees.append(build(site, root / "cold-after-edits"))
    return trees


def _keep(out: Path, copy: Path) -> Path:
    shutil.copytree(out, copy, symlinks=True)
    return copy


def differences(a: Path, b: Path) -> list[str]:
    """Relative paths that are not the same file with the same bytes in A and B."""
    found = []
    compared = filecmp.dircmp(a, b)
    stack = [(compared, "")]
    while stack:
        here, prefix = stack.pop()
        found += [f"{prefix}{name}" for name in here.left_only + here.right_only + here.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(here.left, here.right, here.common_files,
                                               shallow=False)
        found += [f"{prefix}{name}" for name in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in here.subdirs.items()]
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", metavar="BASE", help="the commit to compare with")
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    base = builds(checkout(args.base) / "src", WORK / "base", args.articles)
    now = builds(REPO / "src", WORK / "now", args.articles)
    different = False
    for a, b in zip(base, now):
        found = differences(a, b)
        files = sum(1 for path in a.rglob("*") if path.is_file())
        print(f"{a.name:<18} {files:>6} files  " + ("identical" if not found else
              f"{len(found)} differ: {', '.join(found[:5])}"))
        different = different or bool(found)
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
