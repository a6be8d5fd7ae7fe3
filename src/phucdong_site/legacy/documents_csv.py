"""The old portal's document list (CSV, one row per document) → rows ready to write, or the
problems of each row and of the file, each at its line.

A list is read as it streams: one physical line and one cell at a time are bounded, so a
huge file or a cell gone wild (an unclosed quote) costs a bounded amount of memory. The
file must be UTF-8 (a BOM, as Excel's "CSV UTF-8" writes, is fine); Excel's plain "CSV"
is written in the computer's legacy code page and is refused with what to do instead.
The delimiter is a comma, or a semicolon as Excel writes in a Vietnamese locale: the one
that makes the header row read as known headings wins.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from phucdong_site.config import SiteConfig
from phucdong_site.content import MAX_ATTACHMENT_BYTES, document_kind
from phucdong_site.errors import ContentError, did_you_mean, os_reason
from phucdong_site.language import _, decimal, ngettext
from phucdong_site.legacy.decode import clean_line
from phucdong_site.legacy.markdown_text import quoted
from phucdong_site.text import fold, number_key, slugify

# The document fields a list may have, in the order a document file writes them, with the
# heading an old portal's or Excel's export gives each.
HEADINGS = {
    "so_ky_hieu": "Số ký hiệu", "loai": "Loại văn bản", "co_quan": "Cơ quan ban hành",
    "nguoi_ky": "Người ký", "ngay_ban_hanh": "Ngày ban hành", "ngay_hieu_luc": "Ngày hiệu lực",
    "het_hieu_luc": "Hết hiệu lực", "thay_the_boi": "Thay thế bởi", "trich_yeu": "Trích yếu",
    "tep": "Tệp đính kèm", "lien_quan": "Văn bản liên quan",
}
# Other ways exports name a column, folded as heading_key() folds them.
_ALIASES = {
    "so_hieu": "so_ky_hieu", "so_va_ky_hieu": "so_ky_hieu", "so_ky_hieu_van_ban": "so_ky_hieu",
    "loai": "loai", "co_quan": "co_quan", "don_vi_ban_hanh": "co_quan",
    "noi_ban_hanh": "co_quan", "nguoi_ky": "nguoi_ky", "tep": "tep", "tep_tin": "tep",
    "dinh_kem": "tep", "tai_lieu_dinh_kem": "tep", "lien_quan": "lien_quan",
}
# Columns a spreadsheet adds that say nothing about the document: the row's number.
IGNORED_HEADINGS = frozenset({"stt", "tt", "so_thu_tu"})
REQUIRED = ("so_ky_hieu", "loai", "ngay_ban_hanh", "trich_yeu", "tep")
MAX_CELL = 4000              # characters; a trích yếu is a sentence or two, a number a word
MAX_LINE = 1_000_000         # characters of one line of the file, read at most at once
MAX_FILES = 20               # files of one document
# Words a het_hieu_luc cell may say instead of a date (folded, lower case).
_ENDED = frozenset({"x", "co", "true", "1", "yes", "het hieu luc", "da het hieu luc"})
_NOT_ENDED = frozenset({"", "khong", "false", "0", "no", "con hieu luc"})
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MIDNIGHT = re.compile(r"(?:[ T]0?0:00(?::00)?)?")     # Excel's "15/01/2021 00:00"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SEPARATORS = re.compile(r"[;|\n]")


def heading_key(heading: str) -> str:
    """A heading as matched: folded, lower case, words joined by "_" ("Số ký hiệu" →
    so_ky_hieu)."""
    return slugify(heading, max_length=200).replace("-", "_")


KNOWN_HEADINGS = {**{key: key for key in HEADINGS}, **_ALIASES,
                  **{heading_key(text): key for key, text in HEADINGS.items()}}


class ListProblem(Exception):
    """The whole list cannot be read: no row of it is imported."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(errors[0].message)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One row of a list, checked: what a document file needs, files found on disk."""

    line: int                    # the row's first line in the list
    number: str                  # so_ky_hieu, "12/KH-UBND"
    kind: str                    # loai, as written (the document kind checks it)
    issuer: str                  # co_quan; "" when site.toml's [documents] issuer stands in
    signer: str
    issued: date
    effective: date | None
    ends: date | bool | None     # a date, True (ended, no date) or None
    replaced_by: str
    summary: str
    files: tuple[Path, ...]      # the files, found beside the list
    related: tuple[str, ...]

    @property
    def key(self) -> str:
        return number_key(self.number)


