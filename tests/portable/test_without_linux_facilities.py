"""The generator on a Python that lacks what Linux gives (issue 22), run for real on Linux.

Every command here runs `python -m phucdong_site` with tests/portable/startup/ on PYTHONPATH:
its sitecustomize takes fcntl, SIGALRM, SIGKILL, setitimer, os.fork and libc through ctypes
away at interpreter start-up, and makes spawn multiprocessing's start method, in the command
and in every worker it spawns. A second variant takes ctypes away entirely. The generator is
not told (PHUCDONG_SITE_PORTABLE is removed): it must find out by itself what is missing.

Build, check, an incremental build (equal to a clean build, byte for byte), `new`, and a kit
of bad inputs must all behave as on Linux: the same exit codes, the same messages in the
contract format (content/2021/x.md:LINE: field: message), never a traceback. A build big
enough for the worker pools (articles, photos, precompression) makes the same files as a
native build, and its spawned workers do not outlive it, even when it is killed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import REPO, SITE_TOML, ScratchSite, tree_bytes

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402

from phucdong_site.photos import MAX_PHOTO_BYTES  # noqa: E402

STARTUP = Path(__file__).resolve().parent / "startup"
SAMPLE = REPO / "tests" / "sites" / "sample"
VARIANTS = ["without-libc", "without-ctypes"]
GOOD = 'title: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30'


def handicapped_env(variant: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PHUCDONG_SITE_PORTABLE", "PHUCDONG_TEST_WITHOUT_CTYPES")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STARTUP), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    if variant == "without-ctypes":
        env["PHUCDONG_TEST_WITHOUT_CTYPES"] = "1"
    return env


def run(variant: str, *args: str, cwd: Path | None = None, timeout: float = 300,
        **env: str) -> subprocess.CompletedProcess:
    """`python -m phucdong_site ARGS` on the handicapped Python, with ENV added."""
    return subprocess.run([sys.executable, "-m", "phucdong_site", *args], cwd=cwd,
                          env={**handicapped_env(variant), **env}, capture_output=True,
                          text=True, timeout=timeout)


def start(variant: str, *args: str) -> subprocess.Popen:
    """The command started, its stderr in a file (a pipe would wait for any process that
    inherited it: a worker that outlived the build would hang the test, not fail it)."""
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "phucdong_site", *args],
                               env=handicapped_env(variant), stdout=subprocess.DEVNULL,
                               stderr=errors)
    process.errors = errors
    return process


def stderr_of(process: subprocess.Popen) -> str:
    process.errors.seek(0)
    return process.errors.read().decode("utf-8", "replace")


def succeeded(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return result


def failed(result: subprocess.CompletedProcess) -> list[str]:
    """The problem lines of a command that refused bad input as it should: exit 1, the
    count of problems last, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result.stderr.splitlines()


def copy_sample(where: Path) -> Path:
    shutil.copytree(SAMPLE, where, ignore=shutil.ignore_patterns(".cache", "build"))
    return where


def scratch(tmp_path: Path, name: str = "site") -> ScratchSite:
    root = tmp_path / name
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return ScratchSite(root)


# --- the start-up itself -------------------------------------------------------------------

