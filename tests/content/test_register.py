"""Documents (content/van-ban/): every field read, each document's status at a moment, and
each bad input reported at its line, every problem of a run together, with real files."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath

import pytest
from conftest import tree_bytes

from phucdong_site.config import load_config
from phucdong_site.content import load_site, public_site
from phucdong_site.content.attachments import MAX_ATTACHMENT_BYTES
from phucdong_site.content.register import MAX_RELATED, number_key, register_problems
from phucdong_site.errors import ErrorList
from phucdong_site.models import EXPIRED, IN_FORCE, NOT_YET, REPLACED

HANOI = timezone(timedelta(hours=7))
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# The fields in the order the guide writes them; line N of the list is line N + 2 of the
# file (line 1 is the opening ---).
FIELDS = {
    "so_ky_hieu": "12/KH-UBND",                       # line 2
    "loai": "Kế hoạch",                               # line 3
    "co_quan": "UBND phường Phúc Đồng",               # line 4
    "nguoi_ky": "Nguyễn Văn A",                       # line 5
    "ngay_ban_hanh": "2021-01-15",                    # line 6
    "trich_yeu": "Kế hoạch tổ chức các hoạt động mừng Đảng, mừng Xuân Tân Sửu 2021",  # 7
    "tep": "12-kh-ubnd.pdf",                          # line 8
}


def docx() -> bytes:
    """A real (minimal) Word document: a zip with its parts."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        stamp = (2021, 1, 15, 8, 0, 0)        # fixed: the same bytes each time
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", stamp), '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr(zipfile.ZipInfo("word/document.xml", stamp), '<?xml version="1.0"?><w:document xmlns:w="'
                         'http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    return data.getvalue()


def front(**changes: object) -> str:
    """The front matter of FIELDS with CHANGES: a value replaces (None removes) a field, new
    fields come last. A value that is a str is written as it is (YAML)."""
    values = {**FIELDS, **changes}
    return "\n".join(f"{key}: {value}" for key, value in values.items() if value is not None)


def document(site, relative: str = "2021/12-kh-ubnd.md", body: str = "",
             files: tuple[str, ...] = ("12-kh-ubnd.pdf",), **changes: object):
    """content/van-ban/RELATIVE with FIELDS and CHANGES, and the FILES beside it (PDFs)."""
    path = site.article(f"van-ban/{relative}", front(**changes), body)
    for name in files:
        (path.parent / name).write_bytes(docx() if name.endswith(".docx") else PDF)
    return path


def loaded(site, **overrides):
    return load_site(load_config(site.root, **overrides), jobs=1)


def problems(site, **overrides) -> list[str]:
    with pytest.raises(ErrorList) as caught:
        loaded(site, **overrides)
    return [str(error) for error in caught.value.errors]


def add_setting(site, text: str) -> None:
    with (site.root / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n" + text + "\n")


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=HANOI)


# --- every field read -------------------------------------------------------------------

