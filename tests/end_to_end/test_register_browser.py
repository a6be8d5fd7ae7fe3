"""The register's filters and search in a real browser, on a generated site of 3,000
documents (issue 17): numbers found however they are typed, summary words without accents,
filters in the URL (reload, back button), the bytes one query downloads, and axe."""

from __future__ import annotations

import functools
import http.server
import json
import random
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import QuietHandler
from conftest import SITE_TOML, ScratchSite, run_cli

from phucdong_site.text import slugify

COUNT = 3000
YEARS = range(2015, 2025)
QUERY_BUDGET = 300 * 1024        # bytes one query may download, the issue's "Done when"
TARGET = "12/KH-UBND"            # the only document of that number
TARGET_URL = "van-ban/12-kh-ubnd/"
TARGET_SUMMARY = "Kế hoạch tổ chức các hoạt động mừng Đảng, mừng Xuân Tân Sửu 2021"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# type, its abbreviation, share of the register
TYPES = [("Kế hoạch", "KH", 5), ("Thông báo", "TB", 6), ("Quyết định", "QĐ", 5),
         ("Báo cáo", "BC", 4), ("Giấy mời", "GM", 3), ("Tờ trình", "TTr", 2),
         ("Hướng dẫn", "HD", 2), ("Chỉ thị", "CT", 1), ("Nghị quyết", "NQ", 1)]
ISSUERS = [("UBND phường Phúc Đồng", "UBND", 8), ("Đảng ủy phường Phúc Đồng", "ĐU", 2),
           ("HĐND phường Phúc Đồng", "HĐND", 1), ("Ủy ban MTTQ Việt Nam phường Phúc Đồng",
                                                  "MTTQ", 1)]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Quang Cường", "Phạm Thu Dung", "Hoàng Minh Đức"]
ACTIONS = ["tổ chức", "triển khai", "thực hiện", "kiểm tra", "tổng kết", "phê duyệt",
           "tăng cường", "hướng dẫn", "điều chỉnh", "ban hành quy chế về", "rà soát",
           "đôn đốc", "phân công", "giao chỉ tiêu", "sơ kết"]
TOPICS = ["công tác phòng cháy chữa cháy", "vệ sinh môi trường", "trật tự đô thị",
          "phòng chống dịch bệnh", "tiêm chủng mở rộng", "cải cách hành chính",
          "chuyển đổi số", "an toàn giao thông", "phổ biến giáo dục pháp luật",
          "quản lý đất đai", "xây dựng nông thôn mới", "khuyến học khuyến tài",
          "chăm sóc người cao tuổi", "đền ơn đáp nghĩa", "bảo hiểm y tế hộ gia đình",
          "thu ngân sách", "kiểm kê đất đai", "tuyển quân", "phòng chống lụt bão",
          "tiếp công dân", "giải quyết khiếu nại tố cáo", "cấp giấy chứng nhận quyền sử dụng đất",
          "quản lý hộ kinh doanh cá thể", "bảo vệ trẻ em", "hiến máu tình nguyện",
          "văn hóa gia đình", "thể dục thể thao quần chúng", "kỷ niệm ngày thành lập",
          "bầu cử đại biểu", "điều tra dân số", "xóa đói giảm nghèo", "quản lý nhà văn hóa"]
PLACES = ["trên địa bàn phường", "tại các tổ dân phố", "tại trụ sở UBND phường",
          "tại khu dân cư số 3", "ở các trường học", "tại chợ Phúc Đồng", "dọc đê sông Hồng"]
TIMES = ["năm {year}", "quý I năm {year}", "6 tháng đầu năm {year}", "tháng 12 năm {year}",
         "đợt 2 năm {year}", "giai đoạn {year}–{next}"]


def _weighted(rng: random.Random, table):
    return rng.choices(table, weights=[row[-1] for row in table])[0]


