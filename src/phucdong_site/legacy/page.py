"""A legacy portal page, read: section, title, date, views, and paragraphs with photos in place.

Pages saved as text have the seed's shape: the section line, the title, "Ngày đăng dd/mm/yyyy
| HH:MM | Lượt xem: N", then paragraphs, with a line "Ảnh: …" where each photo stood. HTML
pages (html_page.py) are reduced to the same blocks, so both share the checks below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from phucdong_site.content import AliasProblem, alias_path
from phucdong_site.language import _
from phucdong_site.legacy.decode import ImportProblem, clean_line
from phucdong_site.text import fold

# "Ngày đăng 07/01/2021 | 18:11 | Lượt xem: 188"; the time may be written 18h11.
_DATE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})"
                   r"(?:\s*[|,\-–]?\s*(\d{1,2})\s*[:hg]\s*(\d{2}))?")
_DATE_LABEL = re.compile(r"^(ngay dang|dang ngay|ngay cap nhat|cap nhat|ngay|thu \w+|chu nhat)\b",
                         re.I)
_VIEWS = re.compile(r"luot xem\s*:?\s*([\d.,]+)", re.I)
_CAPTION = re.compile(r"^\s*ảnh\s*:\s*", re.I)
# A line that is only an address, perhaps labelled: "Nguồn: https://…", "URL: https://…".
_ADDRESS_LINE = re.compile(r"(?:(?:nguon|dia chi|url|link|source)\s*:\s*)?(https?://\S+)", re.I)
HEADER_LINES = 12                # the date line must come this early, or the page is not one
SENTENCE_LENGTH = 60             # a last paragraph this long must end like a sentence
SENTENCE_ENDS = tuple(".!?…:;)\"'”’»]")


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    kind: str = "p"              # "p"; or, from HTML pages, "li" (list item) or "h" (subheading)


@dataclass(frozen=True, slots=True)
class Figure:
    """A photo where it stood: its caption, and the image file beside the page if any."""

    caption: str                 # without the "Ảnh:" prefix (the theme adds it back)
    image: Path | None = None    # None: the file is missing; a placeholder will stand in
    missing: str = ""            # why there is no image file, for the report


Block = Paragraph | Figure


@dataclass(frozen=True, slots=True)
class LegacyPage:
    source: Path
    section: str                 # e.g. "tin tức - sự kiện nổi bật"; "" when the page has none
    title: str
    published: datetime          # naive local time of the portal (Asia/Ho_Chi_Minh)
    views: int
    blocks: tuple[Block, ...]
    encoding: str
    warnings: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()   # where the old portal had it (its aliases:), if known


@dataclass(frozen=True, slots=True)
class DateLine:
    published: datetime
    views: int | None
    has_time: bool


def caption_of(text: str) -> str | None:
    """The caption of a line "Ảnh: …", or None for any other line."""
    match = _CAPTION.match(text)
    return text[match.end():].strip() if match else None


def parse_date_line(text: str, line: int | None = None) -> DateLine | None:
    """The date (and view count) of a line like the portal's "Ngày đăng …", or None."""
    folded = fold(text).lower()
    match = _DATE.search(text)
    if match is None or len(text) > 120:
        return None
    before = folded[:match.start()].strip(" :|")
    if before and not _DATE_LABEL.match(before):
        return None          # a title or a sentence that happens to hold a date
    day, month, year, hour, minute = match.groups()
    try:
        published = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        raise ImportProblem("date: " + _("{date} is not a real date (expected dd/mm/yyyy | "
                                         "HH:MM)").format(date=match.group(0).strip()),
                            line) from None
    views = _VIEWS.search(folded)
    return DateLine(published, _to_int(views.group(1)) if views else None, hour is not None)


def views_of(text: str) -> int | None:
    match = _VIEWS.search(fold(text).lower())
    return _to_int(match.group(1)) if match else None


def _to_int(digits: str) -> int:
    # "1.234" and "1,234" are thousands on the portal; it never showed fractions.
    return int(re.sub(r"\D", "", digits) or 0)


def parse_text_page(source: Path, text: str, encoding: str) -> LegacyPage:
    """A page saved as text → LegacyPage; raises ImportProblem. A line that is only the
    page's address, above the title or last, is where the old portal had it."""
    lines = text.split("\n")
    addresses = _address_lines(lines)
    found = None
    seen = 0
    for index, raw in enumerate(lines):
        line = clean_line(raw)
        if not line:
            continue
        seen += 1
        if (date := parse_date_line(line, index + 1)) is not None:
            found = index, date
            break
        if seen >= HEADER_LINES:
            break
    if found is None:
        raise ImportProblem(_("no date line (expected 'Ngày đăng dd/mm/yyyy | HH:MM' under the "
                              "title)"))
    index, date = found
    header = _header_groups(lines[:index])
    if not header:
        raise ImportProblem(_("no title above the date line"), index + 1)
    section = header[0][0] if len(header) > 1 else ""
    title = " ".join(header[-1])
    body_start = index + 1
    views = date.views
    if views is None:
        views, body_start = _views_on_next_line(lines, body_start)
    blocks = text_blocks(lines[body_start:])
    _refuse_cut_text(blocks, lines)
    page = finish_page(source, section, title, date, views, blocks, encoding, index + 1)
    return with_addresses(page, addresses)


