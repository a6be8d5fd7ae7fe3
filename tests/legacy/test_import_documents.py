"""`phucdong-site import van-ban.csv`: the old portal's document list → document files that
the register reads, run after run, safely; each bad input reported at its line."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli, tree_bytes

from phucdong_site.config import load_config
from phucdong_site.content.register import parse_document
from phucdong_site.legacy import import_pages
from phucdong_site.legacy.documents_csv import MAX_CELL

DOCUMENTS = Path("content/van-ban")
HEADER_VI = ("Số ký hiệu,Loại văn bản,Cơ quan ban hành,Người ký,Ngày ban hành,Ngày hiệu lực,"
             "Hết hiệu lực,Thay thế bởi,Trích yếu,Tệp đính kèm,Văn bản liên quan")
HEADER_FIELDS = ("so_ky_hieu,loai,co_quan,nguoi_ky,ngay_ban_hanh,ngay_hieu_luc,het_hieu_luc,"
                 "thay_the_boi,trich_yeu,tep,lien_quan")
ISSUER = "UBND phường Phúc Đồng"
ROWS = [
    f'12/KH-UBND,Kế hoạch,{ISSUER},Nguyễn Văn A,15/01/2021,15/01/2021,,,"Kế hoạch tổ chức các '
    f'hoạt động mừng Đảng, mừng Xuân Tân Sửu 2021",12-KH-UBND.pdf|Phu luc 1.docx,',
    f"20/KH-UBND,Kế hoạch,{ISSUER},Nguyễn Văn A,2022-01-10,,,,Kế hoạch năm 2022,"
    f"ke-hoach-20.pdf,12/KH-UBND",
    f"05/TB-UBND,thong bao,{ISSUER},Trần Thị B,03/03/2021,,x,,Thông báo lịch tiếp dân,"
    f"tb-05.pdf,",
]


def pdf_bytes(label: str) -> bytes:
    """A small, valid PDF whose bytes differ by LABEL."""
    stream = f"BT /F1 12 Tf 72 720 Td ({label}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def docx_bytes(text: str) -> bytes:
    """A minimal Word document: a zip with its content types and one paragraph (dated, so
    that its bytes are the same each time)."""
    buffer = io.BytesIO()

    def part(name: str) -> zipfile.ZipInfo:
        return zipfile.ZipInfo(name, date_time=(2021, 1, 15, 8, 0, 0))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr(part("[Content_Types].xml"), (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
            'xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        docx.writestr(part("word/document.xml"), (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxml'
            'formats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            f"{text}</w:t></w:r></w:p></w:body></w:document>"))
    return buffer.getvalue()


def export(folder: Path, lines: list[str], name: str = "van-ban.csv",
           encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """An old-portal export: the list and its files beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "12-KH-UBND.pdf").write_bytes(pdf_bytes("12/KH-UBND"))
    (folder / "Phu luc 1.docx").write_bytes(docx_bytes("Phụ lục 1"))
    (folder / "ke-hoach-20.pdf").write_bytes(pdf_bytes("20/KH-UBND"))
    (folder / "tb-05.pdf").write_bytes(pdf_bytes("05/TB-UBND"))
    text = "\r\n".join(lines) + "\r\n"
    if delimiter != ",":
        text = text.replace(",", delimiter)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def import_into(site, *inputs: Path | str, extra: tuple[str, ...] = ()):
    return run_cli("import", *map(str, inputs), *extra, cwd=site.root)


def documents(site) -> list[Path]:
    return sorted((site.root / DOCUMENTS).rglob("*.md"))


def parsed(site, relative: str):
    return parse_document(site.root / DOCUMENTS / relative, load_config(site.root))


