"""Background: a function computed in a forked child, its result read back."""
import os

import pytest

from phucdong_site import system
from phucdong_site.workers import Background


def pid_and(value):
    return os.getpid(), value


def fails_in_a_child(parent):
    if os.getpid() != parent:
        raise RuntimeError("only in the child")
    return "made again in the parent"


def test_the_result_is_computed_in_another_process_and_read_back():
    big = list(range(300_000))                  # more than a pipe holds
    pid, value = Background(pid_and, big).result()
    # Where the system cannot fork (Windows, macOS, the portable paths) it is computed here.
    assert (pid != os.getpid()) == system.can_fork() and value == big


def test_without_fork_it_is_computed_here():
    assert Background(pid_and, 1, fork=False).result() == (os.getpid(), 1)


def test_a_child_that_fails_leaves_the_work_to_the_parent_quietly(capfd):
    assert Background(fails_in_a_child, os.getpid()).result() == "made again in the parent"
    assert "Traceback" not in capfd.readouterr().err


def test_an_error_is_raised_in_the_parent():
    with pytest.raises(ZeroDivisionError):
        Background(divmod, 1, 0).result()