def _address_lines(lines: list[str]) -> list[str]:
    """The addresses on lines of their own before the first other line or after the last
    one; those lines are blanked in LINES (they are no part of the article)."""
    found = []
    filled = [index for index, raw in enumerate(lines) if clean_line(raw)]
    head = []
    for index in filled[:HEADER_LINES]:
        try:
            if parse_date_line(clean_line(lines[index])) is not None:
                break
        except ImportProblem:
            break
        head.append(index)
    for index in dict.fromkeys(head + filled[-1:]):
        line = clean_line(lines[index])
        if _ADDRESS_LINE.fullmatch(fold(line)):
            found.append(line[line.index("http"):] if "http" in line else line)
            lines[index] = ""
    return found


def with_addresses(page: LegacyPage, candidates: list[str]) -> LegacyPage:
    """PAGE with those of CANDIDATES that make aliases, each old address once."""
    kept: dict[str, str] = {}
    for candidate in candidates:
        try:
            kept.setdefault(alias_path(candidate), candidate)
        except AliasProblem:
            continue
    return replace(page, addresses=tuple(kept.values()))


def _refuse_cut_text(blocks: list[Block], lines: list[str]) -> None:
    """A text page cut short stops mid-sentence; news prose ends with punctuation.

    Short last lines are let through: they are signatures ("Ban biên tập") or list items.
    """
    if not blocks or not isinstance(blocks[-1], Paragraph):
        return
    text = blocks[-1].text
    if len(text) >= SENTENCE_LENGTH and not text.endswith(SENTENCE_ENDS):
        line = max(index for index, raw in enumerate(lines) if raw.strip()) + 1
        raise ImportProblem(_("truncated: the text stops mid-sentence (\"…{end}\"); if the "
                              "article really ends so, add a full stop and import again").format(
                                  end=text[-30:]), line)


def _blank_separated(lines: list[str]) -> list[list[str]]:
    """The cleaned non-empty lines, in groups separated by blank lines."""
    groups: list[list[str]] = [[]]
    for raw in lines:
        line = clean_line(raw)
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _header_groups(lines: list[str]) -> list[list[str]]:
    """Non-empty lines above the date, in groups separated by blank lines."""
    groups = _blank_separated(lines)
    if len(groups) == 1 and len(groups[0]) > 1:
        # "section\ntitle\ndate" without a blank line: the first line is the section.
        groups = [groups[0][:1], groups[0][1:]]
    return groups


def _views_on_next_line(lines: list[str], start: int) -> tuple[int | None, int]:
    for index in range(start, min(start + 3, len(lines))):
        line = clean_line(lines[index])
        if not line:
            continue
        views = views_of(line)
        if views is not None and len(line) < 40:
            return views, index + 1
        break
    return None, start


def text_blocks(lines: list[str]) -> list[Block]:
    """Paragraphs (separated by blank lines) and "Ảnh: …" captions, in order."""
    groups = _blank_separated(lines)
    if len(groups) == 1:
        # No blank lines at all: the page was saved one paragraph per line.
        groups = [[line] for line in groups[0]]
    blocks: list[Block] = []
    for group in groups:
        paragraph: list[str] = []
        for line in group:
            caption = caption_of(line)
            if caption is None:
                paragraph.append(line)
                continue
            if paragraph:
                blocks.append(Paragraph(" ".join(paragraph)))
                paragraph = []
            blocks.append(Figure(caption, None,
                                 _("the page was saved as text, without its photos")))
        if paragraph:
            blocks.append(Paragraph(" ".join(paragraph)))
    return blocks


def finish_page(source: Path, section: str, title: str, date: DateLine, views: int | None,
                blocks: list[Block], encoding: str, date_line: int | None) -> LegacyPage:
    """The checks every page passes, whatever its format; raises ImportProblem."""
    if not title:
        raise ImportProblem(_("no title"), date_line)
    if not blocks:
        raise ImportProblem(_("nothing after the date line (the page may be truncated)"),
                            date_line)
    warnings = []
    if not date.has_time:
        warnings.append(_("the date line has no time; used 00:00"))
    if views is None:
        warnings.append(_("no view count ('Lượt xem: N'); used 0"))
    return LegacyPage(source=source, section=section, title=title, published=date.published,
                      views=views or 0, blocks=tuple(blocks), encoding=encoding,
                      warnings=tuple(warnings))
