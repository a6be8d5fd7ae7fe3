"""The Markdown time bound where Linux's facilities are missing (issue 22), run for real.

Windows has no SIGALRM or setitimer, and a Python may be built without ctypes. Each test
runs a real Python in a subprocess: natively, with PHUCDONG_SITE_PORTABLE=1, or with
SIGALRM, setitimer and ctypes taken away at interpreter start-up (a sitecustomize.py of
this module's own, on PYTHONPATH, which spawned children inherit). The generator is not
told what is missing there. A runaway body ("[" * 20000 takes Python-Markdown minutes)
must give the same message as on Linux, on time; a real Ctrl-C must still stop a build.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli
from servetools import Served

from phucdong_site.content.markup import RENDER_SECONDS

TAKE_AWAY = "PHUCDONG_TEST_TAKE_AWAY"
STARTUP = f"""\
import os, signal, sys
_gone = os.environ.get("{TAKE_AWAY}", "").split(",")
if "alarm" in _gone:                 # as on Windows
    for _name in ("SIGALRM", "setitimer", "getitimer", "alarm",
                  "ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"):
        if hasattr(signal, _name):
            delattr(signal, _name)
if "ctypes" in _gone:                # a Python built without it
    for _name in ("ctypes", "ctypes.util", "ctypes.wintypes", "_ctypes"):
        sys.modules[_name] = None
