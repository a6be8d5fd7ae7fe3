"""One văn bản file → a validated, frozen OfficialDocument, or every problem in it; and
the problems only the whole register shows (one number twice, a replacement that does not
exist or goes round in a circle).

The document kind's field table (DOCUMENT_KEYS) and its validators. A document lives under
content/van-ban/ and is published at van-ban/<its number folded>/: 12/KH-UBND at
/van-ban/12-kh-ubnd/. Field names are the ones the editors' guide teaches, in Vietnamese
without tones, as the old portal's export names them."""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.content.fields import (
    FileProblems,
    aliases_field,
    date_field,
    flag_field,
    illustrated_body,
    kind,
    parse_date_parts,
    read_source,
    show,
    text_field,
    unknown_keys,
)
from phucdong_site.errors import ContentError, ErrorList, did_you_mean
from phucdong_site.language import N_, _, deferred, ngettext
from phucdong_site.models import Body, OfficialDocument
from phucdong_site.photos import PhotoFile, PhotoProblem, SourceIndex
from phucdong_site.text import fold, is_slug, number_key

DOCUMENTS_FOLDER = "van-ban"     # under content/
DOCUMENT_KEYS = ("so_ky_hieu", "loai", "co_quan", "nguoi_ky", "ngay_ban_hanh", "ngay_hieu_luc",
                 "het_hieu_luc", "thay_the_boi", "trich_yeu", "tep", "lien_quan", "slug",
                 "draft", "aliases")
MAX_RELATED = 100
MAX_NUMBER = 100                 # characters of so_ky_hieu: the longest real ones are ~30
# The register's own folders under van-ban/ (pages/register.py: by type, by year, the pages
# after the first, the filters' index): no document's address may be one of them.
REGISTER_FOLDERS = ("loai", "nam", "page", "chi-muc")
_RELATED = "lien_quan"
# N/SYMBOL as Nghị định 30/2020 writes it: 12/KH-UBND, 01/2021/QĐ-UBND, 123/UBND-VP,
# 07/CT-TTg, 12a/TB-UBND. The symbol's parts are the type's and the bodies' abbreviations.
_NUMBER = re.compile(r"[0-9]{1,6}[a-zA-Z]?(/[0-9]{4})?/[A-ZĐ][A-ZĐa-z0-9.]*(-[A-ZĐ0-9][A-ZĐa-z0-9.]*)*")


