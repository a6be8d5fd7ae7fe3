"""Worker processes of a build's pools: they die with the build.

A build killed outright (SIGKILL, the OOM killer) cannot shut its pools down; its workers
would live on, holding the output's lock inherited by fork, and the next build would wait
for them forever. The kernel kills them when their parent dies (Linux PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def start_worker(parent: int) -> None:
    """Pool initializer; PARENT is the build's pid (os.getpid() when the pool is made)."""
    # Ctrl-C goes to the whole process group: the build alone stops itself, cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    libc_name = ctypes.util.find_library("c")
    prctl = getattr(ctypes.CDLL(libc_name), "prctl", None) if libc_name else None
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:   # the build died before prctl took effect
        os._exit(1)
