"""`phucdong-site views` on a generated 1 GB access log, beside GoAccess in the same run (a
benchmark, not a test); writes bench/views/RESULTS.md.

    .venv/bin/python bench/views/run.py [--size 1000] [--plain-size 300] [--repeats 3]
                                        [--articles 2000] [--commit REV] [--no-profile]

1. A site of ARTICLES generated articles, ARTICLES/10 register documents and four pages
   (bench/views/makelog.py --make-site), and its log: SIZE MB of nginx "combined" lines over
   seven days (makelog.py, seeded), its first 100 and 300 MB (whole lines), and a gzip copy.
2. Speed and memory: `phucdong-site views LOG --site SCRATCH` (a copy of the site whose data
   file is removed before each run, so every run counts the whole log and writes the file)
   and `goaccess LOG --log-format=COMBINED -o report.json` with the same filters (crawlers,
   query strings, statuses other than 200/304 left out), alternated, REPEATS times each at
   SIZE; the median wall time and CPU time (user + system of the process and its children,
   from wait4), and the peak memory: the largest sum of PSS over the process tree, sampled
   from /proc (bench/scale/run.py's tree_memory), beside the largest single process's
   maximum RSS. Once each at 100 and 300 MB, and ours on the gzip copy.
3. Agreement: the --plain log (no repeats within 31 minutes, no robots.txt, no prefetch)
   counted by both; GoAccess's GET hits per URL (index.html folded into its folder) against
   the data file's per-path totals, over every page the command counts. Each user agent of
   the log is put to both once (a probe log, one line per user agent, each on its own page)
   to learn which ones each treats as a crawler; from the generator's own per-path,
   per-user-agent tally (makelog.py --truth) each difference is put down to those.
4. With profiling on, one more run of ours on the SIZE log under cProfile; its top functions
   go into RESULTS.md.

The command measured is a commit's (default HEAD), from a worktree under bench/.work/compare/
(bench/compare_commits.py), not the shared working tree, which other work may hold
half-edited. GoAccess is Debian's (`make bench-views` installs it).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import pickle
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
REPO = BENCH.parent
WORK = HERE / ".work"
PYTHON = sys.executable
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(BENCH))
import makelog  # noqa: E402
from compare_commits import checkout  # noqa: E402

_spec = importlib.util.spec_from_file_location("scale_run", BENCH / "scale" / "run.py")
scale_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale_run)
tree_memory = scale_run.tree_memory

ENV = dict(os.environ)           # PYTHONPATH: the measured commit's src/, set by main()
DATA_FILE = Path("data") / "luot-xem.csv"
# GoAccess, filtered as our command filters: crawlers out, query strings dropped, every
# status but 200 and 304 left out (the codes the generated log holds, and a few more).
OTHER_STATUSES = (206, 301, 302, 400, 403, 404, 410, 500, 502, 503)
GOACCESS_FILTERS = ["--ignore-crawlers", "--no-query-string", "--http-method=yes",
                    "--max-items=10000000", *(f"--ignore-status={s}" for s in OTHER_STATUSES)]


def goaccess_command(log: Path, report: Path) -> list[str]:
    return ["goaccess", str(log), "--log-format=COMBINED", "-o", str(report), "--no-progress",
            "--no-global-config", *GOACCESS_FILTERS]


def ours_command(log: Path, site: Path) -> list[str]:
    return [PYTHON, "-m", "phucdong_site", "views", str(log), "--site", str(site)]


class Run:
    def __init__(self, seconds: float, cpu: float, pss: int, maxrss: int):
        self.seconds, self.cpu, self.pss, self.maxrss = seconds, cpu, pss, maxrss

    @property
    def memory(self) -> int:
        """The peak: the sampled tree PSS, or the kernel's max RSS when sampling missed it."""
        return max(self.pss, self.maxrss)