def test_every_field_is_read(site):
    document(site, files=("12-kh-ubnd.pdf", "phu-luc.docx"),
             loai="ke hoach", nguoi_ky="Nguyễn Văn A",
             ngay_hieu_luc="2021-01-20", het_hieu_luc="2022-01-15",
             thay_the_boi="20/KH-UBND", lien_quan="[11/KH-UBND, 05 / TB-UBND]",
             tep="\n  - src: 12-kh-ubnd.pdf\n    title: Kế hoạch (bản scan)\n"
                 "  - src: phu-luc.docx\n    title: Phụ lục",
             aliases="[/van-ban/chi-tiet.aspx?id=12]",
             body="Văn bản **đầy đủ** ở tệp đính kèm.\n")
    document(site, "2021/20-kh-ubnd.md", files=("20.pdf",), so_ky_hieu="20/KH-UBND",
             ngay_ban_hanh="2021-06-01", tep="20.pdf")
    document(site, "2021/11-kh-ubnd.md", files=("11.pdf",), so_ky_hieu="11/KH-UBND",
             ngay_ban_hanh="2021-01-10", tep="11.pdf")
    document(site, "2021/05-tb-ubnd.md", files=("05.pdf",), so_ky_hieu="05/TB-UBND",
             loai="THONG BAO", ngay_ban_hanh="2021-01-05", tep="05.pdf")
    register = loaded(site).register
    assert [d.number for d in register] == ["20/KH-UBND", "12/KH-UBND", "11/KH-UBND",
                                            "05/TB-UBND"]          # newest first
    plan = register[1]
    assert plan.number == "12/KH-UBND" and plan.slug == "12-kh-ubnd"
    assert plan.url == "van-ban/12-kh-ubnd/"
    assert plan.kind == "Kế hoạch" and plan.title == "Kế hoạch 12/KH-UBND"
    assert register[3].kind == "Thông báo"
    assert plan.issuer == "UBND phường Phúc Đồng" and plan.signer == "Nguyễn Văn A"
    assert plan.issued == datetime(2021, 1, 15, tzinfo=plan.issued.tzinfo)
    assert plan.issued.utcoffset() == timedelta(hours=7)
    assert plan.effective.date().isoformat() == "2021-01-20"
    assert plan.ends.date().isoformat() == "2022-01-15" and not plan.repealed
    assert plan.replaced_by == "20/KH-UBND"
    assert plan.related == ("11/KH-UBND", "05/TB-UBND")
    assert plan.summary.startswith("Kế hoạch tổ chức")
    assert [(a.title, a.name, a.kind, a.size) for a in plan.attachments] == [
        ("Kế hoạch (bản scan)", "12-kh-ubnd.pdf", "PDF", len(PDF)),
        ("Phụ lục", "phu-luc.docx", "DOCX", len(docx()))]
    assert plan.aliases == ("van-ban/chi-tiet.aspx?id=12",)
    assert "<strong>đầy đủ</strong>" in plan.body.html
    assert plan.source.as_posix() == "content/van-ban/2021/12-kh-ubnd.md"
    assert not plan.draft and plan.notes == ()


def test_one_file_written_alone_takes_its_name_as_title(site):
    document(site)
    (plan,) = loaded(site).register
    assert [(a.title, a.name) for a in plan.attachments] == [("12-kh-ubnd.pdf", "12-kh-ubnd.pdf")]
    assert plan.effective is None and plan.ends is None and plan.related == ()


def test_the_issuer_defaults_to_the_site_setting(site):
    add_setting(site, '[documents]\nissuer = "UBND phường Phúc Đồng"')
    document(site, co_quan=None)
    (plan,) = loaded(site).register
    assert plan.issuer == "UBND phường Phúc Đồng"


def test_het_hieu_luc_true_means_repealed_without_a_date(site):
    document(site, het_hieu_luc="true")
    (plan,) = loaded(site).register
    assert plan.repealed and plan.ends is None


def test_slug_gives_the_address_and_numbers_resolve_however_typed(site):
    document(site, slug="12-kh-ubnd-2021")
    (plan,) = loaded(site).register
    assert plan.url == "van-ban/12-kh-ubnd-2021/"
    assert {number_key(n) for n in ("12/KH-UBND", "12 kh ubnd", "12-kh-ubnd",
                                    " 12 / KH-UBND ")} == {"12-kh-ubnd"}
    assert number_key("01/2021/QĐ-UBND") == "01-2021-qd-ubnd"


def test_a_draft_is_left_out_unless_drafts(site):
    document(site, draft="true")
    document(site, "2021/13.md", files=("13.pdf",), so_ky_hieu="13/KH-UBND", tep="13.pdf")
    public = loaded(site)
    assert [d.number for d in public.register] == ["13/KH-UBND"]
    assert public.drafts_left_out == 1
    assert [d.number for d in loaded(site, drafts=True).register] == ["13/KH-UBND",
                                                                      "12/KH-UBND"]