def parse_document(path: Path, config: SiteConfig,
                   photo_files: dict[Path, PhotoFile | PhotoProblem] | None = None,
                   sources: SourceIndex | None = None) -> OfficialDocument:
    """One document file → OfficialDocument, or an ErrorList of every problem in it."""
    shown, parts = read_source(path, config)
    meta = parts.metadata
    problems = FileProblems(shown, parts.lines, default_line=2)
    unknown_keys(meta, DOCUMENT_KEYS, problems)

    number = _number(meta, config, problems)
    kind_ = _kind(meta, config, problems)
    issuer = _issuer(meta, config, problems)
    signer = text_field(meta, "nguoi_ky", problems)
    summary = text_field(meta, "trich_yeu", problems,
                         required=_("missing; every document needs its summary (trích yếu)"))
    issued = _date(meta, "ngay_ban_hanh", config, problems, required=True)
    effective = _date(meta, "ngay_hieu_luc", config, problems, required=False)
    if effective is not None and issued is not None and effective.date() < issued.date():
        problems.add("ngay_hieu_luc", _("{effective} is before the date of issue, {issued}")
                     .format(effective=f"{effective:%d/%m/%Y}", issued=f"{issued:%d/%m/%Y}"),
                     hint=_("a document takes effect on or after the day it is issued"))
    ends, repealed = _end(meta, config, problems)
    if ends is not None and issued is not None and ends.date() < issued.date():
        problems.add("het_hieu_luc", _("{ends} is before the date of issue, {issued}").format(
            ends=f"{ends:%d/%m/%Y}", issued=f"{issued:%d/%m/%Y}"))
    elif ends is not None and effective is not None and ends.date() < effective.date():
        problems.add("het_hieu_luc", _("{ends} is before the effective date, {effective}")
                     .format(ends=f"{ends:%d/%m/%Y}", effective=f"{effective:%d/%m/%Y}"))
    replaced_by = _reference(meta.get("thay_the_boi"), "thay_the_boi", problems)
    related, related_lines = _references(meta.get("lien_quan"), problems)
    slug = _slug(meta, number, problems)
    draft = flag_field(meta, "draft", problems)
    aliases, alias_lines = aliases_field(meta, problems)
    url = f"{DOCUMENTS_FOLDER}/{slug}/"
    files = meta.get("tep")
    if isinstance(files, str) and files.strip():
        # one file written alone, tep: 12-kh-ubnd.pdf: a list of one, at the field's line
        meta = {**meta, "tep": [files]}
        problems.lines.setdefault("tep[0]", problems.lines.get("tep", 1))
    body = illustrated_body(meta, parts, shown, config, problems, photo_files, sources,
                            url=url, attachments_key="tep")
    if files is None:
        problems.add("tep", _("missing; list the document's file (PDF, DOC, DOCX, XLS, XLSX, "
                              "ODT)"), hint=_("e.g. tep: 12-kh-ubnd.pdf, the file beside "
                                              "this one"), line=None if "tep" in parts.lines
                     else 1)
    elif files == [] or (isinstance(files, str) and not files.strip()):
        problems.add("tep", _("lists no file"), hint=_(
            "e.g. tep: 12-kh-ubnd.pdf, the file beside this one"))

    if problems.errors:
        raise ErrorList(problems.errors)
    return OfficialDocument(
        source=shown, number=number, slug=slug, kind=kind_, issuer=issuer, issued=issued,
        summary=summary, signer=signer, effective=effective, ends=ends, repealed=repealed,
        replaced_by=replaced_by, related=related, attachments=body.attachments,
        body=Body(body.html), photos=body.photos, images=body.images,
        extra=tuple((str(k), v) for k, v in meta.items() if k not in DOCUMENT_KEYS),
        draft=draft, aliases=aliases, alias_lines=alias_lines,
        lines=(*((key, parts.lines[key]) for key in DOCUMENT_KEYS if key in parts.lines),
               *related_lines),
        notes=tuple(problems.notes))


def _number(meta: dict, config: SiteConfig, problems: FileProblems) -> str:
    value = meta.get("so_ky_hieu")
    if isinstance(value, str) and not value.strip():
        problems.add("so_ky_hieu", _("is empty"), hint=_(
            "write the number and symbol as issued (expected N/SYMBOL, e.g. 12/KH-UBND or "
            "01/2021/QĐ-UBND)"))
        return ""
    before = len(problems.errors)
    number = re.sub(r"\s*/\s*", "/", text_field(meta, "so_ky_hieu", problems, required=_(
        "missing; write the document's number and symbol, e.g. so_ky_hieu: 12/KH-UBND")))
    if not number or len(problems.errors) > before:
        return number
    if len(number) > MAX_NUMBER:
        problems.add("so_ky_hieu", _("{count} characters; the limit is {limit}").format(
            count=len(number), limit=MAX_NUMBER))
        return number[:MAX_NUMBER]
    if not number_key(number):
        problems.add("so_ky_hieu", _("{value} has no letters or digits").format(
            value=show(number)))
    elif not _NUMBER.fullmatch(number):
        message = N_("{value} does not look like a number and symbol (expected N/SYMBOL, "
                     "e.g. 12/KH-UBND or 01/2021/QĐ-UBND)")
        hint = N_("or set free_numbers = true under [documents] in site.toml if the "
                  "register keeps numbers of another shape")
        if config.documents.free_numbers:
            problems.note("so_ky_hieu", deferred(message, value=show(number)), deferred(
                N_("the site allows free numbers; check that it is written as issued")))
        else:
            problems.add("so_ky_hieu", _(message).format(value=show(number)), hint=_(hint))
    return number


