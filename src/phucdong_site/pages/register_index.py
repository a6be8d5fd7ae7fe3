"""The register's static index: the files static/js/register.js reads to filter and search
/van-ban/ in the browser, with no server.

A visitor's phone downloads only what one query needs:

    van-ban/chi-muc/meta.json       every document's type, year, issuing body and status (one
                                    column each, a few characters a document), the names of
                                    the types, bodies and statuses, the term shards and the
                                    version; what any filter needs and nothing more
    van-ban/chi-muc/t/<key>.json    the terms starting with one character (or two, where one
                                    would make a file larger than SHARD_BYTES), KEY being
                                    their code points in hex joined by "-": {"w": {word key:
                                    postings}, "n": {number key: postings}}
    van-ban/chi-muc/r/<n>.json      ROWS documents shown as results: document n*ROWS and
                                    the ones after it, in register order

A document's id is its place in site.register, newest first: a smaller id is more recent,
so "newest first" needs no dates. Postings are the ids holding a term, ascending, each
written as its distance from the previous one.

Words and their keys are the site search's (search.word_keys: folded, "đ"
as "d", lower case); a document's number is also kept whole under its number key
(text.number_key): "12/KH-UBND", "12 kh ubnd" and "12-kh-ubnd" are all 12-kh-ubnd, which
register.js computes the same way from what was typed. The terms are the number's, the
type's, the issuing body's, the signer's and the summary's words; the body is the site
search's to find.

Output is a pure function of the register: sorted keys, no timestamps. The version (a
digest of every other file) goes into meta.json; the script adds it to each request so a
browser never mixes the files of two builds.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence

from phucdong_site.config import SiteConfig
from phucdong_site.models import EXPIRED, NOT_YET, STATUSES, OfficialDocument
from phucdong_site.pages.register import INDEX, TYPES, type_url
from phucdong_site.search import word_keys
from phucdong_site.text import collation_key, number_key, slugify

REGISTER_INDEX_DIR = INDEX
ROWS = 10                        # documents in one file of rows: a page of results that
                                 # are far apart in the register fetches 20 small files
SHARD_BYTES = 16_000             # a term shard larger than this is split by two characters
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

# What a document's status is called where a resident reads it.
STATUS_LABELS = {"con-hieu-luc": "Còn hiệu lực", "chua-hieu-luc": "Chưa có hiệu lực",
                 "het-hieu-luc": "Hết hiệu lực", "bi-thay-the": "Bị thay thế"}


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _type_slug(kind: str) -> str:
    """The type's part of /van-ban/loai/<slug>/: ?loai=<slug>."""
    return type_url(kind).removeprefix(TYPES).strip("/")


def _column(values: Sequence[int]) -> tuple[str, int]:
    """VALUES (small integers >= 0) as one string, each in the same number of base-62
    digits, and that number: [3, 0, 12] → ("30c", 1)."""
    width = 1
    while len(DIGITS) ** width <= max(values, default=0):
        width += 1
    out = []
    for value in values:
        digits = ""
        for _place in range(width):
            value, digit = divmod(value, len(DIGITS))
            digits = DIGITS[digit] + digits
        out.append(digits)
    return "".join(out), width


def _postings(ids: Sequence[int]) -> list[int]:
    """Ascending ids as gaps: [3, 4, 9] → [3, 1, 5]."""
    return [current - previous for previous, current in zip((0, *ids), ids)]


def _hex(text: str) -> str:
    return "-".join(f"{ord(ch):x}" for ch in text)


def document_terms(document: OfficialDocument) -> list[str]:
    """The search keys of a document's words, each once: its number's, type's, issuing
    body's, signer's and summary's."""
    return word_keys(" ".join((document.number, document.kind, document.issuer,
                               document.signer, document.summary)))


def _shards(postings: dict[str, dict[str, list[int]]]) -> dict[str, dict[str, dict]]:
    """Terms ("w") and number keys ("n") by shard key: their first character, or their
    first two where one character's shard would be larger than SHARD_BYTES. A term of one
    character stays in the one-character shard."""
    by_first: dict[str, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: {"w": {}, "n": {}})
    for kind, terms in postings.items():
        for term, ids in terms.items():
            by_first[term[0]][kind][term] = _postings(ids)
    shards: dict[str, dict[str, dict]] = {}
    for first, shard in by_first.items():
        if len(_dump(shard).encode()) <= SHARD_BYTES:
            shards[first] = shard
            continue
        for kind, terms in shard.items():
            for term, gaps in terms.items():
                shards.setdefault(term[:2], {"w": {}, "n": {}})[kind][term] = gaps
    return shards


