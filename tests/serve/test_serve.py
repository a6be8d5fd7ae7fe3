"""serve end to end: a real subprocess, real HTTP, real file edits on disk."""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlsplit

from conftest import run_cli, tree_bytes
from servetools import Served

ARTICLE_URL = "2024/05/hoi-nghi-tong-ket/"
FRONT_MATTER = """\
---
title: "Hội nghị tổng kết"
date: 2024-05-01 08:30
views: 12
---

"""
# An unquoted ": " in a title: the mistake editors make most.
BROKEN = FRONT_MATTER.replace('"Hội nghị tổng kết"', "Hội nghị: tổng kết")


def write_article(site, body: str):
    path = site.content / "2024" / "hoi-nghi.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT_MATTER + body, encoding="utf-8")
    return path


def test_serve_shows_edits_then_the_error_overlay_then_the_fixed_page(site):
    path = write_article(site, "Đoạn đầu tiên của bài.\n")
    with Served(site.root, "--lang", "vi") as served:
        status, headers, page = served.get(ARTICLE_URL)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "Đoạn đầu tiên của bài." in page
        assert "/_phucdong/events" in page          # the live-reload script, added by serve

        path.write_text(FRONT_MATTER + "Đoạn đã sửa lần một.\n", encoding="utf-8")
        served.wait_for(ARTICLE_URL, lambda text: "Đoạn đã sửa lần một." in text)

        path.write_text(BROKEN + "Đoạn đã sửa lần hai.\n", encoding="utf-8")
        page = served.wait_for(ARTICLE_URL, lambda text: "phucdong-serve-errors" in text)
        assert "Chưa cập nhật được trang" in page                     # the Vietnamese heading
        assert "content/2024/hoi-nghi.md:2: thông tin bài: YAML không hợp lệ" in page
        assert 'lang="vi"' in page.split("phucdong-serve-errors")[1][:40]
        assert "Đoạn đã sửa lần một." in page                         # the last good page
        assert "Đoạn đã sửa lần hai." not in page
        assert served.status()["ok"] is False
        assert "content/2024/hoi-nghi.md:2: thông tin bài" in served.stderr()   # and the terminal

        path.write_text(FRONT_MATTER + "Đoạn đã sửa lần ba.\n", encoding="utf-8")
        # The new page is on disk a moment before the build's outcome is recorded (and the
        # browser told to reload): a request in between may still carry the old overlay.
        served.wait_for(ARTICLE_URL, lambda text: "Đoạn đã sửa lần ba." in text
                        and "phucdong-serve-errors" not in text)
        status = served.status()
        assert status["ok"] is True and status["errors"] == []

    # The script and overlay exist only in responses: nothing on disk carries them.
    served_files = tree_bytes(site.root / ".cache" / "serve")
    assert served_files and not [name for name, data in served_files.items()
                                 if b"_phucdong" in data or b"EventSource" in data]
    assert not site.out.exists()                 # serve never touches build/


def test_a_save_storm_causes_at_most_two_rebuilds(site):
    path = write_article(site, "Bản đầu.\n")
    with Served(site.root) as served:
        before = served.status()["builds"]
        for number in range(20):                 # an editor pressing Ctrl+S twenty times
            path.write_text(FRONT_MATTER + f"Bản lưu số {number}.\n", encoding="utf-8")
            time.sleep(0.02)
        served.wait_for(ARTICLE_URL, lambda text: "Bản lưu số 19." in text)
        # The page may be the first look's, ahead of the build: wait for the builds to end.
        rebuilds = served.settled(before)["builds"] - before
        assert 1 <= rebuilds <= 2, served.stdout()
        assert served.stdout().count("Rebuilt") == rebuilds


def test_serve_answers_like_a_web_server(site):
    write_article(site, "Nội dung.\n")
    with Served(site.root) as served:
        status, headers, _ = served.get("2024/05/hoi-nghi-tong-ket")      # no trailing slash
        assert status == 301 and headers["Location"] == "/2024/05/hoi-nghi-tong-ket/"

        status, headers, page = served.get("khong-co-trang-nay/")
        assert status == 404
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert page == served.get("404.html")[2]                        # the site's 404 page

        css = next(name for name in tree_bytes(site.root / ".cache" / "serve")
                   if name.endswith(".css"))
        status, headers, _ = served.get(css)
        assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"

        status, headers, body = served.get(ARTICLE_URL, method="HEAD")
        assert status == 200 and body == "" and int(headers["Content-Length"]) > 0

        for outside in ("../site.toml", "%2e%2e/site.toml", ".phucdong-site", "a%00b/"):
            assert served.get(outside)[0] == 404
        # Links in the served pages lead to the served site, not to the production base_url.
        assert served.url in served.get(ARTICLE_URL)[2]
        assert "phucdong.gov.vn" not in served.get(ARTICLE_URL)[2]
    assert "Traceback" not in served.stderr()


def test_serve_shows_drafts_so_the_editor_can_preview_them(site):
    path = write_article(site, "Bản nháp.\n")
    path.write_text(FRONT_MATTER.replace("views: 12", "views: 12\ndraft: true") + "Bản nháp.\n",
                    encoding="utf-8")
    with Served(site.root) as served:
        assert "Bản nháp." in served.get(ARTICLE_URL)[2]


