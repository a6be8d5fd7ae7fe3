"""The register of documents (content/van-ban/) at scale, ours beside Hugo in one run (a
benchmark, not a test).

    .venv/bin/python bench/register/run.py [--sizes 3000 500] [--repeats 3] [--profile]
                                           [--commit REV]

For each size N: N generated documents with one small real PDF each (bench/register/corpus.py,
seeded) and the same documents as a Hugo site (bench/register/hugo_register.py: page bundles
with the same fields, the list paginated at 20, a page per document, listings by type and
year). Then, alternated in one run:
  - cold build (no .cache/, no build/; Hugo: no public/, no resources/), REPEATS times each;
  - no-change rebuild (Hugo has no persistent page cache: its full build again);
  - one document's summary (trich_yeu) edited, rebuild (Hugo: the same edit, full build),
    max(REPEATS, 3) times, a different document each time.
Wall time is the median. Memory: the largest sum of PSS over the build's process tree,
sampled from /proc as bench/scale/run.py does (our build forks workers), and the largest
single process's maximum RSS (/usr/bin/time -f %M, i.e. getrusage of the children).
Then, from the last build's files: the size of the register's static index (van-ban/chi-muc/)
and what one query of static/js/register.js downloads, both its bound from the index layout
and the files of a few real queries, found as register.js finds them.
With --profile, the largest size's cold build (--jobs 1) and one-edit rebuild run once more
under cProfile, and their top functions are printed.
The generator measured is a commit's (default HEAD), from a worktree under
bench/.work/compare/ (as bench/compare_commits.py makes), not the shared working tree, which
other work may hold half-edited. Writes bench/register/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
REPO = BENCH.parent
WORK = BENCH / ".work" / "register"
PYTHON = sys.executable
OURS = [PYTHON, "-m", "phucdong_site", "build"]
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
from compare_commits import checkout  # noqa: E402

SOURCE = str(REPO / "src")

_spec = importlib.util.spec_from_file_location("scale_run", BENCH / "scale" / "run.py")
scale_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale_run)
tree_memory, clean_ours, clean_hugo, versions = (scale_run.tree_memory, scale_run.clean_ours,
                                                 scale_run.clean_hugo, scale_run.versions)

EDITS = 3
PAGE = 20          # register.js shows 20 results, then "Xem thêm"


ENV = dict(os.environ)     # PYTHONPATH set to the measured commit's src/ by main()


def measure(command: list[str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, peak PSS of the process tree, largest max RSS of one process) of one
    run of COMMAND."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", rss.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, env=ENV)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.02 if time.perf_counter() - started < 1 else 0.1)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed in {cwd} ({process.returncode}):\n"
                             + process.stderr.read().decode(errors="replace")[-3000:])
        process.stderr.close()
        maxrss = int(rss.read().split()[-1]) * 1024
    return seconds, peak, maxrss


def median(runs: list[tuple[float, int, int]]) -> tuple[float, int, int]:
    return (statistics.median(r[0] for r in runs), max(r[1] for r in runs),
            max(r[2] for r in runs))


def edit_summary(path: Path, round_: int) -> None:
    """Change one document's summary (trich_yeu), its last word replaced by another."""
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(r'^(trich_yeu: ".*?)(?: \(sửa lần \d+\))?"$',
                      lambda m: f'{m.group(1)} (sửa lần {round_})"', text, count=1,
                      flags=re.M)
    assert n == 1, path
    path.write_text(text, encoding="utf-8")