def test_check_and_build_publish_a_document_at_its_number(site):
    document(site, files=("12-kh-ubnd.pdf", "phu-luc.docx"),
             tep="\n  - src: 12-kh-ubnd.pdf\n    title: Kế hoạch\n  - phu-luc.docx")
    result = site.check()
    assert result.returncode == 0, result.stderr
    result = site.build()
    assert result.returncode == 0, result.stderr
    page = (site.out / "van-ban/12-kh-ubnd/index.html").read_text(encoding="utf-8")
    assert "12/KH-UBND" in page and "Kế hoạch tổ chức các hoạt động" in page
    assert (site.out / "van-ban/12-kh-ubnd/12-kh-ubnd.pdf").read_bytes() == PDF
    assert (site.out / "van-ban/12-kh-ubnd/phu-luc.docx").read_bytes() == docx()


def test_a_draft_is_built_only_with_drafts(site):
    document(site, draft="true")
    assert site.build().returncode == 0
    assert not (site.out / "van-ban/12-kh-ubnd/index.html").exists()
    assert site.build("--drafts").returncode == 0
    assert (site.out / "van-ban/12-kh-ubnd/index.html").is_file()


# --- status at a moment ---------------------------------------------------------------

def status_at(site, now: datetime) -> tuple[dict[str, str], datetime | None]:
    shown, left_out = public_site(loaded(site), now, drafts=False)
    return {d.number: d.status for d in shown.register}, left_out.next_expiry


def test_status_follows_the_moment_of_the_build(site):
    document(site, "a.md", files=("a.pdf",), so_ky_hieu="1/QĐ-UBND", loai="Quyết định",
             ngay_ban_hanh="2024-01-01", tep="a.pdf")                              # in force
    document(site, "b.md", files=("b.pdf",), so_ky_hieu="2/QĐ-UBND", loai="Quyết định",
             ngay_ban_hanh="2024-01-01", ngay_hieu_luc="2024-03-01", tep="b.pdf")
    document(site, "c.md", files=("c.pdf",), so_ky_hieu="3/QĐ-UBND", loai="Quyết định",
             ngay_ban_hanh="2024-01-01", het_hieu_luc="2024-06-01", tep="c.pdf")
    document(site, "d.md", files=("d.pdf",), so_ky_hieu="4/QĐ-UBND", loai="Quyết định",
             ngay_ban_hanh="2024-01-01", het_hieu_luc="true", tep="d.pdf")
    document(site, "e.md", files=("e.pdf",), so_ky_hieu="5/QĐ-UBND", loai="Quyết định",
             ngay_ban_hanh="2024-01-01", thay_the_boi="6/QĐ-UBND", tep="e.pdf")
    document(site, "f.md", files=("f.pdf",), so_ky_hieu="6/QĐ-UBND", loai="Quyết định",
             ngay_ban_hanh="2024-04-01", ngay_hieu_luc="2024-05-01", tep="f.pdf")

    statuses, next_change = status_at(site, at(2024, 2, 1))
    assert statuses == {"1/QĐ-UBND": IN_FORCE, "2/QĐ-UBND": NOT_YET, "3/QĐ-UBND": IN_FORCE,
                        "4/QĐ-UBND": EXPIRED, "5/QĐ-UBND": IN_FORCE, "6/QĐ-UBND": NOT_YET}
    assert next_change == at(2024, 3, 1, 0)

    statuses, next_change = status_at(site, at(2024, 4, 15))
    assert statuses["2/QĐ-UBND"] == IN_FORCE and statuses["5/QĐ-UBND"] == IN_FORCE
    assert statuses["6/QĐ-UBND"] == NOT_YET        # issued, not yet in force: 5 still is
    assert next_change == at(2024, 5, 1, 0)

    statuses, next_change = status_at(site, at(2024, 5, 1, 0))
    assert statuses["5/QĐ-UBND"] == REPLACED and statuses["6/QĐ-UBND"] == IN_FORCE
    assert next_change == at(2024, 6, 1, 0)

    statuses, next_change = status_at(site, at(2024, 7, 1))
    assert statuses["3/QĐ-UBND"] == EXPIRED and next_change is None


def test_a_replacement_without_effective_date_replaces_from_its_issue(site):
    document(site, "e.md", files=("e.pdf",), ngay_ban_hanh="2024-01-01",
             thay_the_boi="20/KH-UBND", tep="e.pdf")
    document(site, "f.md", files=("f.pdf",), so_ky_hieu="20/KH-UBND",
             ngay_ban_hanh="2024-03-01", tep="f.pdf")
    assert status_at(site, at(2024, 2, 1)) == (
        {"12/KH-UBND": IN_FORCE, "20/KH-UBND": IN_FORCE}, at(2024, 3, 1, 0))
    assert status_at(site, at(2024, 3, 1))[0]["12/KH-UBND"] == REPLACED


