"""Our search against Pagefind on a generated Vietnamese site: recall@10 and bytes per query.

    python bench/search/run.py --articles 10000        (make bench-search)

Both engines answer the same 50 queries (corpus.QUERIES) in headless Chromium, each query
in a fresh browser context (cold cache), over a real HTTP server on 127.0.0.1:
- ours: the site's own /tim-kiem/?q=... page; the top ten result links are read from it;
- Pagefind: its JS API (pagefind.js: init, search, then data() of the top ten results, which
  is what its UI fetches to show them), on the same built HTML.
Bytes are the response bodies the browser received for the search (our http.server does not
compress; Pagefind's index files are gzip-compressed by Pagefind itself). For ours, the gzip
size of each JSON file is given too, as a static host that compresses would send it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

NOTES = """## Notes

- The filler text reuses ~330 everyday syllables, so common words are in a large share of
  the articles: a hard case for both indexes' postings. Pagefind also stores word positions
  (for its excerpts and ranking), which our index does not; ours checks quoted phrases
  against the candidate articles' text instead.
- Pagefind 1.5 removes tones but keeps "đ" (it has no Unicode decomposition). As observed
  here, a query word that matches nothing does not fail the query: "dinh van phuoc" still
  finds "Đình Vạn Phước" through "van phuoc", while "phuc dong" ranks by "phuc" alone (in
  about half the articles, as "hạnh phúc") and "doai duom" finds nothing.
- Our last-word prefix expands to the six most frequent completions: the prefix queries
  download the most, "ngọc đ" (a one-letter prefix) above all.
- Bytes are measured, not computed: Chromium's responses for the search, in a cold context.
"""

PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<script type="module">
window.runPagefind = async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const search = await pagefind.search(query);
  const top = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
  return top.map(d => d.url);
};
window.pagefindReady = true;
</script></body></html>
"""


@dataclass
class Answer:
    urls: list[str]
    data_bytes: int              # index files fetched for this query
    code_bytes: int              # scripts (and WebAssembly) of the search itself
    data_gzip: int = 0           # ours: the same files gzip-compressed
    ms: float = 0.0              # ours: ranking + rendering after the index files arrived
    files: dict[str, int] = field(default_factory=dict)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


def normalise(url: str) -> str:
    path = url.split("://", 1)[-1]
    path = path[path.index("/"):] if "://" in url else path
    return path.strip("/") + "/"


def build_site(work: Path, count: int) -> tuple[list[corpus.Article], dict[str, list[str]], float]:
    articles, planted = corpus.generate(count)
    site = work / f"site-{count}"
    if site.exists():
        shutil.rmtree(site)
    corpus.write_site(site, articles)
    out = work / "www"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(site), "-o", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    return articles, planted, time.perf_counter() - started


def time_our_index(site: Path, out: Path) -> float:
    """Seconds our index takes to compute, alone (articles already loaded)."""
    from phucdong_site.config import load_config
    from phucdong_site.content.load import load_site
    from phucdong_site.search.index import index_files

    articles = load_site(load_config(site, out)).articles
    started = time.perf_counter()
    index_files(articles)
    return time.perf_counter() - started


def run_pagefind(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--silent",
                    "--glob", "[0-9][0-9][0-9][0-9]/**/index.html",
                    "--root-selector", "article.article",
                    "--exclude-selectors", ".article-tools,.print-source,.section-name,.meta"],
                   check=True)
    (out / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    return time.perf_counter() - started


def ask_ours(browser, base: str, query: str) -> Answer:
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{base}tim-kiem/?q={quote(query)}")
    page.wait_for_function("document.getElementById('trang-thai-tim-kiem').textContent !== ''",
                           timeout=60_000)
    urls = [normalise(href) for href in page.locator("#ket-qua h2 a").evaluate_all(
        "links => links.map(a => a.href)")]
    ms = float(page.locator("#ket-qua").get_attribute("data-render-ms") or 0)
    answer = Answer(urls, 0, 0, ms=ms)
    for response in responses:
        body = response.body()
        if "/tim-kiem/chi-muc/" in response.url:
            answer.data_bytes += len(body)
            answer.data_gzip += len(gzip.compress(body, 6, mtime=0))
            answer.files[response.url.split("chi-muc/")[1].split("?")[0]] = len(body)
        elif "/static/js/search." in response.url:
            answer.code_bytes += len(body)
    context.close()
    return answer


def ask_pagefind(browser, base: str, query: str) -> Answer:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}pagefind-bench.html")
    page.wait_for_function("window.pagefindReady === true")
    responses = []
    page.on("response", lambda response: responses.append(response))
    urls = [normalise(url) for url in page.evaluate("q => window.runPagefind(q)", query)]
    answer = Answer(urls, 0, 0)
    for response in responses:
        if "/pagefind/" not in response.url:
            continue
        size = len(response.body())
        name = response.url.split("/pagefind/")[1]
        if name.endswith(".js") or name.startswith("wasm."):
            answer.code_bytes += size
        else:
            answer.data_bytes += size
            answer.files[name] = size
    context.close()
    return answer


