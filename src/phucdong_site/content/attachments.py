"""Documents an article or a page publishes as they are (PDF, DOCX, XLSX, ...): found under
content/, checked, and named beside the page that links them.

A document is named in attachments: (`- src: tai-lieu/ke-hoach.pdf` with `title:`) or linked
from the body (`[Kế hoạch](tai-lieu/ke-hoach.pdf)`); either way its path is relative to the
file, or else to content/, as photos' are. It is published beside the page, under its own
name folded to a-z, 0-9 and hyphens (`Kế hoạch 12.PDF` → `ke-hoach-12.pdf`): a stable
address an editor can read and give out. Two different files that would get one name on one
page are an error naming both, not a suffix: a suffix would depend on which came first, and
an address given out must not change when another file is added.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from phucdong_site.errors import os_reason
from phucdong_site.files import leaves
from phucdong_site.language import _, decimal
from phucdong_site.models import Attachment
from phucdong_site.text import slugify

# What a document may be, by extension (any case), and what its download says it is.
DOCUMENT_KINDS = {".pdf": "PDF", ".doc": "DOC", ".docx": "DOCX", ".xls": "XLS",
                  ".xlsx": "XLSX", ".odt": "ODT", ".ods": "ODS", ".zip": "ZIP"}
# A scanned decision of a few dozen pages is a few MB; 50 MB is a whole year's minutes
# scanned at a high resolution, and keeps the output (and a resident's phone plan) sane.
MAX_ATTACHMENT_BYTES = 50 * 2**20
ATTACHMENT_KEYS = ("src", "title")
# How each kind's file begins: a web page or an image renamed .pdf is refused, not published
# to residents as a PDF. DOC and XLS are not checked: Word also saves RTF and HTML under .doc.
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_SIGNATURES = {"PDF": (b"%PDF-",), "DOCX": _ZIP, "XLSX": _ZIP, "ODT": _ZIP, "ODS": _ZIP,
               "ZIP": _ZIP}
PDF_HEADER_WINDOW = 1024         # the PDF standard lets %PDF- start anywhere in the first KB


class DocumentProblem(ValueError):
    """Why a document cannot be published, in the editor's words; HINT: what may fix it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def kinds_hint() -> str:
    return _("attach one of: {kinds}").format(kinds=", ".join(
        suffix[1:] for suffix in DOCUMENT_KINDS))


def document_kind(path: str) -> str | None:
    """"PDF", "DOCX", ... for a document's path, by its extension; None if not one."""
    return DOCUMENT_KINDS.get(os.path.splitext(path)[1].lower())


def published_name(source: Path) -> str:
    """The name a document is published under: its name folded to a-z, 0-9 and hyphens,
    and its extension in lower case."""
    stem, suffix = os.path.splitext(source.name)
    return f"{slugify(stem) or 'tai-lieu'}{suffix.lower()}"


def locate_document(src: str, document: Path, site_dir: Path) -> Path:
    """The file SRC names, relative to the site root; raises DocumentProblem.

    SRC is relative to DOCUMENT's folder, or else to content/, and must stay inside
    content/, also once symbolic links are followed.
    """
    text = src.strip()
    if not text:
        raise DocumentProblem(_("is empty; write the document's path, e.g. "
                                "tai-lieu/ke-hoach.pdf"))
    if "://" in text or text.startswith("//"):
        raise DocumentProblem(_("{path} is a web address; put the document in content/ and "
                                "give its path").format(path=text))
    posix = PurePosixPath(text.replace("\\", "/"))
    if posix.is_absolute() or (len(text) > 1 and text[1] == ":"):
        raise DocumentProblem(_("{path} is an absolute path; write it relative to this file "
                                "or to content/").format(path=text))
    if document_kind(text) is None:
        raise DocumentProblem(_("{path} is not a kind of document the site publishes").format(
            path=text), hint=kinds_hint())
    content = (site_dir / "content").resolve()
    searched = 0
    for base in ((site_dir / document).parent.resolve(), content):
        candidate = Path(os.path.normpath(base / posix))
        if not candidate.is_relative_to(content):
            continue
        searched += 1
        if os.path.lexists(candidate):
            real = candidate.resolve()
            if leaves(real, content):
                raise DocumentProblem(_("{path} is a link to a file outside the site; copy the "
                                        "document into content/").format(path=text))
            if not real.is_file():
                raise DocumentProblem(_("{path} is not a file").format(path=text))
            return candidate.relative_to(site_dir.resolve())
    if not searched:
        raise DocumentProblem(_("{path} leaves the site; documents must be inside "
                                "content/").format(path=text))
    raise DocumentProblem(_("{path} does not exist").format(path=text),
                          hint=_("the path is relative to this file, or to content/"))


def inspect_document(source: Path, site_dir: Path,
                     max_bytes: int = MAX_ATTACHMENT_BYTES) -> tuple[int, str]:
    """The size and sha256 of the document SOURCE (relative to the site root); raises
    DocumentProblem if it is too large, or does not begin as its kind of file does."""
    full = site_dir / source
    size = full.stat().st_size
    if size > max_bytes:
        raise DocumentProblem(_("{name} is {size} MB, over the limit of {limit} MB for "
                                "an attachment").format(name=source.name, size=decimal(size / 2**20, 1),
                                                        limit=max_bytes // 2**20),
                              hint=_("compress it (a scan at 150 dpi is enough to read), or "
                                     "split it into several files"))
    data = full.read_bytes()
    kind = document_kind(source.name)
    signatures = _SIGNATURES.get(kind or "", ())
    head = data[:PDF_HEADER_WINDOW] if kind == "PDF" else data[:4]
    if signatures and not any(mark in head if kind == "PDF" else head.startswith(mark)
                              for mark in signatures):
        raise DocumentProblem(_("{name} is not a {kind} file (its bytes do not begin as "
                                "one)").format(name=source.name, kind=kind),
                              hint=_("save or export it again as {kind}, or give it the "
                                     "extension of what it is").format(kind=kind))
    return len(data), hashlib.sha256(data).hexdigest()


class Attachments:
    """The documents of one file, as they are found: each file once (its first title
    stays), and each published name for one file only."""

    def __init__(self, shown: Path, site_dir: Path, max_bytes: int = MAX_ATTACHMENT_BYTES):
        self.shown, self.site_dir, self.max_bytes = shown, site_dir, max_bytes
        self.found: dict[Path, Attachment] = {}
        self.names: dict[str, Path] = {}

    def add(self, src: str, title: str) -> Attachment:
        """The attachment SRC names, with TITLE ("": its file's name); raises
        DocumentProblem."""
        source = locate_document(src, self.shown, self.site_dir)
        if source in self.found:
            return self.found[source]
        name = published_name(source)
        if name in self.names:
            raise DocumentProblem(_("{path} and {other} would both be published as {name} "
                                    "beside this page").format(
                                        path=src, other=self.names[name].as_posix(), name=name),
                                  hint=_("rename one of the two files"))
        try:
            size, digest = inspect_document(source, self.site_dir, self.max_bytes)
        except OSError as error:
            raise DocumentProblem(_("{path} cannot be read ({reason})").format(
                path=src, reason=os_reason(error)))
        attachment = Attachment(src=src, source=source, title=title or source.name, name=name,
                                size=size, kind=document_kind(source.name) or "",
                                digest=digest)
        self.found[source] = attachment
        self.names[name] = source
        return attachment

    @property
    def all(self) -> tuple[Attachment, ...]:
        return tuple(self.found.values())