def run_size(count: int, repeats: int) -> dict:
    ours, hugo = WORK / f"ours-{count}", WORK / f"hugo-{count}"
    docs = corpus.generate(ours, count, hugo=hugo)
    # A build does not record itself for the no-change check while files are seconds old
    # (files.settled): an editor does not build within a second of writing 3,000 files.
    time.sleep(2.5)
    ours_cmd = [*OURS, str(ours), "-q"]
    hugo_cmd = ["hugo", "--quiet", "--source", str(hugo)]
    cold_ours, cold_hugo = [], []
    for _ in range(repeats):
        clean_ours(ours)
        cold_ours.append(measure(ours_cmd, ours))
        clean_hugo(hugo)
        cold_hugo.append(measure(hugo_cmd, hugo))
    nochange_ours, nochange_hugo = [], []
    for _ in range(repeats):
        nochange_ours.append(measure(ours_cmd, ours))
        nochange_hugo.append(measure(hugo_cmd, hugo))
    edited_ours, edited_hugo = [], []
    for round_ in range(max(repeats, EDITS)):
        doc = docs[(len(docs) * (2 * round_ + 1)) // (2 * max(repeats, EDITS))]
        edit_summary(corpus.document_path(ours, doc), round_)
        edit_summary(corpus.hugo_path(hugo, doc), round_)
        edited_ours.append(measure(ours_cmd, ours))
        edited_hugo.append(measure(hugo_cmd, hugo))
    pages_ours = [corpus.document_path(ours, d) for d in docs]
    return {
        "count": count,
        "rows": [("cold build", median(cold_ours), median(cold_hugo)),
                 ("no-change rebuild", median(nochange_ours), median(nochange_hugo)),
                 ("one summary edited", median(edited_ours), median(edited_hugo))],
        "runs": {"cold": (cold_ours, cold_hugo), "no-change": (nochange_ours, nochange_hugo),
                 "edit": (edited_ours, edited_hugo)},
        "sizes": output_sizes(ours / "build", hugo / "public", docs),
        "index": index_figures(ours / "build"),
        "sources": len(pages_ours),
    }


def output_sizes(ours: Path, hugo: Path, docs: list) -> dict:
    def mean_page(root: Path) -> float:
        return statistics.mean((root / "van-ban" / d.slug / "index.html").stat().st_size
                               for d in docs)

    def total(root: Path) -> tuple[int, int]:
        files = [p for p in root.rglob("*") if p.is_file()]
        return len(files), sum(p.stat().st_size for p in files)

    return {"ours_page": mean_page(ours), "hugo_page": mean_page(hugo),
            "ours_list": (ours / "van-ban" / "index.html").stat().st_size,
            "hugo_list": (hugo / "van-ban" / "index.html").stat().st_size,
            "ours_total": total(ours), "hugo_total": total(hugo)}


# ---- the register's static index: its size, and what one query downloads ---------------

def _hex(text: str) -> str:
    return "-".join(f"{ord(ch):x}" for ch in text)


class Index:
    """van-ban/chi-muc/ of a built site, read as static/js/register.js reads it."""

    def __init__(self, build: Path):
        self.root = build / "van-ban" / "chi-muc"
        self.meta = json.loads((self.root / "meta.json").read_text(encoding="utf-8"))
        self.shards = set(self.meta["shards"])
        self.columns = {}
        for name, text in self.meta["columns"].items():
            width = self.meta["widths"][name]
            self.columns[name] = [self._decode(text[i:i + width])
                                  for i in range(0, len(text), width)]

    @staticmethod
    def _decode(digits: str) -> int:
        value = 0
        for ch in digits:
            value = value * 62 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".index(ch)
        return value

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size

    def gzip_size(self, name: str) -> int:
        return len(gzip.compress((self.root / name).read_bytes(), 9))

    def shard(self, name: str) -> dict:
        return json.loads((self.root / "t" / f"{name}.json").read_text(encoding="utf-8"))

    def shards_for(self, key: str, prefix: bool) -> list[str]:
        """register.js shardsFor: the shard names a word (or a prefix) needs."""
        chars, files = list(key), []
        one = _hex(chars[0])
        if len(chars) > 1 and _hex("".join(chars[:2])) in self.shards:
            files.append(_hex("".join(chars[:2])))
        elif one in self.shards:
            files.append(one)
        if prefix and len(chars) == 1:
            files += sorted(n for n in self.shards if n.startswith(one + "-"))
        return files

    def ids(self, shard_names: list[str], kind: str, key: str, prefix: bool) -> set[int]:
        found: set[int] = set()
        for name in shard_names:
            terms = self.shard(name)[kind]
            for term, gaps in terms.items():
                if term == key or (prefix and term.startswith(key)):
                    at = 0
                    for gap in gaps:
                        at += gap
                        found.add(at)
        return found

    def query(self, text: str, filters: dict[str, int] | None = None) -> list[str]:
        """The files (under chi-muc/) one query of register.js downloads, first page shown."""
        from phucdong_site.search import search_key
        from phucdong_site.search.words import words
        from phucdong_site.text import number_key
        filters = filters or {}
        files = ["meta.json"]

        def passes(doc_id: int) -> bool:
            return all(self.columns[c][doc_id] == v for c, v in filters.items())

        found_words = words(text)
        keys: dict[str, bool] = {}
        for n, word in enumerate(found_words):
            key = search_key(word)
            prefix = n == len(found_words) - 1 and bool(re.search(r"[^\W_]$", text))
            if key not in keys:
                keys[key] = prefix
            elif not prefix:
                keys[key] = False
        if not keys:
            ids = [i for i in range(self.meta["count"]) if passes(i)]
        else:
            number = number_key(text)
            exact: set[int] = set()
            if number:
                names = self.shards_for(number, False)
                files += [f"t/{n}.json" for n in names]
                exact = self.ids(names, "n", number, False)
            per_word = []
            for key, prefix in keys.items():
                names = self.shards_for(key, prefix)
                files += [f"t/{n}.json" for n in names]
                per_word.append(self.ids(names, "w", key, prefix))
            common = set.intersection(*per_word) if per_word else set()
            ids = sorted(i for i in exact if passes(i)) + sorted(
                i for i in common if i not in exact and passes(i))
        files += sorted({f"r/{i // self.meta['rows']}.json" for i in ids[:PAGE]})
        return list(dict.fromkeys(files))


def index_figures(build: Path) -> dict:
    index = Index(build)
    files = [p for p in index.root.rglob("*") if p.is_file()]
    largest = max(files, key=lambda p: p.stat().st_size)
    shards = {p.stem: p.stat().st_size for p in (index.root / "t").iterdir()}
    rows = sorted((p.stat().st_size for p in (index.root / "r").iterdir()), reverse=True)
    # A last word of one character, typed as a prefix, reads its one-character shard and
    # every shard split from it by two characters: the largest such group.
    groups: dict[str, int] = {}
    for name, size in shards.items():
        groups[name.split("-")[0]] = groups.get(name.split("-")[0], 0) + size
    worst_group = max(groups.items(), key=lambda kv: kv[1])
    meta = index.size("meta.json")
    rows20 = sum(rows[:PAGE])
    biggest_shard = max(shards.values())
    # One word: meta.json, the number key's shard, the word's shard(s), one page of rows.
    bound_one = meta + biggest_shard + worst_group[1] + rows20
    js = (Path(SOURCE).parent / "static" / "js" / "register.js").stat().st_size
    kinds, years = index.meta["types"], index.meta["years"]
    queries = [("12/KH-UBND", None), ("12 kh ubnd", None), ("12-kh-ubnd", None),
               ("ve sinh moi truong", None), ("phòng cháy chữa cháy", None),
               ("thong bao tiep nhan", None), ("k", None),
               ("", {"t": 0, "y": years.index(2021)}),
               ("ke hoach", {"y": years.index(2021)}),
               ("", {"s": 3})]
    measured = []
    for text, filters in queries:
        names = index.query(text, filters)
        label = repr(text) if text else "(no words)"
        if filters:
            label += " + " + ", ".join(
                {"t": lambda v: f"loai={kinds[v][0]}", "y": lambda v: f"nam={years[v]}",
                 "s": lambda v: f"tinh-trang={index.meta['statuses'][v][0]}"}[c](v)
                for c, v in filters.items())
        measured.append((label, len(names), sum(index.size(n) for n in names),
                         sum(index.gzip_size(n) for n in names)))
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "largest": (str(largest.relative_to(build)), largest.stat().st_size),
            "meta": meta, "shards": len(shards), "shard_max": biggest_shard,
            "shard_mean": statistics.mean(shards.values()),
            "worst_group": (worst_group[0], worst_group[1],
                            sum(1 for n in shards if n.split("-")[0] == worst_group[0])),
            "rows": len(rows), "row_max": rows[0], "rows20": rows20,
            "bound_one": bound_one, "per_word": biggest_shard, "js": js,
            "queries": measured}


