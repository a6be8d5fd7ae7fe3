"""What the portable paths cost: builds of one generated site natively and with
PHUCDONG_SITE_PORTABLE=1 (the paths Windows and macOS take), alternated in one run.

    python bench/portable/run.py [--articles 1000] [--rounds 3]

Each round times, in each mode: a cold build (no .cache/, no output), a build with nothing
changed, and a build after one article's body was edited. Medians, and portable / native
ratios, are written to bench/portable/RESULTS.md (bench/portable/.work/ holds the sites).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from corpus import generate  # noqa: E402

MODES = {"native": {}, "portable": {"PHUCDONG_SITE_PORTABLE": "1"}}
STEPS = ("cold", "unchanged", "one body edited")


def build(site: Path, mode: str) -> float:
    env = {key: value for key, value in os.environ.items() if key != "PHUCDONG_SITE_PORTABLE"}
    env.update(MODES[mode])
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site), "-q"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def edit(site: Path, round_: int) -> None:
    path = sorted((site / "content").rglob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("\n---\n")
    path.write_text(f"{head}\n---\n\nLần sửa thứ {round_}.\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = HERE / ".work"
    shutil.rmtree(work, ignore_errors=True)
    sites = {}
    for mode in MODES:
        sites[mode] = work / mode
        generate(sites[mode], articles=args.articles, seed=7)
    times = {(mode, step): [] for mode in MODES for step in STEPS}
    for round_ in range(args.rounds):
        order = list(MODES) if round_ % 2 == 0 else list(reversed(MODES))
        for mode in order:
            site = sites[mode]
            shutil.rmtree(site / ".cache", ignore_errors=True)
            for leftover in [site / "build", *site.glob(".build.*")]:
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                elif leftover.exists():
                    leftover.unlink()
            times[mode, "cold"].append(build(site, mode))
            times[mode, "unchanged"].append(build(site, mode))
            edit(site, round_)
            time.sleep(1.1)         # past the cache's settled margin, as an editor's save is
            times[mode, "one body edited"].append(build(site, mode))
    lines = [f"# The portable paths' cost: {args.articles} articles, {args.rounds} rounds",
             "", f"`python bench/portable/run.py --articles {args.articles} --rounds "
             f"{args.rounds}` on {os.cpu_count()} cores; medians in seconds, modes alternated.",
             "", "| build | native | portable | portable / native |", "|---|---:|---:|---:|"]
    for step in STEPS:
        native = statistics.median(times["native", step])
        portable = statistics.median(times["portable", step])
        lines.append(f"| {step} | {native:.2f} | {portable:.2f} | {portable / native:.2f} |")
    text = "\n".join(lines) + "\n"
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
