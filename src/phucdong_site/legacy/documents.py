"""`phucdong-site import van-ban.csv`: the rows of a document list → document files under
content/van-ban/YEAR/, each with its files copied beside it.

The same rules as for articles: a row whose number, issuing body and year are already in the
site is skipped, so a second run writes nothing; nothing is overwritten (--force rewrites only
documents an earlier import wrote into the output folder); a row that cannot be imported is
reported with every reason, at its line, while the others still are. Each file written is
first read back by the document kind's own parser, so a row the build would refuse is refused
here, at its line in the list, and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.content import (
    DOCUMENTS_FOLDER,
    FrontMatterProblem,
    parse_document,
    split,
)
from phucdong_site.errors import ContentError, ErrorList, os_reason
from phucdong_site.language import _
from phucdong_site.legacy.documents_csv import DocumentRow, ListProblem, RowProblems, read_rows
from phucdong_site.legacy.markdown_text import quoted
from phucdong_site.text import fold, number_key, slugify

_DIGEST_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Known:
    """A document already in the site."""

    path: Path
    slug: str                    # its address's last part
    imported: bool               # an import wrote it (it has imported_from:)


def identity(number: str, issuer: str, year: int) -> tuple[str, str, int]:
    """One number from one body in one year is one document (as the register sees it)."""
    return number_key(number), fold(" ".join(issuer.split())).lower(), year


class DocumentIndex:
    """The documents already in the site, to recognise a row imported before, keep addresses
    distinct and tell whether a number a row names exists."""

    def __init__(self, roots: Iterable[Path], config: SiteConfig):
        self.issuer = config.documents.issuer
        self.by_identity: dict[tuple[str, str, int], Known] = {}
        self.slugs: set[str] = set()
        self.numbers: set[str] = set()           # number keys and slugs a reference may name
        for root in dict.fromkeys(root.resolve() for root in roots):
            for path in sorted(root.rglob("*.md")) if root.is_dir() else ():
                self._add_file(path)

    def _add_file(self, path: Path) -> None:
        try:
            text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
            meta = split(text.replace("\r\n", "\n")).metadata
        except (OSError, UnicodeDecodeError, FrontMatterProblem):
            return                   # `check` reports broken documents; here they match nothing
        number = meta.get("so_ky_hieu")
        if isinstance(number, bool) or not isinstance(number, (str, int)):
            return
        key = number_key(re.sub(r"\s*/\s*", "/", str(number)))
        slug = meta["slug"] if isinstance(meta.get("slug"), str) else key
        issuer = meta.get("co_quan") if isinstance(meta.get("co_quan"), str) else self.issuer
        year = re.match(r"\d{4}", str(meta.get("ngay_ban_hanh", "")))
        self.slugs.add(slug)
        self.numbers.update((key, slug))
        if year:
            self.by_identity.setdefault(identity(str(number), issuer or "", int(year.group())),
                                        Known(path.resolve(), slug, "imported_from" in meta))

    def find(self, row: DocumentRow) -> Known | None:
        return self.by_identity.get(self._identity(row))

    def add(self, row: DocumentRow, known: Known) -> None:
        self.by_identity[self._identity(row)] = known
        self.slugs.add(known.slug)
        self.numbers.update((row.key, known.slug))

    def _identity(self, row: DocumentRow) -> tuple[str, str, int]:
        return identity(row.number, row.issuer or self.issuer, row.issued.year)


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What happened to one row (or to the whole list, when LINE is None)."""

    line: int | None
    number: str
    status: str                  # "imported", "skipped" or "failed"
    message: str                 # target file, or the reason
    notes: tuple[str, ...] = ()
    errors: tuple[ContentError, ...] = ()


def import_list(path: Path, source: str, out_dir: Path, config: SiteConfig,
                index: DocumentIndex, force: bool = False) -> list[RowOutcome]:
    """Every row of the list PATH imported into OUT_DIR, or why not, in order."""
    outcomes: list[RowOutcome] = []
    imported: list[tuple[int, DocumentRow]] = []
    validate = _validating_config(out_dir, config)
    try:
        for row in read_rows(path, source, config):
            if isinstance(row, RowProblems):
                outcomes.append(RowOutcome(row.line, "", "failed", row.errors[0].message,
                                           errors=tuple(row.errors)))
                continue
            outcome = _import_row(row, source, out_dir, config, index, force, validate)
            if outcome.status == "imported":
                imported.append((len(outcomes), row))
            outcomes.append(outcome)
    except ListProblem as problem:
        outcomes.append(RowOutcome(None, "", "failed", problem.errors[0].message,
                                   errors=tuple(problem.errors)))
    # References are told once the whole list is in: a row may name one further down.
    for position, row in imported:
        missing = [number for number in (row.replaced_by, *row.related)
                   if number and number_key(number) not in index.numbers]
        if missing:
            note = _("{numbers}: not the number of any document in the site or the list; the "
                     "build refuses a reference to a missing document: import or add it, or "
                     "remove the reference").format(numbers=", ".join(missing))
            outcomes[position] = replace(outcomes[position],
                                         notes=(*outcomes[position].notes, note))
    return outcomes


def _validating_config(out_dir: Path, config: SiteConfig) -> bool:
    """Whether OUT_DIR lies in the site's content/, where the document kind can read it."""
    return out_dir.resolve().is_relative_to((config.site_dir / "content").resolve())


