"""`phucdong-site nginx` as a server runs it: Debian's nginx on 127.0.0.1 (as the test user,
its pid and temporary files in tmp) with the printed config serves the sample site with the
headers of output/headers.py, its 404 page, the precompressed copies, every page, the
aliases' 301s, and a Content-Security-Policy that Chromium finds nothing to block in."""

from __future__ import annotations

import gzip
import http.client
import re
import shutil
import socket
import subprocess
import time
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import brotli
import pytest
from conftest import REPO, SITE_TOML, ScratchSite, run_cli

from phucdong_site.output.headers import headers_for
from phucdong_site.output.nginx import brotli_available

NGINX = Path("/usr/sbin/nginx")
SAMPLE = REPO / "tests" / "sites" / "sample"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Nginx:
    """nginx running the config `phucdong-site nginx --standalone` printed."""

    def __init__(self, site: Path, out: Path, folder: Path, port: int, *extra: str):
        self.out, self.port, self.folder = out, port, folder
        folder.mkdir(parents=True)
        printed = run_cli("nginx", str(site), "-o", str(out), "--standalone", str(folder),
                          "--listen", f"127.0.0.1:{port}", *extra)
        assert printed.returncode == 0, printed.stderr
        self.config = printed.stdout
        (folder / "nginx.conf").write_text(self.config)
        self.process = subprocess.Popen(
            [str(NGINX), "-p", str(folder), "-e", str(folder / "error.log"),
             "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.get("/")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "error.log").read_text() if (
                        folder / "error.log").exists() else ""
                    self.stop()
                    pytest.fail(f"nginx did not start: {self.process.stdout.read()!r} {log}")
                time.sleep(0.05)

    def get(self, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={k.replace("_", "-"): v
                                                 for k, v in headers.items()})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response, body

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def built_sample(root: Path, base_url: str) -> Path:
    site = root / "site"
    shutil.copytree(SAMPLE, site)
    result = run_cli("build", str(site), "--base-url", base_url, "-q", timeout=300)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: `make test` installs Debian's nginx")
    root = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = built_sample(root, f"http://127.0.0.1:{port}/")
    server = Nginx(site, site / "build", root / "nginx", port, "--no-brotli")
    yield server
    server.stop()


KINDS = ["", "index.html", "tin-tuc/", "sitemap.xml", "rss.xml", "atom.xml", "robots.txt",
         "tim-kiem/chi-muc/meta.json", "tim-kiem/sw.js", "van-ban/chi-muc/meta.json",
         "manifest.webmanifest", "favicon.ico"]


def sample_files(out: Path) -> list[str]:
    """One file of each kind the build writes: pages, feeds, indexes, theme files, photo
    renditions, attachments, the logo's icons."""
    files = list(KINDS)
    for pattern in ("static/css/*.css", "static/js/*.js", "static/logo.*.png", "anh/*.jpg",
                    "anh/*.webp", "tim-kiem/chi-muc/*/*.json", "**/*.pdf", "icon-*.png"):
        found = sorted(out.glob(pattern))
        assert found, pattern
        files.append(found[0].relative_to(out).as_posix())
    return files


def test_each_kind_of_file_has_the_headers_of_the_table(served):
    for relative in sample_files(served.out):
        response, body = served.get("/" + relative)
        assert response.status == 200, relative
        file = relative + "index.html" if relative.endswith("/") or not relative else relative
        expected = headers_for(file)
        assert response.getheader("Content-Type") == expected["Content-Type"], relative
        assert response.getheader("Cache-Control") == expected["Cache-Control"], relative
        assert response.getheader("Content-Encoding") is None
        assert body == (served.out / file).read_bytes(), relative
        assert response.getheader("Server") == "nginx"           # no version
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
        assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    response, _body = served.get("/static/css/" + sorted(
        (served.out / "static/css").glob("site.*.css"))[0].name)
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"


def test_a_missing_page_is_the_sites_404_with_status_404(served):
    for path in ("/khong-co-trang-nay/", "/2021/99/khong-co.html", "/redirects.map",
                 "/.phucdong-site"):
        response, body = served.get(path)
        assert response.status == 404, path
        assert body == (served.out / "404.html").read_bytes()
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert response.getheader("Content-Security-Policy")


def test_the_gzip_copy_is_sent_to_clients_that_accept_it_and_the_file_to_others(served):
    for relative in ("index.html", "sitemap.xml", "tim-kiem/chi-muc/meta.json",
                     "static/css/" + sorted((served.out / "static/css").glob("site.*.css"))[0]
                     .name.removesuffix(".gz")):
        if not (served.out / f"{relative}.gz").exists():
            continue
        plain = (served.out / relative).read_bytes()
        response, body = served.get("/" + relative, Accept_Encoding="gzip, deflate")
        assert response.getheader("Content-Encoding") == "gzip", relative
        assert response.getheader("Vary") == "Accept-Encoding"
        assert body == (served.out / f"{relative}.gz").read_bytes()
        assert gzip.decompress(body) == plain
        assert response.getheader("Content-Type") == headers_for(relative)["Content-Type"]
        for refused in ({}, {"Accept_Encoding": "identity"}, {"Accept_Encoding": "br"},
                        {"Accept_Encoding": "gzip;q=0"}):
            response, body = served.get("/" + relative, **refused)
            assert response.getheader("Content-Encoding") is None, (relative, refused)
            assert body == plain
    response, body = served.get("/", Accept_Encoding="gzip")
    assert response.getheader("Content-Encoding") == "gzip"       # the home page's copy
    assert gzip.decompress(body) == (served.out / "index.html").read_bytes()


def test_the_aliases_are_301s_to_their_pages(served):
    lines = [line.split() for line in (served.out / "redirects.map").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines
    for old, new in ((a.strip('"'), b.strip('";')) for a, b, *_ in lines):
        old = old.removeprefix("~")
        if not old.startswith("/") or "\\" in old or "(" in old:
            continue                     # a pattern, not an address to ask for
        response, _body = served.get(old)
        assert response.status == 301, old
        assert urlsplit(response.getheader("Location")).path == urlsplit(new).path
        assert served.get(urlsplit(new).path)[0].status == 200


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.found.append(value)
            elif value and name == "srcset":
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]


def test_every_page_of_the_sitemap_and_every_internal_link_is_reachable(served):
    base = f"http://127.0.0.1:{served.port}/"
    sitemap = served.get("/sitemap.xml")[1].decode()
    todo = deque(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    assert len(todo) > 10
    seen, broken = set(todo), []
    while todo:
        url = todo.popleft()
        response, body = served.get(urlsplit(url).path + (
            "?" + urlsplit(url).query if urlsplit(url).query else ""))
        if response.status != 200:
            broken.append((url, response.status))
            continue
        if not (response.getheader("Content-Type") or "").startswith("text/html"):
            continue
        links = Links()
        links.feed(body.decode())
        for link in links.found:
            target = urljoin(url, link).split("#")[0]
            if target.startswith(base) and target not in seen:
                seen.add(target)
                todo.append(target)
    assert broken == []
    assert len(seen) > 40
    assert any("/anh/" in url for url in seen) and any(url.endswith(".pdf") for url in seen)


def test_chromium_finds_nothing_the_security_policy_blocks(served, browser):
    context = browser.new_context()
    violations: list[str] = []
    context.add_init_script("""document.addEventListener("securitypolicyviolation", e => {
        (window.__violations = window.__violations || []).push(
            e.violatedDirective + " " + e.blockedURI);
    });""")
    tab = context.new_page()
    tab.on("console", lambda message: violations.append(message.text)
           if "Content Security Policy" in message.text else None)
    base = f"http://127.0.0.1:{served.port}"
    try:
        article = re.search(r"<loc>([^<]*/20\d\d/\d\d/[^<]+)</loc>",
                            served.get("/sitemap.xml")[1].decode()).group(1)
        for url in (f"{base}/", article, f"{base}/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B",
                    f"{base}/van-ban/", f"{base}/lien-he/", f"{base}/khong-co/"):
            tab.goto(url)
            tab.wait_for_load_state("networkidle")
            violations += tab.evaluate("window.__violations || []")
        # The search ran (its script, its index fetched): results are on the page.
        tab.goto(f"{base}/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B")
        tab.wait_for_load_state("networkidle")
        assert tab.locator("main a[href*='/20']").count() > 0
        violations += tab.evaluate("window.__violations || []")
    finally:
        context.close()
    assert violations == []


@pytest.mark.skipif(not brotli_available(),
                    reason="nginx's brotli module is not installed "
                           "(libnginx-mod-http-brotli-static; `make test` installs it)")
def test_with_the_brotli_module_the_br_copy_goes_to_clients_that_accept_it(tmp_path, served):
    port = free_port()
    server = Nginx(served.out.parent, served.out, tmp_path / "nginx-br", port)
    try:
        assert "brotli_static on;" in server.config
        response, body = server.get("/", Accept_Encoding="gzip, deflate, br")
        assert response.getheader("Content-Encoding") == "br"
        assert body == (served.out / "index.html.br").read_bytes()
        assert brotli.decompress(body) == (served.out / "index.html").read_bytes()
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert "Accept-Encoding" in response.getheader("Vary")
        response, body = server.get("/", Accept_Encoding="gzip")
        assert response.getheader("Content-Encoding") == "gzip"
    finally:
        server.stop()


def test_a_site_under_a_sub_path_is_served_there(tmp_path):
    port = free_port()
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    site = ScratchSite(root)
    site.article("2021/bai.md", 'title: "Hội nghị"\ndate: 2021-01-07 18:11\n'
                 'aliases: [/bai-cu.html]', "Nội dung bài viết. " * 200)
    result = site.build("--base-url", f"http://127.0.0.1:{port}/phuong/")
    assert result.returncode == 0, result.stderr
    server = Nginx(root, site.out, tmp_path / "nginx", port, "--no-brotli",
                   "--base-url", f"http://127.0.0.1:{port}/phuong/")
    try:
        assert "server_name 127.0.0.1;" in server.config
        response, body = server.get("/phuong/")
        assert response.status == 200 and body == (site.out / "index.html").read_bytes()
        page = "/phuong/2021/01/hoi-nghi/"
        response, body = server.get(page, Accept_Encoding="gzip")
        assert response.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == (site.out / "2021/01/hoi-nghi/index.html").read_bytes()
        assert server.get("/phuong")[0].getheader("Location").endswith("/phuong/")
        response, _body = server.get("/phuong/bai-cu.html")
        assert response.status == 301 and response.getheader("Location").endswith(page)
        response, body = server.get("/phuong/khong-co/")
        assert response.status == 404 and body == (site.out / "404.html").read_bytes()
        assert server.get("/index.html")[0].status == 404      # nothing outside the path
        css = sorted((site.out / "static/css").glob("site.*.css"))[0].name
        response, _body = server.get(f"/phuong/static/css/{css}")
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    finally:
        server.stop()


BROWSER = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Mobile Safari/537.36")


def test_views_counts_the_access_log_this_config_writes(served, tmp_path):
    """Requests to the real server, then `views` on the lines nginx logged for them: a
    reader's view, its repeat, a prefetch, a crawler, a second reader and a 404."""
    log = served.folder / "access.log"
    before = log.stat().st_size if log.exists() else 0
    page = next(path.parent.relative_to(served.out).as_posix() + "/"
                for path in sorted(served.out.glob("20[0-9][0-9]/[01][0-9]/*/index.html")))
    host = "phucdong.gov.vn"     # site.toml's base_url: the sample was built for 127.0.0.1
    served.get(f"/{page}", Host=host, User_Agent=BROWSER)                    # a view
    served.get(f"/{page}?fbclid=1", Host=host, User_Agent=BROWSER)           # a repeat
    served.get(f"/{page}", Host=host, User_Agent=BROWSER + " Edg/131", Sec_Purpose="prefetch")
    served.get(f"/{page}", Host=host, User_Agent="Mozilla/5.0 (compatible; Googlebot/2.1; "
                                                 "+http://www.google.com/bot.html)")
    served.get(f"/{page}index.html", Host=host,
               User_Agent=BROWSER.replace("SM-A546E", "Pixel 8"))           # a second reader
    served.get("/khong-co-trang-nay/", Host=host, User_Agent=BROWSER)
    served.get(f"/{page}", Host="phucloi.gov.vn", User_Agent=BROWSER)        # another site
    ours = tmp_path / "access.log"
    deadline = time.monotonic() + 10     # nginx logs a request once its answer is sent
    while True:
        with log.open("rb") as whole:
            whole.seek(before)
            ours.write_bytes(whole.read())
        if ours.read_bytes().count(b"\n") >= 7 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert ours.read_bytes().count(b"\n") == 7
    assert b"purpose=prefetch" in ours.read_bytes()
    site = served.out.parent
    counted = run_cli("views", str(ours), "--site", str(site), "--dry-run")
    assert counted.returncode == 0, counted.stderr
    assert "2 views of 1 page(s) counted" in counted.stdout, counted.stdout
    for reason in ("1 by a crawler", "1 repeat within 30 minutes", "1 prefetch",
                   "1 for another host"):
        assert reason in counted.stdout, counted.stdout