def _date(meta: dict, key: str, config: SiteConfig, problems: FileProblems,
          required: bool) -> datetime | None:
    """A day (date_field), told as such when written as a list or a group."""
    value = meta.get(key)
    if isinstance(value, (list, dict, bool)):
        problems.add(key, _("expected a date, e.g. {key}: 2021-01-15, got {kind}").format(
            key=key, kind=kind(value)))
        return datetime(1970, 1, 1, tzinfo=config.tz) if required else None
    return date_field(meta, key, config, problems, required=required)


def _issuer(meta: dict, config: SiteConfig, problems: FileProblems) -> str:
    """co_quan, or the site's [documents] issuer when a document does not say."""
    value = meta.get("co_quan")
    written = text_field(meta, "co_quan", problems)
    if written or config.documents.issuer:
        return written or config.documents.issuer
    if value is None:
        problems.add("co_quan", _("missing; write the issuing body, e.g. co_quan: UBND phường "
                                  "Phúc Đồng"), hint=_("or set issuer = \"…\" under [documents] "
                                                       "in site.toml"),
                     line=None if "co_quan" in problems.lines else 1)
    elif isinstance(value, str):
        problems.add("co_quan", _("is empty"), hint=_(
            "write the issuing body, e.g. co_quan: UBND phường Phúc Đồng"))
    return ""


def _kind(meta: dict, config: SiteConfig, problems: FileProblems) -> str:
    """loai: one of the site's types, matched without regard to capitals or tones."""
    written = text_field(meta, "loai", problems, required=_(
        "missing; write the document's type, e.g. loai: Kế hoạch"))
    if not written:
        return ""
    types = config.documents.types
    by_key = _types_by_key(types)
    found = by_key.get(fold(written).lower())
    if found is None:
        close = difflib.get_close_matches(fold(written).lower(), list(by_key), n=1,
                                          cutoff=0.75)
        hint = (_("did you mean '{word}'?").format(word=by_key[close[0]]) if close else
                _("the types are: {names}; a site lists its own under [documents] types = "
                  "[…] in site.toml").format(names=", ".join(types[:12]) +
                                             (", …" if len(types) > 12 else "")))
        problems.add("loai", _("{value} is not a type of document of the site").format(
            value=show(written)), hint=hint)
        return written
    return found


@functools.lru_cache(maxsize=8)
def _types_by_key(types: tuple[str, ...]) -> dict[str, str]:
    """The site's types under their folded, lower-case names (once per site, not per file)."""
    return {fold(name).lower(): name for name in types}


def _end(meta: dict, config: SiteConfig, problems: FileProblems) -> tuple[datetime | None, bool]:
    """het_hieu_luc: the date a document stops being in force, or true (it has, no date)."""
    value = meta.get("het_hieu_luc")
    if value is None or value is False:
        return None, False
    if value is True:
        return None, True
    if not isinstance(value, (str, int, float)):
        problems.add("het_hieu_luc", _("expected a date or true, got {kind}").format(
            kind=kind(value)), hint=_end_hint())
        return None, False
    if parse_date_parts(str(value).strip()) is None:
        problems.add("het_hieu_luc", _("{value} is not a date (expected YYYY-MM-DD)").format(
            value=show(value)), hint=_end_hint())
        return None, False
    return date_field(meta, "het_hieu_luc", config, problems, required=False), False


def _end_hint() -> str:
    return _("write the day it stops being in force, e.g. het_hieu_luc: 2022-01-15, or "
             "het_hieu_luc: true when it no longer is and the day is not known")