def measure(command: list[str], cwd: Path) -> Run:
    """One run of COMMAND: wall seconds, CPU seconds and the largest max RSS of one process
    (/usr/bin/time: getrusage of the process and the children it waited for; not wait4 from
    here, whose max RSS would start from this Python's at the fork), and the peak PSS of the
    process tree (sampled)."""
    rusage = WORK / "rusage.txt"
    wrapped = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(rusage), *command]
    started = time.perf_counter()
    process = subprocess.Popen(wrapped, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=ENV)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory(process.pid))
        # often at first, then seldom: each sample walks /proc, and the memory of both
        # programs settles within seconds (the kernel's max RSS catches any short peak)
        elapsed = time.perf_counter() - started
        time.sleep(0.02 if elapsed < 2 else 0.1 if elapsed < 10 else 0.5)
    seconds = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n"
                         + (out + err).decode(errors="replace")[-3000:])
    maxrss, user, system = rusage.read_text().split()[-3:]
    return Run(seconds, float(user) + float(system), peak, int(maxrss) * 1024)


def fresh(site: Path) -> Path:
    """SITE's scratch copy, built once (its .cache/ is what `views` reads the articles from,
    as in an editor's site folder), its data file removed each time."""
    scratch = WORK / "scratch-site"
    if not (scratch / "build").is_dir():
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("build", ".cache"))
        subprocess.run([PYTHON, "-m", "phucdong_site", "build", str(scratch), "-q"], check=True,
                       capture_output=True, env=ENV)
    (scratch / DATA_FILE).unlink(missing_ok=True)
    return scratch


def unbuilt(site: Path) -> Run:
    """Ours on the one-line log in a copy of SITE never built: every article parsed."""
    copy = WORK / "unbuilt-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("build", ".cache"))
    return measure(ours_command(one_line_log(), copy), WORK)


def one_line_log() -> Path:
    log = WORK / "one-line.log"
    log.write_text('10.0.0.1 - - [23/Nov/2026:10:00:00 +0700] "GET / HTTP/1.1" 200 1000 "-" '
                   '"Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36"\n')
    return log


def run_ours(log: Path, site: Path) -> Run:
    scratch = fresh(site)
    return measure(ours_command(log, scratch), WORK)


def run_goaccess(log: Path) -> Run:
    return measure(goaccess_command(log, WORK / "report.json"), WORK)


def prefix(source: Path, target: Path, megabytes: int) -> Path:
    """TARGET: SOURCE's first MEGABYTES MB, cut after a whole line."""
    if target.exists():
        return target
    limit = megabytes * 1_000_000
    with open(source, "rb") as src, open(target, "wb") as out:
        data = src.read(limit)
        out.write(data[:data.rfind(b"\n") + 1])
    return target


def logs(site: Path, size: int, plain_size: int, articles: int) -> dict:
    """Make (once) the site, the logs and their descriptions; returns {name: path, ...}."""
    WORK.mkdir(parents=True, exist_ok=True)
    made: dict = {}
    if not (site / "site.toml").exists():
        makelog.make_site(site, articles)
    urls = None
    for name, megabytes, plain in (("main", size, False), ("plain", plain_size, True)):
        log = WORK / f"{'plain' if plain else 'access'}-{articles}-{megabytes}MB.log"
        truth = log.with_suffix(".truth.json") if plain else None
        summary_file = log.with_suffix(".summary.json")
        if not summary_file.exists():
            urls = urls or makelog.site_urls(site)
            print(f"generating {log.name}", flush=True)
            summary = makelog.generate(urls, log, megabytes, 7, 19, plain, truth)
            summary_file.write_text(json.dumps(summary))
        made[name] = log
        made[name + "-summary"] = json.loads(summary_file.read_text())
    for megabytes in (100, 300):
        if megabytes < size:
            made[f"prefix-{megabytes}"] = prefix(
                made["main"], WORK / f"access-{articles}-{megabytes}MB.log", megabytes)
    gz = made["main"].with_name(made["main"].name + ".gz")
    if not gz.exists():
        print(f"compressing {gz.name}", flush=True)
        started = time.perf_counter()
        with open(gz.with_suffix(".part"), "wb") as out:
            subprocess.run(["gzip", "-c", "-6", str(made["main"])], stdout=out, check=True)
        gz.with_suffix(".part").rename(gz)
        made["gzip-seconds"] = time.perf_counter() - started
    made["gzip"] = gz
    return made


