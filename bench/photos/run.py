"""Photo benchmark: phucdong-site against Hugo on the same camera-sized photos, same run.

    make bench-photos                 # 500 photos (the default)
    make bench-photos N=50            # a quicker, smaller run

1. A corpus of N distinct, deterministic, photo-like 4000×3000 JPEGs (quality 90, about
   3 MB each, like a phone's) is generated once and kept in bench/.work/ (git-ignored).
2. The same files (hard links) become the photos of N articles of a phucdong-site site and
   N page bundles of a minimal Hugo site (bench/photos/hugo-site).
3. Timed, one after the other: phucdong-site cold (no .cache/) and warm (nothing changed),
   then `hugo --quiet` cold (fresh resources dir) and warm. Both make the same renditions:
   widths 480/960/1600 as JPEG q82 and WebP q80, 16:9 crops 480/960 in both formats, and a
   1200×630 JPEG. Both use every core.
4. A table goes to stdout and, with machine and versions, to bench/photos/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WORK = REPO / "bench" / ".work" / "photos"
CORPUS = WORK / "corpus-v1"          # bump the suffix when the generator changes
sys.path.insert(0, str(REPO / "tests"))

SITE_TOML = """\
name = "Phường Phúc Đồng"
section_title = "tin tức - sự kiện nổi bật"
base_url = "http://bench.invalid/"
per_page = 20
"""


def _generate(index: int) -> None:
    from photo_samples import photo_like

    path = CORPUS / f"photo-{index:04d}.jpg"
    if path.exists():
        return
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    photo_like((4000, 3000), seed=index).save(temporary, "JPEG", quality=90)
    os.replace(temporary, path)


def make_corpus(count: int, jobs: int) -> list[Path]:
    CORPUS.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(count) if not (CORPUS / f"photo-{i:04d}.jpg").exists()]
    if missing:
        print(f"generating {len(missing)} photos in {CORPUS} (cached for later runs)…",
              flush=True)
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_generate, missing, chunksize=4))
    return [CORPUS / f"photo-{i:04d}.jpg" for i in range(count)]


def _link(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


def make_sites(photos: list[Path]) -> tuple[Path, Path]:
    ours, hugo_content = WORK / "ours", WORK / "hugo-content"
    for folder in (ours, hugo_content):
        shutil.rmtree(folder, ignore_errors=True)
    (ours / "content").mkdir(parents=True)
    (ours / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    for index, photo in enumerate(photos):
        name = f"anh-{index:04d}"
        _link(photo, ours / "content" / "photos" / f"{name}.jpg")
        day = f"2024-{1 + index // 28 % 12:02d}-{1 + index % 28:02d} 08:{index % 60:02d}"
        (ours / "content" / f"{name}.md").write_text(
            f'---\ntitle: "Ảnh số {index}"\ndate: {day}\nphotos:\n'
            f'  - src: photos/{name}.jpg\n    caption: "Ảnh số {index}"\n---\n\nNội dung.\n',
            encoding="utf-8")
        _link(photo, hugo_content / name / "photo.jpg")
        (hugo_content / name / "index.md").write_text(f'---\ntitle: "{name}"\n---\n',
                                                      encoding="utf-8")
    return ours, hugo_content


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds


def folder_size(root: Path, suffixes: tuple[str, ...], marker: str = "") -> tuple[int, int]:
    files = [p for p in root.rglob("*")
             if p.suffix in suffixes and marker in p.name and p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def versions() -> dict[str, str]:
    from PIL import Image, features

    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    memory = next((line.split(":", 1)[1].strip() for line in
                   Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "?")
    return {"machine": f"{cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.platform()}",
            "python": platform.python_version(),
            "pillow": f"{Image.__version__} (libjpeg-turbo {features.version('libjpeg_turbo')}, "
                      f"libwebp {features.version('webp')})",
            "hugo": hugo}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=500, help="photos (default 500)")
    options.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = options.parse_args()
    if not shutil.which("hugo"):
        sys.exit("hugo is not installed: apt-get install hugo (make bench-photos does it)")

    photos = make_corpus(args.count, args.jobs)
    corpus_mb = sum(p.stat().st_size for p in photos) / 1e6
    ours, hugo_content = make_sites(photos)
    # A build that sees files written a moment ago does not record itself for the
    # no-change check (see freshness.py); an editor's photos are older than that.
    time.sleep(1.5)
    load_before = os.getloadavg()

    ours_build = [sys.executable, "-m", "phucdong_site", "build", str(ours), "-q",
                  "--jobs", str(args.jobs)]
    shutil.rmtree(ours / ".cache", ignore_errors=True)
    shutil.rmtree(ours / "build", ignore_errors=True)
    print(f"phucdong-site, cold, {args.count} photos…", flush=True)
    ours_cold = timed(ours_build)
    print("phucdong-site, warm…", flush=True)
    ours_warm = timed(ours_build)

    public, resources, cache = WORK / "hugo-public", WORK / "hugo-resources", WORK / "hugo-cache"
    for folder in (public, resources, cache):
        shutil.rmtree(folder, ignore_errors=True)
    hugo_build = ["hugo", "--quiet", "--source", str(HERE / "hugo-site"),
                  "--contentDir", str(hugo_content), "--destination", str(public),
                  "--cacheDir", str(cache)]
    env_note = f"GOMAXPROCS={args.jobs}"
    os.environ["GOMAXPROCS"] = str(args.jobs)
    os.environ["HUGO_RESOURCEDIR"] = str(resources)    # hugo 0.111 has no flag for it
    print("hugo, cold…", flush=True)
    hugo_cold = timed(hugo_build)
    print("hugo, warm…", flush=True)
    hugo_warm = timed(hugo_build)
    load_after = os.getloadavg()

    our_files, our_bytes = folder_size(ours / "build" / "anh", (".jpg", ".webp"))
    hugo_files, hugo_bytes = folder_size(public, (".jpg", ".webp"), "_hu")  # not originals
    rows = [("phucdong-site cold", ours_cold, hugo_cold / ours_cold),
            ("phucdong-site warm", ours_warm, hugo_warm / ours_warm),
            ("hugo cold", hugo_cold, 1.0), ("hugo warm", hugo_warm, 1.0)]
    table = ["| run | seconds | ms per photo | Hugo time ÷ ours (same state) |",
             "|---|---:|---:|---:|"]
    for name, seconds, ratio in rows:
        table.append(f"| {name} | {seconds:.1f} | {1000 * seconds / args.count:.0f} | "
                     f"{ratio:.2f}× |")
    print("\n".join(table))
    info = versions()
    report = [
        "# Photo benchmark results",
        "",
        f"Made by `make bench-photos` (`bench/photos/run.py --count {args.count} "
        f"--jobs {args.jobs}`), all four runs in one session, one after the other.",
        "",
        *table,
        "",
        f"- Photos: {args.count} distinct photo-like 4000×3000 JPEGs (q90), "
        f"{corpus_mb:.0f} MB in all."
        + ("" if args.count >= 500 else
           " Fewer than the default 500, to keep the run short on a shared machine; "
           "compare the per-photo figures and the ratios."),
        f"- Each tool made {our_files} / {hugo_files} files (phucdong-site / Hugo): widths "
        "480, 960, 1600 as JPEG q82 and WebP q80, 16:9 crops 480 and 960 in both formats, "
        "one 1200×630 JPEG per photo.",
        f"- Output size: phucdong-site {our_bytes / 1e6:.0f} MB, Hugo {hugo_bytes / 1e6:.0f} MB "
        "(phucdong-site JPEGs are progressive; Hugo uses its default Box filter, "
        "phucdong-site Lanczos).",
        f"- Jobs: phucdong-site `--jobs {args.jobs}`; Hugo {env_note}.",
        "- Cold: no .cache/ (ours), fresh resourceDir and --cacheDir (Hugo). "
        "Warm: the same command again with nothing changed.",
        f"- Load average (1 min) before / after: {load_before[0]:.1f} / {load_after[0]:.1f} "
        "(the machine is shared; treat figures as ±20 %).",
        "",
        "## Machine and versions",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(report), encoding="utf-8")
    print(f"written {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
