"""Scheduled publishing: when the next waiting article goes public, and the systemd units
and cron line that run `phucdong-site publish` often enough for it to go public then.

The design is a clock, not an alarm: the timer runs publish every few minutes on the
clock's marks (:00, :05, ...), and a run with nothing due is a no-change build (the build
cache knows that no input changed and no scheduled moment has passed) and a deploy with
nothing to send. Arming a one-shot timer at the next publication time instead
(`systemd-run --on-calendar`) would fire to the second at odd minutes too, but it is state
outside the site that a reboot, a clock change or an article edited after the last run
makes wrong, it needs a user manager (or root) to re-arm from inside the service, and cron
has no counterpart. Polling has none of that, and an article dated on a five-minute mark
(as editors date them: 07:00, 08:30) is public at that minute.
"""

from __future__ import annotations

import getpass
import re
import shlex
import sys
from dataclasses import dataclass
from datetime import datetime, tzinfo
from importlib import resources
from pathlib import Path

from phucdong_site.files import write_atomically
from phucdong_site.language import _
from phucdong_site.models import LeftOut

UNIT = "phucdong-site-publish"      # the .service and the .timer
EVERY_MINUTES = 5                   # the timer's and the cron line's period
UNIT_FILES = (f"{UNIT}.service", f"{UNIT}.timer")
CRON_FILE = "crontab"


def next_lines(left_out: LeftOut, tz: tzinfo) -> list[str]:
    """When the next scheduled article goes public, and when the next expiry or change of
    a document's status comes, in the site's time zone: what a publish says last."""
    lines = []
    if left_out.next_publication is not None:
        lines.append(_("Next scheduled article: {time} on {date}").format(
            **_moment(left_out.next_publication, tz)))
    if left_out.next_expiry is not None:
        lines.append(_("Next expiry or change of a document's status: {time} on {date}")
                     .format(**_moment(left_out.next_expiry, tz)))
    return lines


def _moment(moment: datetime, tz: tzinfo) -> dict[str, str]:
    local = moment.astimezone(tz)
    return {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


@dataclass(frozen=True, slots=True)
class UnitFile:
    name: str                       # phucdong-site-publish.service, ..., crontab
    text: str


def unit_files(site_dir: Path, arguments: list[str], *, python: str | None = None,
               user: str | None = None, minutes: int = EVERY_MINUTES) -> list[UnitFile]:
    """The service, the timer and the cron line that run `publish ARGUMENTS` in SITE_DIR
    every MINUTES, through PYTHON (default: this interpreter, whose environment holds the
    generator) as USER (default: the owner of the site folder)."""
    site = Path(site_dir).absolute()
    command = [python or sys.executable, "-m", "phucdong_site", "publish", *arguments]
    user = user or _owner(site)
    fields = {
        "site": _unit_escape(str(site)),
        "site_text": str(site),             # in comments
        "site_shell": _cron_escape(shlex.quote(str(site))),
        "command": " ".join(_unit_word(word) for word in command),
        "command_shell": _cron_escape(shlex.join(command)),
        "user": _unit_escape(user),
        "minutes": str(minutes),
    }
    folder = resources.files(__package__).joinpath("units")
    return [UnitFile(name, folder.joinpath(name).read_text(encoding="utf-8").format(**fields))
            for name in (*UNIT_FILES, CRON_FILE)]


def units_text(files: list[UnitFile]) -> str:
    """The files one after the other, each under a line naming it, to print."""
    return "\n".join(f"# ===== {file.name} =====\n{file.text}" for file in files)


def write_units(files: list[UnitFile], folder: Path) -> list[Path]:
    """The service and the timer of FILES written into FOLDER (atomically, readable by
    all, as systemd's own units are); their paths."""
    written = []
    for file in files:
        if file.name in UNIT_FILES:
            path = folder / file.name
            write_atomically(path, file.text.encode("utf-8"))
            path.chmod(0o644)
            written.append(path)
    return written


def _owner(site: Path) -> str:
    try:
        import pwd  # not on Windows, where there is no systemd either

        return pwd.getpwuid(site.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        return getpass.getuser()


def _unit_escape(text: str) -> str:
    """Systemd expands %x specifiers in most settings: a literal % is %%."""
    return text.replace("%", "%%")


def _unit_word(word: str) -> str:
    """One word of ExecStart=: quoted when it holds spaces or quotes; % and $ doubled
    (specifiers, environment variables)."""
    word = _unit_escape(word).replace("$", "$$")
    if re.fullmatch(r"[\w@%+=:,./-]+", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cron_escape(text: str) -> str:
    """In a crontab line an unescaped % ends the command."""
    return text.replace("%", "\\%")
