"""Time from saving an article to the reloaded page in the browser: our `serve` beside
`hugo server` (default fast render, and --disableFastRender) on the same articles.

    .venv/bin/python bench/serve_reload.py [--articles 1000 10000] [--edits 5] [--titles 3]
        [--write bench/RESULTS.md]

For each size, generates the scale corpus (bench/scale_corpus.py) as our site and as the
equivalent Hugo site, gives one article in the middle a fixed slug in both (so a title
edit keeps its address), starts each server in turn on a free port, opens that article in
Debian's Chromium through Playwright, and edits the file: body edits (a new first
paragraph) and title edits. Each measurement runs from just before the file is written to
the moment the reloaded page that holds the new text was parsed (DOMContentLoaded, by the
page's own clock: Playwright's polling, set up again after each navigation, sees it later). Medians, and each median as a
ratio to Hugo's default server measured in the same run. Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_corpus import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SLUG = "bai-do-thi-van-minh"
# Each document notes, by its own clock, when it was parsed (scripts run, DOM whole).
READY = ("document.addEventListener('DOMContentLoaded', () => "
         "{ window.__parsed = performance.timeOrigin + performance.now(); });")

@dataclass(frozen=True)
class Server:
    name: str
    article: Path                # the edited file
    command: list[str]
    ready: str                   # a pattern of the server's output once it serves


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fixed_slug(path: Path) -> tuple[str, str]:
    """Give PATH's front matter slug SLUG; its (year, month)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle:", f"\nslug: {SLUG}\ntitle:", 1), encoding="utf-8")
    date = re.search(r"^date: (\d{4})-(\d{2})", text, re.M)
    return date.group(1), date.group(2)


def servers(root: Path, articles: int) -> tuple[list[Server], str]:
    ours, hugo = root / "ours", root / "hugo"
    generate(ours, articles, hugo=hugo)
    number = articles // 2
    ours_file = next((ours / "content").rglob(f"bai-{number:05d}.md"))
    hugo_file = next((hugo / "content").rglob(f"bai-{number:05d}.md"))
    year, month = fixed_slug(ours_file)
    fixed_slug(hugo_file)
    # The article cache warmed by a build, as an editor's site is: serve's own first build
    # parses on one core (it runs beside the server's threads).
    subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(ours), "-q"], check=True,
                   stderr=subprocess.DEVNULL)
    port = free_port()
    hugo_cmd = ["hugo", "server", "--source", str(hugo), "--port", str(port), "--bind",
                "127.0.0.1", "--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false"]
    return [
        Server("phucdong-site serve", ours_file,
               [sys.executable, "-m", "phucdong_site", "serve", str(ours), "--port", str(port)],
               r"http://127\.0\.0\.1:\d+/"),
        Server("hugo server", hugo_file, hugo_cmd, r"Web Server is available"),
        Server("hugo server --disableFastRender", hugo_file, [*hugo_cmd, "--disableFastRender"],
               r"Web Server is available"),
    ], f"http://127.0.0.1:{port}/{year}/{month}/{SLUG}/"


def measure(server: Server, url: str, log: Path, edits: int, titles: int) -> dict[str, float]:
    original = server.article.read_text(encoding="utf-8")
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(server.command, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        while not re.search(server.ready, log.read_text(encoding="utf-8")):
            if process.poll() is not None:
                sys.exit(log.read_text(encoding="utf-8"))
            time.sleep(0.05)
        timings = {"start": time.perf_counter() - started, "body": [], "title": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(READY)
            page.goto(url)
            time.sleep(1.0)                  # the reload connection opened
            for kind, count in (("body", edits), ("title", titles)):
                for edit in range(1, count + 1):
                    marker = f"Bản sửa {kind} số {edit} lúc {time.time_ns() % 10**6}"
                    text = (original.replace("\n---\n\n", f"\n---\n\n{marker}.\n\n", 1)
                            if kind == "body" else
                            re.sub(r"^title: .*$", f'title: "{marker}"', original, count=1,
                                   flags=re.M))
                    began = time.time()
                    server.article.write_text(text, encoding="utf-8")
                    page.wait_for_function(
                        f"() => document.body && document.body.innerText.includes({marker!r})",
                        timeout=120000, polling=5)
                    # The page's own clock: when the reloaded page was parsed, not when
                    # Playwright's polling, set up again after the navigation, saw it.
                    parsed = page.evaluate("() => window.__parsed") / 1000
                    timings[kind].append(parsed - began)
                    print(f"  {server.name}: {kind} edit {edit}: "
                          f"{timings[kind][-1] * 1000:.0f} ms", flush=True)
                    time.sleep(1.5)          # the rest of the rebuild, before the next save
            browser.close()
        return {"start": timings["start"], "body": statistics.median(timings["body"]),
                "title": statistics.median(timings["title"])}
    finally:
        server.article.write_text(original, encoding="utf-8")
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def table(results: dict[int, dict[str, dict[str, float]]], edits: int, titles: int) -> str:
    lines = [f"Medians of {edits} body edits and {titles} title edits; ratio: ours or Hugo's "
             "--disableFastRender to Hugo's default server, same run.", "",
             "| articles | server | start (s) | body edit → page (ms) | ratio | "
             "title edit → page (ms) | ratio |", "|---:|---|---:|---:|---:|---:|---:|"]
    for articles, by_server in results.items():
        hugo = by_server["hugo server"]
        for name, result in by_server.items():
            lines.append(f"| {articles:,} | {name} | {result['start']:.1f} | "
                         f"{result['body'] * 1000:.0f} | {result['body'] / hugo['body']:.2f} | "
                         f"{result['title'] * 1000:.0f} | "
                         f"{result['title'] / hugo['title']:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--articles", type=int, nargs="+", default=[1000])
    options.add_argument("--edits", type=int, default=5)
    options.add_argument("--titles", type=int, default=3)
    options.add_argument("--write", type=Path, help="add the table to this Markdown file")
    args = options.parse_args()
    if shutil.which("hugo") is None:
        raise SystemExit("hugo is not installed (make bench installs Debian's package)")
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True,
                                  text=True).stdout.strip()
    results: dict[int, dict[str, dict[str, float]]] = {}
    for articles in args.articles:
        with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
            root = Path(tmp)
            print(f"{articles} articles: generating", flush=True)
            found, url = servers(root, articles)
            results[articles] = {server.name: measure(server, url, root / "server.log",
                                                      args.edits, args.titles)
                                 for server in found}
    report = table(results, args.edits, args.titles)
    print(report)
    if args.write:
        text = args.write.read_text(encoding="utf-8") if args.write.exists() else ""
        heading = "## Save to reloaded page under serve, beside hugo server (issue 20)"
        text = text.split(f"\n{heading}")[0].rstrip("\n")
        text += (f"\n\n{heading}\n\n`python bench/serve_reload.py --articles "
                 f"{' '.join(map(str, args.articles))} --edits {args.edits} --titles "
                 f"{args.titles}`, headless Chromium (Debian), {os.cpu_count()} cores, "
                 f"{hugo_version}.\n\n{report}")
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