"""

GOOD = 'title: "Tin"\ndate: 2024-01-01'
RUNAWAY = "[" * 20000
TOO_COMPLEX = ("content/2024/a.md:5: body: too complex to render within {seconds:g} s (for "
               "example thousands of unclosed '[' or '<'); simplify it")
UNCHANGED = "interrupted; the previous output is unchanged"
VARIANTS = ["native", "portable", "without-alarm", "without-alarm-and-ctypes"]


@pytest.fixture(scope="module")
def startup(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("startup")
    (folder / "sitecustomize.py").write_text(STARTUP, encoding="utf-8")
    return folder


def environment(startup: Path, variant: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PHUCDONG_SITE_PORTABLE", TAKE_AWAY)}
    env["PYTHONIOENCODING"] = "utf-8"
    if variant == "portable":
        env["PHUCDONG_SITE_PORTABLE"] = "1"
    elif variant.startswith("without-"):      # without-alarm: Windows' Python
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(startup),
                                                           env.get("PYTHONPATH")]))
        env[TAKE_AWAY] = variant.removeprefix("without-").replace("-and-", ",")
    return env


def test_the_start_up_really_takes_the_facilities_away(startup):
    script = ("import signal, sys\n"
              "from phucdong_site import system\n"
              "try:\n    import ctypes\nexcept ImportError:\n    ctypes = None\n"
              "print(hasattr(signal, 'SIGALRM'), hasattr(signal, 'setitimer'), ctypes,"
              " system.has_alarm())\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=environment(startup, "without-alarm-and-ctypes"), timeout=60)
    assert result.stdout.split() == ["False", "False", "None", "False"], result.stderr


# --- the build, in its main thread --------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS)
def test_a_runaway_body_fails_the_build_with_the_same_message_on_time(site, startup, variant):
    site.article("2024/a.md", GOOD, body=RUNAWAY)
    site.article("2024/b.md", GOOD, body="Một bài *bình thường*.\n")
    started = time.monotonic()
    result = run_cli("build", str(site.root), env=environment(startup, variant))
    took = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert TOO_COMPLEX.format(seconds=RENDER_SECONDS) in result.stderr.splitlines()
    assert RENDER_SECONDS <= took < RENDER_SECONDS + 8, took
    assert not site.out.exists()


def test_bodies_that_end_as_the_time_runs_out_leave_no_interruption_behind(startup):
    """Without SIGALRM the main thread is interrupted by a timer that trips SIGINT: one
    that trips just as a body ends must not surface afterwards (as a Ctrl-C), and the
    handler there was is back after every body."""
    script = """if True:
        import json, signal, time
        from phucdong_site.content import markup
        body = "Một đoạn *ngắn* với [liên kết](/a/).\\n" * 20
        render = lambda: markup.render_body(body, (), lambda src: None, markup._plain_img)
        for _ in range(20):
            render()
        started = time.perf_counter()
        render()
        one = time.perf_counter() - started
        expired = kept = 0
        for round_ in range(2000):
            markup.RENDER_SECONDS = one * (0.5 + round_ % 20 / 20)   # around its end
            try:
                render()
            except markup.BodyTooComplex:
                expired += 1
            kept += signal.getsignal(signal.SIGINT) is signal.default_int_handler
            sum(range(200))          # a late interruption would be raised here, or below
        time.sleep(0.2)
        print(json.dumps([expired, kept]))
    """
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=environment(startup, "without-alarm-and-ctypes"), timeout=300)
    assert result.returncode == 0, result.stderr
    expired, kept = json.loads(result.stdout)
    assert 0 < expired < 2000          # the time did run out at the end of some bodies
    assert kept == 2000


def test_a_real_sigint_goes_to_the_handler_there_was(startup):
    """A pool's worker ignores Ctrl-C (workers.start_worker), and the swap holds it
    (staging's handler): the bound's own SIGINT handler passes a real one on to them, so
    the worker goes on to the deadline; and puts theirs back after the body."""
    script = """if True:
        import json, os, signal, threading, time
        from phucdong_site.content import markup
        markup.RENDER_SECONDS = 2.0
        held = []
        report = {}
        for name, handler in [("ignored", signal.SIG_IGN),
                              ("held", lambda number, frame: held.append(number))]:
            signal.signal(signal.SIGINT, handler)
            threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
            started = time.monotonic()
            try:
                markup.render_body("[" * 20000, (), lambda src: None, markup._plain_img)
            except markup.BodyTooComplex as error:
                outcome = str(error)
            report[name] = [outcome[:40], round(time.monotonic() - started, 1),
                            signal.getsignal(signal.SIGINT) is handler]
        report["held_signals"] = held
        print(json.dumps(report))
    """
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=environment(startup, "without-alarm-and-ctypes"), timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for name in ("ignored", "held"):
        message, took, restored = report[name]
        assert message == "too complex to render within 2 s (for ex"
        assert 2.0 <= took < 2.0 + 3 and restored
    assert report["held_signals"] == [signal.SIGINT]


def build_time(site, env: dict[str, str]) -> float:
    started = time.monotonic()
    assert run_cli("build", str(site.root), env=env).returncode == 0
    return time.monotonic() - started


@pytest.mark.parametrize("variant", ["portable", "without-alarm"])
def test_ctrl_c_during_a_bounded_body_stops_the_build_as_ctrl_c(site, startup, variant):
    """SIGINT is how the deadline interrupts there: a real one, sent while the runaway
    body renders, stops the build as Ctrl-C does, long before the deadline."""
    env = environment(startup, variant)
    site.article("2024/b.md", GOOD, body="Một bài *bình thường*.\n")
    # A whole build of the good article: its start-up and loading are done by then.
    before_render = build_time(site, env)
    site.out.rename(site.root / "previous")
    site.article("2024/a.md", GOOD, body=RUNAWAY)
    started = time.monotonic()
    build = subprocess.Popen([sys.executable, "-m", "phucdong_site", "build", str(site.root),
                              "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, env=env)
    time.sleep(before_render + 1.5)
    assert build.poll() is None, build.stderr.read()
    build.send_signal(signal.SIGINT)
    err = build.communicate(timeout=60)[1]
    took = time.monotonic() - started
    assert build.returncode == 130, err
    assert err.strip() == UNCHANGED
    assert took < before_render + RENDER_SECONDS - 2, took      # not the deadline
    assert not site.out.exists()


# --- serve's rebuild thread, with no ctypes to interrupt it -------------------------------

def test_a_runaway_body_in_a_thread_without_ctypes_is_stopped_in_a_worker(startup):
    """Without ctypes nothing can interrupt a thread: the body is converted first in a
    worker process, kept warm between bodies and stopped (terminated) when it runs out
    of time, then rendered for real once it finished there in time."""
    script = """if True:
        import json, multiprocessing, threading, time
        from phucdong_site.content import markup
        from phucdong_site import system
        markup.RENDER_SECONDS = 2.0
        def in_thread(function):
            outcome = []
            def run():
                try:
                    outcome.append(function())
                except BaseException as error:
                    outcome.append(error)
            thread = threading.Thread(target=run)
            thread.start()
            thread.join(120)
            return outcome[0]
        def render(text):
            return markup.render_body(text, (), lambda src: None, markup._plain_img)
        def workers():
            return [child.pid for child in multiprocessing.active_children()
                    if child.name == "phucdong-site markdown trial"]
        report = {"can_interrupt": in_thread(system.can_interrupt)}
        report["first"] = in_thread(lambda: render("Đoạn *một*.\\n")).html
        report["warm"] = workers()
        report["second"] = in_thread(lambda: render("Đoạn *hai*.\\n")).html
        report["still"] = workers()
        started = time.monotonic()
        refused = in_thread(lambda: render("[" * 20000))
        report["took"] = time.monotonic() - started
        report["refused"] = f"{type(refused).__name__}: {refused}"
        report["after_refusal"] = workers()
        report["next"] = in_thread(lambda: render("Đoạn *ba*.\\n")).html
        markup.RENDER_SECONDS = 10.0     # Markdown takes seconds to find it too deep
        nested = in_thread(lambda: render("".join("  " * i + "- x\\n" for i in range(600))))
        report["nested"] = f"{type(nested).__name__}: {nested}"
        report["last"] = workers()
        print(json.dumps(report))
    """
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=environment(startup, "without-alarm-and-ctypes"), timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["can_interrupt"] is False
    assert report["first"] == "<p>Đoạn <em>một</em>.</p>"
    assert report["second"] == "<p>Đoạn <em>hai</em>.</p>"
    assert len(report["warm"]) == 1 and report["still"] == report["warm"]   # kept warm
    assert report["refused"] == ("BodyTooComplex: too complex to render within 2 s (for "
                                 "example thousands of unclosed '[' or '<'); simplify it")
    assert 2.0 <= report["took"] < 2.0 + 5, report["took"]
    assert report["after_refusal"] == []                     # stopped, not left running
    assert report["next"] == "<p>Đoạn <em>ba</em>.</p>"
    assert report["nested"].startswith("BodyTooComplex: nested too deeply")
    assert len(report["last"]) == 1 and report["last"] != report["warm"]
    # The workers end with the program that started them.
    for pid in report["warm"] + report["last"]:
        assert not running(pid)


def running(pid: int, wait: float = 10) -> bool:
    """PID is still a live process after up to WAIT seconds (a zombie is not)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.1)
    return True


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


