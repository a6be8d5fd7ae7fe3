"""Instructions of a cold build and a one-edit rebuild, for two commits (not a test).

    python bench/count_instructions.py BASE [--articles 150]

Wall times on a shared machine swing by a third; the instructions valgrind's callgrind counts
do not. Each side builds its own copy of the same text-only corpus (bench/scale_corpus.py)
with --jobs 1 and SOURCE_DATE_EPOCH fixed: a cold build, then a rebuild after one body is
edited. BASE runs from its worktree under bench/.work/compare/ (as compare_commits.py), the
working tree from src/. Counted is the main process (the search index's forked child
reports on its own and is left out). Needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from compare_commits import WORK, checkout  # noqa: E402
from scale_corpus import generate  # noqa: E402

COLLECTED = re.compile(r"==(\d+)== Collected : (\d+)")


def instructions(source: Path, site: Path) -> int:
    """The main process's instructions for one build of SITE by the generator in SOURCE."""
    env = {**os.environ, "PYTHONPATH": str(source), "SOURCE_DATE_EPOCH": "1735689600"}
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                             sys.executable, "-m", "phucdong_site", "build", str(site),
                             "--jobs", "1", "-q"], env=env, capture_output=True, text=True)
    counts = {int(pid): int(count) for pid, count in COLLECTED.findall(result.stderr)}
    if result.returncode != 0 or not counts:
        raise SystemExit(f"build failed under valgrind:\n{result.stderr[-2000:]}")
    return counts[min(counts)]           # the parent: forked children have higher pids


def measure(source: Path, site: Path, articles: int) -> tuple[int, int]:
    if site.exists():
        shutil.rmtree(site)
    generate(site, articles, seed=7)
    cold = instructions(source, site)
    edited = sorted((site / "content").rglob("*.md"))[articles // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn bổ sung.\n", encoding="utf-8")
    time.sleep(2.5)                      # past the build cache's settling time
    return cold, instructions(source, site)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--articles", type=int, default=150)
    args = parser.parse_args()
    base = measure(checkout(args.base) / "src", WORK / "count-base", args.articles)
    now = measure(REPO / "src", WORK / "count-now", args.articles)
    print(f"{'build':18} {'base':>15} {'now':>15} {'now/base':>9}")
    for name, before, after in zip(("cold", "one body edited"), base, now):
        print(f"{name:18} {before:>15,} {after:>15,} {after / before:>9.3f}")


if __name__ == "__main__":
    main()
