"""What the deploy tests share: a small built site, a real sshd on 127.0.0.1 and moto's S3
server on 127.0.0.1, and comparisons of a target with build/."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conftest import REPO, ScratchSite, tree_bytes

MARKER = ".phucdong-site"
ARTICLES = 6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def fill_site(site: ScratchSite, articles: int = ARTICLES) -> None:
    """A few articles (one with a photo) and an attachment-free page: a real small site."""
    site.photo("photos/2021/anh.jpg", (800, 600))
    for number in range(articles):
        front = (f'title: "Bài viết số {number} về phường Phúc Đồng"\n'
                 f"date: 2021-01-{number + 1:02d} 08:00\nviews: {number}\ntags: [tin phường]\n")
        if number == 0:
            front += "photos:\n  - src: photos/2021/anh.jpg\n    caption: Ảnh\n"
        site.article(f"2021/bai-{number}.md", front,
            f"Đoạn mở đầu của bài {number}.\n\nNội dung chi tiết của bài {number}.\n")


def edit_article(site: ScratchSite, number: int = 1) -> None:
    """Change one article's body (not its title or summary)."""
    path = site.content / f"2021/bai-{number}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn mới được thêm vào.\n",
                    encoding="utf-8")


def add_target(site: ScratchSite, text: str) -> None:
    with open(site.root / "site.toml", "a", encoding="utf-8") as file:
        file.write("\n" + text.strip() + "\n")


def built(site: ScratchSite) -> dict[str, bytes]:
    files = tree_bytes(site.out)
    files.pop(MARKER, None)
    return files


def changed_between(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path, data in after.items() if before.get(path) != data}


def deploy_command(site: ScratchSite, *args: str) -> list[str]:
    return [sys.executable, "-m", "phucdong_site", "deploy", *args, "--site", str(site.root)]


def run_deploy(site: ScratchSite, *args: str, env: dict | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(deploy_command(site, *args), capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8",
                                                **(env or {})})


def kill_and_resume(site: ScratchSite, args: tuple[str, ...], times: int,
                    seconds: tuple = (0.4, 1.2), landed: Callable[[float], int] | None = None,
                    env: dict | None = None, seed: int = 18) -> int:
    """Start the deploy and SIGKILL it, TIMES times, then run it to the end; returns how many
    of the kills struck a running deploy. With LANDED (how many files landed at the target
    since a time.time()) the kill comes once a random few have landed, so it strikes
    mid-transfer however fast the machine; without it, after a random delay in SECONDS."""
    chance = random.Random(seed)
    struck = 0
    for _round in range(times):
        goal, delay, began = chance.randint(1, 8), chance.uniform(*seconds), time.time()
        process = subprocess.Popen(deploy_command(site, *args), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL,
                                   env={**os.environ, **(env or {})})
        if landed:
            while process.poll() is None and landed(began) < goal:
                time.sleep(0.001)
        else:
            time.sleep(delay)
        if process.poll() is None:
            struck += 1
            process.send_signal(signal.SIGKILL)
        process.wait()
    done = run_deploy(site, *args, env=env)
    assert done.returncode == 0, done.stderr
    return struck


def files_in(folder: Path) -> Callable[[float], int]:
    """How many files landed in FOLDER since a time: written or renamed into place then (a
    rename sets the change time too)."""
    def landed(since: float) -> int:
        count = 0
        for top, _dirs, names in os.walk(folder):
            for name in names:
                try:
                    count += os.stat(os.path.join(top, name)).st_ctime >= since
                except FileNotFoundError:       # moved while we looked
                    pass
        return count
    return landed


class Sshd:
    """OpenSSH's sshd as the test user on 127.0.0.1: its own host key, one authorized key,
    no password logins; the client reaches it through an ssh config file of the test's."""

    def __init__(self, folder: Path, file_size_limit: int | None = None):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        for name in ("host_key", "client_key", "stranger_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                            str(folder / name)], check=True)
        shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
        (folder / "sshd_config").write_text(f"""\
Port {self.port}
ListenAddress 127.0.0.1
HostKey {folder}/host_key
PidFile {folder}/sshd.pid
AuthorizedKeysFile {folder}/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
""")
        host_key = (folder / "host_key.pub").read_text().split()
        (folder / "known_hosts").write_text(
            f"[127.0.0.1]:{self.port} {host_key[0]} {host_key[1]}\n")
        self.user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
        for name, key in (("ssh_config", "client_key"), ("ssh_config_stranger", "stranger_key")):
            (folder / name).write_text(f"""\
Host deploy-test
    HostName 127.0.0.1
    Port {self.port}
    User {self.user}
    IdentityFile {folder}/{key}
    IdentitiesOnly yes
    UserKnownHostsFile {folder}/known_hosts
    StrictHostKeyChecking yes
""")
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", exist_ok=True)     # sshd's privilege separation folder

        def limit():
            if file_size_limit is not None:
                import resource
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

        self.process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f",
                                         str(folder / "sshd_config")],
                                        stdout=subprocess.DEVNULL,
                                        stderr=open(folder / "sshd.log", "wb"),
                                        preexec_fn=limit)
        wait_for_port(self.port)

    def target(self, name: str = "may-chu", path: Path | None = None,
               config: str = "ssh_config") -> str:
        return f"""
[[deploy]]
name = "{name}"
type = "ssh"
host = "deploy-test"
path = "{path}"
ssh_config = "{self.folder / config}"
"""

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class MotoServer:
    """moto's S3 server (a real S3 API over HTTP) on 127.0.0.1, with test credentials."""

    def __init__(self, folder: Path, enforce_auth: bool = False):
        self.port = free_port()
        env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        if enforce_auth:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"    # every request's keys are checked
        folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=open(folder / f"moto-{self.port}.log", "wb"),
            env=env, cwd=folder)
        wait_for_port(self.port, 30)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
          "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}

__all__ = ["REPO"]
