"""Parse many article files: from the build cache when unchanged, the rest over every core.

Markdown is most of a cold build and each file parses on its own, so the files the cache
cannot answer are split into a few large chunks, one worker process parses each chunk: a
chunk costs one pickling of its paths and of its parsed articles, not one per file.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from phucdong_site.article_cache import ArticleCache, save_fragment
from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.models import Article
from phucdong_site.photo_cache import available_cores
from phucdong_site.photos import PhotoFile, PhotoProblem, SourceIndex
from phucdong_site.progress import Progress
from phucdong_site.workers import start_worker
from phucdong_site.search_index import article_terms

MIN_PER_WORKER = 50              # below this, starting a worker costs more than it saves
CHUNKS_PER_WORKER = 4            # a few chunks each: the progress line moves, and a slow
                                 # chunk does not leave the other core idle for long

# One file's outcome: its article, or its problems.
Outcome = Article | list[ContentError]


def parse_files(paths: list[Path], config: SiteConfig, parse, sources: SourceIndex,
                progress: Progress, cache: ArticleCache | None = None) -> list[Outcome]:
    """The outcome of each of PATHS, in order. PARSE is content.parse_article or a memo of
    it (serve); the cache and the workers are used with parse_article only, since a memo
    already answers unchanged files and must see every call."""
    from phucdong_site.content import parse_article
    outcomes: list[Outcome | None] = [None] * len(paths)
    digests: dict[int, str] = {}
    photo_files: dict[Path, PhotoFile | PhotoProblem] = {}
    if parse is not parse_article:
        for number, path in enumerate(paths):
            outcomes[number] = _parse_one(parse, path, config, photo_files, sources)
            progress.advance()
        return outcomes                 # type: ignore[return-value]

    missing = []
    saved: dict[int, tuple] = {}      # search entries and fragment files workers made
    for number, path in enumerate(paths):
        article = None
        if cache is not None:
            try:
                article, digests[number] = cache.lookup(path)
            except OSError:
                pass                    # unreadable now: parsing reports it in the editor's words
        if article is not None:
            outcomes[number] = article
            progress.advance()
        else:
            missing.append(number)

    jobs = min(config.jobs or available_cores(), len(missing) // MIN_PER_WORKER)
    if jobs <= 1:
        for number in missing:
            outcomes[number] = _parse_one(parse_article, paths[number], config, photo_files,
                                          sources)
            progress.advance()
    else:
        chunks = _chunks(missing, jobs * CHUNKS_PER_WORKER)
        fragments = cache.fragments if cache is not None else None
        for chunk, results, sizes, files in _in_pool(chunks, paths, config, sources, jobs,
                                                     fragments):
            sources.sizes.update(sizes)
            sources.files.update(files)
            for number, (outcome, search) in zip(chunk, results):
                outcomes[number] = restore_errors(outcome)
                if search is not None:
                    saved[number] = search
            progress.advance(len(chunk))

    if cache is not None:
        for number in missing:
            if isinstance(outcomes[number], Article) and number in digests:
                cache.store(paths[number], digests[number], outcomes[number], saved.get(number))
        cache.keep_only(paths)
    return outcomes                     # type: ignore[return-value]


def _parse_one(parse, path: Path, config: SiteConfig, photo_files: dict,
               sources: SourceIndex) -> Outcome:
    try:
        return parse(path, config, photo_files, sources)
    except ErrorList as problems:
        return problems.errors


def _chunks(numbers: list[int], count: int) -> list[list[int]]:
    size = -(-len(numbers) // count)
    return [numbers[start:start + size] for start in range(0, len(numbers), size)]


def _in_pool(chunks, paths, config, sources, jobs, fragments):
    # Workers ignore Ctrl-C and die with the build (see workers.py).
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=start_worker,
                               initargs=(os.getpid(),))
    try:
        futures = {pool.submit(_parse_chunk, [paths[n] for n in chunk], config, sources,
                               fragments): chunk
                   for chunk in chunks}
        for future in as_completed(futures):
            yield (futures[future], *future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _parse_chunk(paths: list[Path], config: SiteConfig, sources: SourceIndex,
                 fragments: Path | None):
    """In a worker: the outcomes of PATHS, and what it learnt about photo files. With a
    FRAGMENTS folder (the build cache's), each article's search entries and fragment file
    too: on a cold build they cost as much as Markdown, and are made here on every core.

    Errors travel as plain tuples: ContentError's constructor takes more than its message,
    so it does not survive pickling as an exception.
    """
    from phucdong_site.content import parse_article
    photo_files: dict = {}
    results = []
    for path in paths:
        outcome = _parse_one(parse_article, path, config, photo_files, sources)
        if not isinstance(outcome, Article):
            results.append(([(e.path, e.line, e.message, e.hint) for e in outcome], None))
            continue
        try:
            search = (save_fragment(fragments, article_terms(outcome))
                      if fragments is not None else None)
        except OSError:
            search = None           # the main process tries again, or does without
        results.append((outcome, search))
    return results, sources.sizes, sources.files


def restore_errors(outcome) -> Outcome:
    """A worker's outcome with its problems as ContentErrors again."""
    if isinstance(outcome, list):
        return [error if isinstance(error, ContentError) else ContentError(*error)
                for error in outcome]
    return outcome
