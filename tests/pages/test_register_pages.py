"""Outside checks of the register (issue 17): a real site of documents, every case of
status, replacement and relation, with real PDF and DOCX files, built through the command
line at a fixed moment (SOURCE_DATE_EPOCH); the output read back as a visitor, a feed
reader, a search engine and the site search see it."""

from __future__ import annotations

import io
import json
import os
import shutil
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_TOML, ScratchSite, run_cli, tree_bytes

from phucdong_site.search.words import search_key, words

HANOI = timezone(timedelta(hours=7))
# The build's moment: 1 June 2024, noon in Hà Nội.
NOW = datetime(2024, 6, 1, 12, tzinfo=HANOI)
EPOCH = str(int(NOW.timestamp()))
BASE = "https://phucdong.gov.vn/"


def pdf(size: int = 0) -> bytes:
    """A real PDF of at least SIZE bytes: one page whose content stream pads it out."""
    head = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" \
           b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" \
           b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    tail = b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    padding = max(0, size - len(head) - len(tail) - 60)
    stream = b"4 0 obj\n<< /Length %d >>\nstream\n" % padding + b"%" * padding + \
        b"\nendstream\nendobj\n"
    return head + stream + tail


def docx() -> bytes:
    """A real (minimal) Word document, the same bytes each time."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        stamp = (2021, 1, 15, 8, 0, 0)
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", stamp),
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                         '.org/package/2006/content-types"/>')
        archive.writestr(zipfile.ZipInfo("word/document.xml", stamp),
                         '<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
                         'openxmlformats.org/wordprocessingml/2006/main"/>')
    return data.getvalue()


BIG_PDF = pdf(1_260_000)         # "1,2 MB"
SMALL_PDF = pdf(50_000)          # "49 KB"


def write_document(site: ScratchSite, relative: str, fields: dict[str, str],
                   files: dict[str, bytes], body: str = "") -> Path:
    """content/van-ban/RELATIVE with FIELDS (YAML values as written) and FILES beside it."""
    front = "\n".join(f"{key}: {value}" for key, value in fields.items())
    path = site.article(f"van-ban/{relative}", front, body)
    for name, data in files.items():
        (path.parent / name).write_bytes(data)
    return path


def common(number: str, kind: str, issued: str, summary: str, tep: str) -> dict[str, str]:
    return {"so_ky_hieu": number, "loai": kind, "co_quan": "UBND phường Phúc Đồng",
            "nguoi_ky": "Nguyễn Văn A", "ngay_ban_hanh": issued, "trich_yeu": summary,
            "tep": tep}


def fill(site: ScratchSite) -> None:
    """Eight documents and a draft: one of each status, a replacement, relations written on
    one side, two on one day, four types over four years, PDF and DOCX files."""
    write_document(site, "2021/12-kh-ubnd.md", {
        **common("12/KH-UBND", "Kế hoạch", "2021-01-15",
                 "Kế hoạch tổ chức các hoạt động mừng Đảng, mừng Xuân Tân Sửu 2021",
                 "\n  - src: 12-kh-ubnd.pdf\n    title: Kế hoạch (bản scan)\n"
                 "  - src: phu-luc.docx\n    title: Phụ lục"),
        "ngay_hieu_luc": "2021-01-20", "thay_the_boi": "20/KH-UBND",
        "lien_quan": "[05/TB-UBND]"},
        {"12-kh-ubnd.pdf": BIG_PDF, "phu-luc.docx": docx()},
        body="Văn bản **đầy đủ** ở tệp đính kèm.\n")
    write_document(site, "2021/20-kh-ubnd.md", {
        **common("20/KH-UBND", "Kế hoạch", "2021-06-01",
                 "Kế hoạch tổ chức các hoạt động mừng Xuân (thay thế)", "20-kh-ubnd.pdf"),
        "ngay_hieu_luc": "2021-06-05"}, {"20-kh-ubnd.pdf": SMALL_PDF})
    write_document(site, "2021/05-tb-ubnd.md", {
        **common("05/TB-UBND", "Thông báo", "2021-01-05",
                 "Thông báo lịch tiếp công dân năm 2021", "05.pdf"),
        "het_hieu_luc": "2022-01-01"}, {"05.pdf": SMALL_PDF})
    write_document(site, "2023/07-tb-ubnd.md", {
        **common("07/TB-UBND", "Thông báo", "2023-03-10",
                 "Thông báo tạm dừng cấp giấy phép xây dựng", "07.docx"),
        "het_hieu_luc": "true"}, {"07.docx": docx()})
    write_document(site, "2024/30-qd-ubnd.md", {
        **common("30/QĐ-UBND", "Quyết định", "2024-05-20",
                 "Quyết định ban hành quy chế làm việc", "30.pdf"),
        "ngay_hieu_luc": "2024-07-01"}, {"30.pdf": SMALL_PDF})
    write_document(site, "2024/31-qd-ubnd.md", {
        **common("31/QĐ-UBND", "Quyết định", "2024-05-20",
                 "Quyết định thành lập tổ công tác", "31.pdf"),
        "lien_quan": "[30/QĐ-UBND, 02/BC-UBND]"}, {"31.pdf": SMALL_PDF})
    write_document(site, "2023/02-bc-ubnd.md", {
        **common("02/BC-UBND", "Báo cáo", "2023-12-31",
                 "Báo cáo kết quả thực hiện nhiệm vụ năm 2023", "02.pdf")},
        {"02.pdf": SMALL_PDF})
    write_document(site, "2022/03-kh-ubnd.md", {
        **common("03/KH-UBND", "Kế hoạch", "2022-02-10",
                 "Kế hoạch phòng chống thiên tai", "03.pdf")}, {"03.pdf": SMALL_PDF})
    write_document(site, "2024/99-tb-ubnd.md", {
        **common("99/TB-UBND", "Thông báo", "2024-04-01", "Thông báo nháp chưa đăng",
                 "99.pdf"), "draft": "true"}, {"99.pdf": SMALL_PDF})


# Newest first; on one day the higher number first. The draft is not there.
ORDER = ["31/QĐ-UBND", "30/QĐ-UBND", "02/BC-UBND", "07/TB-UBND", "03/KH-UBND",
         "20/KH-UBND", "12/KH-UBND", "05/TB-UBND"]
SLUGS = {"12/KH-UBND": "12-kh-ubnd", "20/KH-UBND": "20-kh-ubnd", "05/TB-UBND": "05-tb-ubnd",
         "07/TB-UBND": "07-tb-ubnd", "30/QĐ-UBND": "30-qd-ubnd", "31/QĐ-UBND": "31-qd-ubnd",
         "02/BC-UBND": "02-bc-ubnd", "03/KH-UBND": "03-kh-ubnd"}
TYPES = {"Kế hoạch": ["03/KH-UBND", "20/KH-UBND", "12/KH-UBND"],
         "Thông báo": ["07/TB-UBND", "05/TB-UBND"],
         "Quyết định": ["31/QĐ-UBND", "30/QĐ-UBND"], "Báo cáo": ["02/BC-UBND"]}
TYPE_SLUGS = {"Kế hoạch": "ke-hoach", "Thông báo": "thong-bao", "Quyết định": "quyet-dinh",
              "Báo cáo": "bao-cao"}
YEARS = {"2024": ["31/QĐ-UBND", "30/QĐ-UBND"], "2023": ["02/BC-UBND", "07/TB-UBND"],
         "2022": ["03/KH-UBND"], "2021": ["20/KH-UBND", "12/KH-UBND", "05/TB-UBND"]}


def build(site: ScratchSite, *args: str, epoch: str = EPOCH):
    return run_cli("build", str(site.root), "-q", *args,
                   env={**os.environ, "SOURCE_DATE_EPOCH": epoch})


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> ScratchSite:
    root = tmp_path_factory.mktemp("register") / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    site = ScratchSite(root)
    fill(site)
    site.article("2024/05/tin.md", 'title: "Triển khai kế hoạch"\ndate: 2024-05-02',
                 "Theo [Kế hoạch 12/KH-UBND](van-ban:12/KH-UBND) và "
                 "[kế hoạch mới](van-ban:20 kh ubnd).\n")
    result = build(site)
    assert result.returncode == 0, result.stderr
    return site


def html(site: ScratchSite, url: str) -> BeautifulSoup:
    path = site.out / url.strip("/") / "index.html" if url.strip("/") else site.out / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def rows(page: BeautifulSoup) -> list[str]:
    return [row.select_one(".document-number a").get_text(strip=True)
            for row in page.select("li.document-row")]


def status_of(page: BeautifulSoup) -> str:
    return " ".join(page.select_one(".document-fields .status").get_text(" ", strip=True).split())


def fields(page: BeautifulSoup) -> dict[str, object]:
    dl = page.select_one("dl.document-fields")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in dl.find_all("dt")}


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(script.string)
            for script in page.find_all("script", type="application/ld+json")]


# --- the register's listings ------------------------------------------------------------

def test_the_register_lists_every_document_newest_first_with_its_fields_and_files(built):
    page = html(built, "van-ban/")
    assert rows(page) == ORDER
    row = next(r for r in page.select("li.document-row") if "12/KH-UBND" in r.get_text())
    assert row.select_one(".document-number a")["href"] == "/van-ban/12-kh-ubnd/"
    meta = " ".join(row.select_one(".document-meta").get_text(" ", strip=True).split())
    assert meta.startswith("Kế hoạch · Ban hành 15/01/2021 ·")
    assert "Bị thay thế bởi 20/KH-UBND" in meta
    assert row.select_one(".document-summary").get_text(strip=True).startswith(
        "Kế hoạch tổ chức các hoạt động")
    links = row.select(".document-files a")
    assert [a["href"] for a in links] == ["/van-ban/12-kh-ubnd/12-kh-ubnd.pdf",
                                          "/van-ban/12-kh-ubnd/phu-luc.docx"]
    seen = [" ".join(a.get_text(" ", strip=True).split()) for a in links]
    assert seen[0].startswith("Tải về") and seen[0].endswith("(PDF, 1,2 MB)")
    assert seen[1].endswith(f"(DOCX, {max(1, round(len(docx()) / 1024))} KB)")
    # The files themselves, the same bytes.
    assert (built.out / "van-ban/12-kh-ubnd/12-kh-ubnd.pdf").read_bytes() == BIG_PDF
    assert (built.out / "van-ban/12-kh-ubnd/phu-luc.docx").read_bytes() == docx()
    for number, slug in SLUGS.items():
        row = next(r for r in page.select("li.document-row") if number in r.get_text())
        for a in row.select(".document-files a"):
            assert (built.out / a["href"].lstrip("/")).is_file(), a["href"]
    # The feed is the page's alternate.
    alternates = [link["href"] for link in page.find_all("link", rel="alternate",
                                                          type="application/rss+xml")]
    assert "/van-ban/rss.xml" in alternates


def test_statuses_at_the_build_time_in_words(built):
    words_of = {number: status_of(html(built, f"van-ban/{slug}/"))
                for number, slug in SLUGS.items()}
    assert words_of["12/KH-UBND"] == "Bị thay thế bởi 20/KH-UBND"
    assert words_of["20/KH-UBND"] == "Còn hiệu lực"
    assert words_of["05/TB-UBND"] == "Hết hiệu lực từ 01/01/2022"
    assert words_of["07/TB-UBND"] == "Hết hiệu lực"
    assert words_of["30/QĐ-UBND"] == "Chưa có hiệu lực (từ 01/07/2024)"
    assert words_of["31/QĐ-UBND"] == "Còn hiệu lực"
    replaced = html(built, "van-ban/12-kh-ubnd/").select_one(".document-fields .status a")
    assert replaced["href"] == "/van-ban/20-kh-ubnd/"


def test_the_same_site_built_later_tells_the_later_statuses(tmp_path):
    site = ScratchSite(tmp_path / "site")
    (site.content).mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    fill(site)
    # 15 January 2021, after 12/KH-UBND's issue but before it is in force, and long
    # before 20/KH-UBND replaces it.
    early = datetime(2021, 1, 16, 12, tzinfo=HANOI)
    assert build(site, epoch=str(int(early.timestamp()))).returncode == 0
    assert status_of(html(site, "van-ban/12-kh-ubnd/")) == "Chưa có hiệu lực (từ 20/01/2021)"
    assert status_of(html(site, "van-ban/05-tb-ubnd/")) == "Còn hiệu lực"


def test_type_and_year_listings_hold_exactly_their_documents(built):
    for kind, numbers in TYPES.items():
        page = html(built, f"van-ban/loai/{TYPE_SLUGS[kind]}/")
        assert rows(page) == numbers, kind
        assert page.h1.get_text(strip=True) == kind
    for year, numbers in YEARS.items():
        page = html(built, f"van-ban/nam/{year}/")
        assert rows(page) == numbers, year
    assert not (built.out / "van-ban/nam/2020").exists()


def browse_lists(page: BeautifulSoup) -> tuple[list[tuple[str, str, int]], ...]:
    nav = page.select_one("nav.register-browse")
    found = []
    for listing in nav.select("ul.shelf-list"):
        found.append([(li.a.get_text(strip=True), li.a["href"],
                       int(li.get_text().rsplit("(", 1)[1].rstrip(") \n")))
                      for li in listing.find_all("li")])
    return tuple(found)


@pytest.mark.parametrize("url", ["van-ban/", "van-ban/loai/ke-hoach/", "van-ban/nam/2023/"])
def test_every_listing_names_every_type_and_year_with_counts_as_plain_links(built, url):
    page = html(built, url)
    types, years = browse_lists(page)
    assert sorted(types) == sorted((kind, f"/van-ban/loai/{TYPE_SLUGS[kind]}/", len(numbers))
                                   for kind, numbers in TYPES.items())
    assert types[0][0] == "Kế hoạch"           # most documents first
    assert years == [(year, f"/van-ban/nam/{year}/", len(numbers))
                     for year, numbers in YEARS.items()]
    current = page.select("nav.register-browse [aria-current]")
    assert [a["href"] for a in current] == ([] if url == "van-ban/" else [f"/{url}"])
    # Plain links: the listings work without JavaScript.
    for a in page.select("nav.register-browse a"):
        assert not a.get("onclick") and a["href"].startswith("/van-ban/")
        assert (built.out / a["href"].strip("/") / "index.html").is_file()


def test_the_register_is_paginated_by_twenty_with_prev_and_next(tmp_path):
    site = ScratchSite(tmp_path / "site")
    site.content.mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    for n in range(1, 24):
        write_document(site, f"2023/{n}.md", common(
            f"{n}/CV-UBND", "Công văn", f"2023-{(n + 1) // 2:02d}-01",
            f"Công văn số {n}", f"{n}.pdf"), {f"{n}.pdf": SMALL_PDF})
    assert build(site).returncode == 0
    first, second = html(site, "van-ban/"), html(site, "van-ban/page/2/")
    # By date, newest first; two on one day: the higher number first.
    expected = [f"{n}/CV-UBND" for n in sorted(range(1, 24), key=lambda n: ((n + 1) // 2, n),
                                               reverse=True)]
    assert rows(first) + rows(second) == expected
    assert len(rows(first)) == 20
    assert first.find("link", rel="next")["href"] == "/van-ban/page/2/"
    assert first.find("link", rel="prev") is None
    assert second.find("link", rel="prev")["href"] == "/van-ban/"
    assert second.find("link", rel="next") is None
    assert not (site.out / "van-ban/page/3").exists()
    shelf = html(site, "van-ban/loai/cong-van/page/2/")
    assert rows(shelf) == expected[20:]
    assert [a["href"] for a in shelf.select("nav.register-browse [aria-current]")] == [
        "/van-ban/loai/cong-van/"]
    assert "trang 2" in second.title.get_text()


# --- a document's page ------------------------------------------------------------------

def test_a_document_page_shows_every_field_and_its_files(built):
    page = html(built, "van-ban/12-kh-ubnd/")
    shown = fields(page)
    assert list(shown) == ["Số, ký hiệu", "Loại văn bản", "Cơ quan ban hành", "Người ký",
                           "Ngày ban hành", "Ngày có hiệu lực", "Tình trạng hiệu lực",
                           "Trích yếu"]
    assert shown["Số, ký hiệu"].get_text(strip=True) == "12/KH-UBND"
    assert shown["Loại văn bản"].a["href"] == "/van-ban/loai/ke-hoach/"
    assert shown["Loại văn bản"].get_text(strip=True) == "Kế hoạch"
    assert shown["Cơ quan ban hành"].get_text(strip=True) == "UBND phường Phúc Đồng"
    assert shown["Người ký"].get_text(strip=True) == "Nguyễn Văn A"
    issued = shown["Ngày ban hành"]
    assert issued.time["datetime"] == "2021-01-15" and issued.time.get_text() == "15/01/2021"
    assert issued.a["href"] == "/van-ban/nam/2021/"
    assert shown["Ngày có hiệu lực"].get_text(strip=True) == "20/01/2021"
    assert shown["Trích yếu"].get_text(strip=True).startswith("Kế hoạch tổ chức")
    assert "Văn bản đầy đủ ở tệp đính kèm." in page.select_one(".article-body").get_text()
    files = [(a["href"], " ".join(a.get_text(" ", strip=True).split()))
             for a in page.select(".attachments a")]
    assert files[0] == ("/van-ban/12-kh-ubnd/12-kh-ubnd.pdf",
                        "Kế hoạch (bản scan) Tải về (PDF, 1,2 MB)")
    assert files[1][0] == "/van-ban/12-kh-ubnd/phu-luc.docx"
    assert files[1][1].startswith("Phụ lục Tải về (DOCX, ")
    ends = fields(html(built, "van-ban/05-tb-ubnd/"))
    assert ends["Ngày hết hiệu lực"].get_text(strip=True) == "01/01/2022"
    assert ends["Ngày có hiệu lực"].get_text(strip=True) == "Từ ngày ban hành"


def section(page: BeautifulSoup, heading: str) -> list[str]:
    h2 = next((h for h in page.find_all("h2") if h.get_text(strip=True) == heading), None)
    return [] if h2 is None else [a["href"] for a in h2.find_parent("section").select("li > a")]


def test_replacements_and_relations_are_shown_on_both_sides(built):
    replaced, replacing = html(built, "van-ban/12-kh-ubnd/"), html(built, "van-ban/20-kh-ubnd/")
    assert section(replacing, "Văn bản này thay thế") == ["/van-ban/12-kh-ubnd/"]
    assert section(replaced, "Văn bản này thay thế") == []
    # lien_quan written on one side only, shown on both.
    assert section(replaced, "Văn bản liên quan") == ["/van-ban/05-tb-ubnd/"]
    assert section(html(built, "van-ban/05-tb-ubnd/"), "Văn bản liên quan") == [
        "/van-ban/12-kh-ubnd/"]
    assert section(html(built, "van-ban/31-qd-ubnd/"), "Văn bản liên quan") == [
        "/van-ban/30-qd-ubnd/", "/van-ban/02-bc-ubnd/"]
    assert section(html(built, "van-ban/30-qd-ubnd/"), "Văn bản liên quan") == [
        "/van-ban/31-qd-ubnd/"]
    assert section(html(built, "van-ban/02-bc-ubnd/"), "Văn bản liên quan") == [
        "/van-ban/31-qd-ubnd/"]


def test_breadcrumbs_and_their_json_ld(built):
    page = html(built, "van-ban/30-qd-ubnd/")
    crumbs = page.select_one("nav.breadcrumbs")
    trail = [(a.get_text(strip=True), a.get("href")) for a in crumbs.select("a")]
    names = [name for name, _ in trail]
    assert names[:3] == ["Trang chủ", "Văn bản", "Quyết định"]
    assert "30/QĐ-UBND" in crumbs.get_text()
    ld = {data["@type"]: data for data in json_ld(page)}
    items = ld["BreadcrumbList"]["itemListElement"]
    assert [item["name"] for item in items] == ["Trang chủ", "Văn bản", "Quyết định",
                                                "30/QĐ-UBND"]
    assert [item["position"] for item in items] == [1, 2, 3, 4]
    assert items[2]["item"] == f"{BASE}van-ban/loai/quyet-dinh/"
    assert items[3]["item"] == f"{BASE}van-ban/30-qd-ubnd/"


@pytest.mark.parametrize("number, force", [
    ("12/KH-UBND", "NotInForce"), ("20/KH-UBND", "InForce"), ("05/TB-UBND", "NotInForce"),
    ("07/TB-UBND", "NotInForce"), ("31/QĐ-UBND", "InForce")])
def test_legislation_json_ld(built, number, force):
    slug = SLUGS[number]
    data = next(d for d in json_ld(html(built, f"van-ban/{slug}/"))
                if d["@type"] == "Legislation")
    assert data["legislationIdentifier"] == number
    assert data["legislationType"] == next(k for k, ns in TYPES.items() if number in ns)
    assert data["legislationLegalForce"] == f"https://schema.org/{force}"
    assert data["url"] == f"{BASE}van-ban/{slug}/"
    for encoding in data["encoding"]:
        assert encoding["contentUrl"].startswith(f"{BASE}van-ban/{slug}/")
        assert (built.out / encoding["contentUrl"][len(BASE):]).is_file()
    if number == "12/KH-UBND":
        assert data["legislationDate"] == "2021-01-15"
        assert data["legislationDateOfApplicability"] == "2021-01-20"
        assert [e["encodingFormat"] for e in data["encoding"]] == [
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
        assert data["encoding"][0]["contentSize"] == f"{len(BIG_PDF)} B"


def test_a_pending_document_is_not_yet_in_force_in_its_json_ld(built):
    """schema.org has no 'not yet in force': a document not yet in force is not InForce.
    PartiallyInForce would be wrong too; NotInForce is what it is at the build time."""
    data = next(d for d in json_ld(html(built, "van-ban/30-qd-ubnd/"))
                if d["@type"] == "Legislation")
    assert data["legislationLegalForce"] == "https://schema.org/NotInForce"
    assert data["legislationDateOfApplicability"] == "2024-07-01"


# --- feed, sitemap, search, drafts ------------------------------------------------------

def test_the_register_feed(built):
    feed = ET.parse(built.out / "van-ban/rss.xml").getroot()
    items = feed.findall("channel/item")
    assert [item.findtext("link") for item in items] == [
        f"{BASE}van-ban/{SLUGS[number]}/" for number in ORDER]
    first = items[ORDER.index("12/KH-UBND")].find("enclosure")
    assert first.get("url") == f"{BASE}van-ban/12-kh-ubnd/12-kh-ubnd.pdf"
    assert first.get("length") == str(len(BIG_PDF)) and first.get("type") == "application/pdf"
    docx_enclosure = items[ORDER.index("07/TB-UBND")].find("enclosure")
    assert docx_enclosure.get("type") == ("application/vnd.openxmlformats-officedocument."
                                          "wordprocessingml.document")
    assert docx_enclosure.get("length") == str(len(docx()))
    import feedparser
    parsed = feedparser.parse((built.out / "van-ban/rss.xml").read_bytes())
    assert not parsed.bozo and len(parsed.entries) == len(ORDER)


def test_the_sitemap_lists_the_register_and_not_the_draft(built):
    root = ET.parse(built.out / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {url.findtext("s:loc", namespaces=ns): url.findtext("s:lastmod", namespaces=ns)
              for url in root.findall("s:url", ns)}
    assert f"{BASE}van-ban/" in listed
    for kind in TYPES:
        assert f"{BASE}van-ban/loai/{TYPE_SLUGS[kind]}/" in listed
    for year in YEARS:
        assert f"{BASE}van-ban/nam/{year}/" in listed
    assert listed[f"{BASE}van-ban/12-kh-ubnd/"].startswith("2021-01-15")
    assert listed[f"{BASE}van-ban/30-qd-ubnd/"].startswith("2024-05-20")
    for slug in SLUGS.values():
        assert f"{BASE}van-ban/{slug}/" in listed
    assert not any("99-tb-ubnd" in loc for loc in listed)
    assert not (built.out / "van-ban/99-tb-ubnd").exists()
    assert "99/TB-UBND" not in (built.out / "van-ban/rss.xml").read_text(encoding="utf-8")


def test_drafts_have_a_page_only_with_the_drafts_option(tmp_path):
    site = ScratchSite(tmp_path / "site")
    site.content.mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    fill(site)
    result = build(site, "--drafts")
    assert result.returncode == 0, result.stderr
    page = html(site, "van-ban/99-tb-ubnd/")
    assert page.find("meta", attrs={"name": "robots", "content": "noindex"}) is not None
    assert "Bản nháp" in page.get_text()


def test_the_site_search_finds_documents_by_the_words_of_their_number(built):
    index = built.out / "tim-kiem/chi-muc"
    fragments = {path: json.loads(path.read_text(encoding="utf-8"))
                 for path in (index / "f").glob("*.json")}
    found = {f["u"]: (path, f) for path, f in fragments.items()}
    path, shown = found["van-ban/12-kh-ubnd/"]
    assert shown["k"] == "Văn bản" and shown["d"] == "15/01/2021"
    assert "12/KH-UBND" in shown["t"]
    doc_id = int(path.stem)
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    for word in words("12/KH-UBND"):
        key = search_key(word)
        vocabulary = json.loads((index / "v" / f"{ord(key[0]):x}.json").read_text("utf-8"))
        assert f"{ord(key[0]):x}" in meta["vocabulary"]
        shard_number, _count = vocabulary[key]
        shard = json.loads((index / "s" / f"{shard_number}.json").read_text("utf-8"))
        ids = set()
        for postings in shard[key].values():
            previous = 0
            for value in postings:
                value += previous
                ids.add(value >> 3)
                previous = value & ~7
        assert doc_id in ids, word
    assert not any(f["u"] == "van-ban/99-tb-ubnd/" for f in fragments.values())


# --- citing a document from an article --------------------------------------------------

def test_an_article_cites_documents_by_number(built):
    page = next(built.out.glob("2024/05/*/index.html"))
    body = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one(".article-body")
    hrefs = {a.get_text(strip=True): a["href"] for a in body.find_all("a")}
    assert hrefs == {"Kế hoạch 12/KH-UBND": "/van-ban/12-kh-ubnd/",
                     "kế hoạch mới": "/van-ban/20-kh-ubnd/"}


def test_citations_follow_a_sub_path_base_url(tmp_path):
    site = ScratchSite(tmp_path / "site")
    site.content.mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    fill(site)
    site.article("2024/05/tin.md", 'title: "Triển khai"\ndate: 2024-05-02',
                 "Theo [Kế hoạch 12/KH-UBND](van-ban:12/KH-UBND) và "
                 "[số 20](van-ban:12 kh ubnd).\n")
    result = build(site, "--base-url", "https://phucdong.gov.vn/cong/")
    assert result.returncode == 0, result.stderr
    page = next(site.out.glob("2024/05/*/index.html"))
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    hrefs = {a.get_text(strip=True): a["href"] for a in soup.select(".article-body a")}
    assert hrefs == {"Kế hoạch 12/KH-UBND": "/cong/van-ban/12-kh-ubnd/",
                     "số 20": "/cong/van-ban/12-kh-ubnd/"}
    register = html(site, "van-ban/")
    assert register.select_one(".document-number a")["href"].startswith("/cong/van-ban/")
    ld = next(d for d in json_ld(html(site, "van-ban/12-kh-ubnd/"))
              if d["@type"] == "Legislation")
    assert ld["encoding"][0]["contentUrl"] == (
        "https://phucdong.gov.vn/cong/van-ban/12-kh-ubnd/12-kh-ubnd.pdf")
    feed = ET.parse(site.out / "van-ban/rss.xml").getroot()
    assert feed.find("channel/item/link").text.startswith("https://phucdong.gov.vn/cong/van-ban/")


def test_an_unknown_number_is_an_error_at_its_line_and_the_build_is_kept(tmp_path):
    site = ScratchSite(tmp_path / "site")
    site.content.mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    fill(site)
    assert build(site).returncode == 0
    before = tree_bytes(site.out)
    path = site.article("2024/05/tin.md", 'title: "Triển khai"\ndate: 2024-05-02',
                        "Đoạn đầu.\n\nTheo [kế hoạch](van-ban:13/KH-UBND).\n")
    result = build(site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = path.read_text(encoding="utf-8").splitlines().index(
        "Theo [kế hoạch](van-ban:13/KH-UBND).") + 1
    assert f"content/2024/05/tin.md:{line}:" in result.stderr
    assert "13/KH-UBND" in result.stderr
    assert tree_bytes(site.out) == before
    checked = site.check()
    assert checked.returncode == 1 and f"content/2024/05/tin.md:{line}:" in checked.stderr


# --- menu -------------------------------------------------------------------------------

def menu_links(page: BeautifulSoup) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in page.select("nav.site-menu a")}


def test_the_default_menu_has_the_register_only_when_there_are_documents(built, tmp_path):
    assert menu_links(html(built, ""))["Văn bản"] == "/van-ban/"
    bare = ScratchSite(tmp_path / "bare")
    bare.content.mkdir(parents=True)
    (bare.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    bare.article("2024/05/tin.md", 'title: "Tin"\ndate: 2024-05-02')
    assert build(bare).returncode == 0
    assert "Văn bản" not in menu_links(html(bare, ""))
    assert not (bare.out / "van-ban").exists()


def test_a_menu_entry_may_name_the_register(tmp_path):
    site = ScratchSite(tmp_path / "site")
    site.content.mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML + textwrap.dedent("""
        [[menu]]
        title = "Tra cứu văn bản"
        listing = "van-ban/"
        """), encoding="utf-8")
    fill(site)
    result = build(site)
    assert result.returncode == 0, result.stderr
    page = html(site, "van-ban/")
    assert menu_links(page)["Tra cứu văn bản"] == "/van-ban/"
    current = page.select_one("nav.site-menu [aria-current]")
    assert current is not None and current.get_text(strip=True) == "Tra cứu văn bản"


# --- reproducible and incremental -------------------------------------------------------

def test_two_builds_are_byte_identical_and_an_edit_rebuild_equals_a_clean_one(built, tmp_path):
    site = ScratchSite(tmp_path / "site")
    shutil.copytree(built.root, site.root, ignore=shutil.ignore_patterns(".cache", "build"))
    assert build(site).returncode == 0
    first = tree_bytes(site.out)
    assert build(site).returncode == 0
    assert tree_bytes(site.out) == first
    # Edit one document at a time: a summary other pages show; then a document's
    # replacement and relations, which other documents' pages show.
    edits = [("van-ban/2021/05-tb-ubnd.md", "lịch tiếp công dân năm 2021",
              "lịch tiếp công dân (sửa)"),
             ("van-ban/2021/12-kh-ubnd.md", "thay_the_boi: 20/KH-UBND\nlien_quan: [05/TB-UBND]",
              "thay_the_boi: 03/KH-UBND\nlien_quan: [07/TB-UBND]")]
    for number, (relative, old, new) in enumerate(edits):
        path = site.content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        assert build(site).returncode == 0
        incremental = tree_bytes(site.out)
        clean = ScratchSite(tmp_path / f"clean{number}")
        shutil.copytree(site.root, clean.root, ignore=shutil.ignore_patterns(".cache", "build"))
        assert build(clean).returncode == 0
        expected = tree_bytes(clean.out)
        assert incremental.keys() == expected.keys()
        assert [name for name in expected if incremental[name] != expected[name]] == [], relative
        assert incremental != first
        first = incremental
    assert "lịch tiếp công dân (sửa)" in incremental["van-ban/index.html"].decode()
    assert section(html(site, "van-ban/07-tb-ubnd/"), "Văn bản liên quan") == [
        "/van-ban/12-kh-ubnd/"]
    assert section(html(site, "van-ban/05-tb-ubnd/"), "Văn bản liên quan") == []
    assert section(html(site, "van-ban/03-kh-ubnd/"), "Văn bản này thay thế") == [
        "/van-ban/12-kh-ubnd/"]


# --- check ------------------------------------------------------------------------------

def test_check_counts_the_documents_in_its_summary(tmp_path):
    site = ScratchSite(tmp_path / "site")
    site.content.mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    fill(site)
    result = site.check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "8 documents: no problems found"
    site.article("2024/05/tin.md", 'title: "Tin"\ndate: 2024-05-02')
    site.article("trang/lien-he.md", 'title: "Liên hệ"')
    result = site.check()
    assert result.stdout.splitlines()[0] == (
        "1 article, 1 page of content/trang/ and 8 documents: no problems found")


def test_a_rebuild_after_a_status_changes_tells_the_new_status(tmp_path):
    """Nothing in content/ changed, but 30/QĐ-UBND came into force on 1 July 2024 and
    05/TB-UBND, set to end in 2025, has ended: the build is not skipped as unchanged and
    equals a clean build at that moment."""
    site = ScratchSite(tmp_path / "site")
    site.content.mkdir(parents=True)
    (site.root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    fill(site)
    path = site.content / "van-ban/2021/05-tb-ubnd.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "het_hieu_luc: 2022-01-01", "het_hieu_luc: 2025-01-01"), encoding="utf-8")
    assert build(site).returncode == 0
    assert status_of(html(site, "van-ban/05-tb-ubnd/")) == "Còn hiệu lực"
    assert fields(html(site, "van-ban/05-tb-ubnd/"))["Ngày hết hiệu lực"].get_text(
        strip=True) == "01/01/2025"
    later = str(int(datetime(2025, 2, 1, 12, tzinfo=HANOI).timestamp()))
    assert build(site, epoch=later).returncode == 0
    assert status_of(html(site, "van-ban/30-qd-ubnd/")) == "Còn hiệu lực"
    assert status_of(html(site, "van-ban/05-tb-ubnd/")) == "Hết hiệu lực từ 01/01/2025"
    incremental = tree_bytes(site.out)
    clean = ScratchSite(tmp_path / "clean")
    shutil.copytree(site.root, clean.root, ignore=shutil.ignore_patterns(".cache", "build"))
    assert build(clean, epoch=later).returncode == 0
    expected = tree_bytes(clean.out)
    assert [name for name in expected if incremental.get(name) != expected[name]] == []
    assert incremental.keys() == expected.keys()


def test_every_kind_of_attachment_has_a_fixed_media_type():
    """Feeds and JSON-LD name a file's MIME type from one table, the same on every machine
    (mimetypes' answers depend on /etc/mime.types or Windows' registry)."""
    from phucdong_site.content.attachments import DOCUMENT_KINDS
    from phucdong_site.models import MEDIA_TYPES
    assert set(MEDIA_TYPES) == set(DOCUMENT_KINDS.values())
