"""serve against a hostile web page or a hostile client: forged Host and Origin headers
(DNS rebinding), a body the Markdown bound refuses, absurd paths and idle connections.
A real `serve` subprocess, real sockets."""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import run_cli
from servetools import Served

from phucdong_site.serve.server import MAX_CONNECTIONS, BuildState, SiteServer

ARTICLE_URL = "2024/05/hoi-nghi-tong-ket/"
FRONT_MATTER = """\
---
title: "Hội nghị tổng kết"
date: 2024-05-01 08:30
views: 12
---

"""


def write_article(site, body: str) -> Path:
    path = site.content / "2024" / "hoi-nghi.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT_MATTER + body, encoding="utf-8")
    return path


def port_of(served: Served) -> int:
    return urlsplit(served.url).port


def ask(port: int, path: str, host: str = "127.0.0.1", **headers: str
        ) -> tuple[int, dict[str, str], str]:
    """GET PATH with exactly HEADERS (Host included, or none), as a forging client sends it."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read().decode("utf-8")
    finally:
        connection.close()


# --- Host and Origin (DNS rebinding) -------------------------------------------------------

def test_the_status_endpoint_refuses_other_sites_pages(site):
    """A page on another site that fetches /_phucdong/status from 127.0.0.1 sends its own
    Origin: the build's state (file names, errors) is not for it."""
    write_article(site, "Nội dung.\n")
    with Served(site.root) as served:
        port = port_of(served)
        local = f"127.0.0.1:{port}"
        for origin in ("https://attacker.example", f"http://attacker.example:{port}", "null",
                       f"http://127.0.0.1:{port + 1}", "http://localhost:3000", "http://["):
            # Other sites, and other programs' pages on this computer.
            assert ask(port, "/_phucdong/status", Host=local, Origin=origin)[0] == 421, origin
            assert ask(port, "/_phucdong/events", Host=local, Origin=origin)[0] == 421, origin
        # The preview's own pages (and tools that send no Origin) are answered.
        assert ask(port, "/_phucdong/status", Host=local, Origin=f"http://{local}")[0] == 200
        assert ask(port, "/_phucdong/status", Host=local)[0] == 200
    assert "Traceback" not in served.stderr()


def test_a_forged_host_gets_a_short_page_in_the_editors_language(site):
    write_article(site, "Nội dung bài nháp bí mật.\n")
    with Served(site.root, "--lang", "vi") as served:
        port = port_of(served)
        for path in ("/", f"/{ARTICLE_URL}", "/_phucdong/status"):
            status, headers, page = ask(port, path, Host=f"attacker.example:{port}")
            assert status == 421, path
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            assert '<html lang="vi">' in page
            assert "Bản xem thử này chỉ trả lời các địa chỉ của chính máy tính này." in page
            assert "bí mật" not in page and "hoi-nghi" not in page
            assert len(page) < 1000


def _loopback_alias() -> str | None:
    """A name of this computer's loopback other than localhost and the host name, from
    /etc/hosts (for example "runsc" or "ip6-localhost"), or None."""
    try:
        lines = Path("/etc/hosts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    own = socket.gethostname().lower()
    for line in lines:
        fields = line.split("#")[0].split()
        if len(fields) > 1 and fields[0].startswith("127."):
            for name in fields[1:]:
                if name.lower() not in {"localhost", own} and "." not in name:
                    return name
    return None


def test_serve_answers_to_the_name_given_as_host_and_does_not_warn_for_loopback(site):
    name = _loopback_alias()
    if name is None:
        pytest.skip("no other name for 127.0.0.1 in /etc/hosts")
    write_article(site, "Nội dung.\n")
    with Served(site.root, "--host", name) as served:
        port = port_of(served)
        assert served.url == f"http://{name}:{port}/"
        assert ask(port, "/", Host=f"{name}:{port}")[0] == 200
        assert ask(port, "/_phucdong/status", Host=f"{name}:{port}",
                   Origin=f"http://{name}:{port}")[0] == 200
        assert ask(port, "/", Host=f"attacker.example:{port}")[0] == 421
        assert "warning" not in served.stderr()       # bound to 127.0.0.1: this computer only


def test_every_interface_warns_with_the_address_really_bound(site):
    write_article(site, "Nội dung.\n")
    with Served(site.root, "--host", "0.0.0.0") as served:
        port = port_of(served)
        # Printed to stderr just after the address is printed to stdout, which Served waits for.
        deadline = time.monotonic() + 10
        while "--host 0.0.0.0" not in served.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)
        warning = next(line for line in served.stderr().splitlines() if "--host 0.0.0.0" in line)
        assert f"listening on 0.0.0.0:{port}" in warning
        assert "drafts and articles not yet published are visible" in warning
        # An address of an interface, as another computer opens it, is answered.
        for address in re.findall(r"http://([\d.]+):\d+/", warning):
            assert ask(port, "/", host=address, Host=f"{address}:{port}")[0] == 200


# --- the Markdown bound in serve's rebuild thread -----------------------------------------

