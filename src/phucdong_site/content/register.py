"""One văn bản file → a validated, frozen OfficialDocument, or every problem in it; and
the problems only the whole register shows (one number twice, a replacement that does not
exist or goes round in a circle).

The document kind's field table (DOCUMENT_KEYS) and its validators. A document lives under
content/van-ban/ and is published at van-ban/<its number folded>/: 12/KH-UBND at
/van-ban/12-kh-ubnd/. Field names are the ones the editors' guide teaches, in Vietnamese
without tones, as the old portal's export names them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
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
    read_source,
    show,
    text_field,
    unknown_keys,
)
from phucdong_site.errors import ContentError, ErrorList, did_you_mean
from phucdong_site.language import N_, _, deferred
from phucdong_site.models import Body, OfficialDocument
from phucdong_site.photos import PhotoFile, PhotoProblem, SourceIndex
from phucdong_site.text import fold, is_slug, number_key

DOCUMENTS_FOLDER = "van-ban"     # under content/
DOCUMENT_KEYS = ("so_ky_hieu", "loai", "co_quan", "nguoi_ky", "ngay_ban_hanh", "ngay_hieu_luc",
                 "het_hieu_luc", "thay_the_boi", "trich_yeu", "tep", "lien_quan", "slug",
                 "draft", "aliases")
MAX_RELATED = 100
# N/SYMBOL as Nghị định 30/2020 writes it: 12/KH-UBND, 01/2021/QĐ-UBND, 123/UBND-VP,
# 07/CT-TTg, 12a/TB-UBND. The symbol's parts are the type's and the bodies' abbreviations.
_NUMBER = re.compile(r"\d{1,6}[a-zA-Z]?(/\d{4})?/[A-ZĐ][A-ZĐa-z0-9.]*(-[A-ZĐ0-9][A-ZĐa-z0-9.]*)*")


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
    issuer = text_field(meta, "co_quan", problems) or config.documents.issuer
    if not issuer and "co_quan" not in meta:
        problems.add("co_quan", _("missing; write the issuing body, e.g. co_quan: UBND phường "
                                  "Phúc Đồng"), hint=_("or set issuer = \"…\" under [documents] "
                                                       "in site.toml"), line=1)
    signer = text_field(meta, "nguoi_ky", problems)
    summary = text_field(meta, "trich_yeu", problems,
                         required=_("missing; every document needs its summary (trích yếu)"))
    issued = date_field(meta, "ngay_ban_hanh", config, problems)
    effective = date_field(meta, "ngay_hieu_luc", config, problems, required=False)
    if effective is not None and issued is not None and effective.date() < issued.date():
        problems.add("ngay_hieu_luc", _("{effective} is before the date of issue, {issued}")
                     .format(effective=f"{effective:%d/%m/%Y}", issued=f"{issued:%d/%m/%Y}"),
                     hint=_("a document takes effect on or after the day it is issued"))
    ends, repealed = _end(meta, config, problems)
    if ends is not None and issued is not None and ends.date() < issued.date():
        problems.add("het_hieu_luc", _("{ends} is before the date of issue, {issued}").format(
            ends=f"{ends:%d/%m/%Y}", issued=f"{issued:%d/%m/%Y}"))
    replaced_by = _reference(meta.get("thay_the_boi"), "thay_the_boi", problems)
    related = _references(meta.get("lien_quan"), problems)
    slug = _slug(meta, number, problems)
    draft = flag_field(meta, "draft", problems)
    aliases, alias_lines = aliases_field(meta, problems)
    url = f"{DOCUMENTS_FOLDER}/{slug}/"
    body = illustrated_body(meta, parts, shown, config, problems, photo_files, sources,
                            url=url, attachments_key="tep")
    if "tep" not in meta:
        problems.add("tep", _("missing; list the document's file (PDF, DOC, DOCX, XLS, XLSX, "
                              "ODT)"), hint=_("e.g. tep: 12-kh-ubnd.pdf, the file beside "
                                              "this one"), line=1)
    elif not body.attachments and not problems.errors:
        problems.add("tep", _("lists no file"))

    if problems.errors:
        raise ErrorList(problems.errors)
    return OfficialDocument(
        source=shown, number=number, slug=slug, kind=kind_, issuer=issuer, issued=issued,
        summary=summary, signer=signer, effective=effective, ends=ends, repealed=repealed,
        replaced_by=replaced_by, related=related, attachments=body.attachments,
        body=Body(body.html), photos=body.photos, images=body.images,
        extra=tuple((str(k), v) for k, v in meta.items() if k not in DOCUMENT_KEYS),
        draft=draft, aliases=aliases, alias_lines=alias_lines,
        lines=tuple((key, parts.lines[key]) for key in DOCUMENT_KEYS if key in parts.lines),
        notes=tuple(problems.notes))


def _number(meta: dict, config: SiteConfig, problems: FileProblems) -> str:
    before = len(problems.errors)
    number = re.sub(r"\s*/\s*", "/", text_field(meta, "so_ky_hieu", problems, required=_(
        "missing; write the document's number and symbol, e.g. so_ky_hieu: 12/KH-UBND")))
    if not number or len(problems.errors) > before:
        return number
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


def _kind(meta: dict, config: SiteConfig, problems: FileProblems) -> str:
    """loai: one of the site's types, matched without regard to capitals or tones."""
    written = text_field(meta, "loai", problems, required=_(
        "missing; write the document's type, e.g. loai: Kế hoạch"))
    if not written:
        return ""
    types = config.documents.types
    by_key = {fold(name).lower(): name for name in types}
    found = by_key.get(fold(written).lower())
    if found is None:
        close = did_you_mean(fold(written).lower(), by_key)
        hint = (_("did you mean '{word}'?").format(word=by_key[_quoted(close)]) if close else
                _("the types are: {names}; a site lists its own under [documents] types = "
                  "[…] in site.toml").format(names=", ".join(types[:12]) +
                                             (", …" if len(types) > 12 else "")))
        problems.add("loai", _("{value} is not a type of document of the site").format(
            value=show(written)), hint=hint)
        return written
    return found