# --- bad input, each at its line ----------------------------------------------------------

SHAPE = "expected N/SYMBOL, e.g. 12/KH-UBND or 01/2021/QĐ-UBND"
PATH = "content/van-ban/2021/12-kh-ubnd.md"


@pytest.mark.parametrize("changes, expected", [
    ({"so_ky_hieu": '""'}, [f"{PATH}:2: so_ky_hieu: is empty", SHAPE]),
    ({"so_ky_hieu": None}, [f"{PATH}:1: so_ky_hieu: missing", "12/KH-UBND"]),
    ({"so_ky_hieu": "KH-UBND"}, [f'{PATH}:2: so_ky_hieu: "KH-UBND" does not look like a '
                                 f"number and symbol ({SHAPE})"]),
    ({"so_ky_hieu": "12"}, [f'{PATH}:2: so_ky_hieu: "12" does not look like']),
    ({"so_ky_hieu": "số 12/KH-UBND"}, [f'{PATH}:2: so_ky_hieu: "số 12/KH-UBND" does not']),
    ({"so_ky_hieu": '"//"'}, [f'{PATH}:2: so_ky_hieu: "//" has no letters or digits']),
    ({"so_ky_hieu": "[12/KH-UBND]"}, [f"{PATH}:2: so_ky_hieu: expected text, got a list"]),
    ({"loai": "Ke hoch"}, [f'{PATH}:3: loai: "Ke hoch" is not a type of document of the site',
                           "did you mean 'Kế hoạch'?"]),
    ({"loai": "Thư mời họp"}, [f'{PATH}:3: loai: "Thư mời họp" is not a type',
                               "Nghị quyết, Quyết định", "[documents] types"]),
    ({"loai": None}, [f"{PATH}:1: loai: missing"]),
    ({"loai": "{a: 1}"}, [f"{PATH}:3: loai: expected text, got a group of fields"]),
    ({"co_quan": None}, [f"{PATH}:1: co_quan: missing", "issuer = "]),
    ({"co_quan": '""'}, [f"{PATH}:4: co_quan: is empty"]),
    ({"nguoi_ky": "[A, B]"}, [f"{PATH}:5: nguoi_ky: expected text, got a list"]),
    ({"ngay_ban_hanh": None}, [f"{PATH}:1: ngay_ban_hanh: missing"]),
    ({"ngay_ban_hanh": "2021-02-30"}, [f'{PATH}:6: ngay_ban_hanh: "2021-02-30" is not a real '
                                       "date"]),
    ({"ngay_ban_hanh": "hôm qua"}, [f'{PATH}:6: ngay_ban_hanh: "hôm qua" is not a date']),
    ({"ngay_hieu_luc": "2021-01-10"}, [f"{PATH}:9: ngay_hieu_luc: 10/01/2021 is before the "
                                       "date of issue, 15/01/2021"]),
    ({"het_hieu_luc": "2020-12-31"}, [f"{PATH}:9: het_hieu_luc: 31/12/2020 is before the date "
                                      "of issue, 15/01/2021"]),
    ({"het_hieu_luc": "sắp tới"}, [f'{PATH}:9: het_hieu_luc: "sắp tới" is not a date',
                                   "true"]),
    ({"het_hieu_luc": "[2022-01-01]"}, [f"{PATH}:9: het_hieu_luc: expected a date or true, "
                                        "got a list"]),
    ({"trich_yeu": None}, [f"{PATH}:1: trich_yeu: missing; every document needs its summary"]),
    ({"trich_yeu": '" "'}, [f"{PATH}:7: trich_yeu: is empty"]),
    ({"tep": None}, [f"{PATH}:1: tep: missing; list the document's file"]),
    ({"tep": "[]"}, [f"{PATH}:8: tep: lists no file"]),
    ({"tep": "khong-co.pdf"}, [f"{PATH}:8: tep[0].src: khong-co.pdf does not exist"]),
    ({"tep": "\n  - src: 12-kh-ubnd.pdf\n  - src: thieu.pdf"},
     [f"{PATH}:10: tep[1].src: thieu.pdf does not exist"]),
    ({"tep": "ghi-chu.txt"}, [f"{PATH}:8: tep[0].src: ghi-chu.txt is not a kind of document"]),
    ({"tep": "{src: a.pdf}"}, [f"{PATH}:8: tep: expected a list of documents"]),
    ({"thay_the_boi": "[20/KH-UBND]"}, [f"{PATH}:9: thay_the_boi: expected the number of a "
                                        "document, e.g. 20/KH-UBND, got a list"]),
    ({"thay_the_boi": "12/KH-UBND"}, [f"{PATH}:9: thay_the_boi: a document cannot replace "
                                      "itself"]),
    ({"thay_the_boi": "99/KH-UBND"}, [f"{PATH}:9: thay_the_boi: 99/KH-UBND is not the number "
                                      "of a document in content/van-ban/"]),
    ({"lien_quan": "[11/KH-UBND]"}, [f"{PATH}:9: lien_quan: 11/KH-UBND is not the number "
                                     "of a document"]),
    ({"lien_quan": "\n  - 13/KH-UBND\n  - 14/KH-UBND"},
     [f"{PATH}:10: lien_quan: 13/KH-UBND is not", f"{PATH}:11: lien_quan: 14/KH-UBND"]),
    ({"lien_quan": "[12/KH-UBND]"}, [f"{PATH}:9: lien_quan: 12/KH-UBND is this document itself"]),
    ({"lien_quan": "{a: 1}"}, [f"{PATH}:9: lien_quan: expected a list of document numbers"]),
    ({"lien_quan": "[" + ", ".join(f"{n}/KH-UBND" for n in range(MAX_RELATED + 1)) + "]"},
     [f"{PATH}:9: lien_quan: {MAX_RELATED + 1} related documents; the limit is {MAX_RELATED}"]),
    ({"slug": "Mười Hai"}, [f'{PATH}:9: slug: "Mười Hai" is not a slug']),
    ({"draft": "có"}, [f'{PATH}:9: draft: "có" should be true or false']),
    ({"aliases": "[1.5]"}, [f"{PATH}:9: aliases[0]: expected an address"]),
    ({"so_ky_hiue": "12/KH-UBND"}, [f"{PATH}:9: so_ky_hiue: unknown field",
                                    "did you mean 'so_ky_hieu'?"]),
    ({"slug": "loai"}, [f"{PATH}:9: slug: /van-ban/loai/ is where the site lists the "
                        "register's pages", "slug: loai-1"]),
    ({"slug": "chi-muc"}, [f"{PATH}:9: slug: /van-ban/chi-muc/ is where the site lists"]),
    ({"trich_yeu": "Kế hoạch tổ chức hội nghị #1"},
     [f"{PATH}:7: trich_yeu: the text after # would be dropped"]),
    ({"ngay_ban_hanh": "[2021-01-15]"}, [f"{PATH}:6: ngay_ban_hanh: expected a date, e.g. "
                                         "ngay_ban_hanh: 2021-01-15, got a list"]),
    ({"ngay_hieu_luc": "{ngay: 1}"}, [f"{PATH}:9: ngay_hieu_luc: expected a date, e.g. "
                                      "ngay_hieu_luc: 2021-01-15, got a group of fields"]),
])
def test_each_bad_field_is_reported_at_its_line(site, changes, expected):
    document(site, **changes)
    found = "\n".join(problems(site))
    for text in expected:
        assert text in found, found


