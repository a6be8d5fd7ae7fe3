"""Build speed of two commits of the generator, side by side in one run (not a test).

    python bench/compare_commits.py BASE [--sizes 1000 10000] [--rounds 2]

For a change that must not slow the build down (a reorganisation, say): the commit BASE
is checked out in a git worktree under bench/.work/, and each size's text-only corpus
(bench/scale_corpus.py) is built by BASE and by the working tree, alternately, ROUNDS
times each: a cold build (no .cache/, no output), a no-change rebuild, and a rebuild after
one body is edited. Alternating keeps a noisy machine's drift on both sides. Prints the
medians and the ratio working tree / BASE (below 1: faster now).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work" / "compare"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH / "scale"))
from run import clean_ours, edit_one_body, measure  # noqa: E402
from scale_corpus import generate  # noqa: E402

STEPS = ("cold", "no change", "one body edited")


def checkout(rev: str) -> Path:
    """A worktree of REV under bench/.work/compare/, made once."""
    tree = WORK / f"tree-{rev}"
    if not tree.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), rev],
                       check=True, stdout=subprocess.DEVNULL)
    return tree


def one_round(src: Path, site: Path, round_: int) -> dict[str, float]:
    """The three builds of SITE by the generator in SRC, in seconds."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "phucdong_site", "build", str(site), "-q"]
    clean_ours(site)
    times = {"cold": measure_with(command, site, env)}
    times["no change"] = measure_with(command, site, env)
    edit_one_body(site, round_)
    times["one body edited"] = measure_with(command, site, env)
    return times


def measure_with(command: list[str], cwd: Path, env: dict) -> float:
    old = dict(os.environ)
    os.environ.update(env)
    try:
        return measure(command, cwd)[0]
    finally:
        os.environ.clear()
        os.environ.update(old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", metavar="BASE", help="the commit to compare with")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sides = {"base": checkout(args.base) / "src", "now": REPO / "src"}
    print(f"{'articles':>8}  {'build':<16} {'base s':>8} {'now s':>8} {'now/base':>9}")
    for size in args.sizes:
        runs: dict[str, dict[str, list[float]]] = {side: {s: [] for s in STEPS} for side in sides}
        for round_ in range(args.rounds):
            for side in (sides if round_ % 2 == 0 else reversed(sides)):
                site = WORK / f"site-{size}-{side}"
                generate(site, size)
                for step, seconds in one_round(sides[side], site, round_).items():
                    runs[side][step].append(seconds)
        for step in STEPS:
            base = statistics.median(runs["base"][step])
            now = statistics.median(runs["now"][step])
            print(f"{size:>8}  {step:<16} {base:>8.2f} {now:>8.2f} {now / base:>9.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
