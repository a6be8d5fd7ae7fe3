"""What the operating system offers, tested once, each with a portable path beside it.

Linux gives the build its strongest promises (flock, renameat2's exchange, SIGALRM, fork,
PR_SET_PDEATHSIG); Windows and macOS have some of these or others. Each facility is chosen
here by what the system has, never by its name where a feature test works, and nothing
else in the package imports fcntl, msvcrt or ctypes for libc.

PHUCDONG_SITE_PORTABLE=1 in the environment forces the portable paths on any system: the
test suite runs a second time that way, so that the paths Windows and macOS take are run
on Linux too. It is read here and nowhere else.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

PORTABLE = os.environ.get("PHUCDONG_SITE_PORTABLE", "") not in ("", "0")

try:
    import fcntl
except ImportError:              # Windows
    fcntl = None
try:
    import msvcrt
except ImportError:              # not Windows
    msvcrt = None


def _native(module):
    return None if PORTABLE else module


_flock = getattr(_native(fcntl), "flock", None)
ioctl = getattr(_native(fcntl), "ioctl", None)      # serve: each network interface's address


@functools.cache
def _libc():
    """The C library through ctypes, or None where there is none to call (Windows, or a
    Python without ctypes) or when the portable paths are forced."""
    if PORTABLE:
        return None
    try:
        import ctypes
        import ctypes.util
        name = ctypes.util.find_library("c")
        return ctypes.CDLL(name, use_errno=True) if name else None
    except (ImportError, OSError, AttributeError, TypeError):
        return None


# --- processes ---------------------------------------------------------------------------

def can_fork() -> bool:
    """Workers may be forked (and so inherit this process's memory): the system can fork,
    and Python's start method here is not spawn, which it is on macOS (where fork is
    unsafe beside the system's libraries) and wherever the user chose it."""
    return (not PORTABLE and hasattr(os, "fork")
            and "fork" in multiprocessing.get_all_start_methods()
            and multiprocessing.get_start_method() != "spawn")


def process_context():
    """The multiprocessing context of worker pools: fork where it exists, else spawn."""
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def die_with_parent(parent: int) -> None:
    """Make this worker end when PARENT, the build, ends, however it ends (killed outright
    too): by the kernel where it can (Linux's PR_SET_PDEATHSIG), else by a thread that
    waits on multiprocessing's handle to the parent and ends this process when it closes."""
    libc = _libc()
    prctl = getattr(libc, "prctl", None) if libc is not None else None
    if prctl is not None and hasattr(signal, "SIGKILL"):
        prctl(1, signal.SIGKILL)             # PR_SET_PDEATHSIG
        if os.getppid() != parent:           # the build died before prctl took effect
            os._exit(1)
        return
    parent_process = multiprocessing.parent_process()
    if parent_process is None or parent_process.sentinel is None:
        return

    def watch() -> None:
        parent_process.join()
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="phucdong-site parent watch").start()


def trim_memory() -> None:
    """Give freed heap back to the system (glibc's malloc_trim); nothing where there is none."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)


def has_alarm() -> bool:
    """SIGALRM and setitimer exist, so the main thread can be interrupted on time."""
    return not PORTABLE and hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")


@functools.cache
def _async_exc():
    # CPython's own API, in every build that has ctypes (Windows and macOS too): not libc,
    # so PORTABLE leaves it on. None in a Python built without ctypes.
    try:
        import ctypes
        function = ctypes.pythonapi.PyThreadState_SetAsyncExc
        function.argtypes = (ctypes.c_ulong, ctypes.py_object)
    except (ImportError, AttributeError, OSError):
        return None
    return function


def raise_in_thread(ident: int, exception: type[BaseException] | None) -> bool:
    """Raise EXCEPTION in thread IDENT between two of its bytecodes, or with None take back
    one not raised yet; False where this Python cannot (no ctypes)."""
    function = _async_exc()
    if function is None:
        return False
    import ctypes
    function(ident, ctypes.py_object() if exception is None else exception)
    return True


def can_interrupt() -> bool:
    """interrupt_after can stop this thread: the main thread always (a signal), another
    where Python's C API can be reached (raise_in_thread)."""
    return threading.current_thread() is threading.main_thread() or _async_exc() is not None


@contextlib.contextmanager
def interrupt_after(seconds: float, exception: type[BaseException]):
    """Raise EXCEPTION in this thread if the block still runs after SECONDS, between two
    bytecodes or inside the re engine (which checks for signals), where runaway work is.
    Nothing is raised after the block, however close to its end the time runs out.

    The main thread: by SIGALRM where the system has it, else (Windows) by a watchdog
    thread that trips SIGINT in this process while a handler of ours tells that from a
    real Ctrl-C. Another thread (serve's rebuild thread), which signals never reach: the
    watchdog raises it there through the interpreter (raise_in_thread; see can_interrupt)."""
    if threading.current_thread() is not threading.main_thread():
        bound = _interrupting_thread
    elif has_alarm():
        bound = _alarm
    else:
        bound = _interrupting_main
    with bound(seconds, exception):
        yield