# ---- profile ---------------------------------------------------------------------------

def profile(count: int) -> str:
    ours = WORK / f"ours-{count}"
    out = []
    for name, prepare in (("cold build, --jobs 1", lambda: clean_ours(ours)),
                          ("one summary edited, --jobs 1", lambda: edit_summary(
                              sorted((ours / "content" / "van-ban").rglob("*.md"))[count // 3],
                              99))):
        prepare()
        stats_file = WORK / f"profile-{count}.pstats"
        subprocess.run([PYTHON, "-m", "cProfile", "-o", str(stats_file), "-m", "phucdong_site",
                        "build", str(ours), "-q", "--jobs", "1"], cwd=ours, check=True, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = _top(stats_file)
        out.append(f"### {count:,} documents: {name}\n\n```\n{text}```\n")
    return "\n".join(out)


def _top(stats_file: Path, lines: int = 22) -> str:
    import io
    buffer = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=buffer)
    stats.sort_stats("cumulative").print_stats(lines)
    text = buffer.getvalue()
    body = text[text.index("   ncalls"):]
    return re.sub(re.escape(SOURCE) + "/", "", body).replace(str(Path(os.__file__).parent) + "/", "")


# ---- report ----------------------------------------------------------------------------

def kb(n: float) -> str:
    return f"{n / 1000:.1f} kB"


def table(results: list[dict]) -> str:
    lines = ["| measure | ours (s) | Hugo (s) | time ours/Hugo | ours peak PSS MB | Hugo peak "
             "PSS MB | PSS ours/Hugo | ours max RSS MB | Hugo max RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for result in results:
        for name, (s, pss, rss), (hs, hpss, hrss) in result["rows"]:
            lines.append(f"| {result['count']:,} documents: {name} | {s:.2f} | {hs:.2f} | "
                         f"{s / hs:.2f} | {pss / 2**20:.0f} | {hpss / 2**20:.0f} | "
                         f"{pss / max(hpss, 1):.2f} | {rss / 2**20:.0f} | {hrss / 2**20:.0f} |")
    return "\n".join(lines) + "\n"


def runs_text(results: list[dict]) -> str:
    lines = []
    for result in results:
        for name, (ours, hugo) in result["runs"].items():
            lines.append(f"- {result['count']:,} {name}: ours " + ", ".join(
                f"{r[0]:.2f}" for r in ours) + " s; Hugo " + ", ".join(
                f"{r[0]:.2f}" for r in hugo) + " s")
    return "\n".join(lines) + "\n"


def sizes_text(results: list[dict]) -> str:
    lines = ["| N | document page, mean (ours / Hugo) | /van-ban/ (ours / Hugo) | whole output "
             "(ours / Hugo) |", "|---:|---|---|---|"]
    for r in results:
        s = r["sizes"]
        lines.append(f"| {r['count']:,} | {kb(s['ours_page'])} / {kb(s['hugo_page'])} | "
                     f"{kb(s['ours_list'])} / {kb(s['hugo_list'])} | {s['ours_total'][0]:,} "
                     f"files, {s['ours_total'][1] / 1e6:.1f} MB / {s['hugo_total'][0]:,} files, "
                     f"{s['hugo_total'][1] / 1e6:.1f} MB |")
    return "\n".join(lines) + "\n"


def index_text(results: list[dict]) -> str:
    lines = ["| N | files | total | largest file | meta.json | term shards (max, mean) | "
             "row files (max; 20 largest) | worst one-letter prefix |",
             "|---:|---:|---:|---|---:|---|---|---|"]
    for r in results:
        i = r["index"]
        lines.append(
            f"| {r['count']:,} | {i['files']:,} | {kb(i['bytes'])} | {i['largest'][0]}, "
            f"{kb(i['largest'][1])} | {kb(i['meta'])} | {i['shards']} ({kb(i['shard_max'])}, "
            f"{kb(i['shard_mean'])}) | {i['rows']} ({kb(i['row_max'])}; {kb(i['rows20'])}) | "
            f"`{i['worst_group'][0]}`: {i['worst_group'][2]} files, {kb(i['worst_group'][1])} |")
    lines += ["", "Per-query bound from the layout (data only; register.js itself is "
              f"{kb(results[0]['index']['js'])}, once):", ""]
    for r in results:
        i = r["index"]
        lines.append(
            f"- {r['count']:,} documents: meta.json {kb(i['meta'])} + the number key's shard "
            f"(at most the largest, {kb(i['shard_max'])}) + the first word's shards (at most "
            f"the worst one-letter prefix group, {kb(i['worst_group'][1])}) + one page of 20 "
            f"results (at most the 20 largest row files, {kb(i['rows20'])}) = "
            f"**{kb(i['bound_one'])}** for a one-word query; each further word adds at most "
            f"one shard, {kb(i['per_word'])} (three words: "
            f"{kb(i['bound_one'] + 2 * i['per_word'])}).")
    lines += ["", "Real queries, the files register.js fetches (found by the same rules, "
              "from the built files):", "",
              "| N | query | files | bytes | gzip |", "|---:|---|---:|---:|---:|"]
    for r in results:
        for label, n, size, gz in r["index"]["queries"]:
            lines.append(f"| {r['count']:,} | {label} | {n} | {kb(size)} | {kb(gz)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true",
                        help="profile the largest size's cold and one-edit builds (cProfile)")
    parser.add_argument("--commit", default="HEAD",
                        help="the commit whose generator is measured (default HEAD)")
    args = parser.parse_args()
    global SOURCE
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=10", args.commit],
                            check=True, capture_output=True, text=True).stdout.strip()
    SOURCE = str(checkout(commit) / "src")
    ENV["PYTHONPATH"] = SOURCE
    sys.path.insert(0, SOURCE)
    if shutil.which("hugo") is None:
        raise SystemExit("hugo is not installed: apt-get install -y hugo (Debian's package; "
                         "make bench installs it)")
    if not Path("/usr/bin/time").exists():
        raise SystemExit("/usr/bin/time is not installed: apt-get install -y time")
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for count in args.sizes:
        results.append(run_size(count, args.repeats))
        print(table(results), flush=True)
    profiled = profile(max(args.sizes)) if args.profile else ""
    command = (f"python bench/register/run.py --sizes {' '.join(map(str, args.sizes))} "
               f"--repeats {args.repeats}" + (" --profile" if args.profile else "")
               + f" --commit {commit}")
    text = (
        "# The register of documents at scale, beside Hugo\n\n"
        f"`{command}` (medians of {args.repeats} cold and no-change builds, of "
        f"{max(args.repeats, EDITS)} one-edit rebuilds; each of ours followed by Hugo's, in "
        "one run). Corpus: bench/register/corpus.py (seeded): N documents over 2016-2025, five "
        "types, three issuing bodies, ~15-word summaries, one small real PDF each (~0.9 kB), "
        "some replaced, expired, related. Hugo: the same documents as page bundles "
        "(bench/register/hugo_register.py): /van-ban/ paginated at 20, a page per document "
        "with every field, status, files and the documents it names, taxonomies by type and "
        "year paginated at 20, RSS, sitemap. Hugo has no persistent page cache: its no-change "
        "and one-edit rows are full builds over an existing public/. Ours builds more: type "
        "and year listings, its feed, sitemap, site search index and the register's index.\n\n"
        "Memory: peak PSS is the largest sum of PSS over the build's process tree (ours forks "
        "workers), sampled from /proc; max RSS is the largest single process's "
        "(/usr/bin/time -f %M, getrusage of the children).\n\n"
        + f"- generator: commit {commit}\n" + versions() + "\n" + table(results) + "\nEach run (s):\n\n" + runs_text(results)
        + "\nOutput sizes (to check that the pages compare):\n\n" + sizes_text(results)
        + "\n## The register's static index (van-ban/chi-muc/)\n\n" + index_text(results)
        + (f"\n## Profile\n\n{profiled}" if profiled else ""))
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(f"written to {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