# Importing --------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, delimiter, header", [
    ("utf-8", ",", HEADER_VI),
    ("utf-8-sig", ",", HEADER_VI),               # Excel's "CSV UTF-8" starts with a BOM
    ("utf-8-sig", ";", HEADER_VI),               # … and uses ";" in a Vietnamese locale
    ("utf-8", ",", HEADER_FIELDS),
], ids=["utf-8", "bom", "semicolon", "field-names"])
def test_list_becomes_documents_the_build_publishes(site, tmp_path, encoding, delimiter,
                                                    header):
    listing = export(tmp_path / "xuat", [header, *ROWS], encoding=encoding,
                     delimiter=delimiter)
    if delimiter != ",":     # the summary's own comma stays a comma (inside its quotes)
        listing.write_bytes(listing.read_bytes().replace("Đảng; mừng".encode(),
                                                         "Đảng, mừng".encode()))
    result = import_into(site, listing)
    assert result.returncode == 0, result.stderr
    assert "3 documents: 3 imported, 0 skipped, 0 failed" in result.stdout
    assert [p.relative_to(site.root / DOCUMENTS).as_posix() for p in documents(site)] == [
        "2021/05-tb-ubnd.md", "2021/12-kh-ubnd.md", "2022/20-kh-ubnd.md"]

    plan = parsed(site, "2021/12-kh-ubnd.md")
    assert plan.number == "12/KH-UBND" and plan.kind == "Kế hoạch"
    assert plan.issuer == ISSUER and plan.signer == "Nguyễn Văn A"
    assert plan.issued.date() == date(2021, 1, 15) and plan.effective.date() == date(2021, 1, 15)
    assert plan.summary == ("Kế hoạch tổ chức các hoạt động mừng Đảng, mừng Xuân Tân Sửu 2021")
    assert [(a.name, a.kind) for a in plan.attachments] == [
        ("12-kh-ubnd.pdf", "PDF"), ("12-kh-ubnd-phu-luc-1.docx", "DOCX")]
    folder = site.root / DOCUMENTS / "2021"
    assert (folder / "12-kh-ubnd.pdf").read_bytes() == pdf_bytes("12/KH-UBND")
    assert (folder / "12-kh-ubnd-phu-luc-1.docx").read_bytes() == docx_bytes("Phụ lục 1")
    later = parsed(site, "2022/20-kh-ubnd.md")
    assert later.related == ("12/KH-UBND",) and later.ends is None
    notice = parsed(site, "2021/05-tb-ubnd.md")
    assert notice.kind == "Thông báo"           # the site's spelling of "thong bao"
    assert notice.repealed is True              # "x": no longer in force

    built = site.build()
    assert built.returncode == 0, built.stderr
    page = (site.out / "van-ban" / "12-kh-ubnd" / "index.html").read_text(encoding="utf-8")
    assert "12/KH-UBND" in page and "mừng Xuân Tân Sửu 2021" in page
    assert (site.out / "van-ban" / "12-kh-ubnd" / "12-kh-ubnd.pdf").read_bytes() == pdf_bytes(
        "12/KH-UBND")


def test_second_run_writes_nothing_and_says_so(site, tmp_path):
    listing = export(tmp_path / "xuat", [HEADER_VI, *ROWS])
    assert import_into(site, listing).returncode == 0
    before = tree_bytes(site.content)
    again = import_into(site, listing)
    assert again.returncode == 0, again.stderr
    assert "3 documents: 0 imported, 3 skipped, 0 failed" in again.stdout
    assert again.stdout.count("(same number, issuing body and year)") == 3
    assert "van-ban.csv:2 (12/KH-UBND): already in the site as content/van-ban/2021/" \
           "12-kh-ubnd.md" in again.stdout
    assert tree_bytes(site.content) == before


def test_a_document_written_by_hand_is_recognised_and_never_replaced(site, tmp_path):
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[0]])
    (site.content / "van-ban" / "tay").mkdir(parents=True)
    (site.content / "van-ban" / "tay" / "kh.pdf").write_bytes(pdf_bytes("tay"))
    site.article("van-ban/tay/kh.md", f"""\
        so_ky_hieu: 12/KH-UBND
        loai: Kế hoạch
        co_quan: {ISSUER}
        ngay_ban_hanh: 2021-01-15
        trich_yeu: Soạn tay
        tep: kh.pdf""")
    before = tree_bytes(site.content)
    for extra in ((), ("--force",)):
        result = import_into(site, listing, extra=extra)
        assert result.returncode == 0, result.stderr
        assert "already in the site as content/van-ban/tay/kh.md" in result.stdout
        assert tree_bytes(site.content) == before
    assert "written by hand, so not replaced even with --force" in result.stdout