PROBE = """
import multiprocessing, os, signal, sys
missing = []
try:
    import fcntl
except ImportError:
    missing.append("fcntl")
missing += [name for name in ("SIGALRM", "SIGKILL", "setitimer") if not hasattr(signal, name)]
missing += [] if hasattr(os, "fork") else ["fork"]
try:
    import ctypes, ctypes.util
except ImportError:
    missing.append("ctypes")
else:
    libc = []
    for load in (lambda: ctypes.CDLL(ctypes.util.find_library("c")),
                 lambda: ctypes.CDLL("libc.so.6"), lambda: ctypes.cdll.LoadLibrary("libc.so.6"),
                 lambda: ctypes.pythonapi.malloc_trim, lambda: ctypes.pythonapi.prctl):
        try:
            load()
            libc.append("reached")
        except (OSError, AttributeError, TypeError):
            pass
    if not libc:
        missing.append("libc")
    ctypes.pythonapi.Py_IsInitialized          # Python's own C API stays, as on Windows
missing.append(multiprocessing.get_start_method())
print(" ".join(missing))
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_start_up_takes_the_facilities_away_in_workers_too(variant):
    here = subprocess.run([sys.executable, "-c", PROBE], env=handicapped_env(variant),
                          capture_output=True, text=True, timeout=60)
    assert here.returncode == 0, here.stderr
    expected = ("fcntl SIGALRM SIGKILL setitimer fork "
                + ("ctypes" if variant == "without-ctypes" else "libc") + " spawn")
    assert here.stdout.split() == expected.split()
    # A spawned child starts the same way (it inherits PYTHONPATH).
    child = subprocess.run(
        [sys.executable, "-c", "import multiprocessing, subprocess, sys\n"
         "if __name__ == '__main__':\n"
         "    with multiprocessing.Pool(1) as pool:\n"
         f"        print(pool.apply(subprocess.check_output, ([sys.executable, '-c', {PROBE!r}],"
         "), {'text': True}), end='')\n"
         "    print(multiprocessing.get_start_method())"],
        env=handicapped_env(variant), capture_output=True, text=True, timeout=60)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == expected.split() + ["spawn"]


# --- build, check, incremental, new --------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS)
def test_build_check_and_an_incremental_build_equal_a_clean_one(tmp_path, variant):
    site = copy_sample(tmp_path / "site")
    succeeded(run(variant, "build", str(site)))
    assert (site / "build" / "index.html").is_file()
    succeeded(run(variant, "check", str(site)))
    first = tree_bytes(site / "build")

    article = sorted((site / "content" / "2024").glob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8")
                       + "\nMột đoạn mới về vệ sinh môi trường.\n", encoding="utf-8")
    succeeded(run(variant, "build", str(site)))
    incremental = tree_bytes(site / "build")
    assert incremental != first

    clean = copy_sample(tmp_path / "clean")
    shutil.copy(article, clean / article.relative_to(site))
    succeeded(run(variant, "build", str(clean)))
    expected = tree_bytes(clean / "build")
    assert incremental.keys() == expected.keys()
    assert [name for name in expected if incremental[name] != expected[name]] == []
    # and the same files as a build on the full Python
    native = copy_sample(tmp_path / "native")
    shutil.copy(article, native / article.relative_to(site))
    subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(native), "-q"],
                   check=True, timeout=300)
    assert tree_bytes(native / "build") == expected
    # no staging folder left (the lock file .build.lock stays where folders cannot be locked)
    assert not [p.name for p in site.iterdir()
                if p.name.startswith((".build.building-", ".build.old-", ".build.swapping"))]


def test_new_writes_a_draft_that_builds(tmp_path):
    site = scratch(tmp_path)
    result = succeeded(run("without-ctypes", "new", "Hội nghị: tổng kết năm 2024",
                           cwd=site.root))
    path = site.root / result.stdout.strip()
    assert path.is_file() and "draft: true" in path.read_text(encoding="utf-8")
    assert "\\" not in result.stdout
    succeeded(run("without-ctypes", "build", str(site.root), "--drafts"))
    assert list(site.out.rglob("hoi-nghi-tong-ket-nam-2024/index.html"))


# --- the bad-input kit -----------------------------------------------------------------------

def bad_date(site):
    site.article("2021/abc.md", 'title: "Tin"\nviews: 1\ndate: 2021-02-31')
    return ['content/2021/abc.md:4: date: "2021-02-31" is not a real date '
            '(expected YYYY-MM-DD HH:MM)']


def missing_photo(site):
    site.photo("photos/ok.jpg")
    site.article("2021/abc.md", GOOD + "\nphotos:\n  - src: photos/ok.jpg\n    caption: Một\n"
                 "  - src: photos/x.jpg\n    caption: Hai")
    return ["content/2021/abc.md:7: photos[1].src: photos/x.jpg does not exist"]


def not_an_image(site):
    (site.content / "photos").mkdir()
    (site.content / "photos" / "bao-cao.jpg").write_text("không phải ảnh", encoding="utf-8")
    site.article("2024/a.md", GOOD + "\nphotos:\n  - src: photos/bao-cao.jpg")
    return ["content/2024/a.md:5: photos[0].src: bao-cao.jpg is not an image "
            "(expected a JPEG, PNG, WebP, GIF or HEIC file)"]


def photo_too_big(site):
    photo = site.photo("2021/anh.jpg")
    os.truncate(photo, MAX_PHOTO_BYTES + 1)          # sparse: no disk is spent
    site.article("2021/anh.md", GOOD + "\nphotos:\n  - src: anh.jpg\n    caption: Lớn")
    limit = MAX_PHOTO_BYTES // 2**20
    return [f"content/2021/anh.md:5: photos[0].src: anh.jpg is {limit}.0 MB, over the "
            f"limit of {limit} MB for a photo"]


def malformed_yaml(site):
    site.article("2024/a.md", "title: Hội nghị: tổng kết\ndate: 2024-05-01 08:30")
    return ["content/2024/a.md:2: front matter: not valid YAML"]


def not_utf8(site):
    (site.content / "2024").mkdir()
    (site.content / "2024" / "cu.md").write_bytes(
        '---\ntitle: "Phúc Đông"\ndate: 2024-05-01\n---\nBài cũ\n'.encode("cp1258", "replace"))
    return ["content/2024/cu.md:2: file: not UTF-8 text (byte 0xfa)"]


def unknown_setting(site):
    site.article("2024/a.md", GOOD)
    (site.root / "site.toml").write_text('name = "A"\n\nper_pgae = 4\n', encoding="utf-8")
    return ["site.toml:3: per_pgae: unknown setting"]


def toml_syntax(site):
    site.article("2024/a.md", GOOD)
    (site.root / "site.toml").write_text('name = "A"\nper_page = = 3\n', encoding="utf-8")
    return ["site.toml:2: not valid TOML"]


def nested_too_deeply(site):
    site.article("2024/a.md", GOOD, body="".join("  " * i + "- x\n" for i in range(600)))
    return ["content/2024/a.md:5: body: nested too deeply"]


def runaway_body(site):
    site.article("2024/a.md", GOOD, body="[" * 20000)     # minutes in Python-Markdown unbounded
    return ["content/2024/a.md:5: body: too complex to render within 10 s"]


KIT = [bad_date, missing_photo, not_an_image, photo_too_big, malformed_yaml, not_utf8,
       unknown_setting, toml_syntax, nested_too_deeply]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("bad", KIT, ids=[bad.__name__ for bad in KIT])
def test_bad_input_is_reported_as_on_linux(tmp_path, variant, bad):
    site = scratch(tmp_path)
    expected = bad(site)
    for command in ("check", "build"):
        lines = failed(run(variant, command, str(site.root)))
        for start_ in expected:
            assert any(line.startswith(start_) for line in lines), (command, lines)
        assert lines[-1].endswith("found"), lines
        assert not any("\\" in line.split(":")[0] for line in lines), lines
    assert not site.out.exists()


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_template_error_is_reported_at_its_line_and_the_output_kept(tmp_path, variant):
    site = scratch(tmp_path)
    site.article("2024/a.md", GOOD)
    succeeded(run(variant, "build", str(site.root)))
    before = tree_bytes(site.out)
    (site.root / "templates").mkdir()
    (site.root / "templates" / "article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ 1 / 0 }}\n{% endblock %}\n',
        encoding="utf-8")
    lines = failed(run(variant, "build", str(site.root)))
    assert lines[0].startswith("templates/article.html:3: template: "), lines
    assert "division by zero" in lines[0], lines
    assert lines[0].endswith("(while rendering content/2024/a.md)"), lines
    assert lines[1:] == ["1 problem found"]
    assert tree_bytes(site.out) == before


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_runaway_body_is_stopped_with_the_same_message(tmp_path, variant):
    site = scratch(tmp_path)
    [expected] = runaway_body(site)
    started = time.monotonic()
    lines = failed(run(variant, "check", str(site.root), timeout=120))
    assert time.monotonic() - started < 60
    assert any(line.startswith(expected) for line in lines), lines


# --- worker pools ----------------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """The processes under PID now, from /proc (the test runs on Linux, unhandicapped)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    fields = stat.read().rpartition(b")")[2].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except OSError:
        return False