def test_a_site_broken_from_the_start_shows_its_errors_until_fixed(site):
    path = site.content / "2024" / "hoi-nghi.md"
    path.parent.mkdir(parents=True)
    path.write_text(BROKEN + "Nội dung.\n", encoding="utf-8")
    with Served(site.root) as served:
        status, _, page = served.get("")
        assert status == 404 and "content/2024/hoi-nghi.md:2: front matter" in page
        path.write_text(FRONT_MATTER + "Đã sửa xong.\n", encoding="utf-8")
        page = served.wait_for(ARTICLE_URL, lambda text: "Đã sửa xong." in text)
        assert "phucdong-serve-errors" not in page


def test_serve_reports_a_busy_port_without_a_traceback(site):
    write_article(site, "Nội dung.\n")
    with Served(site.root) as served:
        port = served.url.rsplit(":", 1)[1].strip("/")
        result = run_cli("serve", str(site.root), "--port", port, timeout=60)
        assert result.returncode == 1
        assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
        assert "Traceback" not in result.stderr


def test_serve_rebuilds_for_settings_templates_and_replaced_photos(site):
    photo = site.photo("photos/a.jpg", color=(200, 30, 30))
    site.article("2024/hoi-nghi.md", """
        title: "Hội nghị tổng kết"
        date: 2024-05-01 08:30
        photos:
          - src: photos/a.jpg
            caption: "Toàn cảnh"
    """)
    with Served(site.root) as served:
        first_photo = _photo_url(served.get(ARTICLE_URL)[2])

        # A photo replaced under the same name: the page must point at the new copy.
        site.photo("photos/a.jpg", color=(30, 30, 200))
        page = served.wait_for(ARTICLE_URL, lambda text: _photo_url(text) != first_photo)
        assert served.get(_photo_url(page))[0] == 200

        toml = site.root / "site.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(
            'name = "Phường Phúc Đồng"', 'name = "Phường Long Biên"'), encoding="utf-8")
        served.wait_for("", lambda text: "Phường Long Biên" in text)

        # templates/ does not exist yet: creating it while serving is noticed too.
        override = site.root / "templates" / "404.html"
        override.parent.mkdir()
        override.write_text("<!doctype html><html lang=\"vi\"><body><p>Trang riêng 404"
                            "</p></body></html>\n", encoding="utf-8")
        served.wait_for("404.html", lambda text: "Trang riêng 404" in text)
        assert photo.exists()


def _photo_url(page: str) -> str:
    return re.search(r'<img [^>]*src="/(anh/[^"]+)"', page).group(1)


def test_serve_answers_only_to_this_computers_names(site):
    """DNS rebinding: a page of another site whose name now points at 127.0.0.1 must not
    read drafts or the build's state; the event stream refuses other sites' pages too."""
    write_article(site, "Nội dung.\n")
    with Served(site.root) as served:
        port = urlsplit(served.url).port

        def ask(path: str, **headers) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.putrequest("GET", path, skip_host=True)
                for name, value in headers.items():
                    connection.putheader(name, value)
                connection.endheaders()
                return connection.getresponse().status
            finally:
                connection.close()

        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "[::1]", "192.168.1.20:8000"):
            assert ask("/", Host=host) == 200, host
        for host in (f"attacker.example:{port}", "phucdong.gov.vn", "[::1", ""):
            assert ask("/", Host=host) == 421, host
            assert ask("/_phucdong/status", Host=host) == 421, host
        assert ask("/_phucdong/status", Host=f"127.0.0.1:{port}") == 200
        assert ask("/_phucdong/events", Host=f"127.0.0.1:{port}",
                   Origin="https://attacker.example") == 421
    assert "Traceback" not in served.stderr()


def test_serve_on_every_interface_warns_that_drafts_are_visible_and_says_where(site):
    write_article(site, "Nội dung.\n")
    with Served(site.root, "--host", "0.0.0.0") as served:
        assert served.get("")[0] == 200
        warning = next(line for line in served.stderr().splitlines() if "--host 0.0.0.0" in line)
        assert "drafts and articles not yet published are visible" in warning
        addresses = re.findall(r"http://([\d.]+):(\d+)/", warning)
        assert addresses and all(port == str(urlsplit(served.url).port)
                                 for _address, port in addresses)
        assert not any(address.startswith("127.") for address, _port in addresses)
    with Served(site.root) as served:                  # 127.0.0.1: this computer only
        assert "--host" not in served.stderr()


def test_a_page_carries_the_version_it_was_sent_at(site):
    """A page sent just before a build ends asks for the event stream after it: the stream's
    first word is the new version, and the page must reload on it, not take it as its own."""
    path = write_article(site, "Bản đầu.\n")
    with Served(site.root) as served:
        sent_at = re.search(r'event\.data !== "([^"]+)"', served.get(ARTICLE_URL)[2]).group(1)
        assert sent_at == served.status()["version"]
        builds = served.status()["builds"]
        path.write_text(FRONT_MATTER + "Bản sau.\n", encoding="utf-8")
        served.wait_for(ARTICLE_URL, lambda text: "Bản sau." in text)
        # Shown first, then built: the version moves with each; compared once both are done.
        now = served.settled(builds)["version"]
        page = served.get(ARTICLE_URL)[2]
        assert now != sent_at                                  # the first page reloads
        assert re.search(r'event\.data !== "([^"]+)"', page).group(1) == now