def lines_of(path: Path) -> int:
    with open(path, "rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 24), b""))


def goaccess_hits(report: Path, root: str) -> Counter:
    """GoAccess's GET hits per URL path (index.html folded into its folder)."""
    data = json.loads(report.read_text(errors="replace"))
    hits: Counter = Counter()
    for panel in ("requests", "static_requests"):
        for item in data.get(panel, {}).get("data", []):
            if item.get("method", "GET") != "GET":
                continue
            path = item["data"]
            if path.endswith("/index.html"):
                path = path[:-len("index.html")]
            hits[path] += item["hits"]["count"]
    return hits


def data_totals(site: Path) -> Counter:
    """The data file's views per path, all days summed."""
    totals: Counter = Counter()
    with open(site / DATA_FILE, encoding="utf-8") as file:
        rows = (line for line in file if not line.startswith("#"))
        for row in csv.DictReader(rows):
            totals[row["path"]] += int(row["views"])
    return totals


def probe(user_agents: list[str], countable: list[str], site: Path) -> tuple[set, set]:
    """The user agents (by number) GoAccess and ours each count as a visitor, not a crawler:
    one GET 200 line per user agent, each on a page of its own."""
    if len(countable) < len(user_agents):
        raise SystemExit("fewer pages than user agents to probe with")
    log = WORK / "probe.log"
    with open(log, "w", encoding="utf-8") as out:
        for number, ua in enumerate(user_agents):
            out.write(f'10.9.{number // 250}.{number % 250 + 1} - - [23/Nov/2026:10:00:'
                      f'{number % 60:02d} +0700] "GET {countable[number]} HTTP/1.1" 200 1000 '
                      f'"-" "{ua}"\n')
    report = WORK / "probe.json"
    subprocess.run(goaccess_command(log, report), check=True, capture_output=True)
    seen = goaccess_hits(report, "/")
    theirs = {n for n in range(len(user_agents)) if seen.get(countable[n])}
    scratch = fresh(site)
    subprocess.run(ours_command(log, scratch), check=True, capture_output=True, env=ENV)
    counted = data_totals(scratch)
    ours = {n for n in range(len(user_agents)) if counted.get(countable[n])}
    return theirs, ours


def agreement(plain: Path, site: Path) -> dict:
    truth = json.loads(plain.with_suffix(".truth.json").read_text())
    user_agents = truth["user_agents"]
    countable = truth["countable"]
    views = {path: {int(k): v for k, v in counts.items()} for path, counts in
             truth["views"].items()}
    theirs_humans, ours_humans = probe(user_agents, countable, site)

    ours_run = run_ours(plain, site)
    ours = data_totals(WORK / "scratch-site")
    shutil.copy(WORK / "scratch-site" / DATA_FILE, WORK / "plain-luot-xem.csv")
    theirs_run = run_goaccess(plain)
    theirs = goaccess_hits(WORK / "report.json", "/")
    shutil.copy(WORK / "report.json", WORK / "plain-report.json")

    def expected(humans: set) -> Counter:
        return Counter({path: sum(v for ua, v in counts.items() if ua in humans)
                        for path, counts in views.items()})

    expected_theirs, expected_ours = expected(theirs_humans), expected(ours_humans)
    # The same log without the lines of the user agents the two lists judge differently:
    # there both apply the same rules, and every page should have the same count.
    disputed = [f'"{user_agents[n]}"'.encode() for n in sorted(theirs_humans ^ ours_humans)]
    common = WORK / "plain-common.log"
    kept = 0
    with open(plain, "rb") as source, open(common, "wb") as out:
        for line in source:
            if not any(ua in line for ua in disputed):
                out.write(line)
                kept += 1
    run_ours(common, site)
    ours_common = data_totals(WORK / "scratch-site")
    run_goaccess(common)
    theirs_common = goaccess_hits(WORK / "report.json", "/")
    common_rows = [(p, ours_common.get(p, 0), theirs_common.get(p, 0)) for p in countable]
    rows = []
    for path in countable:
        rows.append((path, ours.get(path, 0), theirs.get(path, 0), expected_ours.get(path, 0),
                     expected_theirs.get(path, 0)))
    exact = sum(1 for _, o, t, _, _ in rows if o == t)
    differing = [r for r in rows if r[1] != r[2]]
    # user agents the two classify differently, and the views each carries
    only_theirs = sorted(theirs_humans - ours_humans)     # GoAccess counts, ours drops
    only_ours = sorted(ours_humans - theirs_humans)
    carried = Counter()
    for counts in views.values():
        for ua, v in counts.items():
            carried[ua] += v
    return {
        "pages": len(rows), "exact": exact, "differing": len(differing),
        "common_lines": kept, "disputed": len(disputed),
        "common_exact": sum(1 for _, o, t in common_rows if o == t),
        "common_ours": sum(o for _, o, _ in common_rows),
        "common_theirs": sum(t for _, _, t in common_rows),
        "common_worst": sorted((r for r in common_rows if r[1] != r[2]),
                               key=lambda r: -abs(r[1] - r[2]))[:10],
        "ours_total": sum(r[1] for r in rows), "theirs_total": sum(r[2] for r in rows),
        "ours_unexplained": [r for r in rows if r[1] != r[3]],
        "theirs_unexplained": [r for r in rows if r[2] != r[4]],
        "only_theirs": [(user_agents[n], carried[n]) for n in only_theirs],
        "only_ours": [(user_agents[n], carried[n]) for n in only_ours],
        "crawlers_both": [user_agents[n] for n in range(len(user_agents))
                          if n not in theirs_humans and n not in ours_humans],
        "user_agents": len(user_agents),
        "ours_run": ours_run, "theirs_run": theirs_run,
        "worst": sorted(differing, key=lambda r: -abs(r[1] - r[2]))[:5],
        "outside": sum(v for p, v in ours.items() if p not in set(countable)),
    }


def profile(log: Path, site: Path) -> str:
    scratch = fresh(site)
    out = WORK / "views.prof"
    command = [PYTHON, "-m", "cProfile", "-o", str(out), "-m", "phucdong_site", "views",
               str(log), "--site", str(scratch)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=ENV, cwd=WORK)
    seconds = time.perf_counter() - started
    text = []
    for key in ("tottime", "cumulative"):
        stream = open(WORK / f"profile-{key}.txt", "w")
        stats = pstats.Stats(str(out), stream=stream)
        stats.strip_dirs().sort_stats(key).print_stats(25)
        stream.close()
        text.append((WORK / f"profile-{key}.txt").read_text())
    return f"{seconds:.1f}", text


def versions() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.machine())
    goaccess = subprocess.run(["goaccess", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0].strip()
    return (f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}\n"
            f"- GoAccess: Debian's {goaccess} (`goaccess --version`)\n")


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs >= 0.05 else "–"


