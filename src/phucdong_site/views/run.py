"""`phucdong-site views LOG...`: count the views in web server logs and add them to the
site's data file, each log line counted once, however often its log is read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from phucdong_site.cache import ArticleCache
from phucdong_site.config import SiteConfig
from phucdong_site.content import (
    build_time,
    load_site,
    merge_counts,
    public_site,
    read_view_counts,
    write_view_counts,
)
from phucdong_site.errors import ContentError, ErrorList, os_reason
from phucdong_site.language import _, ngettext
from phucdong_site.models import LogSpan, ViewCounts
from phucdong_site.report import Progress
from phucdong_site.views.formats import COMBINED
from phucdong_site.views.sources import (
    BLOCK,
    Head,
    Reading,
    head_of,
    is_blank,
    line_batches,
    prefix_digests,
    reader_for,
)
from phucdong_site.views.tally import Skipped, Tally

SHOWN_LINES = 5                  # malformed lines named by number; the rest are counted


@dataclass(frozen=True, slots=True)
class ViewsReport:
    files: int                   # logs read
    lines: int                   # their lines
    known_lines: int             # lines counted by an earlier run (or twice given), skipped
    views: int                   # views counted this time
    pages: int                   # pages they are views of
    requests: int                # requests for the site's pages in the new lines
    skipped: Skipped
    warnings: tuple[ContentError, ...]
    as_of: date | None           # the day of the last count, after this one
    written: bool                # False: --dry-run


@dataclass(frozen=True, slots=True)
class _Log:
    path: Path
    head: Head
    size: int


def count_views(config: SiteConfig, logs: list[Path], *, dry_run: bool = False,
                progress: Progress = Progress()) -> ViewsReport:
    """Count the views in LOGS and add them to the site's data file (not with DRY_RUN).
    Raises ErrorList, before anything is written, when a log cannot be read or is not a
    log, or when the data file or the site has a problem."""
    errors = ErrorList()
    try:
        counts = read_view_counts(config.site_dir, config.tz)
    except ErrorList as problems:
        errors.extend(problems.errors)
        counts = ViewCounts()
    opened = [log for path in logs if (log := _open(path, errors)) is not None]
    errors.raise_if_any()
    paths, pages = _page_paths(config, progress)
    robots = tuple({b"/robots.txt", (config.base_path + "robots.txt").encode()})
    tally = Tally(pages, robots, _hosts(config), config.tz)
    opened.sort(key=lambda log: (log.head.first, -log.size))
    progress.stage("views", sum(-(-log.size // BLOCK) for log in opened))   # in MiB
    spans: list[LogSpan] = list(counts.spans)
    warnings: list[ContentError] = []
    lines = known = 0
    try:
        for number, log in enumerate(opened):
            following = opened[number + 1].head.first if number + 1 < len(opened) else None
            span, skipped, earlier = _count_log(log, tally, spans, following, warnings,
                                                progress)
            lines += span.lines if span else 0
            known += skipped
            if span is not None and not (earlier and span.lines <= earlier.lines):
                # A log that grew since it was read: its longer span stands for both. (A
                # shorter copy of a log read adds nothing: the log's span holds it.)
                spans = [kept for kept in spans if kept is not earlier] + [span]
    finally:
        progress.finish()
    tally.close_all()
    new = tally.daily(paths)
    merged = merge_counts(counts, new, spans)
    if not dry_run:
        write_view_counts(config.site_dir, merged)
    return ViewsReport(
        files=len(opened), lines=lines, known_lines=known,
        views=sum(views for _, _, views in new), pages=len({path for _, path, _ in new}),
        requests=tally.requests, skipped=tally.skipped, warnings=tuple(warnings),
        as_of=merged.as_of, written=not dry_run)


def _open(path: Path, errors: ErrorList) -> _Log | None:
    shown = path.as_posix()
    try:
        size = path.stat().st_size
        if path.is_dir():
            errors.append(ContentError(shown, None, _(
                "is a folder: give the log files in it, e.g. {example}").format(
                example=f"{shown.rstrip('/')}/access.log*")))
            return None
        head = head_of(path)
        if head is None and is_blank(path):
            return None          # nothing to count yet
    except FileNotFoundError:
        errors.append(ContentError(shown, None, _("no such file")))
        return None
    except OSError as error:
        errors.append(ContentError(shown, None, _("cannot be read: {reason}").format(
            reason=os_reason(error))))
        return None
    if head is None:
        errors.append(ContentError(shown, 1 if size else None, _(
            "not a web server access log: no line of its beginning is in the combined "
            "format of nginx and Apache, nor an S3 or CloudFront log"),
            hint=_("give the access logs (access.log, access.log.1, access.log.2.gz …), "
                   "not the error log")))
        return None
    return _Log(path, head, size)


def _count_log(log: _Log, tally: Tally, spans: list[LogSpan], following: int | None,
               warnings: list[ContentError], progress: Progress
               ) -> tuple[LogSpan | None, int, LogSpan | None]:
    """Feed LOG's lines not counted before to TALLY: its span, how many of its lines were
    counted before, and the span that held them. FOLLOWING: when the next log begins (the
    days before it can be closed)."""
    skip, earlier = _known_prefix(log, spans)
    shown = log.path.as_posix()
    reading, malformed = Reading(), []
    latest = earlier.last.timestamp() if earlier else 0
    last_day = tally.day_of(following) if following is not None else None
    reader = reader_for(log.head)
    requests_before = tally.requests - tally.skipped.other_hosts
    fast = log.head.format == COMBINED
    for first, lines in line_batches(log.path, reading, lambda size: progress.advance()):
        if first + len(lines) - 1 <= skip:
            continue
        if first <= skip:
            lines, first = lines[skip - first + 1:], skip + 1
        if fast:
            latest = max(latest, tally.combined(lines, first, malformed))
        else:
            for number, line in enumerate(lines, first):
                if (hit := reader(line)) is not None:
                    tally.hit(hit)
                    latest = max(latest, hit.moment)
                elif line.strip() and not line.startswith(b"#"):
                    malformed.append(number)
        if latest:
            # A day stays open while lines of it may still come: from this log, whose
            # lines are nearly in order, or from the next one.
            closing = tally.day_of(int(latest)) - 1
            tally.close_before(closing if last_day is None else min(closing, last_day))
    _tell(shown, reading, malformed, skip,
          tally.requests - tally.skipped.other_hosts - requests_before, warnings)
    if reading.lines == 0:
        return None, 0, None
    first_time = datetime.fromtimestamp(log.head.first, tally.tz)
    last_time = datetime.fromtimestamp(int(latest) or log.head.first, tally.tz)
    span = LogSpan(first_time, last_time, reading.lines, reading.digest.hexdigest(),
                   tuple(reading.marks))
    return span, min(skip, reading.lines), earlier


def _known_prefix(log: _Log, spans: list[LogSpan]) -> tuple[int, LogSpan | None]:
    """How many of LOG's first lines an earlier span holds (0: none), and that span.

    LOG may have grown since (the span's lines are its first ones), or be a shorter copy
    of the span's log (an older or cut one: its first lines hash as one of the span's
    marks, and it is counted already, whole)."""
    candidates = [span for span in spans if int(span.first.timestamp()) == log.head.first]
    if not candidates:
        return 0, None
    digests = prefix_digests(log.path, [count for span in candidates for count in (
        span.lines, *(mark for mark, _digest in span.marks))])
    matching = [span for span in candidates if digests.get(span.lines) == span.sha256]
    if matching:
        longest = max(matching, key=lambda span: span.lines)
        return longest.lines, longest
    for span in candidates:
        if span.lines not in digests and any(digests.get(mark, "")[:16] == digest
                                             for mark, digest in span.marks):
            return span.lines, span          # shorter than the span, and its beginning
    return 0, None


def _tell(shown: str, reading: Reading, malformed: list[int], skip: int, requests: int,
          warnings: list[ContentError]) -> None:
    """Warnings about one log. A last line without its newline is not one: the server is
    still writing it, and a later run counts it."""
    if malformed:
        numbers = ", ".join(str(number) for number in malformed[:SHOWN_LINES])
        more = "" if len(malformed) <= SHOWN_LINES else ", …"
        warnings.append(ContentError(shown, malformed[0], ngettext(
            "{count} line is not a log line and was skipped: line {lines}",
            "{count} lines are not log lines and were skipped: lines {lines}",
            len(malformed)).format(count=len(malformed), lines=numbers + more)))
    if reading.truncated or reading.unreadable:
        warnings.append(ContentError(shown, None, _(
            "the compressed file is cut off after line {line}: the whole lines before the "
            "cut were counted").format(line=reading.lines),
            hint=_("copy the file again from the server; the lines counted now will not be "
                   "counted twice")))
    if not requests and reading.lines > skip:
        warnings.append(ContentError(shown, None, _(
            "no request in its new lines is for a page of this site: is it another site's "
            "log?"), hint=_("the site's addresses are those of base_url in site.toml, and "
                             "[views] hosts")))


def _page_paths(config: SiteConfig, progress: Progress) -> tuple[list[str], dict[bytes, int]]:
    """The paths of the site's pages as the data file writes them ("/2021/01/slug/"), and
    every way a log writes each -> its number in the first."""
    loaded = load_site(config, progress, _Unwritten(ArticleCache(config)))
    site, _left_out = public_site(loaded, build_time(), drafts=False)
    paths: list[str] = []
    pages: dict[bytes, int] = {}
    base = config.base_path
    for document in site.documents:
        number = len(paths)
        paths.append("/" + document.url)
        for url in {base + document.url, quote(base + document.url)}:
            pages.setdefault(url.encode(), number)
            pages.setdefault((url + "index.html").encode(), number)
    return paths, pages


class _Unwritten:
    """The build cache, read and never written: `views` needs the site's addresses only,
    and parsing what the cache lacks must not leave files in .cache/ for a build to find."""

    def __init__(self, cache: ArticleCache):
        self.cache = cache

    def lookup(self, path: Path):
        return self.cache.lookup(path)

    def store(self, path: Path, token: object, article: object, extra: object) -> None:
        pass

    def keep_only(self, paths) -> None:
        pass


def _hosts(config: SiteConfig) -> frozenset[bytes]:
    host = (urlsplit(config.base_url).hostname or "").lower()
    twin = host[4:] if host.startswith("www.") else "www." + host
    return frozenset(name.encode() for name in (host, twin, *config.views.hosts) if name)
