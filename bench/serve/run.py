"""Serving load, measured: wrk (Debian) against nginx serving a generated site on loopback
with the config `phucdong-site nginx` prints, bounded in time; writes bench/serve/RESULTS.md.

For the home page, an article and a search shard: requests per second and p99 latency
without compression, with the build's .gz copies (gzip_static), with nginx compressing
each response itself (gzip on, level 6: what a server without precompressed files does),
and with the .br copies (brotli_static, when Debian's module is installed). Also the bytes
of an article page (plain, .gz, .br) and the precompression stage's time, cold and after
one edit.

    python bench/serve/run.py [--articles 10000] [--seconds 10] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from phucdong_site.config import load_config  # noqa: E402
from phucdong_site.output.nginx import brotli_available, nginx_config  # noqa: E402
from phucdong_site.pipeline.stages import build  # noqa: E402
from phucdong_site.report import Progress  # noqa: E402

NGINX = "/usr/sbin/nginx"


class Timings(Progress):
    """Each stage's time, from its start to the next stage or the end."""

    def __init__(self):
        self.stages: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def stage(self, name: str, total: int) -> None:
        self._close()
        self._current = (name, time.perf_counter())

    def finish(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._current:
            name, started = self._current
            self.stages[name] = self.stages.get(name, 0) + time.perf_counter() - started
            self._current = None


def timed_build(site: Path, base_url: str) -> tuple[float, Timings, object]:
    timings = Timings()
    config = load_config(site, base_url=base_url)
    started = time.perf_counter()
    report = build(config, timings)
    return time.perf_counter() - started, timings, report


def wrk(url: str, seconds: int, connections: int, encoding: str | None) -> tuple[float, str]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if encoding:
        command[1:1] = ["-H", f"Accept-Encoding: {encoding}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    if "Non-2xx" in out:
        raise SystemExit(f"wrk got errors from {url}:\n{out}")
    return rate, p99


class Server:
    def __init__(self, text: str, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "nginx.conf").write_text(text)
        self.process = subprocess.Popen([NGINX, "-p", str(folder), "-e", str(folder / "error.log"),
                                         "-c", str(folder / "nginx.conf"), "-g", "daemon off;"])
        time.sleep(0.5)
        if self.process.poll() is not None:
            raise SystemExit((folder / "error.log").read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "serve" / ".work")
    parser.add_argument("--site", type=Path, help="a generated site to use (default: made in "
                        "WORK by bench/scale_corpus.py)")
    parser.add_argument("--port", type=int, default=8088, help="nginx's port on 127.0.0.1 "
                        "(the base_url's: another one builds every page again)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench-serve` installs it")
    site = args.site or args.work / f"site-{args.articles}"
    port = args.port
    base_url = f"http://127.0.0.1:{port}/"
    if not (site / "content").is_dir():
        subprocess.run([sys.executable, str(REPO / "bench" / "scale_corpus.py"), str(site),
                        "--articles", str(args.articles)], check=True)
    # The precompression stage: cold (its cache emptied), then after one article's edit.
    shutil.rmtree(site / ".cache" / "compressed", ignore_errors=True)
    cold_total, cold, cold_report = timed_build(site, base_url)
    articles = sorted((site / "content").rglob("*.md"))
    article = articles[len(articles) // 2]
    article.write_text(article.read_text(encoding="utf-8") + "\nMột câu thêm.\n",
                       encoding="utf-8")
    edit_total, edit, edit_report = timed_build(site, base_url)
    out = site / "build"

    pages = sorted(p for p in out.glob("20*/*/*/index.html"))
    sizes = {kind: statistics.mean((Path(f"{p}{kind}").stat().st_size for p in pages))
             for kind in ("", ".gz", ".br")}
    article_url = "/" + pages[len(pages) // 2].parent.relative_to(out).as_posix() + "/"
    shards = sorted((out / "tim-kiem" / "chi-muc").glob("*/*.json"), key=lambda p: p.stat().st_size)
    shard = shards[len(shards) // 2]
    shard_url = "/" + shard.relative_to(out).as_posix()
    urls = {"home page": "/", "article": article_url, "search shard": shard_url}

    config = load_config(site, base_url=base_url)
    folder = args.work / "nginx"
    brotli = brotli_available()
    precompressed = nginx_config(config, out, listen=f"127.0.0.1:{port}", brotli=brotli,
                                 standalone=folder)
    # nginx compressing each response itself, as a server without the copies would.
    dynamic = precompressed.replace("gzip off;", "gzip on; gzip_comp_level 6; gzip_types "
                                    "text/css text/javascript application/json "
                                    "application/xml image/svg+xml;").replace(
        "gzip_static on;", "gzip_static off;").replace("brotli_static on;", "")
    cases = [("plain (no Accept-Encoding)", precompressed, None),
             ("gzip_static (.gz copies)", precompressed, "gzip"),
             ("gzip on the fly (level 6)", dynamic, "gzip")]
    if brotli:
        cases.append(("brotli_static (.br copies)", precompressed, "br, gzip"))
    results = []
    for label, text, encoding in cases:
        server = Server(text, folder)
        try:
            for name, path in urls.items():
                rate, p99 = wrk(f"http://127.0.0.1:{port}{path}", args.seconds,
                                args.connections, encoding)
                results.append((label, name, rate, p99))
                print(f"{label:30} {name:14} {rate:10.0f} req/s  p99 {p99}", flush=True)
        finally:
            server.stop()
    write_results(args, cold_total, cold, cold_report, edit_total, edit, edit_report, sizes,
                  urls, shard, results, brotli)


def write_results(args, cold_total, cold, cold_report, edit_total, edit, edit_report, sizes,
                  urls, shard, results, brotli) -> None:
    cpu = os.cpu_count()
    lines = [
        "# Serving a generated site: nginx with `phucdong-site nginx`'s config, under wrk",
        "",
        f"`python bench/serve/run.py --articles {args.articles} --seconds {args.seconds}` "
        f"(`make bench-serve`): wrk 1 thread, {args.connections} connections, "
        f"{args.seconds} s per case, against Debian's nginx (one process, `--standalone`) on "
        f"127.0.0.1; {cpu} cores shared by wrk, nginx and whatever else runs.",
        "",
        "## Requests per second and p99 latency",
        "",
        "| case | " + " | ".join(urls) + " |",
        "|---|" + "---|" * len(urls),
    ]
    by_case: dict[str, list[str]] = {}
    for label, _name, rate, p99 in results:
        by_case.setdefault(label, []).append(f"{rate:,.0f} req/s, p99 {p99}")
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in by_case.items()]
    lines += [
        "",
        f"URLs: {', '.join(f'{k} `{v}`' for k, v in urls.items())} "
        f"({shard.stat().st_size:,} bytes, the median shard)."
        + ("" if brotli else " brotli_static: module not installed, case left out."),
        "",
        "## Bytes of an article page (mean over every article)",
        "",
        "| plain | .gz (gzip -6) | .br (brotli 5) |",
        "|---|---|---|",
        f"| {sizes['']:,.0f} | {sizes['.gz']:,.0f} ({sizes['.gz'] / sizes['']:.0%}) | "
        f"{sizes['.br']:,.0f} ({sizes['.br'] / sizes['']:.0%}) |",
        "",
        "## Precompression in the build",
        "",
        "| build | whole build | compress stage | files compressed |",
        "|---|---|---|---|",
        f"| cold (empty .cache/compressed/) | {cold_total:.1f} s | "
        f"{cold.stages.get('compress', 0):.1f} s | {cold_report.compressed:,} |",
        f"| one article edited | {edit_total:.1f} s | {edit.stages.get('compress', 0):.1f} s | "
        f"{edit_report.compressed:,} |",
        "",
    ]
    (REPO / "bench" / "serve" / "RESULTS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
