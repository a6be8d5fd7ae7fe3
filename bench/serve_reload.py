"""Time from saving an article to the reloaded page in the browser, under `serve`.

    .venv/bin/python bench/serve_reload.py [--articles 1000] [--edits 7]

Generates a site of N articles (with a photo in every tenth) in a temporary folder,
starts `python -m phucdong_site serve SITE --port 0`, opens one article in Debian's
Chromium through Playwright, then edits that article's file several times. Each
measurement runs from just before the file is written to the moment the reloaded page
shows the new text. Prints every edit and the median. Not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PARAGRAPH = ("Chiều ngày {day:02d}/{month:02d}/2021, tại phòng họp số 2 trụ sở phường, Ủy ban "
             "nhân dân phường Phúc Đồng tổ chức hội nghị triển khai nhiệm vụ năm, với sự tham "
             "dự của đại diện các tổ dân phố, các ban ngành, đoàn thể của phường. ")


def article_text(number: int, body_line: str) -> str:
    month, day = number % 12 + 1, number % 28 + 1
    photo = ("photos:\n  - src: photos/anh-{0}.jpg\n    caption: \"Ảnh hội nghị số {0}\"\n"
             .format(number // 10) if number % 10 == 0 else "")
    body = "\n\n".join(PARAGRAPH.format(day=day, month=month) * 3 for _ in range(5))
    return (f"---\ntitle: \"Hội nghị triển khai nhiệm vụ số {number}\"\n"
            f"date: 2021-{month:02d}-{day:02d} {number % 24:02d}:{number % 60:02d}\n"
            f"views: {number * 7 % 1000}\n{photo}tags: [hội nghị, năm 2021]\n---\n\n"
            f"{body_line}\n\n{body}\n")


def make_site(root: Path, articles: int) -> None:
    (root / "content" / "2021").mkdir(parents=True)
    (root / "content" / "photos").mkdir()
    (root / "site.toml").write_text('name = "Phường Phúc Đồng"\nbase_url = "https://example.vn/"\n'
                                    "per_page = 10\n", encoding="utf-8")
    for index in range(0, articles, 10):
        Image.new("RGB", (800, 600), (index % 255, 90, 140)).save(
            root / "content" / "photos" / f"anh-{index // 10}.jpg", quality=80)
    for number in range(articles):
        (root / "content" / "2021" / f"bai-{number:04d}.md").write_text(
            article_text(number, "Bản đầu tiên."), encoding="utf-8")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--articles", type=int, default=1000)
    options.add_argument("--edits", type=int, default=7)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        root = Path(tmp) / "site"
        make_site(root, args.articles)
        log = open(Path(tmp) / "serve.out", "w+", encoding="utf-8")
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "phucdong_site", "serve", str(root),
                                   "--port", "0"], stdout=log, stderr=subprocess.STDOUT,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            while not (match := re.search(r"http://127\.0\.0\.1:\d+/",
                                          Path(log.name).read_text(encoding="utf-8"))):
                if server.poll() is not None:
                    sys.exit(Path(log.name).read_text(encoding="utf-8"))
                time.sleep(0.05)
            print(f"{args.articles} articles; first build and start: "
                  f"{time.perf_counter() - started:.2f} s")
            measure(root, match.group(0), args.articles, args.edits)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
            print("serve output:\n" + Path(log.name).read_text(encoding="utf-8"))


def measure(root: Path, url: str, articles: int, edits: int) -> None:
    number = articles // 2
    path = root / "content" / "2021" / f"bai-{number:04d}.md"
    month, day = number % 12 + 1, number % 28 + 1
    page_url = f"{url}2021/{month:02d}/hoi-nghi-trien-khai-nhiem-vu-so-{number}/"
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(page_url)
        for edit in range(1, edits + 1):
            page.wait_for_function("() => window.phucdongServeVersion")   # stream connected
            marker = f"Bản sửa số {edit}."
            began = time.perf_counter()
            path.write_text(article_text(number, marker), encoding="utf-8")
            page.wait_for_function(f"() => document.body.innerText.includes({marker!r})",
                                   timeout=60000, polling=10)
            timings.append(time.perf_counter() - began)
            print(f"edit {edit}: {timings[-1]:.2f} s from save to reloaded page")
            time.sleep(0.5)
        browser.close()
    print(f"median over {edits} edits: {statistics.median(timings):.2f} s "
          f"(min {min(timings):.2f}, max {max(timings):.2f})")


if __name__ == "__main__":
    main()