def test_force_replaces_only_what_an_import_wrote(site, tmp_path):
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[1]])
    assert import_into(site, listing).returncode == 0
    target = site.root / DOCUMENTS / "2022" / "20-kh-ubnd.md"
    text = listing.read_text(encoding="utf-8").replace("Kế hoạch năm 2022", "Kế hoạch năm 2022 "
                                                       "(bản sửa)")
    listing.write_text(text, encoding="utf-8")
    (listing.parent / "ke-hoach-20.pdf").write_bytes(pdf_bytes("20/KH-UBND v2"))
    kept = import_into(site, listing)
    assert "1 skipped" in kept.stdout and "bản sửa" not in target.read_text(encoding="utf-8")
    forced = import_into(site, listing, extra=("--force",))
    assert forced.returncode == 0, forced.stderr
    assert "1 imported" in forced.stdout
    assert parsed(site, "2022/20-kh-ubnd.md").summary == "Kế hoạch năm 2022 (bản sửa)"
    assert (target.parent / "20-kh-ubnd-ke-hoach-20.pdf").read_bytes() == pdf_bytes(
        "20/KH-UBND v2")


def test_one_number_in_two_years_gets_two_addresses(site, tmp_path):
    again = ROWS[0].replace("15/01/2021,15/01/2021", "10/02/2022,").replace(
        "12-KH-UBND.pdf|Phu luc 1.docx", "ke-hoach-20.pdf")
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[0], again])
    result = import_into(site, listing)
    assert result.returncode == 0, result.stderr
    assert parsed(site, "2021/12-kh-ubnd.md").slug == "12-kh-ubnd"
    assert parsed(site, "2022/12-kh-ubnd-2022.md").slug == "12-kh-ubnd-2022"
    assert site.build().returncode == 0


def test_a_file_of_that_name_with_other_bytes_is_not_overwritten(site, tmp_path):
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[2]])
    folder = site.root / DOCUMENTS / "2021"
    folder.mkdir(parents=True)
    (folder / "05-tb-ubnd-tb-05.pdf").write_bytes(pdf_bytes("someone else's"))
    assert import_into(site, listing).returncode == 0
    assert (folder / "05-tb-ubnd-tb-05.pdf").read_bytes() == pdf_bytes("someone else's")
    assert [a.name for a in parsed(site, "2021/05-tb-ubnd.md").attachments] == [
        "05-tb-ubnd-tb-05-2.pdf"]


def test_multi_line_cells_keep_the_lines_of_later_rows(site, tmp_path):
    first = ROWS[0].replace('"Kế hoạch tổ chức các hoạt động mừng Đảng, ',
                            '"Kế hoạch tổ chức các hoạt động\r\nmừng Đảng, ')
    listing = export(tmp_path / "xuat", [HEADER_VI, first, "", ROWS[1].replace(
        "2022-01-10", "2022-02-30")])
    result = import_into(site, listing)
    assert result.returncode == 1
    assert 'van-ban.csv:5: ngay_ban_hanh: "2022-02-30" is not a real date' in result.stderr
    assert parsed(site, "2021/12-kh-ubnd.md").summary.startswith(
        "Kế hoạch tổ chức các hoạt động mừng Đảng")


def test_issuer_may_come_from_site_toml(site, tmp_path):
    with (site.root / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[documents]\nissuer = "{ISSUER}"\n')
    listing = export(tmp_path / "xuat", ["Số ký hiệu;Loại;Ngày ban hành;Trích yếu;Tệp;STT",
                                         "12/KH-UBND;Kế hoạch;15/01/2021;Kế hoạch;"
                                         "12-KH-UBND.pdf;1"])
    result = import_into(site, listing)
    assert result.returncode == 0, result.stderr
    assert parsed(site, "2021/12-kh-ubnd.md").issuer == ISSUER
    assert "co_quan" not in (site.root / DOCUMENTS / "2021" / "12-kh-ubnd.md").read_text(
        encoding="utf-8")


def test_output_folder_option_and_pages_in_one_run(site, tmp_path):
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[2]])
    result = import_into(site, listing, extra=("-o", "content/van-ban/cu"))
    assert result.returncode == 0, result.stderr
    assert (site.root / DOCUMENTS / "cu" / "2021" / "05-tb-ubnd.md").is_file()
    assert "1 document: 1 imported, 0 skipped, 0 failed" in result.stdout


def test_output_outside_the_register_is_told(site, tmp_path):
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[2]])
    result = import_into(site, listing, extra=("-o", "content/luu-tru"))
    assert result.returncode == 0, result.stderr
    assert "note: content/luu-tru is not in the site's content/van-ban/: the build reads " \
           "documents only from there" in result.stdout