def _quoted(hint: str) -> str:
    """The word did_you_mean's hint names: it quotes it with '…'."""
    return hint.split("'")[1]


def _end(meta: dict, config: SiteConfig, problems: FileProblems) -> tuple[datetime | None, bool]:
    """het_hieu_luc: the date a document stops being in force, or true (it has, no date)."""
    value = meta.get("het_hieu_luc")
    if value is None or value is False:
        return None, False
    if value is True:
        return None, True
    return date_field(meta, "het_hieu_luc", config, problems, required=False), False


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


def _references(value: object, problems: FileProblems) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    if not isinstance(value, list):
        problems.add("lien_quan", _("expected a list of document numbers, e.g. "
                                    "[11/KH-UBND, 05/TB-UBND]"))
        return ()
    if len(value) > MAX_RELATED:
        problems.add("lien_quan", _("{count} related documents; the limit is {limit}").format(
            count=len(value), limit=MAX_RELATED))
        return ()
    found = [_reference(item, f"lien_quan[{index}]", problems,
                        problems.lines.get(f"lien_quan[{index}]") or problems.lines.get(
                            "lien_quan"))
             for index, item in enumerate(value)]
    return tuple(dict.fromkeys(number for number in found if number))


def _slug(meta: dict, number: str, problems: FileProblems) -> str:
    value = meta.get("slug")
    if value is None:
        return number_key(number) or "van-ban"
    if not isinstance(value, str) or not is_slug(value):
        problems.add("slug", _("{value} is not a slug (a-z, 0-9 and hyphens)").format(
            value=show(value)), hint=_("e.g. slug: {slug}").format(
                slug=(number_key(number) or "12-kh-ubnd") + "-2022"))
        return number_key(number) or "van-ban"
    return value


# --- the register as a whole ----------------------------------------------------------------