def spawned(pids: set[int]) -> set[int]:
    """Those of PIDS that multiprocessing spawned (their command line says so)."""
    found = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as line:
                if b"multiprocessing.spawn" in line.read():
                    found.add(pid)
        except OSError:
            pass
    return found


def watch(build: subprocess.Popen, enough: int | None = None,
          seconds: float = 300) -> tuple[set[int], set[int]]:
    """Every process seen under BUILD, and the spawned workers among them, until it ends,
    or ENOUGH workers were seen, or SECONDS passed."""
    seen: set[int] = set()
    workers: set[int] = set()
    deadline = time.monotonic() + seconds
    while build.poll() is None and (enough is None or len(workers) < enough):
        if time.monotonic() > deadline:
            break
        now = descendants(build.pid)
        # Every pass looks again at each process not yet known as a worker: one caught
        # between fork and exec still shows the build's own command line.
        workers |= spawned(now - workers)
        seen |= now
        time.sleep(0.01)
    return seen, workers


def gone_soon(pids: set[int], seconds: float = 20) -> set[int]:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return {pid for pid in pids if alive(pid)}


def kill_leftovers(pids: set[int]) -> None:
    """After a failed test: end the processes it started that are still there."""
    for pid in pids:
        if alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """120 articles and 16 photos: over the thresholds of the parsing, photo and
    precompression pools with two jobs (content/parallel.py's MIN_PER_WORKER is 50)."""
    site = tmp_path_factory.mktemp("pools") / "site"
    generate(site, articles=120, seed=5)
    return site


