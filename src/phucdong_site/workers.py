"""Other cores: worker pools and background children that die with the build.

A build killed outright (SIGKILL, the OOM killer) cannot shut its pools down; its workers
would live on, holding the output's lock inherited by fork, and the next build would wait
for them forever. They end when their parent dies (system.die_with_parent).
"""

from __future__ import annotations

import os
import pickle
import signal
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Generic, TypeVar

from phucdong_site import system

T = TypeVar("T")


def start_worker(parent: int) -> None:
    """Pool initializer; PARENT is the build's pid (os.getpid() when the pool is made)."""
    # Ctrl-C goes to the whole process group: the build alone stops itself, cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    system.die_with_parent(parent)


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's in a container)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:       # not on Linux
        return os.cpu_count() or 1


def worker_pool(workers: int, *, fork: bool = False) -> ProcessPoolExecutor:
    """A pool of WORKERS processes that ignore Ctrl-C and die with the build, forked where
    the system can fork, else started afresh (spawn). FORK: they must inherit this
    process's memory (what does not pickle), so the caller checked system.can_fork()."""
    if fork and not system.can_fork():
        raise ValueError("worker_pool(fork=True) where the system cannot fork")
    return ProcessPoolExecutor(max_workers=workers, mp_context=system.process_context(),
                               initializer=start_worker, initargs=(os.getpid(),))


class Background(Generic[T]):
    """FUNCTION(*ARGS), started in a forked child; result() waits for it.

    The arguments reach the child by fork, not by pickling. The result comes back through
    an unnamed temporary file rather than a pipe: the child exits, and frees its memory,
    as soon as it is done, not when the build gets round to reading. If the child fails
    or dies, result() computes it here instead, so that a real error is raised where the
    build can report it. FORK False (serve, whose threads do not mix with fork) computes
    it in result(), in this process.
    """

    def __init__(self, function: Callable[..., T], *args: object, fork: bool = True):
        self._function, self._args = function, args
        self._process = None
        if fork and system.can_fork():
            self._file = tempfile.TemporaryFile()
            self._process = system.process_context().Process(target=_run, daemon=True,
                                            args=(os.getpid(), self._file, function, args))
            self._process.start()

    def result(self) -> T:
        if self._process is not None:
            self._process.join()
            done = self._process.exitcode == 0
            self._process = None
            with self._file:
                if done:
                    self._file.seek(0)
                    return pickle.load(self._file)
        return self._function(*self._args)


def _run(parent: int, file, function: Callable, args: tuple) -> None:
    start_worker(parent)
    try:
        pickle.dump(function(*args), file, protocol=pickle.HIGHEST_PROTOCOL)
        file.flush()
    except BaseException:
        os._exit(1)     # silently: result() computes it again and the build reports why
