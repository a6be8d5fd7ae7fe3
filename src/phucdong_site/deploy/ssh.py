"""A server over SSH: rsync sends exactly the files the manifest says changed (a files-from
list, in batches recorded as they land), then removes the deleted ones in a second step.

ssh logs in as it does in a terminal: the SSH agent, ~/.ssh/config (Host aliases, User,
Port, IdentityFile) and known_hosts; BatchMode, so it never stops to ask for a password."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from phucdong_site.config import DeployTarget, SiteConfig
from phucdong_site.language import _

from .state import DeployError

BATCH = 400                      # files per rsync run: what a killed deploy sends again at most
CONNECT_SECONDS = 10

# What ssh and rsync say when the server is full, refuses the login, or cannot be reached
_FULL_WORDS = ("No space left", "Disk quota exceeded", "File too large")
_LOGIN_WORDS = ("Permission denied", "Host key verification failed", "Too many authentication")
# rsync's exit code for an error in file I/O: where the server was reached (open() logged
# in), its disk refused a write. The server's own message may not reach us: since 3.2.4
# rsync sends it on ssh's stderr, and in 16 of 20 runs here against a server whose files
# may not grow past a size none of it arrived.
RSYNC_FILE_IO = 11
_REACH_WORDS = ("Could not resolve", "Connection refused", "Connection timed out",
                "No route to host", "Network is unreachable", "Connection closed",
                "connection unexpectedly closed", "Name or service not known")


class SshTarget:
    def __init__(self, config: SiteConfig, target: DeployTarget):
        self.target = target
        self.out_dir = config.output_dir.absolute()
        self.destination = (f"{target.user}@" if target.user else "") + target.host
        self.folder = target.path.rstrip("/") or "/"
        self.site_dir = config.site_dir.absolute()
        for program in ("rsync", "ssh"):
            if shutil.which(program) is None:
                raise DeployError(_("{target}: the program {program} is not installed on this "
                                    "computer (Debian: apt install rsync openssh-client)").format(
                                        target=target.name, program=program))

    def _ssh(self) -> list[str]:
        command = ["ssh", "-o", "BatchMode=yes", "-o", f"ConnectTimeout={CONNECT_SECONDS}"]
        if self.target.ssh_config:
            command += ["-F", self._file(self.target.ssh_config)]
        if self.target.port:
            command += ["-p", str(self.target.port)]
        if self.target.identity:
            command += ["-i", self._file(self.target.identity),
                        "-o", "IdentitiesOnly=yes"]
        return command

    def _file(self, name: str) -> str:
        """A file named in site.toml: ~ is the home folder, a relative path the site's."""
        return str(self.site_dir / os.path.expanduser(name))

    def _fail(self, output: str, code: int | None = None) -> DeployError:
        """One line for a failed ssh or rsync (exit CODE), naming the target; never a
        password (ssh asks for none in BatchMode)."""
        name, where = self.target.name, self.target.where()
        full = code == RSYNC_FILE_IO and not any(word in output for word in _LOGIN_WORDS)
        if full or any(word in output for word in _FULL_WORDS):
            return DeployError(_("{target}: the server's disk is full ({where}); what landed "
                                 "is recorded, run deploy again once there is room").format(
                                     target=name, where=where))
        if any(word in output for word in _LOGIN_WORDS):
            return DeployError(_("{target}: the server refused the login ({where}); ssh uses "
                                 "the SSH agent and ~/.ssh/config: check that `ssh {host}` "
                                 "logs in without a password").format(
                                     target=name, where=where, host=self.destination))
        if any(word in output for word in _REACH_WORDS) or not output.strip():
            return DeployError(_("{target}: cannot reach the server ({where}); check the "
                                 "network and host = in site.toml").format(
                                     target=name, where=where))
        last = output.strip().splitlines()[-1][:200]
        return DeployError(_("{target}: rsync failed ({where}): {reason}").format(
            target=name, where=where, reason=last))

    def _run(self, command: list[str], ok: tuple[int, ...] = (0,)) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                  stdin=subprocess.DEVNULL)
        except OSError as error:
            raise self._fail(str(error)) from None
        if done.returncode not in ok:
            raise self._fail(done.stderr + done.stdout,
                             done.returncode if command[0] == "rsync" else None)
        return done.stdout

    def open(self) -> None:
        # Logs in once and makes the folder: a wrong host or login is told before any upload.
        self._run([*self._ssh(), self.destination, "mkdir -p -- " + shlex.quote(self.folder)])

    def close(self) -> None:
        pass

    def _rsync(self, names: list[str], *extra: str, source: Path | None = None) -> None:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".list") as listing:
            listing.write("".join(f"{name}\n" for name in names))
            listing.flush()
            # --checksum: a listed file is sent unless the server's has the same bytes. Not
            # size and time: two search fragments of one size, linked from the build cache
            # in one second, would be taken for each other.
            self._run(["rsync", "--recursive", "--links", "--times", "--checksum",
                       "--chmod=D755,F644",
                       "--protect-args", f"--files-from={listing.name}",
                       "--timeout=60", "-e", shlex.join(self._ssh()), *extra,
                       f"{source or self.out_dir}/", f"{self.destination}:{self.folder}/"])

    def upload(self, files: list[tuple[str, Path]], landed: Callable[[str], None]) -> None:
        for start in range(0, len(files), BATCH):
            batch = [relative for relative, _source in files[start:start + BATCH]]
            self._rsync(batch)
            for relative in batch:
                landed(relative)

    def delete(self, paths: Iterable[str], gone: Callable[[str], None]) -> None:
        """rsync --delete-missing-args: each listed file, missing here, is removed there;
        then the folders it leaves empty (others' files keep theirs)."""
        paths = list(paths)
        # The source is an empty tree of the files' folders: rsync skips a name whose folder
        # is missing on its side, and deletes one missing from a folder that is there.
        with tempfile.TemporaryDirectory(prefix="phucdong-deploy-") as empty:
            for path in paths:
                Path(empty, path).parent.mkdir(parents=True, exist_ok=True)
            for start in range(0, len(paths), BATCH):
                batch = paths[start:start + BATCH]
                self._rsync(batch, "--delete-missing-args", source=Path(empty))
                for relative in batch:
                    gone(relative)
        folders = {str(folder) for path in paths for folder in PurePosixPath(path).parents
                   if str(folder) != "." and not (self.out_dir / folder).is_dir()}
        if folders:
            deepest = sorted(folders, key=lambda f: f.count("/"), reverse=True)
            command = "cd -- {folder} && rmdir --ignore-fail-on-non-empty -- {names}".format(
                folder=shlex.quote(self.folder), names=shlex.join(deepest))
            subprocess.run([*self._ssh(), self.destination, command], capture_output=True,
                           stdin=subprocess.DEVNULL)     # best effort: a restricted shell may refuse

    def listing(self) -> set[str]:
        output = self._run(["rsync", "--recursive", "--list-only", "--protect-args",
                            "-e", shlex.join(self._ssh()),
                            f"{self.destination}:{self.folder}/"])
        found = set()
        for line in output.splitlines():
            parts = line.split(None, 4)
            if len(parts) == 5 and line.startswith("-"):
                found.add(parts[4])
        return found
