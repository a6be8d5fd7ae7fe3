"""Take Linux's facilities away at interpreter start-up, as Windows lacks them.

Put this folder on PYTHONPATH and every Python started with it (the command line the test
runs, and each worker it spawns, since children inherit PYTHONPATH) starts without:
fcntl, signal.SIGALRM / SIGKILL / setitimer (and alarm, getitimer, the ITIMER_ constants),
os.fork (and os.forkpty), and libc through ctypes: ctypes.CDLL and ctypes.cdll refuse
every library, ctypes.util.find_library finds none, and ctypes.pythonapi gives Python's
own functions only (on Linux it is the whole program, libc included). multiprocessing's
start method is spawn.

PHUCDONG_TEST_WITHOUT_CTYPES=1 takes ctypes away entirely (a Python built without it).

Only the tests read this file and that variable; the generator reads neither (its own
switch, PHUCDONG_SITE_PORTABLE, is another matter: this start-up does not set it, so the
generator has to find out by itself what is missing).
"""

import os
import signal
import sys

sys.modules["fcntl"] = None          # import fcntl raises ImportError, as on Windows

for _name in ("SIGALRM", "SIGKILL", "setitimer", "getitimer", "alarm",
              "ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"):
    if hasattr(signal, _name):
        delattr(signal, _name)
for _name in ("fork", "forkpty"):
    if hasattr(os, _name):
        delattr(os, _name)

if os.environ.get("PHUCDONG_TEST_WITHOUT_CTYPES", "") not in ("", "0"):
    for _name in ("ctypes", "ctypes.util", "ctypes.wintypes", "_ctypes"):
        sys.modules[_name] = None
else:
    import ctypes
    import ctypes.util

    class _NoLibrary(ctypes.CDLL):
        def __init__(self, name, *args, **kwargs):
            raise OSError(f"{name}: no such library (taken away at start-up)")

    class _PythonOnly(ctypes.PyDLL):
        """Python's C API, as on Windows; not the libc symbols the Linux program has."""

        def __getitem__(self, name):
            if not (isinstance(name, str) and name.startswith(("Py", "_Py"))):
                raise AttributeError(f"{name}: not in Python's C API (taken away at start-up)")
            return super().__getitem__(name)

    ctypes.CDLL = _NoLibrary
    ctypes.cdll = ctypes.LibraryLoader(_NoLibrary)
    ctypes.pythonapi = _PythonOnly(None)
    ctypes.util.find_library = lambda name: None

import multiprocessing

multiprocessing.set_start_method("spawn", force=True)
