"""Attachments: documents (PDF, DOCX, ...) listed in attachments: or linked from a body,
published as they are beside the page, shown with their type and size; each bad input
reported at its line."""

from __future__ import annotations

import os
import random
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli, tree_bytes
from PIL import Image

from phucdong_site.content.attachments import MAX_ATTACHMENT_BYTES, published_name
from phucdong_site.models import file_size

ARTICLE = """\
title: "Triển khai kế hoạch"
date: 2021-01-05 08:00
attachments:
  - src: tai-lieu/Kế hoạch 12.PDF
    title: "Kế hoạch số 12/KH-UBND"
  - tai-lieu/bieu-mau.docx
"""
ARTICLE_URL = "2021/01/trien-khai-ke-hoach/"


def make_pdf(path: Path, size: tuple[int, int] = (300, 400), color: str = "white") -> Path:
    """A real one-page PDF, made by Pillow."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "PDF")
    return path


def make_zip(path: Path, payload: bytes = b"<w:document/>", member: str = "word/document.xml"
             ) -> Path:
    """A real ZIP container (what DOCX, XLSX, ODT and ODS files are)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(member, payload)
    return path


@pytest.fixture
def attached(site):
    make_pdf(site.content / "2021" / "tai-lieu" / "Kế hoạch 12.PDF")
    make_zip(site.content / "2021" / "tai-lieu" / "bieu-mau.docx")
    make_pdf(site.content / "2021" / "bao-cao.pdf", (200, 200))
    site.article("2021/trien-khai.md", ARTICLE,
                 "Xem [báo cáo tháng](bao-cao.pdf) và [biểu mẫu](tai-lieu/bieu-mau.docx).\n")
    return site


def test_documents_are_published_beside_the_article_byte_for_byte(attached):
    result = attached.build()
    assert result.returncode == 0, result.stderr
    folder = attached.out / ARTICLE_URL
    pairs = {"ke-hoach-12.pdf": "2021/tai-lieu/Kế hoạch 12.PDF",
             "bieu-mau.docx": "2021/tai-lieu/bieu-mau.docx",
             "bao-cao.pdf": "2021/bao-cao.pdf"}
    for name, source in pairs.items():
        assert (folder / name).read_bytes() == (attached.content / source).read_bytes()
    page = (folder / "index.html").read_text(encoding="utf-8")
    size = file_size((attached.content / "2021/bao-cao.pdf").stat().st_size)
    # Body links point at the published copies, marked with their type and size.
    assert (f'<a href="/{ARTICLE_URL}bao-cao.pdf">báo cáo tháng<span class="file-info"> '
            f'(PDF, {size})</span></a>') in page
    assert f'<a href="/{ARTICLE_URL}bieu-mau.docx">biểu mẫu<span class="file-info"> (DOCX, ' \
        in page
    # The block lists each document once, front matter's first, with its title.
    assert "Tài liệu đính kèm" in page
    block = page.split('class="attachment-list"')[1].split("</ul>")[0]
    assert block.index("Kế hoạch số 12/KH-UBND") < block.index("bieu-mau.docx") \
        < block.index("báo cáo tháng")
    assert block.count("<li>") == 3
    assert f"Tải về (PDF, {size})" in block
    check = attached.check()
    assert check.returncode == 0, check.stderr


def test_a_page_publishes_its_documents_beside_it_in_its_language(site):
    payload = random.Random(16).randbytes(int(1.2 * 2**20))
    make_zip(site.content / "trang" / "en" / "forms.zip", payload, "forms.bin")
    make_pdf(site.content / "trang" / "to-chuc.pdf")
    site.article("trang/gioi-thieu.md", 'title: "Giới thiệu"\nattachments: [to-chuc.pdf]',
                 "Sơ đồ [tổ chức](trang/to-chuc.pdf).\n")
    site.article("trang/en/contact.md", 'title: "Contact"\nattachments:\n'
                 '  - src: forms.zip\n    title: "Forms"')
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (site.out / "gioi-thieu" / "to-chuc.pdf").is_file()
    vietnamese = (site.out / "gioi-thieu" / "index.html").read_text(encoding="utf-8")
    assert 'href="/gioi-thieu/to-chuc.pdf"' in vietnamese
    assert "to-chuc.pdf</span> <span class=\"download\">Tải về (PDF," in vietnamese
    english = (site.out / "en" / "contact" / "index.html").read_text(encoding="utf-8")
    assert (site.out / "en" / "contact" / "forms.zip").read_bytes() == \
        (site.content / "trang" / "en" / "forms.zip").read_bytes()
    assert "<h2" in english and "Attachments</h2>" in english
    assert "Download (ZIP, 1.2 MB)" in english and "Tải về" not in english
    assert site.check().returncode == 0


def test_sizes_read_as_a_vietnamese_or_english_reader_reads_them():
    assert file_size(int(1.2 * 2**20)) == "1,2 MB"
    assert file_size(int(1.2 * 2**20), "en") == "1.2 MB"
    assert file_size(340 * 2**10) == "340 KB"
    assert file_size(10) == "1 KB"
    assert published_name(Path("Kế hoạch số 12 (bản cuối).DOCX")) == \
        "ke-hoach-so-12-ban-cuoi.docx"
    assert published_name(Path("Đề án.pdf")) == "de-an.pdf"