def test_each_bad_input_through_the_command_line_keeps_the_previous_build(site):
    site.article("2024/a.md", 'title: "A"\ndate: 2024-01-01 08:00')
    assert site.build().returncode == 0
    before = tree_bytes(site.out)
    document(site, so_ky_hieu="12", loai="Ke hoch", ngay_hieu_luc="2021-01-01",
             tep="\n  - src: 12-kh-ubnd.pdf\n  - src: thieu.pdf")
    for command in (site.build, site.check):
        result = command()
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        for text in (f'{PATH}:2: so_ky_hieu: "12" does not look like',
                     f'{PATH}:3: loai: "Ke hoch" is not a type', "did you mean 'Kế hoạch'?",
                     f"{PATH}:11: ngay_hieu_luc: 01/01/2021 is before",
                     f"{PATH}:10: tep[1].src: thieu.pdf does not exist", "4 problems"):
            assert text in result.stderr, result.stderr
    assert tree_bytes(site.out) == before


def test_every_problem_of_one_file_in_one_run(site):
    """A bad number does not hide an empty file list, nor an unknown type."""
    document(site, so_ky_hieu="abc", loai="Không có", tep="[]")
    found = "\n".join(problems(site))
    for text in (f'{PATH}:2: so_ky_hieu: "abc" does not look like', f"{PATH}:3: loai:",
                 f"{PATH}:8: tep: lists no file"):
        assert text in found, found


