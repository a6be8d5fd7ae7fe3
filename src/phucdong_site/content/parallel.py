"""Parse many content files (articles; the register's documents): known ones answered
without parsing, the rest over every core.

Markdown is most of a cold build and each file parses on its own, so the files nothing
knows are split into a few large chunks, one worker process parses each chunk: a chunk
costs one pickling of its paths and of its parsed articles, not one per file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from pathlib import Path
from typing import Protocol

from phucdong_site.config import SiteConfig
from phucdong_site.content.article import parse_article
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.models import Article, OfficialDocument
from phucdong_site.photos import PhotoFile, PhotoProblem, SourceIndex
from phucdong_site.report import Progress
from phucdong_site.workers import available_cores, worker_pool

MIN_PER_WORKER = 50              # below this, starting a worker costs more than it saves
CHUNKS_PER_WORKER = 4            # a few chunks each: the progress line moves, and a slow
                                 # chunk does not leave the other core idle for long

# One file's outcome: its article (or document), or its problems.
Outcome = Article | OfficialDocument | list[ContentError]
# One file → its model, or ErrorList: parse_article, parse_document. Module-level: it pickles.
Parse = Callable[..., Article | OfficialDocument]
# More work on each article parsed in a worker, done there (the pipeline's: search terms);
# its result goes to KnownArticles.store. Must pickle: a module-level function or partial.
Extra = Callable[[Article], object]


class KnownArticles(Protocol):
    """Articles already parsed, that loading need not parse again: the build cache's."""

    def lookup(self, path: Path) -> tuple[Article | list[ContentError] | None, object]:
        """The article of PATH if it is still valid (or the problems parsing it just found,
        as it is now), and a token that store() takes back (for instance the file's
        digest); raises OSError if PATH cannot be read."""

    def store(self, path: Path, token: object, article: Article, extra: object) -> None:
        """Keep ARTICLE, parsed from PATH; EXTRA: what Extra made of it, or None."""

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Forget the articles of files that are gone."""


def parse_files(paths: list[Path], config: SiteConfig, sources: SourceIndex,
                progress: Progress, known: KnownArticles | None = None,
                extra: Extra | None = None, jobs: int | None = None,
                parse: Parse = parse_article) -> list[Outcome]:
    """The outcome of each of PATHS through PARSE, in order; JOBS worker processes at most
    (None: one per core; 1: none, for callers that run threads). KNOWN learns the files
    parsed; forgetting the ones gone is the caller's (it may load several kinds into KNOWN)."""
    outcomes: list[Outcome | None] = [None] * len(paths)
    tokens: dict[int, object] = {}
    photo_files: dict[Path, PhotoFile | PhotoProblem] = {}
    missing = []
    saved: dict[int, object] = {}      # what EXTRA made in the workers
    for number, path in enumerate(paths):
        article = None
        if known is not None:
            try:
                article, tokens[number] = known.lookup(path)
            except OSError:
                pass                    # unreadable now: parsing reports it in the editor's words
        if article is not None:
            outcomes[number] = article
            progress.advance()
        else:
            missing.append(number)

    workers = min(jobs or available_cores(), len(missing) // MIN_PER_WORKER)
    if workers <= 1:
        for number in missing:
            outcomes[number] = _parse_one(paths[number], config, photo_files, sources, parse)
            progress.advance()
    else:
        chunks = _chunks(missing, workers * CHUNKS_PER_WORKER)
        for chunk, results, sizes, files in _in_pool(chunks, paths, config, sources, workers,
                                                     extra, parse):
            sources.sizes.update(sizes)
            sources.files.update(files)
            for number, (outcome, made) in zip(chunk, results):
                outcomes[number] = outcome
                if made is not None:
                    saved[number] = made
            progress.advance(len(chunk))

    if known is not None:
        for number in missing:
            if not isinstance(outcomes[number], list) and number in tokens:
                known.store(paths[number], tokens[number], outcomes[number], saved.get(number))
    return outcomes                     # type: ignore[return-value]


def _parse_one(path: Path, config: SiteConfig, photo_files: dict,
               sources: SourceIndex, parse: Parse = parse_article) -> Outcome:
    try:
        return parse(path, config, photo_files, sources)
    except ErrorList as problems:
        return problems.errors


def _chunks(numbers: list[int], count: int) -> list[list[int]]:
    size = -(-len(numbers) // count)
    return [numbers[start:start + size] for start in range(0, len(numbers), size)]


def _in_pool(chunks, paths, config, sources, workers, extra, parse):
    pool = worker_pool(workers)
    try:
        futures = {pool.submit(_parse_chunk, [paths[n] for n in chunk], config, sources,
                               extra, parse): chunk
                   for chunk in chunks}
        for future in as_completed(futures):
            yield (futures[future], *future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parse_chunk(paths: list[Path], config: SiteConfig, sources: SourceIndex,
                 extra: Extra | None, parse: Parse = parse_article):
    """In a worker: the outcomes of PATHS, with what EXTRA made of each article (on a cold
    build, search entries cost as much as Markdown: made here on every core), and what it
    learnt about photo files."""
    photo_files: dict = {}
    results = []
    for path in paths:
        outcome = _parse_one(path, config, photo_files, sources, parse)
        if isinstance(outcome, list):
            results.append((outcome, None))
            continue
        try:
            made = extra(outcome) if extra is not None else None
        except OSError:
            made = None             # the main process tries again, or does without
        results.append((outcome, made))
    return results, sources.sizes, sources.files