@dataclass
class RowProblems:
    """The problems of one row, each `list.csv:LINE: field: message`."""

    source: str
    line: int
    errors: list[ContentError] = field(default_factory=list)

    def add(self, key: str, message: str, hint: str = "") -> None:
        # The field as the list's header and the document file name it; the message translated.
        self.errors.append(ContentError(self.source, self.line, key + ": " + message, hint))


def read_rows(path: Path, source: str, config: SiteConfig
              ) -> Iterator[DocumentRow | RowProblems]:
    """Each row of the list PATH (SOURCE as messages name it), checked, in order; raises
    ListProblem when the file as a whole cannot be read (encoding, headings, a line too long).
    """
    _check_utf8(path, source)
    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = _bounded_lines(stream, source)
        first = next(lines, None)
        offset = 0
        if first is not None and (sep := re.fullmatch(r"sep=(.)\r?\n?", first)):
            delimiter, offset = sep.group(1), 1     # Excel's own hint line: "sep=;"
            first = next(lines, None)
        elif first is not None:
            delimiter = _sniff(first)
        if first is None or not first.strip():
            raise ListProblem([ContentError(source, offset + 1, _(
                "no header row; the first line names the columns, e.g. "
                "Số ký hiệu,Loại văn bản,Ngày ban hành,Trích yếu,Tệp đính kèm"))])
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        try:
            header = next(reader)
            columns = _columns(header, source, offset + 1, config)
            done = reader.line_num
            for cells in reader:
                line, done = offset + done + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue             # blank lines, and Excel's ";;;;" rows
                yield _row(cells, columns, RowProblems(source, line), path.parent, config)
        except csv.Error as error:
            raise ListProblem([ContentError(source, offset + reader.line_num, _(
                "cannot be read from here on ({reason})").format(reason=error), hint=_(
                "a cell longer than {limit} characters is usually a quote (\") that is never "
                "closed").format(limit=csv.field_size_limit()))])


class _LineTooLong(Exception):
    pass


def _bounded_lines(stream, source: str) -> Iterator[str]:
    number = 0
    while line := stream.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise ListProblem([ContentError(source, number, _(
                "a line longer than {limit} characters; this is not a document list").format(
                    limit=MAX_LINE))])
        yield line


def _check_utf8(path: Path, source: str) -> None:
    """Raises ListProblem at the first byte that is not UTF-8, read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    data = error.object
                    line += data.count(b"\n", 0, error.start)
                    raise ListProblem([_not_utf8(source, line, data[error.start])])
                line += chunk.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                raise ListProblem([_not_utf8(source, line, error.object[error.start])])
    except OSError as error:
        raise ListProblem([ContentError(source, None, _("cannot read ({reason})").format(
            reason=os_reason(error)))])
    if line == 1 and path.stat().st_size == 0:
        raise ListProblem([ContentError(source, None, _("empty file"))])


def _not_utf8(source: str, line: int, byte: int) -> ContentError:
    return ContentError(source, line, _(
        "not UTF-8 text (byte 0x{byte:02x}): Excel saved it as plain \"CSV\", in the "
        "computer's old code page").format(byte=byte), hint=_(
        "in Excel choose File → Save As → \"CSV UTF-8 (Comma delimited) (*.csv)\", then "
        "import that file"))


def _sniff(line: str) -> str:
    """The delimiter that makes LINE read as the most known headings; else the most cells."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([line], delimiter=delimiter), [])
        known = sum(1 for cell in cells if heading_key(cell) in KNOWN_HEADINGS)
        return known, len(cells)
    return max((",", ";", "\t"), key=score)