def test_free_numbers_warn_and_publish(site):
    add_setting(site, "[documents]\nfree_numbers = true")
    document(site, so_ky_hieu="Số 12 năm 2021")
    (plan,) = loaded(site).register
    assert plan.slug == "so-12-nam-2021"
    assert [str(note) for note in plan.notes] == [
        f'{PATH}:2: so_ky_hieu: "Số 12 năm 2021" does not look like a number and symbol '
        f"({SHAPE})\n  hint: the site allows free numbers; check that it is written as issued"]
    result = site.check()
    assert result.returncode == 0, result.stderr
    assert f'{PATH}:2: warning: so_ky_hieu: "Số 12 năm 2021" does not look like' in (
        result.stderr)


def test_free_numbers_build_and_publish_the_document(site):
    add_setting(site, "[documents]\nfree_numbers = true")
    document(site, so_ky_hieu="Số 12 năm 2021")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "so_ky_hieu" in result.stderr                       # the warning, told
    assert (site.out / "van-ban/so-12-nam-2021/index.html").is_file()
    assert (site.out / "van-ban/so-12-nam-2021/12-kh-ubnd.pdf").read_bytes() == PDF


def test_a_free_number_cannot_take_the_register_s_own_folders(site):
    add_setting(site, "[documents]\nfree_numbers = true")
    document(site, so_ky_hieu="Loại")
    found = "\n".join(problems(site))
    assert f"{PATH}:2: so_ky_hieu: /van-ban/loai/ is where the site lists" in found


def test_free_numbers_still_refuse_an_empty_number(site):
    add_setting(site, "[documents]\nfree_numbers = true")
    document(site, so_ky_hieu='""')
    assert f"{PATH}:2: so_ky_hieu: is empty" in "\n".join(problems(site))


def test_an_oversize_file_is_refused(site):
    path = document(site)
    with (path.parent / "12-kh-ubnd.pdf").open("r+b") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)          # sparse: no 50 MB written
    found = "\n".join(problems(site))
    assert f"{PATH}:8: tep[0].src: 12-kh-ubnd.pdf is 50.0 MB, over the limit of 50 MB" in found


def test_a_file_that_is_not_what_its_name_says_is_refused(site):
    path = document(site, tep="12-kh-ubnd.docx", files=())
    (path.parent / "12-kh-ubnd.docx").write_bytes(PDF)
    found = "\n".join(problems(site))
    assert f"{PATH}:8: tep[0].src: 12-kh-ubnd.docx is not a DOCX file" in found


# --- what only the whole register shows -------------------------------------------------

def test_one_number_of_one_issuer_twice_tells_both(site):
    document(site)
    document(site, "2021/ban-sao.md", co_quan="Ubnd Phuong Phuc Dong")
    found = problems(site)
    assert len(found) == 2, found
    assert found[0].startswith(
        f"{PATH}:2: so_ky_hieu: 12/KH-UBND of UBND phường Phúc Đồng is also the number of "
        "content/van-ban/2021/ban-sao.md")
    assert found[1].startswith(
        "content/van-ban/2021/ban-sao.md:2: so_ky_hieu: 12/KH-UBND of Ubnd Phuong Phuc Dong is "
        f"also the number of {PATH}")