@contextlib.contextmanager
def _alarm(seconds: float, exception: type[BaseException]):
    def expire(number, frame):
        raise exception

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Watchdog:
    """One thread that runs each armed action once its time has come, unless it was
    disarmed first: a time bound per body without a thread started per body (which cost
    more than a short body's rendering)."""

    # The threads it bounds take its lock in a `with` of the bare Lock: no exception the
    # bound raises can come between taking it and giving it back there, as it could in
    # Condition's Python methods. Only the watchdog's own thread waits on the Condition.

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._armed: dict[object, tuple[float, object]] = {}
        self._wakes = float("inf")        # when the thread looks next, unless told
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float, action) -> object:
        due = time.monotonic() + seconds
        token = object()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="phucdong-site time bound")
                self._thread.start()
            self._armed[token] = (due, action)
            if due < self._wakes:
                self._changed.notify()
        return token

    def disarm(self, token: object | None) -> None:
        """Once this returns, TOKEN's action has run in whole or never will."""
        with self._lock:
            self._armed.pop(token, None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for token, (due, action) in list(self._armed.items()):
                    if due <= now:
                        del self._armed[token]
                        action()
                self._wakes = min((due for due, _action in self._armed.values()),
                                  default=float("inf"))
                self._changed.wait(None if self._wakes == float("inf")
                                   else self._wakes - now)


_watchdog = _Watchdog()


def _new_watchdog() -> None:
    # A forked child has none of its parent's threads, and maybe a lock held by one.
    global _watchdog
    _watchdog = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_watchdog)


@contextlib.contextmanager
def _interrupting_main(seconds: float, exception: type[BaseException]):
    # _thread.interrupt_main trips SIGINT as if it came (no signal is sent, so Windows has
    # it too): the interpreter then calls the handler between two bytecodes or where C
    # code checks for signals, as for SIGALRM. The watchdog says "fired" before it trips,
    # so the handler raises EXCEPTION for it, and for anything else does what the handler
    # it replaced does: a real Ctrl-C still stops the build as Ctrl-C. The two coalesce if
    # they come at the same instant; that Ctrl-C is then the deadline, and the next one
    # stops the build.
    import _thread

    state = {"inside": True, "fired": False}

    def expire() -> None:
        state["fired"] = True
        _thread.interrupt_main(signal.SIGINT)

    def interrupted(number, frame):
        if state["fired"]:
            state["fired"] = False           # raised once; a later SIGINT is a real one
            if state["inside"]:
                raise exception
            return                           # tripped as the block ended: dropped
        if callable(previous):
            return previous(number, frame)
        if previous == signal.SIG_IGN:       # a worker of a pool (workers.start_worker)
            return
        raise KeyboardInterrupt

    previous = signal.getsignal(signal.SIGINT)     # before `interrupted` can run
    armed = None
    try:
        # Inside the try: whatever either raises, the handler is put back.
        signal.signal(signal.SIGINT, interrupted)
        armed = _watchdog.arm(seconds, expire)
        yield
    finally:
        # Whatever a handler raises in here (the deadline, just before "inside" went off;
        # a Ctrl-C or SIGTERM meanwhile) is raised once the handler is back.
        caught = None
        while True:
            try:
                state["inside"] = False
                _watchdog.disarm(armed)      # it trips nothing from here on
                # signal.signal runs a pending handler before it replaces it: an
                # interruption tripped just now goes through `interrupted`, not PREVIOUS.
                signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
                break
            except Exception:
                raise
            except BaseException as error:  # noqa: BLE001 - raised below, once restored
                caught = error if caught is None else caught
        if caught is not None:
            raise caught


@contextlib.contextmanager
def _interrupting_thread(seconds: float, exception: type[BaseException]):
    if _async_exc() is None:
        raise RuntimeError("this thread cannot be interrupted here (no ctypes)")
    target = threading.get_ident()
    armed = None
    try:
        armed = _watchdog.arm(seconds, lambda: raise_in_thread(target, exception))
        yield
    finally:
        _watchdog.disarm(armed)
        # Fired as the block ended: the exception must not surface after the block.
        raise_in_thread(target, None)


# --- locks -------------------------------------------------------------------------------

class _ProcessLocks:
    """Locks of this process by file, for lock kinds the system holds per process (POSIX
    lockf) rather than per open file: a second lock of the same file in this process must
    wait as it would in another, and closing one descriptor must not free the other's."""

    def __init__(self) -> None:
        self._held: set[tuple[int, int]] = set()
        self._changed = threading.Condition()

    def acquire(self, key: tuple[int, int], wait: bool) -> bool:
        with self._changed:
            while key in self._held:
                if not wait:
                    return False
                self._changed.wait()
            self._held.add(key)
            return True

    def release(self, key: tuple[int, int]) -> None:
        with self._changed:
            self._held.discard(key)
            self._changed.notify_all()


