"""One function computed in a forked process while the build goes on with other work."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from typing import Generic, TypeVar

from phucdong_site.workers import start_worker

T = TypeVar("T")


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
        if fork and "fork" in multiprocessing.get_all_start_methods():
            self._file = tempfile.TemporaryFile()
            context = multiprocessing.get_context("fork")
            self._process = context.Process(target=_run, daemon=True,
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