def _columns(header: list[str], source: str, line: int,
             config: SiteConfig) -> list[str | None]:
    """The field of each column (None: ignored); raises ListProblem naming every unknown,
    repeated or missing heading."""
    errors: list[ContentError] = []
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    choices = [*HEADINGS.values(), *HEADINGS]
    for heading in header:
        text = clean_line(heading)
        key = heading_key(text)
        if not key or key in IGNORED_HEADINGS:
            columns.append(None)
            continue
        found = KNOWN_HEADINGS.get(key)
        if found is None:
            close = did_you_mean(text, choices) or did_you_mean(key, [*KNOWN_HEADINGS])
            errors.append(ContentError(source, line, _("unknown column {heading}").format(
                heading=quoted(text)), hint=close or _("the columns are: {names}").format(
                    names=", ".join(HEADINGS.values()))))
        elif found in seen:
            errors.append(ContentError(source, line, _(
                "columns {first} and {second} are both {field}").format(
                    first=quoted(seen[found]), second=quoted(text), field=found)))
        else:
            seen[found] = text
        columns.append(found if found not in columns else None)
    required = [*REQUIRED, *([] if config.documents.issuer else ["co_quan"])]
    for key in required:
        if key not in seen:
            errors.append(ContentError(source, line, _(
                "no column {heading} ({field}); every document needs it").format(
                    heading=quoted(HEADINGS[key]), field=key), hint=_(
                "or set issuer = \"…\" under [documents] in site.toml") if key == "co_quan"
                else ""))
    if errors:
        raise ListProblem(errors)
    return columns


def _row(cells: list[str], columns: list[str | None], problems: RowProblems, folder: Path,
         config: SiteConfig) -> DocumentRow | RowProblems:
    if len(cells) != len(columns):
        problems.errors.append(ContentError(problems.source, problems.line, ngettext(
            "row has {count} column, the header has {columns}",
            "row has {count} columns, the header has {columns}", len(cells)).format(
                count=len(cells), columns=len(columns)), hint=_(
            "a cell holding the delimiter needs quotes around it, as Excel writes it")))
        return problems
    values: dict[str, str] = {}
    for key, cell in zip(columns, cells):
        if key is None:
            continue
        if len(cell) > MAX_CELL:
            problems.add(key, _("{count} characters; the limit is {limit}").format(
                count=len(cell), limit=MAX_CELL))
            cell = ""
        values[key] = _clean(cell, keep_lines=key in ("tep", "lien_quan"))
    required = [*REQUIRED, *([] if config.documents.issuer else ["co_quan"])]
    for key in required:
        if not values.get(key) and not any(e.message.startswith(f"{key}:")
                                           for e in problems.errors):
            problems.add(key, _("empty; every document needs one"))
    issued = _date(values, "ngay_ban_hanh", problems)
    effective = _date(values, "ngay_hieu_luc", problems)
    ends = _ends(values, problems)
    files = _files(values.get("tep", ""), folder, problems)
    related = tuple(dict.fromkeys(
        " ".join(part.split()) for part in re.split(r"[;|,\n]", values.get("lien_quan", ""))
        if part.strip()))
    if problems.errors or issued is None:
        return problems
    return DocumentRow(
        line=problems.line, number=re.sub(r"\s*/\s*", "/", values["so_ky_hieu"]),
        kind=values["loai"], issuer=values.get("co_quan", ""),
        signer=values.get("nguoi_ky", ""), issued=issued, effective=effective, ends=ends,
        replaced_by=re.sub(r"\s*/\s*", "/", values.get("thay_the_boi", "")),
        summary=values["trich_yeu"], files=files, related=related)