def test_one_number_in_two_years_asks_for_a_slug(site):
    document(site)
    document(site, "2022/12-kh-ubnd.md", ngay_ban_hanh="2022-01-10")
    found = problems(site)
    assert len(found) == 2, found
    assert (f"{PATH}:2: so_ky_hieu: /van-ban/12-kh-ubnd/ is also the address of "
            "content/van-ban/2022/12-kh-ubnd.md") in found[0]
    assert "slug: 12-kh-ubnd-2021" in found[0]
    assert "slug: 12-kh-ubnd-2022" in found[1]
    document(site, "2022/12-kh-ubnd.md", ngay_ban_hanh="2022-01-10", slug="12-kh-ubnd-2022")
    assert [d.url for d in loaded(site).register] == ["van-ban/12-kh-ubnd-2022/",
                                                      "van-ban/12-kh-ubnd/"]


def test_an_unknown_replacement_suggests_a_close_number(site):
    document(site, thay_the_boi="21/KH-UBND")
    document(site, "2021/20.md", files=("20.pdf",), so_ky_hieu="20/KH-UBND", tep="20.pdf")
    (found,) = problems(site)
    assert found.startswith(f"{PATH}:9: thay_the_boi: 21/KH-UBND is not the number of a "
                            "document in content/van-ban/")
    assert "did you mean '20/KH-UBND'?" in found


@pytest.mark.parametrize("length", [2, 3])
def test_a_circle_of_replacements_is_told_once_to_each_with_its_chain(site, length):
    numbers = [f"{n}/KH-UBND" for n in range(1, length + 1)]
    for index, number in enumerate(numbers):
        document(site, f"2021/{index}.md", files=(f"{index}.pdf",), so_ky_hieu=number,
                 thay_the_boi=numbers[(index + 1) % length], tep=f"{index}.pdf")
    found = problems(site)
    assert len(found) == length, found
    for index, number in enumerate(numbers):
        chain = " → ".join(numbers[(index + step) % length] for step in range(length + 1))
        assert (f"content/van-ban/2021/{index}.md:9: thay_the_boi: replacements go round in a "
                f"circle: {chain}") in found[index], found


def test_a_long_chain_of_replacements_is_checked_in_one_pass(site):
    """5,000 documents, each replaced by the next: the check and the statuses walk the
    chain once (a quadratic walk, or the whole chain in each message, would take minutes
    and print gigabytes). Closing the circle tells each of them, in one line each."""
    folder = site.content / "van-ban"
    folder.mkdir(parents=True)
    (folder / "a.pdf").write_bytes(PDF)
    for n in range(1, 5001):
        lines = front(so_ky_hieu=f"{n}/KH-UBND", tep="a.pdf",
                      thay_the_boi=f"{n + 1}/KH-UBND" if n < 5000 else None)
        (folder / f"{n}.md").write_text(f"---\n{lines}\n---\n", encoding="utf-8")
    loaded_site = loaded(site)
    assert len(loaded_site.register) == 5000
    shown, _left_out = public_site(loaded_site, at(2024, 1, 1), drafts=False)
    assert sum(d.status == REPLACED for d in shown.register) == 4999

    last = next(d for d in loaded_site.register if d.number == "5000/KH-UBND")
    circle = [replace(last, replaced_by="1/KH-UBND") if d is last else d
              for d in loaded_site.register]
    found = [str(error) for error in register_problems(circle)]
    assert len(found) == 5000 and all(len(text) < 400 for text in found)
    assert ("content/van-ban/1.md:9: thay_the_boi: replacements go round in a circle: "
            "1/KH-UBND → 2/KH-UBND → 3/KH-UBND → 4/KH-UBND → 5/KH-UBND → 6/KH-UBND → … → "
            "5000/KH-UBND → 1/KH-UBND (5000 documents)") in "\n".join(found)