def _import_row(row: DocumentRow, source: str, out_dir: Path, config: SiteConfig,
                index: DocumentIndex, force: bool, validate: bool) -> RowOutcome:
    known = index.find(row)
    out = out_dir.resolve()
    replacing = known is not None and force and known.imported and known.path.is_relative_to(out)
    if known is not None and not replacing:
        why = _("same number, issuing body and year")
        if force:
            why += "; " + (_("written by hand, so not replaced even with --force")
                           if known.imported is False else
                           _("outside the import folder, so not replaced even with --force"))
        return RowOutcome(row.line, row.number, "skipped", _(
            "already in the site as {path} ({why})").format(path=_shown(known.path), why=why))
    if known is not None:
        target, slug = known.path, known.slug
    else:
        target, slug = _free_target(row, out_dir / f"{row.issued.year}", index)
    created: list[Path] = []
    try:
        names = _copy_files(row, target, slug, replacing, created)
        text = document_text(row, config, names, slug, source)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        created.append(tmp)
        notes = _read_back(tmp, config, source, row.line) if validate else []
        tmp.replace(target)
        created.remove(tmp)
    except ErrorList as problems:
        _remove(created)
        errors = tuple(ContentError(source, row.line, error.message, error.hint)
                       for error in problems.errors)
        return RowOutcome(row.line, row.number, "failed", errors[0].message, errors=errors)
    except OSError as error:
        _remove(created)
        where = _shown(Path(error.filename)) if error.filename else _shown(target)
        problem = ContentError(source, row.line, _("cannot write {path} ({reason})").format(
            path=where, reason=os_reason(error)))
        return RowOutcome(row.line, row.number, "failed", problem.message, errors=(problem,))
    index.add(row, Known(target.resolve(), slug, True))
    register = (config.site_dir / "content" / DOCUMENTS_FOLDER).resolve()
    if not out.is_relative_to(register):
        notes = [*notes, _("{folder} is not in the site's content/{documents}/: the build reads "
                   "documents only from there").format(folder=_shown(out_dir),
                                                       documents=DOCUMENTS_FOLDER)]
    return RowOutcome(row.line, row.number, "imported", _shown(target), tuple(notes))


def _read_back(tmp: Path, config: SiteConfig, source: str, line: int) -> list[str]:
    """The notes of the file just written, as the build reads it; raises ErrorList."""
    site = config.site_dir.resolve()
    document = parse_document(config.site_dir / tmp.resolve().relative_to(site), config)
    return [f"{note.message}" + (f" ({note.hint})" if note.hint else "")
            for note in document.notes]


def _free_target(row: DocumentRow, folder: Path, index: DocumentIndex) -> tuple[Path, str]:
    """FOLDER/slug.md and its slug: the number's key, else with the year (numbers start
    again every year), else numbered, so that no two documents share an address or a file."""
    base = row.key or "van-ban"
    candidates = [base, f"{base}-{row.issued.year}"]
    number = 2
    while True:
        for slug in candidates:
            if (slug not in index.slugs and not (folder / f"{slug}.md").exists()
                    and not (folder / slug).exists()):
                return folder / f"{slug}.md", slug
        candidates = [f"{base}-{row.issued.year}-{number}"]
        number += 1


def _copy_files(row: DocumentRow, target: Path, slug: str, replacing: bool,
                created: list[Path]) -> list[str]:
    """Each of the row's files copied beside TARGET; their names there, in order. A file of
    the same name with other bytes is never replaced (unless REPLACING this document)."""
    names: list[str] = []
    digests: dict[Path, str] = {}
    for source in row.files:
        stem = slugify(source.stem) or "tep"
        if not stem.startswith(row.key or slug):
            stem = f"{slug}-{stem}"
        suffix = source.suffix.lower()
        number = 1
        while True:
            name = f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
            dest = target.parent / name
            if name in names:
                number += 1
                continue
            if not dest.exists():
                _copy(source, dest)
                created.append(dest)
                break
            if _digest(dest, digests) == _digest(source, digests):
                break
            if replacing:
                _copy(source, dest)
                break
            number += 1
        names.append(name)
    return names


def _copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(dest)


def _digest(path: Path, known: dict[Path, str]) -> str:
    if path not in known:
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(_DIGEST_CHUNK):
                digest.update(chunk)
        known[path] = digest.hexdigest()
    return known[path]


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def document_text(row: DocumentRow, config: SiteConfig, files: list[str], slug: str,
                  source: str) -> str:
    """The whole .md file of ROW: front matter as the editors' guide writes it, no body."""
    types = {fold(name).lower(): name for name in config.documents.types}
    lines = ["---", f"so_ky_hieu: {quoted(row.number)}",
             f"loai: {quoted(types.get(fold(row.kind).lower(), row.kind))}"]
    if row.issuer:
        lines.append(f"co_quan: {quoted(row.issuer)}")
    if row.signer:
        lines.append(f"nguoi_ky: {quoted(row.signer)}")
    lines.append(f"ngay_ban_hanh: {row.issued:%Y-%m-%d}")
    if row.effective is not None:
        lines.append(f"ngay_hieu_luc: {row.effective:%Y-%m-%d}")
    if row.ends is True:
        lines.append("het_hieu_luc: true")
    elif row.ends is not None:
        lines.append(f"het_hieu_luc: {row.ends:%Y-%m-%d}")
    if row.replaced_by:
        lines.append(f"thay_the_boi: {quoted(row.replaced_by)}")
    lines.append(f"trich_yeu: {quoted(row.summary)}")
    lines.append("tep:")
    lines += [f"  - src: {quoted(name)}" for name in files]
    if row.related:
        lines.append(f"lien_quan: [{', '.join(quoted(number) for number in row.related)}]")
    if slug != row.key:
        lines.append(f"slug: {slug}")
    lines += [f"imported_from: {quoted(Path(source).name)}", "---", ""]
    return "\n".join(lines)


def _shown(path: Path) -> str:
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
