"""A real `phucdong-site serve` subprocess on a free port, and HTTP helpers for tests."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

URL_LINE = re.compile(r"http://[^\s/]+:(\d+)/")   # 127.0.0.1, or the --host given


class Served:
    """`python -m phucdong_site serve SITE --port 0`, stopped on exit."""

    def __init__(self, site_dir: Path, *args: str, start_timeout: float = 60):
        self.log_dir = site_dir.parent
        self.stdout_path = self.log_dir / "serve.out"
        self.stderr_path = self.log_dir / "serve.err"
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}
        with open(self.stdout_path, "w") as out, open(self.stderr_path, "w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "phucdong_site", "serve", str(site_dir), "--port", "0",
                 *args], stdout=out, stderr=err, env=env)
        deadline = time.monotonic() + start_timeout
        while not (match := URL_LINE.search(self.stdout())):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"serve did not start:\n{self.stdout()}\n{self.stderr()}")
            time.sleep(0.05)
        self.url = match.group(0)

    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8")

    def get(self, path: str = "", method: str = "GET") -> tuple[int, dict[str, str], str]:
        """Status, headers and text of URL+PATH; redirects are not followed."""
        request = urllib.request.Request(self.url + path.lstrip("/"), method=method)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), _text(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), _text(error.read())

    def status(self) -> dict:
        return json.loads(self.get("_phucdong/status")[2])

    def wait_for(self, path: str, predicate, timeout: float = 30) -> str:
        """The text of PATH once PREDICATE(text) holds; fails after TIMEOUT seconds."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.get(path)[2]
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"{path} did not change as expected within {timeout} s:\n"
                             f"{text[-2000:]}\n--- serve stderr:\n{self.stderr()}")

    def settled(self, builds: int, timeout: float = 120) -> dict:
        """serve's status once a build after the BUILDS-th is over and no other follows."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["builds"] > builds and not status["building"]:
                time.sleep(0.6)      # longer than the watcher's quiet time: a second batch shows
                again = self.status()
                if again["builds"] == status["builds"] and not again["building"]:
                    return again
            time.sleep(0.05)
        raise AssertionError(f"serve did not finish a build:\n{self.stderr()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")       # photos too: tests look only at the status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