def write_register(site: ScratchSite, count: int = COUNT, seed: int = 17) -> dict[str, str]:
    """COUNT documents under content/van-ban/<year>/, each with its own small PDF; numbers
    run per year, type and body, as a ward's registers do. The one 12/KH-UBND is TARGET (of
    2021); no other year numbers a plan 12. Returns url -> number."""
    rng = random.Random(seed)
    numbers: dict[tuple, int] = {}
    written: dict[str, str] = {}
    per_year = count // len(YEARS)
    for n in range(count):
        year = YEARS[0] + min(n // per_year, len(YEARS) - 1)
        day = 1 + (n % per_year) * 360 // per_year
        month, mday = 1 + (day - 1) // 30, 1 + (day - 1) % 28
        kind, abbreviation, _ = _weighted(rng, TYPES)
        issuer, symbol, _ = _weighted(rng, ISSUERS)
        key = (year, abbreviation, symbol)
        numbers[key] = numbers.get(key, 0) + 1
        if numbers[key] == 12 and key[1:] == ("KH", "UBND"):
            numbers[key] += 1                       # 12/KH-UBND is the target's alone
        number = f"{numbers[key]}/{abbreviation}-{symbol}"
        summary = (f"{kind} {rng.choice(ACTIONS)} {rng.choice(TOPICS)} {rng.choice(PLACES)} "
                   + rng.choice(TIMES).format(year=year, next=year + 1))
        fields = {"issued": f"{year}-{month:02d}-{mday:02d}", "kind": kind, "issuer": issuer,
                  "summary": summary, "number": number}
        if rng.random() < 0.15:
            fields["ends"] = f"{year + 1}-{month:02d}-{mday:02d}"
        _write(site, year, fields, rng, written)
    _write(site, 2021, {"issued": "2021-01-15", "kind": "Kế hoạch", "number": TARGET,
                        "issuer": "UBND phường Phúc Đồng", "summary": TARGET_SUMMARY},
           rng, written)
    return written


def _write(site: ScratchSite, year: int, fields: dict, rng: random.Random,
           written: dict[str, str]) -> None:
    slug = slugify(fields["number"]) + (f"-{year}" if fields["number"] != TARGET else "")
    folder = site.content / "van-ban" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.pdf").write_bytes(PDF + bytes(rng.randrange(256) for _ in range(40)))
    ends = f"het_hieu_luc: {fields['ends']}\n" if "ends" in fields else ""
    (folder / f"{slug}.md").write_text(
        f"---\nso_ky_hieu: {fields['number']}\nloai: {fields['kind']}\n"
        f"co_quan: {fields['issuer']}\nnguoi_ky: {SIGNERS[len(written) % len(SIGNERS)]}\n"
        f"ngay_ban_hanh: {fields['issued']}\n{ends}trich_yeu: {fields['summary']}\n"
        f"slug: {slug}\ntep:\n  - src: {slug}.pdf\n    title: Toàn văn\n---\n",
        encoding="utf-8")
    written[f"van-ban/{slug}/"] = fields["number"]


class Served:
    def __init__(self, out: Path, base: str):
        self.out, self.base = out, base

    def url(self, path: str = "") -> str:
        return self.base + path


@pytest.fixture(scope="module")
def register_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("register") / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    site = ScratchSite(root)
    site.article("2024/tin.md", 'title: "Tin của phường"\ndate: 2024-12-20 08:30')
    write_register(site)
    out = root.parent / "www"
    result = run_cli("build", str(root), "-o", str(out), timeout=900)   # ~1.5 min
    assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Served(out, f"http://127.0.0.1:{httpd.server_address[1]}/")
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def tab(browser, register_site):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


class Downloads:
    """The bytes of every response body the page receives, from the moment it is made."""

    def __init__(self, page):
        self.sizes: list[tuple[str, int]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        response = request.response()
        self.sizes.append((request.url, len(response.body()) if response else 0))

    def since(self, start: int) -> int:
        return sum(size for _url, size in self.sizes[start:])


def open_register(tab, register_site, query: str = "") -> None:
    tab.goto(register_site.url("van-ban/" + query))
    tab.wait_for_selector("#loc-van-ban[data-ready][data-shown]")


def results(tab) -> list[str]:
    return tab.locator("#ket-qua-van-ban .document-number a").all_inner_texts()


def search(tab, query: str) -> list[str]:
    """Type QUERY as a visitor would and return the numbers shown, in order."""
    box = tab.get_by_label("Tìm văn bản", exact=True)
    box.fill("")
    tab.wait_for_selector("#loc-van-ban[data-shown]")
    box.type(query, delay=5)
    tab.wait_for_function(
        "q => new URLSearchParams(location.search).get('q') === q"
        " && document.getElementById('loc-van-ban').hasAttribute('data-shown')", arg=query)
    return results(tab)


def shown_count(tab) -> int:
    return int(tab.locator("#trang-thai-van-ban").inner_text().split(" văn bản")[0]
               .replace(".", ""))


@pytest.mark.parametrize("query", ["12/KH-UBND", "12 kh ubnd", "12-kh-ubnd", "12/kh-ubnd"])
def test_a_number_however_typed_finds_its_document_first(tab, register_site, query):
    open_register(tab, register_site)
    found = search(tab, query)
    assert found[0] == TARGET
    link = tab.locator("#ket-qua-van-ban .document-number a").first
    assert link.get_attribute("href") == "/" + TARGET_URL
    # the other results hold the words 12, kh and ubnd elsewhere, newest first
    assert len(found) > 1 and TARGET not in found[1:]


@pytest.mark.parametrize("query", ["tan suu", "mung xuan tan suu", "Tân Sửu", "TAN SUU"])
def test_a_summary_word_without_accents_finds_the_document_first(tab, register_site, query):
    open_register(tab, register_site)
    assert search(tab, query)[0] == TARGET
    row = tab.locator("#ket-qua-van-ban .document-row").first
    assert TARGET_SUMMARY in row.inner_text()
    assert "Tải về" in row.locator(".document-files a").inner_text()
    assert "(PDF, 1 KB)" in row.locator(".document-files a").inner_text()


def test_the_last_word_is_a_prefix_while_typing(tab, register_site):
    open_register(tab, register_site)
    assert search(tab, "xuan tan su")[0] == TARGET
    assert search(tab, "xuan tan su ")[:1] != [TARGET] or shown_count(tab) == 0


def test_type_and_year_filter_shows_only_matching_and_survives_a_reload(tab, register_site):
    open_register(tab, register_site)
    tab.get_by_label("Loại văn bản").select_option("ke-hoach")
    tab.wait_for_selector("#loc-van-ban[data-shown]")
    tab.get_by_label("Năm ban hành").select_option("2021")
    tab.wait_for_function("location.search === '?loai=ke-hoach&nam=2021'"
                          " && document.getElementById('loc-van-ban').hasAttribute('data-shown')")
    count = shown_count(tab)
    checked = _all_rows_match(tab, register_site, "Kế hoạch", 2021, count)
    assert checked == count > 20
    assert not tab.locator("#danh-sach-van-ban").is_visible()   # the served list gives way
    tab.reload()
    tab.wait_for_selector("#loc-van-ban[data-ready][data-shown]")
    assert tab.get_by_label("Loại văn bản").input_value() == "ke-hoach"
    assert tab.get_by_label("Năm ban hành").input_value() == "2021"
    assert shown_count(tab) == count
    assert _all_rows_match(tab, register_site, "Kế hoạch", 2021, count) == count


def _all_rows_match(tab, register_site, kind: str, year: int, count: int) -> int:
    """Shows every result ("Xem thêm") and checks each is of KIND and YEAR; the number seen."""
    while tab.locator("#xem-them-van-ban").is_visible():
        before = tab.locator("#ket-qua-van-ban li.document-row").count()
        tab.locator("#xem-them-van-ban").click()
        tab.wait_for_function(
            f"document.querySelectorAll('#ket-qua-van-ban li.document-row').length > {before}")
    metas = tab.locator("#ket-qua-van-ban .document-meta").all_inner_texts()
    assert len(metas) == count
    for meta in metas:
        assert meta.startswith(f"{kind} · Ban hành ") and f"/{year} · " in meta, meta
    return len(metas)


def test_filters_agree_with_the_served_listings(tab, register_site):
    """The year filter shows as many documents as /van-ban/nam/2019/ lists, the same ones."""
    open_register(tab, register_site, "?nam=2019")
    count = shown_count(tab)
    served = 0
    page = 1
    while True:
        path = register_site.out / "van-ban" / "nam" / "2019" / (
            "index.html" if page == 1 else f"page/{page}/index.html")
        if not path.exists():
            break
        served += path.read_text(encoding="utf-8").count('class="document-row"')
        page += 1
    assert count == served > 200


def test_back_button_restores_the_previous_filter(tab, register_site):
    open_register(tab, register_site)
    tab.get_by_label("Loại văn bản").select_option("thong-bao")
    tab.wait_for_function("location.search === '?loai=thong-bao'")
    tab.wait_for_selector("#loc-van-ban[data-shown]")
    first = shown_count(tab)
    tab.get_by_label("Tình trạng").select_option("het-hieu-luc")
    tab.wait_for_function("location.search === '?loai=thong-bao&tinh-trang=het-hieu-luc'")
    tab.wait_for_selector("#loc-van-ban[data-shown]")
    assert shown_count(tab) < first
    assert all("Hết hiệu lực" in meta for meta in
               tab.locator("#ket-qua-van-ban .document-meta").all_inner_texts())
    tab.go_back()
    tab.wait_for_function("location.search === '?loai=thong-bao'")
    tab.wait_for_selector("#loc-van-ban[data-shown]")
    assert tab.get_by_label("Tình trạng").input_value() == ""
    assert tab.get_by_label("Loại văn bản").input_value() == "thong-bao"
    assert shown_count(tab) == first
    tab.go_back()
    tab.wait_for_function("location.search === ''")
    tab.wait_for_selector("#loc-van-ban[data-shown]")
    assert tab.locator("#danh-sach-van-ban").is_visible()
    assert not tab.locator("#ket-qua-van-ban").is_visible()


def test_issuer_filter_and_a_query_in_the_url(tab, register_site):
    open_register(tab, register_site, "?co-quan=dang-uy-phuong-phuc-dong&q=tong+ket")
    assert tab.get_by_label("Tìm văn bản", exact=True).input_value() == "tong ket"
    rows = tab.locator("#ket-qua-van-ban .document-row")
    assert rows.count() > 0
    for href in tab.locator("#ket-qua-van-ban .document-number a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"):
        text = (register_site.out / href.strip("/") / "index.html").read_text(encoding="utf-8")
        assert "Đảng ủy phường Phúc Đồng" in text and "tổng kết" in text.lower()


def test_the_count_is_announced(tab, register_site):
    open_register(tab, register_site)
    status = tab.locator("#trang-thai-van-ban")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    search(tab, "12/KH-UBND")
    assert re.fullmatch(r"\d+ văn bản(, đang hiện 20)?\.", status.inner_text())
    search(tab, "khong co van ban nay")
    assert status.inner_text().startswith("Không có văn bản nào phù hợp")


QUERIES = ["12/KH-UBND", "12 kh ubnd", "tan suu", "phong chay chua chay tren dia ban",
           "t", "thong bao thang 12 nam 2020", "to chuc trien khai thuc hien kiem tra"]
FILTERS = ["?loai=thong-bao", "?loai=ke-hoach&nam=2021", "?tinh-trang=het-hieu-luc",
           "?co-quan=uy-ban-mttq-viet-nam-phuong-phuc-dong&nam=2016",
           "?loai=quyet-dinh&q=to+chuc+tong+ket", "?q=12%2FKH-UBND",
           "?q=phong+chay+chua+chay+tren+dia+ban", "?q=thong+bao+thang+12+nam+2020"]


def test_each_query_downloads_under_300_kb(tab, register_site):
    """Bytes of the responses after the page is loaded, per query typed, and per filtered URL
    opened from nothing (the page, its meta.json, shards and rows, all counted)."""
    open_register(tab, register_site)
    downloads = Downloads(tab)
    measured = {}
    for query in QUERIES:
        start = len(downloads.sizes)
        search(tab, query)
        tab.wait_for_load_state("networkidle")
        measured[f"typed {query!r}"] = downloads.since(start)
    for query in FILTERS:
        context = tab.context.browser.new_context()
        fresh = context.new_page()
        fresh_downloads = Downloads(fresh)
        try:
            open_register(fresh, register_site, query)
            fresh.wait_for_load_state("networkidle")
            measured[f"opened {query}"] = fresh_downloads.since(0)
            measured[f"  of which the index, {query}"] = sum(
                size for url, size in fresh_downloads.sizes if "/chi-muc/" in urlsplit(url).path)
        finally:
            context.close()
    print("\n" + "\n".join(f"{size:>8} {what}" for what, size in measured.items()))
    assert all(size < QUERY_BUDGET for size in measured.values()), measured


def test_a_query_fetches_only_its_shards(tab, register_site):
    open_register(tab, register_site)
    fetched: list[str] = []
    tab.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    search(tab, "tan suu")
    shards = sorted({path.split("chi-muc/")[1] for path in fetched if "/chi-muc/t/" in path})
    meta = json.loads((register_site.out / "van-ban/chi-muc/meta.json").read_text())
    assert shards and all(name.removeprefix("t/").removesuffix(".json") in meta["shards"]
                          for name in shards)
    assert len(shards) <= 4


AXE_PAGES = {"list": "van-ban/", "filtered list": "van-ban/?loai=ke-hoach&nam=2021",
             "document": TARGET_URL}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_axe_finds_no_violation(tab, register_site, name):
    tab.goto(register_site.url(AXE_PAGES[name]))
    if name != "document":
        tab.wait_for_selector("#loc-van-ban[data-ready][data-shown]")
    results = Axe().run(tab)
    assert results.violations_count == 0, results.generate_report()


def test_no_horizontal_scroll_at_320_px(browser, register_site):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        open_register(page, register_site, "?co-quan=uy-ban-mttq-viet-nam-phuong-phuc-dong"
                                           "&q=12%2FKH-UBND")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()


def test_without_javascript_the_list_and_the_type_and_year_listings_work(browser, register_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(register_site.url("van-ban/"))
        assert not page.locator("#loc-van-ban").is_visible()
        assert page.locator("#danh-sach-van-ban .document-row").count() == 20
        page.get_by_role("link", name="Kế hoạch", exact=True).click()
        page.wait_for_url("**/van-ban/loai/ke-hoach/")
        assert page.locator(".document-row").count() == 20
        page.goto(register_site.url("van-ban/"))
        page.get_by_role("link", name="2021", exact=True).click()
        page.wait_for_url("**/van-ban/nam/2021/")
        assert page.locator(".document-row").count() == 20
    finally:
        context.close()