def test_each_bad_attachment_is_reported_at_its_line(site, tmp_path):
    outside = make_pdf(tmp_path / "ngoai-site.pdf")
    folder = site.content / "2021"
    folder.mkdir(parents=True)
    (folder / "lien-ket.pdf").symlink_to(outside)
    with open(folder / "qua-lon.pdf", "wb") as big:        # sparse: no disk used
        big.truncate(MAX_ATTACHMENT_BYTES + 2**20)
    (folder / "ghi-chu.txt").write_text("ghi chú", encoding="utf-8")
    (folder / "gia.pdf").write_text("<html>not a pdf</html>", encoding="utf-8")
    make_pdf(folder / "ke-hoach.pdf")
    make_pdf(folder / "khac" / "ke-hoach.pdf", color="red")
    site.article("2021/loi.md", """\
        title: "Bài lỗi"
        date: 2021-01-06 08:00
        attachments:
          - src: khong-co.pdf
          - lien-ket.pdf
          - src: qua-lon.pdf
          - src: ../../x.pdf
          - src: ghi-chu.txt
          - src: /tai-lieu/a.pdf
          - src: gia.pdf
          - src: ke-hoach.pdf
          - src: khac/ke-hoach.pdf
        """, "Đoạn một.\n\nXem [thiếu](thieu.xlsx).\n")
    (site.content / "ngoai.md").write_text(
        "---\ntitle: Ngoài\ndate: 2021-01-07 08:00\nattachments: [../x.pdf]\n---\n\nBài.\n",
        encoding="utf-8")
    result = site.check()
    assert result.returncode == 1
    err = result.stderr
    expected = [
        "content/2021/loi.md:5: attachments[0].src: khong-co.pdf does not exist",
        "content/2021/loi.md:6: attachments[1].src: lien-ket.pdf is a link to a file outside "
        "the site",
        "content/2021/loi.md:7: attachments[2].src: qua-lon.pdf is 51.0 MB, over the limit "
        "of 50 MB",
        "content/2021/loi.md:8: attachments[3].src: ../../x.pdf leaves the site",
        "content/2021/loi.md:9: attachments[4].src: ghi-chu.txt is not a kind of document",
        "hint: attach one of: pdf, doc, docx, xls, xlsx, odt, ods, zip",
        "content/2021/loi.md:10: attachments[5].src: /tai-lieu/a.pdf is an absolute path",
        "content/2021/loi.md:11: attachments[6].src: gia.pdf is not a PDF file",
        "content/2021/loi.md:13: attachments[8].src: khac/ke-hoach.pdf and "
        "content/2021/ke-hoach.pdf would both be published as ke-hoach.pdf",
        "content/2021/loi.md:18: body: link thieu.xlsx does not exist",
        "content/ngoai.md:4: attachments[0].src: ../x.pdf leaves the site",
    ]
    for line in expected:
        assert line in err, (line, err)
    assert "Traceback" not in err
    assert site.build().returncode == 1
    assert not site.out.exists()


def test_vietnamese_editors_read_the_problem_in_vietnamese(site):
    site.article("2021/loi.md", 'title: "Bài lỗi"\ndate: 2021-01-06 08:00\n'
                 'attachments: [khong-co.pdf]')
    result = run_cli("check", str(site.root), "--lang", "vi")
    assert result.returncode == 1
    assert "content/2021/loi.md:4: attachments[0].src: khong-co.pdf" in result.stderr


def settle(root: Path, seconds_ago: float = 60) -> None:
    """Date the content back: the build cache keeps only files older than 2 s."""
    moment = time.time() - seconds_ago
    for file in (root / "content").rglob("*"):
        os.utime(file, (moment, moment), follow_symlinks=False)


def test_rebuilds_keep_copies_and_follow_a_changed_document(attached, tmp_path):
    settle(attached.root)
    assert attached.build().returncode == 0
    published = attached.out / ARTICLE_URL / "bao-cao.pdf"
    first = published.stat()
    # Another edit: the document is published again as the very same file, not copied.
    attached.article("2021/khac.md", 'title: "Bài khác"\ndate: 2021-02-01 08:00')
    settle(attached.root)
    assert attached.build().returncode == 0
    again = published.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    # The document's bytes change, the article's file does not: a new copy, a new size.
    source = attached.content / "2021" / "bao-cao.pdf"
    make_pdf(source, (1600, 1200), "red")
    settle(attached.root, 30)
    result = attached.build()
    assert result.returncode == 0, result.stderr
    assert published.read_bytes() == source.read_bytes()
    page = (attached.out / ARTICLE_URL / "index.html").read_text(encoding="utf-8")
    assert f"(PDF, {file_size(source.stat().st_size)})" in page
    # ... and the incremental output equals a clean build of the same site.
    clean = tmp_path / "clean"
    shutil.copytree(attached.root, clean, ignore=shutil.ignore_patterns(".cache", "build"))
    assert run_cli("build", str(clean), "-q").returncode == 0
    assert tree_bytes(attached.out) == tree_bytes(clean / "build")
    # The cache keeps one copy of each document in use.
    copies = [path for path in (attached.root / ".cache" / "files").rglob("*") if path.is_file()]
    assert len(copies) == 3
