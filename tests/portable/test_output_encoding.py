"""Output sent to a file or a pipe on Windows is written in the ANSI code page (cp1252, or
cp1258 on a Vietnamese Windows), which lacks most Vietnamese letters and '→': the command
must still print every message, never fail on its first line. PYTHONIOENCODING gives a
Linux Python the same streams."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from conftest import SITE_TOML

ARTICLE = '---\ntitle: "Tin"\ndate: 2021-02-31\n---\n\nNội dung.\n'


@pytest.fixture
def bad_site(tmp_path):
    (tmp_path / "content" / "2021").mkdir(parents=True)
    (tmp_path / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (tmp_path / "content" / "2021" / "abc.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def env_with(encoding: str) -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": encoding, "LANGUAGE": "vi"}


@pytest.mark.parametrize("encoding", ["cp1252", "cp1258"])
def test_messages_to_a_file_or_pipe_are_written_in_utf8(bad_site, encoding):
    checked = subprocess.run([sys.executable, "-m", "phucdong_site", "check", str(bad_site)],
                             env=env_with(encoding), capture_output=True, timeout=120)
    err = checked.stderr.decode("utf-8")
    assert checked.returncode == 1, err
    assert err.splitlines() == [
        'content/2021/abc.md:3: date: "2021-02-31" không phải ngày có thật (cần dạng '
        'YYYY-MM-DD HH:MM)', "1 lỗi"]
    (bad_site / "content" / "2021" / "abc.md").write_text(
        ARTICLE.replace("2021-02-31", "2021-02-28"), encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(bad_site)],
                           env=env_with(encoding), capture_output=True, timeout=120)
    out = built.stdout.decode("utf-8")
    assert built.returncode == 0, built.stderr.decode("utf-8", "replace")
    assert "1 bài viết" in out and "→" in out


def test_a_terminal_that_cannot_show_the_letters_gets_escapes_not_an_error(bad_site):
    # Python's stderr escapes what it cannot write already; stdout (the build's summary)
    # did not, and failed the build.
    (bad_site / "content" / "2021" / "abc.md").write_text(
        ARTICLE.replace("2021-02-31", "2021-02-28"), encoding="utf-8")
    parent, child = pty.openpty()
    try:
        run = subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(bad_site)],
                             env=env_with("cp1252"), stdin=subprocess.DEVNULL, stdout=child,
                             stderr=child, timeout=120)
        os.close(child)
        child = None
        shown = b""
        while True:
            try:
                data = os.read(parent, 65536)
            except OSError:             # the terminal closed: all was read
                break
            if not data:
                break
            shown += data
    finally:
        if child is not None:
            os.close(child)
        os.close(parent)
    text = shown.decode("cp1252", "replace")
    assert run.returncode == 0, text
    assert "1 bài vi\\u1ebft" in text, text
    assert "\\u2192" in text, text
    assert "internal error" not in text and "UnicodeEncodeError" not in text


def test_no_file_is_read_or_written_in_the_systems_own_encoding(bad_site):
    """Windows opens text files in its ANSI code page unless told otherwise: every file the
    tool reads or writes names its encoding (Python warns, when asked, where one does not)."""
    (bad_site / "content" / "2021" / "abc.md").write_text(
        ARTICLE.replace("2021-02-31", "2021-02-28"), encoding="utf-8")
    env = {**os.environ, "PYTHONWARNDEFAULTENCODING": "1", "PYTHONIOENCODING": "utf-8"}
    for args in (["build", str(bad_site)], ["check", str(bad_site)], ["build", str(bad_site)],
                 ["new", "Tin mới", "--site", str(bad_site)]):
        run = subprocess.run([sys.executable, "-m", "phucdong_site", *args], env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert "EncodingWarning" not in run.stderr, run.stderr