_in_process = _ProcessLocks()
_lock_keys: dict[int, tuple[int, int]] = {}     # fd -> the file it locks, for the portable path


def lock_path(folder: Path, name: str) -> tuple[Path, bool]:
    """What to open to lock FOLDER: the folder itself where the system locks folders (flock),
    else a file NAME in it, which stays (Windows cannot open a folder); and whether to
    open that file for writing."""
    if _flock is not None:
        return folder, False
    return folder / name, True


def open_lock(folder: Path, name: str) -> int:
    """A descriptor to lock FOLDER with (lock_path)."""
    path, is_file = lock_path(folder, name)
    if not is_file:
        return os.open(path, os.O_RDONLY)
    return os.open(path, os.O_RDWR | os.O_CREAT | O_BINARY, 0o644)


def lock(fd: int, *, wait: bool, shared: bool = False) -> bool:
    """Lock the file or folder open as FD; True once held, False if another holds it and
    WAIT is False. The lock is freed when FD is closed (unlock) or its holder dies.
    SHARED locks do not exclude each other where the system has them (flock); elsewhere
    they are exclusive, which only makes readers take turns."""
    if _flock is not None:
        mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB)
        try:
            _flock(fd, mode)
        except BlockingIOError:
            return False
        return True
    stat = os.fstat(fd)
    key = (stat.st_dev, stat.st_ino)
    if not _in_process.acquire(key, wait):
        return False
    try:
        held = _lock_bytes(fd, wait)
    except BaseException:
        _in_process.release(key)
        raise
    if not held:
        _in_process.release(key)
        return False
    _lock_keys[fd] = key
    return True


def unlock(fd: int) -> None:
    """Free FD's lock, if it holds one, and close FD."""
    key = _lock_keys.pop(fd, None)
    try:
        os.close(fd)
    finally:
        if key is not None:
            _in_process.release(key)


def _lock_bytes(fd: int, wait: bool) -> bool:
    # The first byte of the file, which need not exist: Windows' msvcrt.locking, else POSIX
    # lockf (held per process, hence _in_process). Both are freed when the holder dies.
    os.lseek(fd, 0, os.SEEK_SET)
    if msvcrt is not None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return True
            except OSError as error:
                if error.errno not in (errno.EACCES, errno.EDEADLK):
                    raise
                if not wait:
                    return False
            time.sleep(0.05)
    try:
        os.lockf(fd, os.F_LOCK if wait else os.F_TLOCK, 1)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise
    return True


# --- files -------------------------------------------------------------------------------

O_BINARY = getattr(os, "O_BINARY", 0)    # Windows: no newline translation in os.read
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)    # not on Windows: callers check lstat first
_positioned = threading.Lock()


def read_at(fd: int, length: int, offset: int) -> bytes:
    """LENGTH bytes of FD from OFFSET: os.pread where it exists (any thread, no shared file
    position), else a seek and a read under one lock (Windows)."""
    if hasattr(os, "pread") and not PORTABLE:
        return os.pread(fd, length, offset)
    with _positioned:
        os.lseek(fd, offset, os.SEEK_SET)
        chunks, left = [], length
        while left:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step: Linux's renameat2(RENAME_EXCHANGE), macOS's
    renamex_np(RENAME_SWAP). False where the system has neither, or refuses it for these
    paths' filesystem; the caller then renames twice (see output/staging.py)."""
    libc = _libc()
    if libc is None:
        return False
    import ctypes
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(-100, os.fsencode(a), -100, os.fsencode(b), 2)  # AT_FDCWD, EXCHANGE
    else:
        renamex_np = getattr(libc, "renamex_np", None)
        if renamex_np is None:
            return False
        result = renamex_np(os.fsencode(a), os.fsencode(b), 0x2)           # RENAME_SWAP
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def sync_filesystem(root: Path) -> None:
    """Flush ROOT's filesystem to disk: syncfs where it exists (that filesystem alone), else
    os.sync (every one: macOS, and the portable paths forced), else each file under ROOT
    (Windows has neither)."""
    libc = _libc()
    syncfs = getattr(libc, "syncfs", None) if libc is not None else None
    if syncfs is not None:
        fd = os.open(root, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    if hasattr(os, "sync"):
        os.sync()
    else:
        fsync_each(root)


def fsync_each(root: Path) -> None:
    """Flush each file under ROOT (not what links point at): Windows' flush to disk."""
    for folder, _folders, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            with contextlib.suppress(OSError):
                # Windows flushes only a handle open for writing.
                fd = os.open(path, os.O_RDWR | O_BINARY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)


def terminal_escapes() -> bool:
    """The terminal understands ANSI escape codes (clear to end of line): POSIX terminals
    do; Windows' console only once a program switches them on, which Python does not."""
    return not PORTABLE and os.name == "posix"