def mb(value: int) -> str:
    return f"{value / 2**20:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="MB of log (default 1000)")
    parser.add_argument("--plain-size", type=int, default=300,
                        help="MB of the agreement log (default 300)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--commit", default="HEAD",
                        help="the commit whose command is measured (default HEAD; "
                        "'working-tree': the shared working tree's src/ as it is)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--rewrite", action="store_true",
                        help="write RESULTS.md again from the last run's figures")
    parser.add_argument("--generate-only", action="store_true",
                        help="make the site and the logs, measure nothing")
    args = parser.parse_args()
    if args.rewrite:
        with open(WORK / "results.pickle", "rb") as file:
            write_results(*pickle.load(file))
        return
    if not shutil.which("goaccess"):
        raise SystemExit("goaccess is missing: `make bench-views` installs it")
    if args.commit == "working-tree":
        commit = "working tree"
        ENV["PYTHONPATH"] = str(REPO / "src")
    else:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=10",
                                 args.commit], capture_output=True, text=True,
                                check=True).stdout.strip()
        ENV["PYTHONPATH"] = str(checkout(commit) / "src")
    site = WORK / f"site-{args.articles}"
    made = logs(site, args.size, args.plain_size, args.articles)
    if args.generate_only:
        return
    shutil.rmtree(WORK / "scratch-site", ignore_errors=True)
    load = [os.getloadavg()]

    results: dict[str, tuple[list[Run], list[Run]]] = {}
    print(f"{args.size} MB log, {args.repeats} runs each, alternated", flush=True)
    ours_runs, theirs_runs = [], []
    for round_ in range(args.repeats):
        ours_runs.append(run_ours(made["main"], site))
        theirs_runs.append(run_goaccess(made["main"]))
        print(f"  round {round_ + 1}: ours {ours_runs[-1].seconds:.1f} s "
              f"{mb(ours_runs[-1].memory)} MB, GoAccess {theirs_runs[-1].seconds:.1f} s "
              f"{mb(theirs_runs[-1].memory)} MB", flush=True)
    results[f"{args.size} MB"] = (ours_runs, theirs_runs)
    for megabytes in (100, 300):
        if f"prefix-{megabytes}" in made:
            log = made[f"prefix-{megabytes}"]
            results[f"{megabytes} MB (its first lines)"] = ([run_ours(log, site)],
                                                            [run_goaccess(log)])
            print(f"  {megabytes} MB done", flush=True)
    results["one line (the fixed cost: the site's addresses)"] = (
        [run_ours(one_line_log(), site)], [run_goaccess(one_line_log())])
    results["one line, the site never built (every article parsed)"] = (
        [unbuilt(site)], [run_goaccess(one_line_log())])
    # Debian's GoAccess 1.7 does not read gzip itself: zcat piped into it.
    piped = " ".join(goaccess_command(Path("-"), WORK / "report.json"))
    gz_theirs = measure(["sh", "-c", f"zcat {made['gzip']} | {piped}"], WORK)
    results[f"{args.size} MB gzip (GoAccess: `zcat LOG.gz | goaccess - ...`)"] = (
        [run_ours(made["gzip"], site)], [gz_theirs])
    zcat = measure(["sh", "-c", f"zcat {made['gzip']} > /dev/null"], WORK)
    load.append(os.getloadavg())
    print("agreement", flush=True)
    agree = agreement(made["plain"], site)
    load.append(os.getloadavg())
    prof = None if args.no_profile else profile(made["main"], site)
    with open(WORK / "results.pickle", "wb") as file:   # to rewrite RESULTS.md after a fix
        pickle.dump((args, commit, made, results, zcat, agree, prof, load), file)
    write_results(args, commit, made, results, zcat, agree, prof, load)