# Bad input, each at its line --------------------------------------------------------------

def test_every_bad_row_is_reported_at_its_line_and_the_rest_imported(site, tmp_path):
    rows = [
        ROWS[0],
        ROWS[1].replace("2022-01-10", "31/02/2021"),                       # line 3
        ROWS[2].replace(",x,", ","),                                       # line 4: 10 cells
        ROWS[2].replace("tb-05.pdf", "thieu.pdf"),                         # line 5
        ROWS[2].replace("Thông báo lịch tiếp dân", "").replace("thong bao", "Thông báo"),
        ROWS[2].replace("thong bao", "Kế hoạc").replace("05/TB", "06/TB"),  # line 7
    ]
    listing = export(tmp_path / "xuat", [HEADER_VI, *rows])
    result = import_into(site, listing)
    assert result.returncode == 1
    err = result.stderr
    assert 'van-ban.csv:3: ngay_ban_hanh: "31/02/2021" is not a real date' in err
    assert "van-ban.csv:4: row has 10 columns, the header has 11" in err
    assert 'van-ban.csv:5: tep: "thieu.pdf" does not exist beside the list' in err
    assert "van-ban.csv:6: trich_yeu: empty; every document needs one" in err
    assert 'van-ban.csv:7: loai: "Kế hoạc" is not a type of document of the site' in err
    assert "did you mean 'Kế hoạch'?" in err
    assert "Traceback" not in err
    assert "6 documents: 1 imported, 0 skipped, 5 failed" in result.stdout
    # A refused row leaves nothing behind: no file, no copied attachment.
    assert [p.name for p in documents(site)] == ["12-kh-ubnd.md"]
    assert sorted(p.name for p in (site.root / DOCUMENTS).rglob("*.pdf")) == ["12-kh-ubnd.pdf"]


def test_one_row_with_several_problems_reports_each(site, tmp_path):
    row = ROWS[1].replace("2022-01-10", "hôm qua").replace("ke-hoach-20.pdf", "a.pdf;b.txt")
    result = import_into(site, export(tmp_path / "xuat", [HEADER_VI, row]))
    assert result.returncode == 1
    assert ('van-ban.csv:2: ngay_ban_hanh: "hôm qua" is not a date (expected dd/mm/yyyy or '
            'YYYY-MM-DD)') in result.stderr
    assert 'van-ban.csv:2: tep: "a.pdf" does not exist beside the list' in result.stderr
    assert ('van-ban.csv:2: tep: "b.txt" is not a kind of document the site publishes'
            in result.stderr)


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252", "utf-16"])
def test_a_list_not_in_utf8_is_one_clear_error(site, tmp_path, encoding):
    signer = "José" if encoding == "cp1252" else "Văn Ba"      # é, ă: one byte each
    lines = [HEADER_FIELDS, "20/KH-UBND,Ke hoach,UBND,A,2022-01-10,,,,Ke hoach,ke-hoach-20.pdf,",
             f"21/KH-UBND,Ke hoach,UBND,{signer},2022-01-11,,,,Ke hoach,ke-hoach-20.pdf,"]
    listing = export(tmp_path / "xuat", lines, encoding=encoding)
    result = import_into(site, listing)
    assert result.returncode == 1
    line = 1 if encoding == "utf-16" else 3
    assert f"van-ban.csv:{line}: not UTF-8 text (byte 0x" in result.stderr
    assert '"CSV UTF-8 (Comma delimited) (*.csv)"' in result.stderr
    assert result.stderr.count("van-ban.csv") == 1
    assert "0 documents: 0 imported, 0 skipped, 0 failed; 1 document list not read" in \
        result.stdout
    assert documents(site) == []


def test_headings_unknown_or_missing_are_named_together(site, tmp_path):
    header = "Số ký hiệu,Loại văn bản,Ngay ban hnh,Trích yếu,Ghi chú,Tệp đính kèm"
    result = import_into(site, export(tmp_path / "xuat", [header, ROWS[0]]))
    assert result.returncode == 1
    err = result.stderr
    assert "van-ban.csv:1: unknown column \"Ngay ban hnh\"\n  hint: did you mean 'Ngày ban " \
           "hành'?" in err
    assert 'van-ban.csv:1: unknown column "Ghi chú"' in err
    assert ('van-ban.csv:1: no column "Ngày ban hành" (ngay_ban_hanh); every document needs '
            'it') in err
    assert 'van-ban.csv:1: no column "Cơ quan ban hành" (co_quan)' in err
    assert documents(site) == []


