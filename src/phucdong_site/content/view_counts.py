"""The data file of counted views, data/luot-xem.csv: read for the build, written by `views`.

A CSV an editor can open, commit and merge: one row per page per day (`date,path,views`),
sorted, so a new count adds rows at the end. Above the header, one `# log,...` line per
span of log lines already counted (see models.LogSpan): hashes of whole runs of lines and
their times, nothing that names a visitor. Rows may be edited by hand; every problem is told
at its line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from phucdong_site.content.fields import show
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.files import write_atomically
from phucdong_site.language import _
from phucdong_site.models import Article, LogSpan, ViewCounts

VIEWS_FILE = Path("data") / "luot-xem.csv"
HEADER = "date,path,views"
SPAN_MARK = "# log,"
PREAMBLE = (
    "# Lượt xem đếm từ nhật ký máy chủ web bằng lệnh phucdong-site views. Tệp không chứa địa",
    "# chỉ IP, trình duyệt hay mã băm nào của người đọc. Các dòng date,path,views sửa tay được;",
    "# các dòng '# log' ghi những đoạn nhật ký đã đếm (để không đếm hai lần): đừng sửa chúng.",
)
MAX_VIEWS = 10 ** 12             # a day's views of one page, far beyond any real count
MAX_LINE = 4096                  # characters; a path is at most a few hundred

_ROW = re.compile(r"(?P<date>[^,]*),(?P<path>[^,]*),(?P<views>[^,]*)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MARK = re.compile(r"[0-9a-f]{16}")
_SPACE = re.compile(r"\s")        # str.isspace's characters: a C scan, not one call per character


def read_view_counts(site_dir: Path, tz: tzinfo) -> ViewCounts:
    """SITE_DIR's counted views (empty without the file), times in TZ; raises ErrorList
    with every problem of the file, each at its line."""
    path = site_dir / VIEWS_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ViewCounts()
    except OSError as error:
        raise ErrorList([ContentError(VIEWS_FILE, None, _("cannot be read: {reason}").format(
            reason=error.strerror or error))]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ErrorList([ContentError(VIEWS_FILE, line, _(
            "not UTF-8 text: save the file as UTF-8 (CSV UTF-8)"))]) from None
    return parse_view_counts(text, tz)


def parse_view_counts(text: str, tz: tzinfo) -> ViewCounts:
    errors = ErrorList()
    daily: dict[tuple[date, str], int] = {}
    first_line: dict[tuple[date, str], int] = {}
    spans: list[LogSpan] = []
    days: dict[str, date] = {}
    header_seen = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if len(line) > MAX_LINE:
            errors.append(ContentError(VIEWS_FILE, number, _(
                "line of {length} characters; a line of this file is at most {most}").format(
                length=len(line), most=MAX_LINE)))
        elif line.startswith(SPAN_MARK):
            span = _span(line[len(SPAN_MARK):], tz)
            if span is None:
                errors.append(ContentError(VIEWS_FILE, number, _(
                    "a '# log' line that views did not write: delete the line, or put back "
                    "the one views wrote")))
            else:
                spans.append(span)
        elif line.startswith("#"):
            continue
        elif line.replace(" ", "") == HEADER:
            header_seen = True
        elif not header_seen:
            errors.append(ContentError(VIEWS_FILE, number, _(
                "expected the header line {header} before the counts").format(header=HEADER)))
            header_seen = True
        else:
            # Most rows are well written: checked here in a few string operations, the
            # others by _row, which says what is wrong.
            parts = line.split(",")
            if len(parts) == 3:
                written, path, views = parts
                day = days.get(written)
                if day is None and len(written) == 10:
                    try:
                        day = days[written] = date.fromisoformat(written)
                    except ValueError:
                        pass
                if (day is not None and path[:1] == "/" and " " not in path
                        and path.isprintable() and views.isascii() and views.isdigit()
                        and len(views) <= 12
                        and (day, path) not in daily):
                    daily[(day, path)] = int(views)
                    first_line[(day, path)] = number
                    continue
            _row(line, number, daily, first_line, errors)
    errors.raise_if_any()
    return ViewCounts(daily=tuple((day, path, views) for (day, path), views
                                  in sorted(daily.items())),
                      spans=tuple(sorted(spans, key=lambda s: (s.first, s.lines))))


def _row(line: str, number: int, daily: dict, first_line: dict, errors: ErrorList) -> None:
    match = _ROW.fullmatch(line)
    if match is None:
        errors.append(ContentError(VIEWS_FILE, number, _(
            "expected three values, date,path,views, e.g. 2026-12-01,/2021/01/bai-viet/,12")))
        return
    written, path, views = (value.strip() for value in match.groups())
    problems = len(errors.errors)
    try:
        day = date.fromisoformat(written)
    except ValueError:
        errors.append(ContentError(VIEWS_FILE, number, "date: " + _(
            "{value} is not a date written YYYY-MM-DD").format(value=show(written))))
    if not path.startswith("/") or _SPACE.search(path):
        errors.append(ContentError(VIEWS_FILE, number, "path: " + _(
            "{value} is not a page's address under the site, e.g. /2021/01/bai-viet/").format(
            value=show(path))))
    if not (views.isascii() and views.isdigit() and len(views) <= 13
            and int(views) <= MAX_VIEWS):
        errors.append(ContentError(VIEWS_FILE, number, "views: " + _(
            "{value} is not a whole number of views").format(value=show(views))))
    if len(errors.errors) > problems:
        return
    key = (day, path)
    if key in daily:
        errors.append(ContentError(VIEWS_FILE, number, _(
            "{path} on {day} is counted twice, here and on line {line}: keep one row "
            "(their sum, if both counts are right)").format(
            path=path, day=written, line=first_line[key])))
        return
    daily[key], first_line[key] = int(views), number


def _span(values: str, tz: tzinfo) -> LogSpan | None:
    parts = values.split(",")
    if len(parts) not in (4, 5) or not parts[2].isdigit() or not _SHA256.fullmatch(parts[3]):
        return None
    marks = []
    for mark in (parts[4].split(";") if len(parts) == 5 else ()):
        count, _colon, digest = mark.partition(":")
        if not (count.isascii() and count.isdigit() and _MARK.fullmatch(digest)):
            return None
        marks.append((int(count), digest))
    try:
        first, last = (datetime.fromisoformat(part) for part in parts[:2])
    except ValueError:
        return None
    if first.tzinfo is None or last.tzinfo is None:
        return None
    return LogSpan(first.astimezone(tz), last.astimezone(tz), int(parts[2]), parts[3],
                   tuple(marks))


def format_view_counts(counts: ViewCounts) -> str:
    lines = [*PREAMBLE]
    lines += [f"{SPAN_MARK}{span.first.isoformat()},{span.last.isoformat()},{span.lines},"
              f"{span.sha256}" + (",%s" % ";".join(f"{count}:{digest}" for count, digest
                                                    in span.marks) if span.marks else "")
              for span in counts.spans]
    lines.append(HEADER)
    lines += [f"{day.isoformat()},{path},{views}" for day, path, views in counts.daily]
    return "\n".join(lines) + "\n"


def write_view_counts(site_dir: Path, counts: ViewCounts) -> None:
    """Replace SITE_DIR's data file with COUNTS in one step: a reader sees the old file or
    the new one, never half of it."""
    target = site_dir / VIEWS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, format_view_counts(counts).encode())


def merge_counts(counts: ViewCounts, new: Iterable[tuple[date, str, int]],
                 spans: Iterable[LogSpan]) -> ViewCounts:
    """COUNTS with NEW views added, and SPANS as the log lines now counted (those of
    COUNTS, less the ones a longer span of a grown log replaced, and the new ones)."""
    daily = Counter({(day, path): views for day, path, views in counts.daily})
    for day, path, views in new:
        daily[(day, path)] += views
    distinct = {(span.first, span.lines, span.sha256): span for span in spans}
    return ViewCounts(daily=tuple((day, path, views) for (day, path), views
                                  in sorted(daily.items()) if views > 0),
                      spans=tuple(sorted(distinct.values(), key=lambda s: (s.first, s.lines))))


def counted_views(articles: Iterable[Article], counts: ViewCounts, popular_days: int
                  ) -> dict[str, tuple[int, int]]:
    """For each article URL with counted views: (views counted in all, views counted in the
    POPULAR_DAYS days up to the last count, or 0 without POPULAR_DAYS). Views counted at an
    article's old addresses (aliases) are its own."""
    owner: dict[str, str] = {}
    for article in articles:
        owner["/" + article.url] = article.url
        for alias in article.aliases:
            owner.setdefault("/" + alias, article.url)
    since = (counts.as_of - timedelta(days=popular_days - 1)
             if popular_days and counts.as_of else None)
    totals: dict[str, list[int]] = {}
    for day, path, views in counts.daily:
        url = owner.get(path)
        if url is None:
            continue             # a page since deleted, or not an article
        total = totals.setdefault(url, [0, 0])
        total[0] += views
        if since is not None and day >= since:
            total[1] += views
    return {url: (total[0], total[1]) for url, total in totals.items()}