def write_results(args, commit, made, results, zcat, agree, prof, load) -> None:
    main_summary, plain_summary = made["main-summary"], made["plain-summary"]
    lines = [
        "# Views from a 1 GB access log: `phucdong-site views` beside GoAccess",
        "",
        f"`.venv/bin/python bench/views/run.py --size {args.size} --plain-size "
        f"{args.plain_size} --repeats {args.repeats} --articles {args.articles}` "
        f"(`make bench-views`), command of commit {commit}.",
        "",
        versions().rstrip(),
        "- load average (1, 5, 15 min) before, after the speed runs, after the agreement "
        "(the 2 cores are shared with other work; the runs alternate, so both programs "
        "meet the same load): "
        + "; ".join(" ".join(f"{x:.2f}" for x in point) for point in load),
        "",
        *in_short(args, results, agree),
        "## The log",
        "",
        f"A generated site of {args.articles:,} articles, {args.articles // 10:,} register "
        "documents and four pages; `bench/views/makelog.py` (seed 19) writes seven days of "
        "nginx \"combined\" lines with one more field, the Sec-Purpose header (`\"-\"`, or "
        f"`\"prefetch\"` on a browser's speculative fetch): {main_summary['bytes'] / 1e6:,.0f} "
        f"MB, {main_summary['lines']:,} lines, in {main_summary['seconds']:.0f} s, and a "
        f"gzip copy ({made['gzip'].stat().st_size / 1e6:,.0f} MB). Readers (IPv4 and IPv6, "
        "some sharing an address), their CSS/JS/photos/PDFs, 304s, reloads within minutes, "
        f"{main_summary.get('prefetches', 0):,} prefetches, 301s, 404s and scanners, query "
        "strings, 26 crawlers (robots.txt first), browser-like clients that read robots.txt, "
        "an uptime monitor. The 100 and 300 MB logs are its first lines (fewer days).",
        "",
        "Commands (LOG the generated log, SCRATCH a copy of the site, built once so that its "
        ".cache/ holds the articles as in an editor's site folder, its data file removed "
        "before each run):",
        "",
        "    python -m phucdong_site views LOG --site SCRATCH",
        "    " + " ".join(goaccess_command(Path("LOG"), Path("report.json"))),
        "",
        "## Speed and memory",
        "",
        "Wall and CPU: median of the runs (each run in the table below); peak memory: the "
        "largest over the runs of the sampled PSS sum of the process tree (or the kernel's max "
        "RSS of one process, when larger). Ratios: ours / GoAccess.",
        "",
        "| log | ours wall (s) | ours CPU (s) | ours peak MB | GoAccess wall (s) | "
        "GoAccess CPU (s) | GoAccess peak MB | wall ratio | CPU ratio | memory ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (ours, theirs) in results.items():
        o_wall = statistics.median(r.seconds for r in ours)
        o_cpu = statistics.median(r.cpu for r in ours)
        o_mem = max(r.memory for r in ours)
        t_wall = statistics.median(r.seconds for r in theirs)
        t_cpu = statistics.median(r.cpu for r in theirs)
        t_mem = max(r.memory for r in theirs)
        lines.append(f"| {name} | {o_wall:.1f} | {o_cpu:.1f} | {mb(o_mem)} | {t_wall:.1f} | "
                     f"{t_cpu:.1f} | {mb(t_mem)} | {ratio(o_wall, t_wall)} | "
                     f"{ratio(o_cpu, t_cpu)} | {ratio(o_mem, t_mem)} |")
    lines += [
        "",
        f"zcat alone of the gzip copy: {zcat.seconds:.1f} s wall, {zcat.cpu:.1f} s CPU "
        "(the gzip row's GoAccess figures include it: zcat runs beside GoAccess, on the other "
        "core).",
        "",
        "Each run, wall s / CPU s / peak MB:",
        "",
    ]
    for name, (ours, theirs) in results.items():
        lines.append(f"- {name}: ours " + ", ".join(
            f"{r.seconds:.1f}/{r.cpu:.1f}/{mb(r.memory)}" for r in ours) + "; GoAccess "
            + ", ".join(f"{r.seconds:.1f}/{r.cpu:.1f}/{mb(r.memory)}" for r in theirs))
    a = agree
    lines += [
        "",
        "## Agreement of the per-URL counts",
        "",
        f"A second log, `makelog.py --plain`: {plain_summary['bytes'] / 1e6:,.0f} MB, "
        f"{plain_summary['lines']:,} lines, in which no client gets the same page twice within "
        "31 minutes, nobody reads robots.txt and nothing is a prefetch, so the rules GoAccess "
        "does not have cannot bite. GoAccess: GET hits per URL with the filters above "
        "(`/x/index.html` added to `/x/`); ours: the data file's views per path, all days "
        f"summed. Over the {a['pages']:,} pages the command counts (articles, pages, "
        "documents):",
        "",
        f"- The whole log: {a['exact']:,} of {a['pages']:,} pages "
        f"({a['exact'] / a['pages']:.2%}) have the same count; {a['differing']:,} differ. Views "
        f"in all: ours {a['ours_total']:,}, GoAccess {a['theirs_total']:,} "
        f"(ours/GoAccess {a['ours_total'] / max(a['theirs_total'], 1):.4f})."
        + (" Every difference comes from user agents one crawler list knows and the other "
           "does not (below)." if not a["ours_unexplained"] and not a["theirs_unexplained"]
           else ""),
        f"- **The same log without the lines of the {a['disputed']} user agents the two lists "
        f"judge differently ({a['common_lines']:,} lines left), where both apply the same "
        f"rules: {a['common_exact']:,} of {a['pages']:,} pages "
        f"({a['common_exact'] / a['pages']:.2%}) have the same count**; views in all: ours "
        f"{a['common_ours']:,}, GoAccess {a['common_theirs']:,}.",
        f"- Differences not explained by the two crawler lists (a count other than the "
        f"generator's tally of the user agents each lets through): ours "
        f"{len(a['ours_unexplained'])}, GoAccess {len(a['theirs_unexplained'])}.",
        f"- Of the log's {a['user_agents']} user agents, both treat "
        f"{len(a['crawlers_both'])} as crawlers. Counted by GoAccess, dropped by ours "
        "(views they carry in the log):",
    ]
    lines += [f"  - `{ua}`: {views:,}" for ua, views in a["only_theirs"]] or ["  - none"]
    lines.append("- Counted by ours, dropped by GoAccess:")
    lines += [f"  - `{ua}`: {views:,}" for ua, views in a["only_ours"]] or ["  - none"]
    if a["common_worst"]:
        lines.append("- Differences left without the disputed user agents (path: ours, "
                     "GoAccess):")
        lines += [f"  - `{p}`: {o:,}, {t:,}" for p, o, t in a["common_worst"]]
    if a["worst"]:
        lines.append("- Largest differences in the whole log (path: ours, GoAccess):")
        lines += [f"  - `{p}`: {o:,}, {t:,}" for p, o, t, _, _ in a["worst"]]
    for who, key in (("ours", "ours_unexplained"), ("GoAccess", "theirs_unexplained")):
        if a[key]:
            lines.append(f"- Unexplained, {who} (path: ours, GoAccess, expected ours, expected "
                         "GoAccess):")
            lines += [f"  - `{p}`: {o}, {t}, {eo}, {et}" for p, o, t, eo, et in a[key][:10]]
    lines += [
        f"- Runs on this log: ours {a['ours_run'].seconds:.1f} s, {mb(a['ours_run'].memory)} "
        f"MB; GoAccess {a['theirs_run'].seconds:.1f} s, {mb(a['theirs_run'].memory)} MB.",
        "",
    ]
    if prof:
        seconds, (tottime, cumulative) = prof
        lines += [
            f"## Where ours spends its time ({args.size} MB log, cProfile, {seconds} s "
            "under the profiler)",
            "",
            "cProfile charges each call of a built-in (bytes.find, dict.get) with its own "
            "overhead, so they weigh more here than in a plain run; the shares between the "
            "Python functions hold.",
            "",
            "By own time:",
            "",
            "```",
            *trim(tottime),
            "```",
            "",
            "By cumulative time:",
            "",
            "```",
            *trim(cumulative),
            "```",
            "",
        ]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))