def _reference(value: object, key: str, problems: FileProblems,
               line: int | None = None) -> str:
    """One other document's number, as written (the register resolves it)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        problems.add(key, _("expected the number of a document, e.g. 20/KH-UBND, got {kind}")
                     .format(kind=kind(value) if not isinstance(value, str) else show(value)),
                     line=line)
        return ""
    return re.sub(r"\s*/\s*", "/", " ".join(str(value).split()))


def _references(value: object, problems: FileProblems
                ) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    """lien_quan: the numbers of related documents, each once, and the line of each (kept
    with the document as ("lien_quan 0", line), ..., for the register's own checks)."""
    if value is None:
        return (), ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        problems.add("lien_quan", _("expected a list of document numbers, e.g. "
                                    "[11/KH-UBND, 05/TB-UBND]"))
        return (), ()
    if len(value) > MAX_RELATED:
        problems.add("lien_quan", _("{count} related documents; the limit is {limit}").format(
            count=len(value), limit=MAX_RELATED))
        return (), ()
    found: dict[str, tuple[str, int]] = {}
    for index, item in enumerate(value):
        line = (problems.lines.get(f"lien_quan[{index}]") or problems.lines.get("lien_quan")
                or problems.default_line)
        number = _reference(item, f"lien_quan[{index}]", problems, line)
        if number:
            found.setdefault(number_key(number) or number, (number, line))
    numbers = tuple(entry[0] for entry in found.values())
    lines = tuple((f"{_RELATED} {index}", entry[1])
                  for index, entry in enumerate(found.values()))
    return numbers, lines


def _slug(meta: dict, number: str, problems: FileProblems) -> str:
    value = meta.get("slug")
    taken = value if isinstance(value, str) else number_key(number) or "van-ban"
    if (value is None or isinstance(value, str)) and taken in REGISTER_FOLDERS:
        # the number's own slug, or the one written, is a folder of the register's pages
        problems.add("so_ky_hieu" if value is None else "slug", _(
            "/{folder}/{slug}/ is where the site lists the register's pages").format(
                folder=DOCUMENTS_FOLDER, slug=taken), hint=_(
            "give the document another address with a slug: field, e.g. slug: "
            "{slug}-1").format(slug=taken))
        return taken
    if value is None:
        return taken
    if not isinstance(value, str) or not is_slug(value):
        problems.add("slug", _("{value} is not a slug (a-z, 0-9 and hyphens)").format(
            value=show(value)), hint=_("e.g. slug: {slug}").format(
                slug=(number_key(number) or "12-kh-ubnd") + "-2022"))
        return number_key(number) or "van-ban"
    return value


# --- the register as a whole ----------------------------------------------------------------

MAX_NAMED = 5        # files a message names; the rest counted ("and 12 more")
MAX_SUGGESTED = 50   # unknown numbers given a "did you mean" (each compares with them all)
MAX_CHAIN = 8        # numbers a circle of replacements shows in full


def register_problems(documents: Sequence[OfficialDocument],
                      unparsed: Collection[str] = ()) -> list[ContentError]:
    """What no one file shows: one number from one body twice, two documents on one
    address, numbers that thay_the_boi: or lien_quan: name but no document has, a document
    replacing itself or related to itself, and replacements that go round in a circle.
    UNPARSED: the number keys (and slugs) of document files with problems of their own, told
    already: a reference to one of them is not told again as unknown.
    Linear in the number of documents (and of the problems told)."""
    errors: list[ContentError] = []
    same: dict[tuple, list[OfficialDocument]] = defaultdict(list)
    by_url: dict[str, list[OfficialDocument]] = defaultdict(list)
    for document in documents:
        same[_identity(document)].append(document)
        by_url[document.url].append(document)
    for group in same.values():
        others = _Others(group, id)
        for document in group if len(group) > 1 else ():
            errors.append(_error(document, "so_ky_hieu", _(
                "{number} of {issuer} is also the number of {others}").format(
                    number=document.number, issuer=document.issuer, others=others(document)),
                _("one document, one file: remove the copy, or correct its number")))
    for group in by_url.values():
        others = _Others(group, _identity)
        if len(others.counts) < 2:
            continue             # one document, or copies of one: told above
        for document in group:
            errors.append(_error(document, "so_ky_hieu", _(
                "/{url} is also the address of {others}").format(
                    url=document.url, others=others(document)), _(
                "documents of different years or bodies with one number: give one a "
                "slug: field, e.g. slug: {slug}-{year}").format(
                    slug=document.slug, year=document.issued.year)))
    index = reference_index(documents)
    suggest = Suggestions(documents)
    for document in documents:
        if document.replaced_by:
            found = resolve(index, document.replaced_by)
            if isinstance(found, str):
                if number_key(document.replaced_by) not in unparsed:
                    errors.append(_error(document, "thay_the_boi", found,
                                         suggest(document.replaced_by, document)))
            elif found is document:
                errors.append(_error(document, "thay_the_boi", _(
                    "a document cannot replace itself"), _(
                    "write the number of the later document that replaces this one")))
        for position, number in enumerate(document.related):
            line = document.line(f"{_RELATED} {position}")
            found = resolve(index, number)
            if isinstance(found, str):
                if number_key(number) not in unparsed:
                    errors.append(_error(document, _RELATED, found, suggest(number, document),
                                         line))
            elif found is document:
                errors.append(_error(document, _RELATED, _(
                    "{number} is this document itself").format(number=number), _(
                    "list other documents only"), line))
    errors.extend(_cycles(documents, index))
    return errors


def _identity(document: OfficialDocument) -> tuple[str, str, int]:
    """One number from one body in one year is one document, however often it is written."""
    return number_key(document.number), fold(document.issuer).lower(), document.issued.year


class _Others:
    """For each document of GROUP, the files of the others that KEY tells apart from it:
    the first MAX_NAMED named, the rest counted, so that a message stays one line however
    many copies there are, and telling each of them stays linear."""

    def __init__(self, group: Sequence[OfficialDocument], key: Callable[[OfficialDocument],
                                                                       object]):
        self.key = key
        self.counts = Counter(key(d) for d in group)
        # enough of the first documents to name MAX_NAMED of another key for any of them
        self.sample: list[OfficialDocument] = []
        taken: Counter = Counter()
        for document in group:
            mark = key(document)
            if taken[mark] < MAX_NAMED and (mark in taken or len(taken) <= MAX_NAMED):
                self.sample.append(document)
                taken[mark] += 1
        self.total = len(group)

    def __call__(self, document: OfficialDocument) -> str:
        mark = self.key(document)
        names = [o.source.as_posix() for o in self.sample if self.key(o) != mark][:MAX_NAMED]
        more = self.total - self.counts[mark] - len(names)
        if not more:
            return ", ".join(names)
        return ngettext("{files} and {count} more file", "{files} and {count} more files",
                        more).format(files=", ".join(names), count=more)


@dataclass(frozen=True, slots=True)
class References:
    """The register as references find it: by address (each document's own, unique once
    register_problems passes) and by number (several documents of different years)."""

    by_slug: dict[str, OfficialDocument]
    by_number: dict[str, list[OfficialDocument]]


def reference_index(documents: Iterable[OfficialDocument]) -> References:
    by_slug: dict[str, OfficialDocument] = {}
    by_number: dict[str, list[OfficialDocument]] = defaultdict(list)
    for document in documents:
        by_slug.setdefault(document.slug, document)
        by_number[number_key(document.number)].append(document)
    return References(by_slug, dict(by_number))


def resolve(index: References, reference: str) -> OfficialDocument | str:
    """The one document REFERENCE names, or what is wrong with it. A reference written as an
    address's last part (12-kh-ubnd-2022) names that document; one written as a number
    (12/KH-UBND, 12 kh ubnd) the document with that number, if only one has it."""
    key = number_key(reference)
    if is_slug(reference.strip()) and key in index.by_slug:
        return index.by_slug[key]
    found = index.by_number.get(key, [])
    if len(found) == 1 or found and len({_identity(d) for d in found}) == 1:
        return found[0]          # copies of one document: register_problems tells them
    if not found:
        if key in index.by_slug:
            return index.by_slug[key]
        return _("{number} is not the number of a document in content/{folder}/").format(
            number=reference, folder=DOCUMENTS_FOLDER)
    return _("{number} is the number of {count} documents ({slugs}); write the one meant by "
             "its address's last part").format(
                 number=reference, count=len(found),
                 slugs=", ".join(d.slug for d in found[:MAX_NAMED])
                 + (", …" if len(found) > MAX_NAMED else ""))


class Suggestions:
    """"did you mean" for an unknown number: the closest number of the register, for the
    first MAX_SUGGESTED (each looks through every number: a register of thousands with
    thousands of wrong references would otherwise take minutes)."""

    def __init__(self, documents: Iterable[OfficialDocument]):
        self.documents, self.numbers, self.given = documents, None, 0

    def __call__(self, reference: str, writer: OfficialDocument | None = None) -> str:
        """The closest number to REFERENCE, but never REFERENCE itself nor the number of
        WRITER, the document that wrote it."""
        if self.given >= MAX_SUGGESTED:
            return ""
        self.given += 1
        if self.numbers is None:
            self.numbers = sorted({d.number for d in self.documents})
        left_out = {number_key(reference), number_key(writer.number) if writer else ""}
        return did_you_mean(reference, [n for n in self.numbers
                                        if number_key(n) not in left_out])


def _cycles(documents: Sequence[OfficialDocument],
            index: dict[str, list[OfficialDocument]]) -> list[ContentError]:
    """Replacements that come back to where they started: each document of a circle told
    once, with the circle from itself. Each document has one thay_the_boi:, so following
    them visits each at most once over all the walks."""
    after: dict[int, OfficialDocument] = {}
    for document in documents:
        if document.replaced_by:
            found = resolve(index, document.replaced_by)
            if isinstance(found, OfficialDocument) and found is not document:
                after[id(document)] = found
    state: dict[int, int] = {}           # 1: on the current walk, 2: done
    errors = []
    for start in documents:
        walk = []
        current: OfficialDocument | None = start
        while current is not None and id(current) not in state:
            state[id(current)] = 1
            walk.append(current)
            current = after.get(id(current))
        if current is not None and state[id(current)] == 1:
            circle = walk[walk.index(current):]
            for position, document in enumerate(circle):
                errors.append(_error(document, "thay_the_boi", _(
                    "replacements go round in a circle: {chain}").format(
                        chain=_chain(circle, position)),
                    _("a document is replaced by a later one; remove one thay_the_boi:")))
        for document in walk:
            state[id(document)] = 2
    return errors


def _chain(circle: list[OfficialDocument], start: int) -> str:
    """The CIRCLE from its document START round to it again, 12/KH-UBND → 20/KH-UBND →
    12/KH-UBND; a long circle shortened, with its length (each of its documents is told:
    the whole circle in each message would be quadratic)."""
    size = len(circle)
    if size <= MAX_CHAIN:
        return " → ".join(circle[(start + step) % size].number for step in range(size + 1))
    shown = " → ".join((*(circle[(start + step) % size].number
                          for step in range(MAX_CHAIN - 2)), "…",
                        circle[start - 1].number, circle[start].number))
    return ngettext("{chain} ({count} document)", "{chain} ({count} documents)",
                    size).format(chain=shown, count=size)


def _error(document: OfficialDocument, key: str, message: str, hint: str = "",
           line: int | None = None) -> ContentError:
    return ContentError(document.source, line or document.line(key), f"{key}: {message}",
                        hint=hint)
