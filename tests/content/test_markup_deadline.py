"""The Markdown time bound holds in every thread, not only the main one (serve renders in
its rebuild thread), and leaves nothing behind when the body renders in time."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from phucdong_site.content import markup
from phucdong_site.content.markup import BodyTooComplex, render_body


def _render(text: str):
    return render_body(text, (), lambda src: None, markup._plain_img)


def _in_thread(function):
    """FUNCTION() in a thread other than the main one: its result or its exception."""
    outcome: list = []

    def run():
        try:
            outcome.append(function())
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the render was not stopped"
    return outcome[0]


def test_a_runaway_body_is_stopped_outside_the_main_thread(monkeypatch):
    monkeypatch.setattr(markup, "RENDER_SECONDS", 1.0)
    started = time.monotonic()
    outcome = _in_thread(lambda: _render("[" * 20000))
    assert time.monotonic() - started < 10
    assert isinstance(outcome, BodyTooComplex)
    assert str(outcome) == ("too complex to render within 1 s (for example thousands of "
                            "unclosed '[' or '<'); simplify it")
    # The converter interrupted mid-way is not reused: the next body renders whole.
    assert _in_thread(lambda: _render("Đoạn *một*.\n")).html == "<p>Đoạn <em>một</em>.</p>"


def test_bodies_rendered_in_time_leave_no_late_interruption(monkeypatch):
    """A deadline that expires just as the body finishes must not surface later, in code
    that has nothing to do with Markdown."""
    monkeypatch.setattr(markup, "RENDER_SECONDS", 0.002)

    def many():
        done = 0
        for _round in range(300):
            try:
                _render("Một đoạn văn ngắn, với *nhấn mạnh* và [liên kết](/a/).\n" * 20)
            except BodyTooComplex:
                pass
            done += 1
        time.sleep(0.05)             # a pending interruption would be raised here
        return done

    assert _in_thread(many) == 300


@pytest.mark.parametrize("seconds", [1.0])
def test_the_main_thread_keeps_its_bound(monkeypatch, seconds):
    monkeypatch.setattr(markup, "RENDER_SECONDS", seconds)
    with pytest.raises(BodyTooComplex):
        _render("[" * 20000)


def test_two_threads_render_bodies_at_once_each_whole():
    """serve parses a saved body for its first look while a build under way parses others:
    each thread's bodies come out as they do alone (a shared converter mixes them up)."""
    bodies = [f"# Tin số {n}\n\nĐoạn *{n}* với [liên kết](/bai-{n}/).\n\n- một\n- hai {n}\n"
              * (1 + n % 5) for n in range(40)]
    alone = [_render(body).html for body in bodies]
    results: dict[str, list] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def render_all(name: str, order: list[int]) -> None:
        start.wait()
        for _round in range(10):
            results[name].extend((n, _render(bodies[n]).html) for n in order)

    threads = [threading.Thread(target=render_all, args=("a", list(range(40)))),
               threading.Thread(target=render_all, args=("b", list(range(39, -1, -1))))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)          # the threads take turns inside each conversion
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        sys.setswitchinterval(interval)
    assert all(len(made) == 400 for made in results.values())
    assert all(html == alone[n] for made in results.values() for n, html in made)