def test_many_copies_of_one_number_are_told_in_a_line_each(site):
    document(site)
    (plan,) = loaded(site).register
    copies = [replace(plan, source=PurePosixPath(f"content/van-ban/{n}.md"))
              for n in range(5000)]
    found = [str(error) for error in register_problems(copies)]
    assert len(found) == 5000 and all(len(text) < 400 for text in found)
    assert found[0].startswith(
        "content/van-ban/0.md:2: so_ky_hieu: 12/KH-UBND of UBND phường Phúc Đồng is also the "
        "number of content/van-ban/1.md, content/van-ban/2.md, content/van-ban/3.md, "
        "content/van-ban/4.md, content/van-ban/5.md and 4994 more files")


# --- the review's findings ----------------------------------------------------------------

def test_a_reference_by_address_names_one_of_two_years_with_one_number(site):
    document(site)
    document(site, "2022/12-kh-ubnd.md", ngay_ban_hanh="2022-01-10", slug="12-kh-ubnd-2022")
    document(site, "2022/a.md", files=("a.pdf",), so_ky_hieu="20/KH-UBND", tep="a.pdf",
             ngay_ban_hanh="2022-02-01", lien_quan="[12-kh-ubnd, 12-kh-ubnd-2022]")
    related = {d.slug: d.related for d in loaded(site).register}
    assert related["20-kh-ubnd"] == ("12-kh-ubnd", "12-kh-ubnd-2022")
    public, _ = public_site(loaded(site), at(2024, 1, 1), False)
    by_slug = {d.slug: d for d in public.register}
    assert by_slug["12-kh-ubnd"].related_urls == ("van-ban/20-kh-ubnd/",)
    assert by_slug["12-kh-ubnd-2022"].related_urls == ("van-ban/20-kh-ubnd/",)
    # the number alone names two documents: asked which, by their addresses
    document(site, "2022/a.md", files=("a.pdf",), so_ky_hieu="20/KH-UBND", tep="a.pdf",
             ngay_ban_hanh="2022-02-01", lien_quan="[12/KH-UBND]")
    (found,) = problems(site)
    assert "12/KH-UBND is the number of 2 documents (12-kh-ubnd, 12-kh-ubnd-2022)" in found


def test_a_replacement_is_named_by_its_number_however_written(site):
    document(site, thay_the_boi='"20 kh ubnd"')
    document(site, "2021/20.md", files=("20.pdf",), so_ky_hieu="20/KH-UBND", tep="20.pdf",
             ngay_ban_hanh="2021-02-01")
    public, _ = public_site(loaded(site), at(2024, 1, 1), False)
    replaced = next(d for d in public.register if d.slug == "12-kh-ubnd")
    assert (replaced.status, replaced.replaced_by, replaced.replaced_by_url) == (
        REPLACED, "20/KH-UBND", "van-ban/20-kh-ubnd/")


def test_a_number_beyond_its_length_is_refused_not_crashed(site):
    add_setting(site, "[documents]\nfree_numbers = true")
    document(site, so_ky_hieu="1" * 5000)
    (found,) = problems(site)
    assert found.startswith(f"{PATH}:2: so_ky_hieu: 5000 characters; the limit is 100")


def test_digits_of_other_scripts_are_not_a_number(site):
    document(site, so_ky_hieu="١٢7/KH-UBND")
    (found,) = problems(site)
    assert found.startswith(f"{PATH}:2: so_ky_hieu:") and "N/SYMBOL" in found


def test_an_end_before_the_effective_date_is_refused(site):
    document(site, ngay_hieu_luc="2021-03-01", het_hieu_luc="2021-02-01")
    (found,) = problems(site)
    assert found.startswith(f"{PATH}:10: het_hieu_luc: 01/02/2021 is before the effective "
                            "date, 01/03/2021")


def test_a_reference_to_a_broken_document_is_not_told_again(site):
    document(site, thay_the_boi="20/KH-UBND")
    document(site, "2021/20.md", files=(), so_ky_hieu="20/KH-UBND", tep="missing.pdf")
    found = problems(site)
    assert len(found) == 1 and found[0].startswith("content/van-ban/2021/20.md:8: tep"), found


def test_did_you_mean_never_names_the_document_itself(site):
    document(site, thay_the_boi="13/KH-UBND")
    (found,) = problems(site)
    assert "is not the number of a document" in found and "did you mean" not in found