def test_a_huge_cell_is_refused_without_reading_it_whole(site, tmp_path):
    long_summary = "Kế hoạch " * (MAX_CELL // 9 + 10)
    row = ROWS[1].replace("Kế hoạch năm 2022", long_summary.strip())
    unclosed = '30/KH-UBND,Kế hoạch,UBND,A,2022-01-10,,,,"never closed,ke-hoach-20.pdf,\n' + \
        ("x" * 1000 + "\n") * 200
    listing = export(tmp_path / "xuat", [HEADER_VI, row, ROWS[2], unclosed])
    result = import_into(site, listing)
    assert result.returncode == 1
    assert f"van-ban.csv:2: trich_yeu: {len(long_summary.strip())} characters; the limit is " \
           f"{MAX_CELL}" in result.stderr
    assert "van-ban.csv:" in result.stderr and "cannot be read from here on" in result.stderr
    assert "quote (\") that is never closed" in result.stderr
    assert (site.root / DOCUMENTS / "2021" / "05-tb-ubnd.md").is_file()


def test_a_line_too_long_stops_the_list(site, tmp_path):
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[2], "x" * 1_200_000])
    result = import_into(site, listing)
    assert result.returncode == 1
    assert "van-ban.csv:3: a line longer than 1000000 characters" in result.stderr
    assert "1 document: 1 imported, 0 skipped, 0 failed; 1 document list not read" in \
        result.stdout


def test_an_empty_list_and_a_list_without_rows(site, tmp_path):
    folder = tmp_path / "xuat"
    empty = export(folder, [], name="rong.csv")
    empty.write_bytes(b"")
    header_only = export(folder, [HEADER_VI], name="tieu-de.csv")
    result = import_into(site, empty, header_only)
    assert result.returncode == 1
    assert "rong.csv: empty file" in result.stderr
    assert "0 documents: 0 imported, 0 skipped, 0 failed; 1 document list not read" in \
        result.stdout


def test_import_pages_reports_rows_in_process(site, tmp_path):
    """The function the command calls: each outcome reported, lines as the editor reads."""
    listing = export(tmp_path / "xuat", [HEADER_VI, ROWS[2], ROWS[1].replace(
        "ke-hoach-20.pdf", "")])
    seen = []
    summary = import_pages([listing], site.content / "imported", load_config(site.root),
                           report=seen.append)
    assert [(o.kind, o.status) for o in seen] == [("document", "imported"),
                                                   ("document", "failed")]
    assert seen[1].error.line == 3 and seen[1].error.message == (
        "tep: empty; every document needs one")
    assert summary.count("failed") == 1


def test_bom_with_semicolons_and_excel_sep_line(site, tmp_path):
    listing = export(tmp_path / "xuat", ["sep=;", HEADER_VI.replace(",", ";"),
                                         ROWS[2].replace(",", ";")], encoding="utf-8-sig")
    result = import_into(site, listing)
    assert result.returncode == 0, result.stderr
    assert "van-ban.csv:3 (05/TB-UBND)" in result.stdout



def test_a_file_outside_the_list_s_folder_is_never_copied(site, tmp_path):
    secret = tmp_path / "bi-mat.pdf"
    secret.write_bytes(pdf_bytes("bí mật"))
    folder = tmp_path / "xuat"
    folder.mkdir()
    (folder / "lien-ket.pdf").symlink_to(secret)
    rows = [ROWS[1].replace("ke-hoach-20.pdf", "../bi-mat.pdf"),
            ROWS[2].replace("tb-05.pdf", "lien-ket.pdf")]
    result = import_into(site, export(folder, [HEADER_VI, *rows]))
    assert result.returncode == 1
    assert 'van-ban.csv:2: tep: "../bi-mat.pdf" is outside the folder of the list' in result.stderr
    assert 'van-ban.csv:3: tep: "lien-ket.pdf" is outside the folder of the list' in result.stderr
    assert documents(site) == []
    assert not any((site.root / "content").rglob("*.pdf"))