def _row(document: OfficialDocument) -> dict:
    """What a result shows of a document, beside what meta.json says of it."""
    row = {"u": document.url, "n": document.number, "d": f"{document.issued:%d/%m/%Y}",
           "s": document.summary,
           "f": [[file.name, file.title, file.kind, file.size_label("vi")]
                 for file in document.attachments]}
    if document.replaced_by_url:
        row["r"] = [document.replaced_by, document.replaced_by_url]
    # the day its status names: "Hết hiệu lực từ …", "Chưa có hiệu lực (từ …)"
    moment = {EXPIRED: document.ends, NOT_YET: document.effective}.get(document.status)
    if moment is not None:
        row["e"] = f"{moment:%d/%m/%Y}"
    return row


def register_index_files(register: Sequence[OfficialDocument],
                         config: SiteConfig | None = None) -> list[tuple[str, str]]:
    """Every file of the register's index, (path under the output folder, text); none for
    a site without documents. REGISTER is site.register, newest first."""
    if not register:
        return []
    # Facets: types in the site's order, bodies by name, years newest first.
    listed = list(config.documents.types) if config is not None else []
    kinds = sorted({d.kind for d in register},
                   key=lambda k: (listed.index(k) if k in listed else len(listed),
                                  collation_key(k)))
    issuers = sorted({d.issuer for d in register}, key=collation_key)
    years = sorted({d.issued.year for d in register}, reverse=True)
    kind_id = {kind: n for n, kind in enumerate(kinds)}
    issuer_id = {issuer: n for n, issuer in enumerate(issuers)}
    year_id = {year: n for n, year in enumerate(years)}
    status_id = {status: n for n, status in enumerate(STATUSES)}

    postings: dict[str, dict[str, list[int]]] = {"w": defaultdict(list), "n": defaultdict(list)}
    for doc_id, document in enumerate(register):
        for term in document_terms(document):
            postings["w"][term].append(doc_id)
        key = number_key(document.number)
        if key and (not postings["n"][key] or postings["n"][key][-1] != doc_id):
            postings["n"][key].append(doc_id)

    files: dict[str, str] = {}
    shards = _shards(postings)
    for key, shard in shards.items():
        files[f"{REGISTER_INDEX_DIR}t/{_hex(key)}.json"] = _dump(shard)
    for start in range(0, len(register), ROWS):
        rows = [_row(document) for document in register[start:start + ROWS]]
        files[f"{REGISTER_INDEX_DIR}r/{start // ROWS}.json"] = _dump(rows)

    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    columns, widths = {}, {}
    for name, values in (("t", [kind_id[d.kind] for d in register]),
                         ("y", [year_id[d.issued.year] for d in register]),
                         ("c", [issuer_id[d.issuer] for d in register]),
                         ("s", [status_id.get(d.status, 0) for d in register])):
        columns[name], widths[name] = _column(values)
    meta = {
        "count": len(register), "rows": ROWS,
        "types": [[_type_slug(kind), kind] for kind in kinds],
        "issuers": [[slug, issuer] for slug, issuer in zip(_unique_slugs(issuers), issuers)],
        "years": years,
        "statuses": [[status, STATUS_LABELS[status]] for status in STATUSES],
        "columns": columns, "widths": widths,
        "shards": sorted(_hex(key) for key in shards),
    }
    digest.update(_dump(meta).encode())
    meta["version"] = digest.hexdigest()[:16]
    files[f"{REGISTER_INDEX_DIR}meta.json"] = _dump(meta)
    return sorted(files.items())


def _unique_slugs(names: Sequence[str]) -> list[str]:
    """A slug for each name, for ?co-quan=<slug>; a second name of one slug gets -2."""
    seen: set[str] = set()
    slugs = []
    for name in names:
        slug = base = slugify(name) or "co-quan"
        n = 1
        while slug in seen:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        slugs.append(slug)
    return slugs