def register_problems(documents: Sequence[OfficialDocument]) -> list[ContentError]:
    """What no one file shows: one number from one body twice, numbers that thay_the_boi: or
    lien_quan: name but no document has, and replacements that go round in a circle."""
    errors: list[ContentError] = []
    same: dict[tuple, list[OfficialDocument]] = defaultdict(list)
    by_url: dict[str, list[OfficialDocument]] = defaultdict(list)
    for document in documents:
        same[_identity(document)].append(document)
        by_url[document.url].append(document)
    for group in same.values():
        for document in group if len(group) > 1 else ():
            errors.append(_error(document, "so_ky_hieu", _(
                "{number} of {issuer} is also the number of {others}").format(
                    number=document.number, issuer=document.issuer,
                    others=_files(group, document)),
                _("one document, one file: remove the copy, or correct its number")))
    for group in by_url.values():
        for document in group if len(group) > 1 else ():
            others = [o for o in group if _identity(o) != _identity(document)]
            if others:
                errors.append(_error(document, "so_ky_hieu", _(
                    "/{url} is also the address of {others}").format(
                        url=document.url, others=_files(others, document)), _(
                    "documents of different years or bodies with one number: give one a "
                    "slug: field, e.g. slug: {slug}-{year}").format(
                        slug=document.slug, year=document.issued.year)))
    index = reference_index(documents)
    for document in documents:
        if document.replaced_by:
            found = resolve(index, document.replaced_by)
            if isinstance(found, str):
                errors.append(_error(document, "thay_the_boi", found, _hint(
                    document.replaced_by, index)))
            elif found is document:
                errors.append(_error(document, "thay_the_boi", _(
                    "a document cannot replace itself")))
        for number in document.related:
            found = resolve(index, number)
            if isinstance(found, str):
                errors.append(_error(document, "lien_quan", found, _hint(number, index)))
    errors.extend(_cycles(documents, index))
    return errors


def _identity(document: OfficialDocument) -> tuple[str, str, int]:
    """One number from one body in one year is one document, however often it is written."""
    return number_key(document.number), fold(document.issuer).lower(), document.issued.year


def _files(group: Iterable[OfficialDocument], but: OfficialDocument) -> str:
    return ", ".join(o.source.as_posix() for o in group if o is not but)


def reference_index(documents: Iterable[OfficialDocument]
                    ) -> dict[str, list[OfficialDocument]]:
    """Each document under its number's key and its slug (what a reference may write)."""
    index: dict[str, list[OfficialDocument]] = defaultdict(list)
    for document in documents:
        for key in dict.fromkeys((number_key(document.number), document.slug)):
            index[key].append(document)
    return index


def resolve(index: dict[str, list[OfficialDocument]],
            reference: str) -> OfficialDocument | str:
    """The one document REFERENCE names, or what is wrong with it."""
    found = index.get(number_key(reference), [])
    if len(found) == 1:
        return found[0]
    if not found:
        return _("{number} is not the number of a document in content/{folder}/").format(
            number=reference, folder=DOCUMENTS_FOLDER)
    return _("{number} is the number of {count} documents ({slugs}); write the one meant by "
             "its address's last part").format(number=reference, count=len(found),
                                               slugs=", ".join(d.slug for d in found))


def _hint(reference: str, index: dict[str, list[OfficialDocument]]) -> str:
    numbers = {document.number for documents in index.values() for document in documents}
    return did_you_mean(reference, sorted(numbers))


def _cycles(documents: Sequence[OfficialDocument],
            index: dict[str, list[OfficialDocument]]) -> list[ContentError]:
    """Replacements that come back to where they started: each document of a circle told
    once. Each document has one thay_the_boi:, so following them visits each at most once
    over all the walks."""
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
            chain = " → ".join(d.number for d in (*circle, circle[0]))
            for document in circle:
                errors.append(_error(document, "thay_the_boi", _(
                    "replacements go round in a circle: {chain}").format(chain=chain),
                    _("a document is replaced by a later one; remove one thay_the_boi:")))
        for document in walk:
            state[id(document)] = 2
    return errors


def _error(document: OfficialDocument, key: str, message: str, hint: str = "") -> ContentError:
    return ContentError(document.source, document.line(key), f"{key}: {message}", hint=hint)
