"""What `views` tells the editor when it has counted."""

from __future__ import annotations

from phucdong_site.content import VIEWS_FILE
from phucdong_site.language import _, choose, ngettext
from phucdong_site.views.run import ViewsReport
from phucdong_site.views.tally import Skipped


def whole(number: int) -> str:
    """NUMBER with the reader's thousands separator: 1.234.567 in Vietnamese."""
    text = f"{number:,}"
    return text.replace(",", ".") if choose() == "vi" else text


def summary_lines(report: ViewsReport) -> list[str]:
    lines = [ngettext("{count} log read: {lines} lines", "{count} logs read: {lines} lines",
                      report.files).format(count=report.files, lines=whole(report.lines))
             + (_(", {known} of them counted before and skipped").format(
                 known=whole(report.known_lines)) if report.known_lines else "")]
    not_counted = _not_counted(report.skipped)
    lines.append(ngettext("{count} view of {pages} page(s) counted",
                          "{count} views of {pages} page(s) counted", report.views).format(
        count=whole(report.views), pages=whole(report.pages))
        + (_(" (not counted: {reasons})").format(reasons="; ".join(not_counted))
           if not_counted else ""))
    if report.written:
        lines.append(_("written to {file}, counted up to {day}: build the site to show "
                       "them").format(file=VIEWS_FILE.as_posix(), day=_day(report)))
    else:
        lines.append(_("--dry-run: {file} was not changed").format(
            file=VIEWS_FILE.as_posix()))
    return lines


def _day(report: ViewsReport) -> str:
    return report.as_of.strftime("%d/%m/%Y") if report.as_of else "-"


def _not_counted(skipped: Skipped) -> list[str]:
    """Why requests for the site's pages were not views, with how many of each."""
    reasons = []
    if count := skipped.crawlers + skipped.robots:
        reasons.append(ngettext("{count} by a crawler", "{count} by crawlers", count).format(
            count=whole(count)))
    if count := skipped.repeats:
        reasons.append(ngettext("{count} repeat within 30 minutes",
                                "{count} repeats within 30 minutes", count).format(
            count=whole(count)))
    if count := skipped.prefetches:
        reasons.append(ngettext("{count} prefetch", "{count} prefetches", count).format(
            count=whole(count)))
    if count := skipped.other_hosts:
        reasons.append(ngettext("{count} for another host", "{count} for other hosts",
                                count).format(count=whole(count)))
    if count := skipped.not_views:
        reasons.append(ngettext("{count} not a GET answered 200 or 304",
                                "{count} not GETs answered 200 or 304", count).format(
            count=whole(count)))
    return reasons