def test_a_body_build_refuses_is_refused_under_serve_and_serve_stays_responsive(site):
    """Thousands of unclosed "[" take Python-Markdown minutes; `build` stops after
    RENDER_SECONDS with an error. serve renders in its rebuild thread: the same bound, the
    same message, and pages and status still answered while it runs."""
    path = write_article(site, "Bản đầu.\n")
    with Served(site.root) as served:
        port = port_of(served)
        assert served.status()["ok"] is True
        path.write_text(FRONT_MATTER + "[" * 20000 + "\n", encoding="utf-8")
        saved = time.monotonic()
        status = served.status()
        while status["ok"] and time.monotonic() - saved < 60:
            asked = time.monotonic()
            assert ask(port, f"/{ARTICLE_URL}", Host=f"127.0.0.1:{port}")[0] == 200
            status = served.status()
            assert time.monotonic() - asked < 5          # answered while the rebuild runs
            time.sleep(0.5)
        assert status["ok"] is False, "the runaway body was rendered with no bound"
        assert status["errors"] == ["content/2024/hoi-nghi.md:6: body: too complex to render "
                                    "within 10 s (for example thousands of unclosed '[' or "
                                    "'<'); simplify it"]
        refused = status["errors"][0]
        page = served.get(ARTICLE_URL)[2]
        assert "phucdong-serve-errors" in page and "too complex to render within 10 s" in page
        assert "Bản đầu." in page                          # the last good page
        # The rebuild thread is free again: the next save is built.
        path.write_text(FRONT_MATTER + "Đã sửa.\n", encoding="utf-8")
        served.wait_for(ARTICLE_URL, lambda text: "Đã sửa." in text
                        and "phucdong-serve-errors" not in text)
    assert "Traceback" not in served.stderr()
    # The very words `check` and `build` say.
    path.write_text(FRONT_MATTER + "[" * 20000 + "\n", encoding="utf-8")
    result = run_cli("check", str(site.root))
    assert result.returncode == 1 and refused in result.stderr


# --- absurd paths, idle connections --------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/" + "a" * 300,                                   # longer than a file name (255 bytes)
    "/" + "a" * 300 + "/",
    "/2024/" + "b" * 1000 + "/index.html",
    "/" + "/".join(["c" * 200] * 30),                  # longer than a path (4096 bytes)
    "/" + "%C3%A1" * 200,                              # 400 bytes once decoded
])
def test_a_path_longer_than_a_file_name_is_not_found(site, path):
    write_article(site, "Nội dung.\n")
    with Served(site.root) as served:
        port = port_of(served)
        status, headers, page = ask(port, path, Host=f"127.0.0.1:{port}")
        assert status == 404
        assert page == served.get("404.html")[2]
        assert ask(port, "/", Host=f"127.0.0.1:{port}")[0] == 200
    assert "Traceback" not in served.stderr() and "File name too long" not in served.stderr()


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^Threads:\s+(\d+)", status, re.M).group(1))


def test_idle_connections_are_closed_and_do_not_pile_up_threads(site):
    if not Path("/proc/self/status").exists():
        pytest.skip("counts threads through /proc")
    write_article(site, "Nội dung.\n")
    with Served(site.root) as served:
        port = port_of(served)
        pid = served.process.pid
        before = _threads(pid)
        idle = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(150)]
        try:
            time.sleep(1)
            assert _threads(pid) <= before + 64           # not one thread per connection
            # Each idle connection is closed by the server after a while (recv sees the
            # end of the stream, or the refusal when all threads were taken).
            started = time.monotonic()
            for connection in idle:
                connection.recv(4096)
                while connection.recv(4096):
                    pass
            assert time.monotonic() - started < 20
        finally:
            for connection in idle:
                connection.close()
        assert ask(port, "/", Host=f"127.0.0.1:{port}")[0] == 200
        time.sleep(0.5)
        assert _threads(pid) <= before + 2
    assert "Traceback" not in served.stderr()


def test_a_stop_while_a_connection_thread_starts_frees_its_slot_once(tmp_path, monkeypatch):
    """Ctrl+C or SIGTERM may come while Thread.start waits for the connection's thread,
    which then runs and ends: its slot is freed once, not twice (a BoundedSemaphore
    "released too many times" traceback at the end of serve)."""
    server = SiteServer(("127.0.0.1", 0), tmp_path, BuildState(), False)
    failures: list = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    start = threading.Thread.start

    def start_then_stopped(thread):
        start(thread)
        thread.join(10)          # the connection answered and closed
        raise KeyboardInterrupt

    client = socket.create_connection(server.server_address, timeout=5)
    try:
        request, address = server.get_request()
        client.close()           # the connection's thread reads its end, and ends
        monkeypatch.setattr(threading.Thread, "start", start_then_stopped)
        with pytest.raises(KeyboardInterrupt):
            server.process_request(request, address)
        monkeypatch.setattr(threading.Thread, "start", start)
    finally:
        server.server_close()
    assert failures == []
    # Every slot is free again, and no more than every slot.
    assert all(server.slots.acquire(blocking=False) for _ in range(MAX_CONNECTIONS))
    assert not server.slots.acquire(blocking=False)
