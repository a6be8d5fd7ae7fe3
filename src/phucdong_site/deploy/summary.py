"""What a deploy says: one summary line, or a dry run's list, in the editor's words."""

from __future__ import annotations

from phucdong_site.language import _, choose, decimal, ngettext
from phucdong_site.models import file_size

from .run import DeployReport


def _size(size: int) -> str:
    return "0 KB" if size == 0 else file_size(size, choose())


def summary_line(report: DeployReport) -> str:
    """"Đã đưa lên may-chu: 12 tệp mới hoặc đã sửa, 0 tệp xóa (3,2 MB) trong 1,4 giây"."""
    seconds = decimal(report.seconds, 1)
    if not report.uploaded and not report.deleted:
        return ngettext("{target} already holds this build ({count} file): nothing to send "
                        "({seconds} s)",
                        "{target} already holds this build ({count} files): nothing to send "
                        "({seconds} s)", report.files).format(
                            target=report.target, count=report.files, seconds=seconds)
    sent = ngettext("{count} new or changed file", "{count} new or changed files",
                    len(report.uploaded)).format(count=len(report.uploaded))
    deleted = ngettext("{count} file deleted", "{count} files deleted",
                       len(report.deleted)).format(count=len(report.deleted))
    return _("Deployed to {target}: {sent}, {deleted} ({size}) in {seconds} s").format(
        target=report.target, sent=sent, deleted=deleted, size=_size(report.bytes),
        seconds=seconds)


def dry_run_lines(report: DeployReport) -> list[str]:
    """The dry run: "+ path" for each file to upload, "- path" for each to delete, and what
    the deploy would do."""
    lines = [_("Dry run, nothing changed at {target} ({where}):").format(
        target=report.target, where=report.where)]
    lines += [f"+ {path}" for path in report.uploaded]
    lines += [f"- {path}" for path in report.deleted]
    sent = ngettext("{count} new or changed file", "{count} new or changed files",
                    len(report.uploaded)).format(count=len(report.uploaded))
    deleted = ngettext("{count} file deleted", "{count} files deleted",
                       len(report.deleted)).format(count=len(report.deleted))
    lines.append(_("would send {sent} ({size}); {deleted}").format(
        sent=sent, size=_size(report.bytes), deleted=deleted))
    if len(report.deleted) > report.max_deletes:
        lines.append(_("more deletions than the {limit} allowed: the deploy would stop before "
                       "changing anything; allow them with --max-deletes {count}").format(
                           limit=report.max_deletes, count=len(report.deleted)))
    return lines