def _clean(cell: str, keep_lines: bool = False) -> str:
    """A cell as NFC text without control characters, its spaces collapsed; its lines
    joined by a space (kept, one per line, where they separate items)."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", cell.replace("\r\n", "\n")))
    lines = [clean_line(part) for part in text.split("\n")]
    return ("\n" if keep_lines else " ").join(part for part in lines if part)


def _date(values: dict[str, str], key: str, problems: RowProblems) -> date | None:
    """KEY's date, written dd/mm/yyyy or YYYY-MM-DD; None when empty or wrong."""
    text = values.get(key, "")
    if not text:
        return None
    day_first = _DAY_FIRST.match(text)
    iso = _ISO.match(text)
    match = day_first or iso
    if match is None or not _MIDNIGHT.fullmatch(text[match.end():]):
        problems.add(key, _("{value} is not a date (expected dd/mm/yyyy or YYYY-MM-DD)").format(
            value=quoted(text)))
        return None
    if day_first:
        day, month, year = map(int, day_first.groups())
    else:
        year, month, day = map(int, match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        problems.add(key, _("{value} is not a real date").format(value=quoted(text)))
        return None


def _ends(values: dict[str, str], problems: RowProblems) -> date | bool | None:
    """het_hieu_luc: a date; a word saying it has ended (x, có); or nothing."""
    text = values.get("het_hieu_luc", "")
    word = " ".join(fold(text).lower().split())
    if word in _NOT_ENDED:
        return None
    if word in _ENDED:
        return True
    if not (_DAY_FIRST.match(text) or _ISO.match(text)):
        problems.add("het_hieu_luc", _("{value} is neither a date nor \"x\"").format(
            value=quoted(text)), hint=_("write the date it stopped being in force, or x if "
                                        "it has and the date is not known; leave it empty "
                                        "while it is in force"))
        return None
    return _date(values, "het_hieu_luc", problems)


def _files(cell: str, folder: Path, problems: RowProblems) -> tuple[Path, ...]:
    """The files the tep cell names (relative to the list's folder), each checked."""
    found: list[Path] = []
    names = [name.strip() for name in _SEPARATORS.split(cell) if name.strip()]
    if len(names) > MAX_FILES:
        problems.add("tep", _("{count} files; the limit is {limit} for one document").format(
            count=len(names), limit=MAX_FILES))
        return ()
    for name in names:
        if "://" in name or name.startswith("//"):
            problems.add("tep", _("{path} is a web address; download the file and put it "
                                  "beside the list").format(path=quoted(name)))
            continue
        if document_kind(name) is None:
            problems.add("tep", _("{path} is not a kind of document the site publishes")
                         .format(path=quoted(name)), hint=_(
                "PDF, DOC, DOCX, XLS, XLSX, ODT, ODS or ZIP"))
            continue
        # Old portals wrote their files' addresses, /uploads/2021/x.pdf: read from the list's
        # folder, where the downloaded uploads lie.
        relative = PurePosixPath(name.replace("\\", "/").lstrip("/"))
        path = folder.joinpath(*relative.parts)
        # A list names files beside it: one reached through .. or a link out of its folder
        # would be copied into content/ and published.
        try:
            inside = path.resolve().is_relative_to(folder.resolve())
        except (OSError, RuntimeError):
            inside = False
        if ".." in relative.parts or not inside:
            problems.add("tep", _("{path} is outside the folder of the list").format(
                path=quoted(name)), hint=_("file names are relative to the folder of the CSV "
                                           "file; several are separated by ; or |"))
            continue
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError as error:
            problems.add("tep", _("{path} cannot be read ({reason})").format(
                path=quoted(name), reason=os_reason(error)))
            continue
        if size is None:
            problems.add("tep", _("{path} does not exist beside the list").format(
                path=quoted(name)) if not path.exists() else _("{path} is not a file").format(
                path=quoted(name)), hint=_("file names are relative to the folder of the CSV "
                                           "file; several are separated by ; or |"))
        elif size > MAX_ATTACHMENT_BYTES:
            problems.add("tep", _("{path} is {size} MB, over the limit of {limit} MB").format(
                path=quoted(name), size=decimal(size / 2**20, 1),
                limit=MAX_ATTACHMENT_BYTES // 2**20))
        elif path not in found:
            found.append(path)
    return tuple(found)