def fresh_copy(corpus: Path, where: Path) -> Path:
    shutil.copytree(corpus, where, ignore=shutil.ignore_patterns(".cache", "build"))
    return where


def test_spawned_pools_make_the_native_build_and_leave_no_worker(corpus, tmp_path):
    site = fresh_copy(corpus, tmp_path / "site")
    build = start("without-libc", "build", str(site), "--jobs", "2", "-q")
    seen, workers = watch(build)
    stderr = stderr_of(build)
    assert build.wait(timeout=300) == 0, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert len(workers) >= 2, "the build used no worker pool"
    assert gone_soon(seen) == set()

    native = fresh_copy(corpus, tmp_path / "native")
    subprocess.run([sys.executable, "-m", "phucdong_site", "build", str(native), "-q",
                    "--jobs", "2"], check=True, timeout=300)
    assert tree_bytes(site / "build") == tree_bytes(native / "build")


def test_an_error_found_in_a_spawned_worker_is_reported_as_on_linux(corpus, tmp_path):
    site = fresh_copy(corpus, tmp_path / "site")
    bad = sorted((site / "content").rglob("*.md"))[3]
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("\ndate: ", "\ndate: 2021-02-31\nold_date: ", 1),
                   encoding="utf-8")
    # --lang reaches the workers, which are not forked from the command that read it
    lines = failed(run("without-ctypes", "--lang", "en", "build", str(site), "--jobs", "2",
                       LANGUAGE="vi"))
    shown = bad.relative_to(site).as_posix()
    assert any(line.startswith(f"{shown}:") and 'date: "2021-02-31" is not a real date' in line
               for line in lines), lines
    assert lines[-1] == "1 problem found"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_the_workers_of_a_stopped_build_end_with_it(corpus, tmp_path, how):
    site = fresh_copy(corpus, tmp_path / "site")
    build = start("without-libc", "build", str(site), "--jobs", "2", "-q")
    seen: set[int] = set()
    try:
        seen, workers = watch(build, enough=2)
        assert build.poll() is None, "the build ended before its workers were seen"
        assert len(workers) == 2, stderr_of(build)
        time.sleep(0.2)
        seen |= descendants(build.pid)
        build.send_signal(how)
        build.wait(timeout=60)
        assert "Traceback" not in stderr_of(build), stderr_of(build)
        assert gone_soon(seen) == set(), "workers outlived the build"
    finally:
        kill_leftovers(seen)
    # and the next build, on the same handicapped Python, recovers and succeeds
    succeeded(run("without-libc", "build", str(site), "--jobs", "2", "-q"))
    assert (site / "build" / "index.html").is_file()


def runaway_bodies(site: Path, count: int | None = None) -> list[Path]:
    """Give COUNT articles (all by default) a body Python-Markdown takes minutes over."""
    articles = sorted((site / "content").rglob("*.md"))
    articles = [path for path in articles if "draft: true" not in path.read_text("utf-8")
                and "2099-" not in path.read_text("utf-8")][:count]
    for path in articles:
        head = path.read_text(encoding="utf-8").partition("\n---\n")[0]
        path.write_text(f"{head}\n---\n\n{'[' * 20000}\n", encoding="utf-8")
    return articles


def test_a_runaway_body_parsed_in_a_spawned_worker_is_stopped_with_the_same_message(
        corpus, tmp_path):
    site = fresh_copy(corpus, tmp_path / "site")
    [path] = runaway_bodies(site, 1)
    started = time.monotonic()
    lines = failed(run("without-libc", "build", str(site), "--jobs", "2", timeout=120))
    assert time.monotonic() - started < 60
    shown = path.relative_to(site).as_posix()
    assert any(line.startswith(f"{shown}:") and "body: too complex to render within 10 s"
               in line for line in lines), lines


def test_busy_workers_of_a_killed_build_end_with_it(corpus, tmp_path):
    """Workers deep in a runaway body, which they would render for 10 s each, end within
    moments of the build's death: the parent watch (system.die_with_parent), not the end
    of their work, ends them."""
    site = fresh_copy(corpus, tmp_path / "site")
    runaway_bodies(site)
    build = start("without-libc", "build", str(site), "--jobs", "2", "-q")
    seen: set[int] = set()
    try:
        seen, workers = watch(build, enough=2, seconds=60)
        assert len(workers) == 2, stderr_of(build)
        time.sleep(2)                      # both are rendering bodies by now
        seen |= descendants(build.pid)
        assert all(alive(pid) for pid in workers)
        build.kill()
        build.wait(timeout=60)
        assert gone_soon(seen, seconds=4) == set(), "busy workers outlived the build"
    finally:
        kill_leftovers(seen)
