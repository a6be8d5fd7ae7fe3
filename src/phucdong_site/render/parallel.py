"""Render pages over every core.

The Jinja environment and the planned pages hold closures and the whole site, which do not
pickle; forked workers inherit them instead, and receive only ranges of page numbers. Each
worker returns its pages' HTML, or its template problem.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path

import jinja2

from phucdong_site import system
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.language import _, ngettext
from phucdong_site.pages import PageOutput
from phucdong_site.render.jinja import render
from phucdong_site.workers import available_cores, worker_pool

MIN_PER_WORKER = 200             # fewer pages render faster than a worker starts
CHUNKS_PER_WORKER = 32            # small: this process renders too, between writes

_inherited: tuple[list[PageOutput], jinja2.Environment] | None = None


def render_pages(pages: list[PageOutput], env: jinja2.Environment, jobs: int | None = 1
                 ) -> Iterator[tuple[PageOutput, str]]:
    """Each page rendered, in no set order; at the end, an ErrorList with every template
    problem, each once with how many pages it stopped (one broken template line fails
    every page that uses it).

    JOBS None means one worker per core; workers are forked, so callers that run threads
    (serve) pass 1."""
    problems = _Problems()
    workers = min(jobs or available_cores(), len(pages) // MIN_PER_WORKER)
    if workers <= 1 or not system.can_fork():
        for number, page in enumerate(pages):
            try:
                yield page, _render(page, env)
            except ContentError as problem:
                problems.note(problem, number, page)
    else:
        for numbers, results in _in_pool(pages, env, workers):
            for number, result in zip(numbers, results):
                if isinstance(result, str):
                    yield pages[number], result
                else:
                    problems.note(result, number, pages[number])
    problems.raise_if_any()


@dataclass(slots=True)
class _Stopped:
    """One template problem, as the first page it stopped (by the pages' order) met it,
    the first of those pages with a source file, and how many pages it stopped."""

    number: int
    problem: ContentError
    source_number: int = -1
    source: Path | None = None
    count: int = 0


class _Problems:
    """Template problems by place: a template's line, or its message where no line is
    known. Whatever order the workers finish in, each reads the same."""

    def __init__(self) -> None:
        self.found: dict[tuple, _Stopped] = {}

    def note(self, problem: ContentError, number: int, page: PageOutput) -> None:
        place = (problem.path, problem.line) if problem.line else (problem.path, str(problem))
        stopped = self.found.setdefault(place, _Stopped(number, problem))
        if number < stopped.number:
            stopped.number, stopped.problem = number, problem
        if page.source is not None and (stopped.source is None
                                        or number < stopped.source_number):
            stopped.source_number, stopped.source = number, page.source
        stopped.count += 1

    def raise_if_any(self) -> None:
        errors = ErrorList()
        for stopped in self.found.values():
            problem = stopped.problem
            errors.append(ContentError(problem.path, problem.line, problem.message
                                       + _stopped(stopped.source, stopped.count), problem.hint))
        errors.raise_if_any()


def _stopped(source: Path | None, count: int) -> str:
    """What a template problem stopped: the page of SOURCE, or COUNT pages."""
    if count == 1:
        return _(" (while rendering {path})").format(path=source.as_posix()) if source else ""
    if source is None:
        return ngettext(" (on {count} page)", " (on {count} pages)", count).format(count=count)
    return ngettext(" (on {count} page, the first while rendering {path})",
                    " (on {count} pages, the first while rendering {path})", count).format(
        count=count, path=source.as_posix())


def _render(page: PageOutput, env: jinja2.Environment) -> str:
    return render(env, page.template, page_path=page.path.removesuffix("index.html"),
                  **page.context)


def _in_pool(pages, env, workers):
    """Ranges of PAGES rendered by WORKERS - 1 forked workers and by this process, which
    would otherwise only wait for them: one process fewer holding its own copies of the
    site's pages (each worker's reads copy them, page by page), and no idle core."""
    global _inherited
    _inherited = (pages, env)
    size = -(-len(pages) // (workers * CHUNKS_PER_WORKER))
    ranges = deque(range(start, min(start + size, len(pages)))
                   for start in range(0, len(pages), size))
    pool = worker_pool(workers - 1, fork=True)
    pending: dict = {}

    def keep_workers_busy() -> None:
        while ranges and len(pending) < 2 * (workers - 1):
            numbers = ranges.popleft()
            pending[pool.submit(_render_range, numbers.start, numbers.stop)] = numbers

    try:
        keep_workers_busy()
        while ranges:
            numbers = ranges.popleft()
            yield numbers, _render_range(numbers.start, numbers.stop)
            # Dropped once read: a finished future holds its pages' HTML.
            for future in [future for future in pending if future.done()]:
                yield pending.pop(future), future.result()
            keep_workers_busy()
        for future in as_completed(list(pending)):
            yield pending.pop(future), future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _inherited = None


def _render_range(start: int, stop: int) -> list[str | ContentError]:
    assert _inherited is not None
    pages, env = _inherited
    results: list[str | ContentError] = []
    for page in pages[start:stop]:
        try:
            results.append(_render(page, env))
        except ContentError as problem:
            results.append(problem)
    return results