FRONT_MATTER = '---\ntitle: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30\n---\n\n'
ARTICLE_URL = "2024/05/hoi-nghi-tong-ket/"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_without_ctypes_refuses_a_runaway_body_on_time(site, startup, monkeypatch):
    for key, value in environment(startup, "without-alarm-and-ctypes").items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PHUCDONG_SITE_PORTABLE", raising=False)
    path = site.content / "2024" / "hoi-nghi.md"
    path.parent.mkdir(parents=True)
    path.write_text(FRONT_MATTER + "Bản đầu.\n", encoding="utf-8")
    with Served(site.root) as served:
        assert served.status()["ok"] is True
        path.write_text(FRONT_MATTER + RUNAWAY + "\n", encoding="utf-8")
        saved = time.monotonic()
        status = served.status()
        while status["ok"] and time.monotonic() - saved < 60:
            time.sleep(0.2)
            status = served.status()
        took = time.monotonic() - saved
        assert status["ok"] is False, "the runaway body was rendered with no bound"
        assert status["errors"] == [
            "content/2024/hoi-nghi.md:5: body: too complex to render within "
            f"{RENDER_SECONDS:g} s (for example thousands of unclosed '[' or '<'); simplify it"]
        assert took < RENDER_SECONDS + 10, took
        assert "Bản đầu." in served.get(ARTICLE_URL)[2]       # the last good page
        path.write_text(FRONT_MATTER + "Đã sửa.\n", encoding="utf-8")
        served.wait_for(ARTICLE_URL, lambda text: "Đã sửa." in text
                        and "phucdong-serve-errors" not in text)
        spawned = children(served.process.pid)
        assert spawned                       # the warm worker (and multiprocessing's helper)
    assert "Traceback" not in served.stderr()
    for pid in spawned:                      # gone with serve
        assert not running(pid)
