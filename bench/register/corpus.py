"""The register benchmark's corpus: N documents (văn bản) under content/van-ban/YEAR/, each
with one small real PDF beside it, and the same documents as a Hugo site (page bundles with
the same front matter fields and the same PDF), so both generators build the same register.

Ten years (2016-2025), N/10 documents a year; five types (Kế hoạch, Thông báo, Quyết định,
Báo cáo, Công văn); three issuing bodies (the ward's People's Committee for most, its
Fatherland Front committee and its police for a tenth each); numbers counted per type, body
and year, as registers do (12/KH-UBND, 45/TB-MTTQ, 130/UBND-VP for a công văn). Summaries
of about 15 words assembled from everyday words of ward administration (bench/scale_corpus.py's
vocabulary): no real people, no invented official text. About one document in twenty is
replaced by a later one of its type and body, one in ten has expired, one in ten names a
related earlier document, one in five has a short body. The same (count, seed) always gives
the same files, byte for byte.

    python bench/register/corpus.py DEST --documents 3000 [--hugo HUGO_DEST]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scale_corpus import NOUNS, OBJECTS, TAILS, VERBS  # noqa: E402

YEARS = tuple(range(2016, 2026))
# type → (symbol, what its summary starts with)
TYPES = {"Kế hoạch": ("KH", "Kế hoạch"), "Thông báo": ("TB", "Thông báo về việc"),
         "Quyết định": ("QĐ", "Quyết định về việc"), "Báo cáo": ("BC", "Báo cáo kết quả"),
         "Công văn": ("", "V/v")}
ISSUERS = (("UBND phường Phúc Đồng", "UBND", 0.8),
           ("Ủy ban MTTQ Việt Nam phường Phúc Đồng", "MTTQ", 0.1),
           ("Công an phường Phúc Đồng", "CAP", 0.1))
SIGNERS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Đức")
ISSUER = ISSUERS[0][0]
SITE_TOML = f"""name = "Phường Mẫu"
section_title = "tin tức - sự kiện nổi bật"
base_url = "https://phucdong.gov.vn/"
per_page = 10
default_category = "tin-tuc-su-kien"

[categories]
tin-tuc-su-kien = "Tin tức - sự kiện"

[[menu]]
title = "Văn bản"
listing = "/van-ban/"

[documents]
issuer = "{ISSUER}"
"""


@dataclass
class Document:
    number: str
    kind: str
    issuer: str
    signer: str
    issued: date
    summary: str
    slug: str
    effective: date | None = None
    ends: date | None = None
    replaced_by: str | None = None
    related: list[str] = field(default_factory=list)
    body: str = ""


def summary(rng: random.Random, kind: str, year: int) -> str:
    """About 15 words: the type's opening, what is done, to what, where or how, the year."""
    words = (f"{TYPES[kind][1]} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
             f"{rng.choice(TAILS)} của {rng.choice(NOUNS)} năm {year}")
    return words


def documents(count: int, seed: int) -> list[Document]:
    """COUNT documents, oldest first, numbered per type, body and year."""
    rng = random.Random(seed)
    out: list[Document] = []
    per_year = [count // len(YEARS) + (1 if n < count % len(YEARS) else 0)
                for n in range(len(YEARS))]
    for year, how_many in zip(YEARS, per_year):
        counters: dict[tuple[str, str], int] = {}
        days = sorted(rng.randrange(365) for _ in range(how_many))
        for day in days:
            kind = rng.choice(list(TYPES))
            issuer, short, _share = rng.choices(ISSUERS, weights=[w for *_, w in ISSUERS])[0]
            n = counters[(kind, short)] = counters.get((kind, short), 0) + 1
            symbol = TYPES[kind][0]
            number = (f"{n}/{short}-VP" if not symbol else f"{n}/{symbol}-{short}")
            issued = date(year, 1, 1) + timedelta(days=day)
            slug = number.lower().replace("/", "-").replace("đ", "d") + f"-{year}"
            doc = Document(number=number, kind=kind, issuer=issuer,
                           signer=rng.choice(SIGNERS), issued=issued,
                           summary=summary(rng, kind, year), slug=slug)
            if kind == "Quyết định" or rng.random() < 0.2:
                doc.effective = issued + timedelta(days=rng.choice((0, 0, 7, 15)))
            if rng.random() < 0.2:
                doc.body = (f"Căn cứ {rng.choice(OBJECTS)} {rng.choice(TAILS)}, "
                            f"{rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}.")
            out.append(doc)
    # Numbers repeat across years (12/KH-UBND each year): a reference writes the number
    # where it is the register's only one, else the document's slug (its address's last part).
    seen: dict[str, int] = {}
    for doc in out:
        seen[doc.number] = seen.get(doc.number, 0) + 1

    def name(doc: Document) -> str:
        return doc.number if seen[doc.number] == 1 else doc.slug

    by_group: dict[tuple[str, str], list[Document]] = {}
    for doc in out:
        by_group.setdefault((doc.kind, doc.issuer), []).append(doc)
    for group in by_group.values():
        for place, doc in enumerate(group[:-1]):
            roll = rng.random()
            if roll < 0.05:
                later = rng.choice(group[place + 1:])
                if later.issued > doc.issued:
                    doc.replaced_by = name(later)
            elif roll < 0.15:
                doc.ends = doc.issued + timedelta(days=rng.randrange(30, 700))
            if rng.random() < 0.1 and place > 0:
                doc.related = [name(rng.choice(group[:place]))]
    return out


def pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing LINES (ASCII) in Helvetica, its xref exact."""
    text = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines) + " ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
               b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii"))]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def ascii_text(text: str) -> str:
    from phucdong_site.text import fold
    return fold(text).encode("ascii", "replace").decode()


def pdf_of(doc: Document) -> bytes:
    return pdf([ascii_text(line) for line in (
        doc.issuer.upper(), f"So: {doc.number}", f"Ngay {doc.issued:%d/%m/%Y}",
        doc.kind.upper(), doc.summary, "(Van ban mau cua bo do hieu nang, khong co gia tri)",
        f"Nguoi ky: {doc.signer}")])


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(doc: Document, hugo: bool, numbers: dict[str, str] | None = None) -> list[str]:
    """The document's front matter; for Hugo (NUMBERS: what a reference writes → the slug),
    title, date, the taxonomies, and references by slug (its templates find the page by
    its path, site.GetPage, not by a search through every page)."""
    def ref(name: str) -> str:
        return numbers.get(name, name) if hugo and numbers else name

    lines = ["---"]
    if hugo:
        lines += [f"title: {quote(doc.kind + ' ' + doc.number)}", f"date: {doc.issued}",
                  f"loai: [{quote(doc.kind)}]", f"nam: [\"{doc.issued.year}\"]",
                  f"loai_van_ban: {quote(doc.kind)}"]
    else:
        lines += [f"loai: {doc.kind}", f"slug: {doc.slug}"]
    lines += [f"so_ky_hieu: {doc.number}", f"co_quan: {quote(doc.issuer)}",
              f"nguoi_ky: {quote(doc.signer)}", f"ngay_ban_hanh: {doc.issued}"]
    if doc.effective:
        lines.append(f"ngay_hieu_luc: {doc.effective}")
    if doc.ends:
        lines.append(f"het_hieu_luc: {doc.ends}")
    if doc.replaced_by:
        lines.append(f"thay_the_boi: {ref(doc.replaced_by)}")
    lines.append(f"trich_yeu: {quote(doc.summary)}")
    lines += ["tep:", f"  - src: {doc.slug}.pdf", f"    title: {quote(doc.kind + ' (bản PDF)')}"]
    if doc.related:
        lines.append("lien_quan: [" + ", ".join(map(ref, doc.related)) + "]")
    lines.append("---")
    return lines


def document_path(root: Path, doc: Document) -> Path:
    return root / "content" / "van-ban" / str(doc.issued.year) / f"{doc.slug}.md"


def hugo_path(root: Path, doc: Document) -> Path:
    return root / "content" / "van-ban" / doc.slug / "index.md"


def generate(dest: Path, count: int, seed: int = 2016, hugo: Path | None = None) -> list[Document]:
    """Write a site of COUNT documents into DEST (and its Hugo twin into HUGO)."""
    docs = documents(count, seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content").mkdir(parents=True)
    (dest / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    if hugo is not None:
        from hugo_register import write_hugo_skeleton
        write_hugo_skeleton(hugo)
    numbers = {doc.number: doc.slug for doc in docs} | {doc.slug: doc.slug for doc in docs}
    for doc in docs:
        data = pdf_of(doc)
        text = "\n".join(front_matter(doc, hugo=False)) + "\n" + (
            f"\n{doc.body}\n" if doc.body else "")
        path = document_path(dest, doc)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.with_name(f"{doc.slug}.pdf").write_bytes(data)
        if hugo is not None:
            path = hugo_path(hugo, doc)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(front_matter(doc, hugo=True, numbers=numbers)) + "\n" + (
                f"\n{doc.body}\n" if doc.body else ""), encoding="utf-8")
            path.with_name(f"{doc.slug}.pdf").write_bytes(data)
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--hugo", type=Path, help="also write the equivalent Hugo site here")
    args = parser.parse_args()
    generate(args.dest, args.documents, args.seed, args.hugo)


if __name__ == "__main__":
    main()