def in_short(args, results, agree) -> list[str]:
    """The figures the issue asks for, in a paragraph."""
    def figures(name: str) -> tuple:
        ours, theirs = results[name]
        return (statistics.median(r.seconds for r in ours), statistics.median(r.cpu for r in ours),
                max(r.memory for r in ours), statistics.median(r.seconds for r in theirs),
                statistics.median(r.cpu for r in theirs), max(r.memory for r in theirs))
    big = figures(f"{args.size} MB")
    memory = [(name.split(" (")[0], figures(name)) for name in results
              if name.endswith("(its first lines)")] + [(f"{args.size} MB", big)]
    a = agree
    return [
        "## In short",
        "",
        f"On {args.size / 1000:g} GB of log ({args.size} MB), `views` took {big[0]:.1f} s "
        f"({big[1]:.1f} s CPU) and at most {mb(big[2])} MB; GoAccess {big[3]:.1f} s "
        f"({big[4]:.1f} s CPU) and {mb(big[5])} MB: {big[0] / big[3]:.2f} of its time, "
        f"{big[1] / big[4]:.2f} of its CPU, {big[2] / big[5]:.2f} of its memory. Peak memory "
        "by log size, ours / GoAccess: " + ", ".join(
            f"{name} {mb(f[2])} / {mb(f[5])} MB" for name, f in memory)
        + ": ours levels off once a whole day is open (a day is the unit it keeps), "
        "GoAccess's grows with the log. Per-URL agreement where both apply the same rules: "
        f"{a['common_exact']:,} of {a['pages']:,} pages with the same count; on the whole "
        f"plain log {a['exact']:,} of {a['pages']:,}, every difference from the "
        f"{a['disputed']} user agents the two crawler lists judge differently.",
        "",
    ]


def trim(text: str) -> list[str]:
    """pstats's table without its preamble."""
    out = text.splitlines()
    start = next((i for i, line in enumerate(out) if "ncalls" in line), 0)
    return [line.rstrip() for line in out[start:] if line.strip()]


if __name__ == "__main__":
    main()