def recall(found: list[str], expected: list[str]) -> float:
    return len(set(found[:10]) & set(expected)) / len(expected)


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--articles", type=int, default=10_000)
    options.add_argument("--work", type=Path, default=HERE / ".work")
    options.add_argument("--results", type=Path,
                         help="default: RESULTS.md for 10,000 articles, else .work/RESULTS-N.md")
    args = options.parse_args()
    if args.results is None:       # a quick run never overwrites the committed full-size results
        args.results = (HERE / "RESULTS.md" if args.articles == 10_000
                        else args.work / f"RESULTS-{args.articles}.md")

    args.work.mkdir(parents=True, exist_ok=True)
    print(f"generating and building {args.articles} articles …", flush=True)
    articles, planted, build_seconds = build_site(args.work, args.articles)
    for query in corpus.QUERIES:      # the answers are known: check them against the text
        assert corpus.reference_answers(query, articles) == planted[query.phrase], query.text
    out = args.work / "www"
    index_seconds = time_our_index(args.work / f"site-{args.articles}", out)
    index_files = list((out / "tim-kiem" / "chi-muc").rglob("*.json"))
    index_bytes = sum(p.stat().st_size for p in index_files)
    print("indexing with Pagefind …", flush=True)
    pagefind_seconds = run_pagefind(out)
    pagefind_files = [p for p in (out / "pagefind").rglob("*") if p.is_file()]
    pagefind_bytes = sum(p.stat().st_size for p in pagefind_files)

    handler = functools.partial(_Quiet, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            for query in corpus.QUERIES:
                expected = planted[query.phrase]
                ours = ask_ours(browser, base, query.text)
                theirs = ask_pagefind(browser, base, query.text)
                rows.append((query, expected, ours, theirs))
                print(f"{query.text!r:32} ours {recall(ours.urls, expected):.2f} "
                      f"{ours.data_bytes / 1000:6.1f} kB   pagefind {recall(theirs.urls, expected):.2f} "
                      f"{theirs.data_bytes / 1000:6.1f} kB", flush=True)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()

    report = write_results(args, rows, (build_seconds, index_seconds, pagefind_seconds),
                           len(index_files), index_bytes, len(pagefind_files), pagefind_bytes)
    print(report)
    return 0 if report_ok(rows) else 1


def report_ok(rows) -> bool:
    """Ours finds every answer Pagefind finds, and stays under 300 KB a query."""
    ok = True
    for query, expected, ours, theirs in rows:
        missing = set(theirs.urls[:10]) & set(expected) - set(ours.urls[:10])
        if missing:
            print(f"ours misses what Pagefind finds for {query.text!r}: {sorted(missing)}")
            ok = False
        if ours.data_bytes + ours.code_bytes >= 300_000:
            print(f"ours downloads {ours.data_bytes + ours.code_bytes} bytes for {query.text!r}")
            ok = False
    return ok


def write_results(args, rows, seconds, our_files, our_bytes, pagefind_files,
                  pagefind_bytes) -> str:
    build_seconds, index_seconds, pagefind_seconds = seconds
    def mean(values):
        return statistics.fmean(values) if values else 0.0

    ours_recall = [recall(o.urls, e) for _, e, o, _ in rows]
    theirs_recall = [recall(t.urls, e) for _, e, _, t in rows]
    d_rows = [r for r in rows if r[0].kind.startswith("đ") or r[0].kind.endswith("đ")]
    lines = [
        "# Search benchmark: ours vs Pagefind",
        "",
        f"Generated by `make bench-search` (`python bench/search/run.py --articles {args.articles}`).",
        f"Site: {args.articles} generated Vietnamese articles (bench/search/corpus.py, seed "
        f"{corpus.SEED}); 50 queries with answers known from what the generator planted "
        "(checked against the text before measuring).",
        "",
        "Method: headless Chromium (Debian), one fresh browser context per query (cold cache), "
        "real HTTP server on 127.0.0.1 without compression. Ours: the /tim-kiem/?q= page, top "
        "ten result links read from the page. Pagefind " + _pagefind_version() + ": its JS API "
        "(init, search, data() of the top ten results, which is what its UI fetches to show "
        "them), over the same built article pages (root selector `article.article`, tools and "
        "meta excluded). Bytes: response bodies received for the search. \"Data\" is index, "
        "vocabulary and result fragments; \"code\" is the search script (ours: search.js; "
        "Pagefind: pagefind.js and its WebAssembly). Pagefind's data files are already "
        "gzip-compressed; ours are plain JSON, with their gzip size (as a compressing static "
        "host sends them) in brackets.",
        "",
        "## Summary",
        "",
        "| | ours | Pagefind |",
        "|---|---|---|",
        f"| mean recall@10, all 50 queries | {mean(ours_recall):.3f} | {mean(theirs_recall):.3f} |",
        f"| mean recall@10, {len(d_rows)} queries with đ | "
        f"{mean([recall(o.urls, e) for _, e, o, _ in d_rows]):.3f} | "
        f"{mean([recall(t.urls, e) for _, e, _, t in d_rows]):.3f} |",
        f"| queries with recall@10 = 1 | {sum(r == 1 for r in ours_recall)} | "
        f"{sum(r == 1 for r in theirs_recall)} |",
        f"| data bytes per query, mean (max) | {mean([o.data_bytes for *_, o, _ in rows]) / 1000:.1f} kB "
        f"[{mean([o.data_gzip for *_, o, _ in rows]) / 1000:.1f} kB gzip] "
        f"({max(o.data_bytes for *_, o, _ in rows) / 1000:.1f} kB "
        f"[{max(o.data_gzip for *_, o, _ in rows) / 1000:.1f} kB gzip]) | "
        f"{mean([t.data_bytes for *_, t in rows]) / 1000:.1f} kB "
        f"({max(t.data_bytes for *_, t in rows) / 1000:.1f} kB) |",
        f"| code bytes (once) | {rows[0][2].code_bytes / 1000:.1f} kB | "
        f"{max(t.code_bytes for *_, t in rows) / 1000:.1f} kB |",
        f"| total bytes per query, cold, max | "
        f"{max(o.data_bytes + o.code_bytes for *_, o, _ in rows) / 1000:.1f} kB | "
        f"{max(t.data_bytes + t.code_bytes for *_, t in rows) / 1000:.1f} kB |",
        f"| ranking + rendering after the index arrived, max | "
        f"{max(o.ms for *_, o, _ in rows):.1f} ms | – |",
        f"| index on disk | {our_files} files, {our_bytes / 1e6:.1f} MB | "
        f"{pagefind_files} files, {pagefind_bytes / 1e6:.1f} MB |",
        f"| time to index | {index_seconds:.1f} s (whole site build: {build_seconds:.0f} s) | "
        f"{pagefind_seconds:.0f} s (CLI over the built HTML) |",
        "",
        "## Every query",
        "",
        "| query | kind | answers | ours recall@10 | ours data kB [gzip] | Pagefind recall@10 | Pagefind data kB |",
        "|---|---|---|---|---|---|---|",
    ]
    for query, expected, ours, theirs in rows:
        shown = json.dumps(query.text, ensure_ascii=False)
        if query.text != __import__("unicodedata").normalize("NFC", query.text):
            shown += " (NFD)"
        lines.append(f"| `{shown}` | {query.kind} | {len(expected)} | {recall(ours.urls, expected):.2f} | "
                     f"{ours.data_bytes / 1000:.1f} [{ours.data_gzip / 1000:.1f}] | "
                     f"{recall(theirs.urls, expected):.2f} | {theirs.data_bytes / 1000:.1f} |")
    query, _, ours, theirs = rows[1]
    lines += ["", f"## What one query downloads: `{query.text}`", "",
              "| ours: file | bytes | Pagefind: file | bytes |", "|---|---|---|---|"]
    ours_files, theirs_files = sorted(ours.files.items()), sorted(theirs.files.items())
    for n in range(max(len(ours_files), len(theirs_files))):
        left = ours_files[n] if n < len(ours_files) else ("", "")
        right = theirs_files[n] if n < len(theirs_files) else ("", "")
        lines.append(f"| {left[0]} | {left[1]} | {right[0]} | {right[1]} |")
    missed = [q.text for q, e, o, t in rows if recall(t.urls, e) < recall(o.urls, e)]
    lines += ["", "## Where they differ", "",
              "Queries where Pagefind finds less than ours: "
              + (", ".join(f"`{json.dumps(m, ensure_ascii=False)}`" for m in missed) or "none") + ".",
              "", "Queries where ours finds less than Pagefind: "
              + (", ".join(f"`{json.dumps(q.text, ensure_ascii=False)}`" for q, e, o, t in rows
                           if recall(o.urls, e) < recall(t.urls, e)) or "none") + ".", ""]
    text = "\n".join(lines) + "\n" + NOTES
    args.results.write_text(text, encoding="utf-8")
    return text


def _pagefind_version() -> str:
    result = subprocess.run([sys.executable, "-m", "pagefind", "--version"],
                            capture_output=True, text=True)
    return result.stdout.strip().split()[-1] if result.returncode == 0 else "?"


if __name__ == "__main__":
    sys.exit(main())
