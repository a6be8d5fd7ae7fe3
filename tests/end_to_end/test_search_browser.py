"""The search page in a real browser: typed queries, ranking, phrases, keyboard, sub-path."""

from __future__ import annotations

import functools
import http.server
import threading
import unicodedata

import pytest

from browser_support import SUB_PATH, QuietHandler

HOI_NGHI = "Hội nghị tổng kết công tác năm 2024 của phường Phúc Đồng"
TIEP_DAN = "Lịch tiếp công dân tháng 12"
MUA_DONG = "Chương trình văn nghệ mùa đông chào xuân mới"
LAM_SACH = "Ra quân làm sạch đường làng ngõ xóm"


def open_search(page, server):
    page.goto(server.url("tim-kiem/"))
    page.wait_for_selector("#tim-kiem[data-ready]")


def search(page, query: str) -> list[str]:
    """Type QUERY as a visitor would and return the result titles, in order."""
    box = page.get_by_label("Từ khóa")
    box.fill("")
    box.type(query, delay=5)
    box.press("Enter")
    page.wait_for_function(
        "q => document.getElementById('trang-thai-tim-kiem').textContent.includes(q)",
        arg=query.strip())
    return page.locator("#ket-qua h2").all_inner_texts()


@pytest.mark.parametrize("query", ["phuc dong", "PHÚC ĐỒNG", "Phúc Đồng", "phúc đồng",
                                   unicodedata.normalize("NFD", "Phúc Đồng")])
def test_finds_phuc_dong_however_it_is_typed(page, server, query):
    open_search(page, server)
    titles = search(page, query)
    assert titles[:2] == [HOI_NGHI, TIEP_DAN]
    marks = page.locator("#ket-qua mark").all_inner_texts()
    assert "Phúc" in marks and "Đồng" in marks


def test_accented_query_ranks_exact_spelling_first(page, server):
    open_search(page, server)
    assert search(page, "Đồng") == [HOI_NGHI, TIEP_DAN, MUA_DONG]
    # Without accents every spelling is equal: title before body, then the newest first.
    assert search(page, "dong") == [MUA_DONG, HOI_NGHI, TIEP_DAN]


def test_a_page_is_found_and_labelled_as_a_page(page, server):
    open_search(page, server)
    # the title first, then Giới thiệu, whose body links it
    assert search(page, "co cau to chuc") == ["Cơ cấu tổ chức", "Giới thiệu"]
    assert page.locator("#ket-qua .search-result .kind").all_inner_texts() == ["Trang", "Trang"]
    assert search(page, "Giới thiệu") == ["Giới thiệu"]
    assert page.locator("#ket-qua .search-result .meta").all_inner_texts() == [
        "Trang · Cập nhật 01/06/2025"]


def test_abbreviation_ubnd(page, server):
    open_search(page, server)
    assert search(page, "ubnd") == [HOI_NGHI]


def test_every_word_must_match(page, server):
    open_search(page, server)
    # Both have all four words; the second has them in its summary (its first paragraph).
    assert search(page, "ve sinh moi truong") == [LAM_SACH, HOI_NGHI]


def test_quoted_phrase_needs_the_words_together(page, server):
    open_search(page, server)
    # Both articles have all four words; only one has them as a phrase.
    assert search(page, '"ve sinh moi truong"') == [HOI_NGHI]
    status = page.locator("#trang-thai-tim-kiem").inner_text()
    assert "1 kết quả" in status


def test_last_word_is_a_prefix_while_typing(page, server):
    open_search(page, server)
    box = page.get_by_label("Từ khóa")
    box.type("phong chay chu", delay=5)     # no Enter: results come as the visitor types
    page.wait_for_function("document.querySelectorAll('#ket-qua h2').length > 0")
    assert page.locator("#ket-qua h2").all_inner_texts() == [
        "Tập huấn phòng cháy chữa cháy cho hộ kinh doanh"]
    assert "chữa" in page.locator("#ket-qua mark").all_inner_texts()


def test_no_result_is_said_clearly(page, server):
    open_search(page, server)
    assert search(page, "khong co tu nay") == []
    assert "Không tìm thấy kết quả nào" in page.get_by_role("status").inner_text()


def test_results_show_date_and_highlighted_snippet(page, server):
    open_search(page, server)
    search(page, "tiep cong dan")
    first = page.locator("#ket-qua li").first
    assert first.locator("time").inner_text() == "Ngày đăng 01/12/2024"
    assert first.locator(".snippet mark").count() >= 2
    assert first.locator("time").get_attribute("datetime").startswith("2024-12-01T07:30")
    # measured and shown for the bench (bench/search), not bounded here: CI is shared
    assert float(page.locator("#ket-qua").get_attribute("data-render-ms")) >= 0


def test_keyboard_only_search_without_reload(page, server):
    open_search(page, server)
    page.evaluate("window.__samePage = true")
    page.keyboard.press("Tab")                              # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_label("Từ khóa").focus()
    page.keyboard.type("dong")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#ket-qua h2 a').length === 3")
    assert page.evaluate("window.__samePage") is True       # no page reload
    assert "q=dong" in page.url
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == MUA_DONG
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == HOI_NGHI
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "tu-khoa"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2024/12/chuong-trinh-van-nghe-mua-dong-chao-xuan-moi/")
    assert page.locator("h1").inner_text() == MUA_DONG


def test_results_are_announced_in_a_live_region(page, server):
    open_search(page, server)
    status = page.locator("#trang-thai-tim-kiem")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    search(page, "phuc dong")
    assert status.inner_text() == "Tìm thấy 2 kết quả cho “phuc dong”."


def test_header_box_leads_to_results_under_the_sub_path(page, server):
    page.goto(server.url())
    box = page.get_by_role("search").get_by_label("Tìm kiếm tin bài")
    box.fill("ubnd")
    box.press("Enter")
    page.wait_for_url(f"**{SUB_PATH}tim-kiem/?q=ubnd")
    page.wait_for_function("document.querySelectorAll('#ket-qua h2').length === 1")
    link = page.locator("#ket-qua h2 a")
    assert link.get_attribute("href").startswith(SUB_PATH)
    link.click()
    page.wait_for_url(f"**{SUB_PATH}2024/12/*/")
    assert page.locator("h1").inner_text() == HOI_NGHI


def test_searches_again_offline_once_loaded(page, server):
    open_search(page, server)
    assert search(page, "phuc dong")[:1] == [HOI_NGHI]
    page.context.set_offline(True)
    try:
        assert search(page, "PHÚC ĐỒNG")[:2] == [HOI_NGHI, TIEP_DAN]
    finally:
        page.context.set_offline(False)


def test_a_query_downloads_only_its_shards(page, server):
    open_search(page, server)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    search(page, "ubnd")
    index_files = [url.split("chi-muc/")[1].split("?")[0] for url in fetched if "chi-muc/" in url]
    assert "v/75.json" in index_files                       # the vocabulary of "u" only
    assert not any(name.startswith("v/") and name != "v/75.json" for name in index_files)
    assert [name for name in index_files if name.startswith("f/")] == ["f/1.json"]


def test_search_page_reopens_and_searches_offline_after_one_visit(browser, demo_site):
    """A server of its own, stopped halfway: everything after that comes from the browser."""
    handler = functools.partial(QuietHandler, directory=str(demo_site.out.parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}tim-kiem/")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.wait_for_function("caches.open('tim-kiem-1').then(c => c.keys()).then(k => k.length >= 3)")
        assert search(page, "phuc dong")[:2] == [HOI_NGHI, TIEP_DAN]
        httpd.shutdown()                                    # offline from here on:
        httpd.server_close()                                # connections are refused
        page.goto(f"{base}tim-kiem/?q=PH%C3%9AC+%C4%90%E1%BB%92NG")
        page.wait_for_function("document.querySelectorAll('#ket-qua h2').length > 0")
        assert page.locator("#ket-qua h2").all_inner_texts()[:2] == [HOI_NGHI, TIEP_DAN]
        assert page.locator("link[rel=stylesheet]:not([media=print])").evaluate("l => l.sheet.cssRules.length") > 10
        # A word whose index files were never fetched: said plainly, not a broken page.
        page.get_by_label("Từ khóa").fill("ubnd")
        page.get_by_label("Từ khóa").press("Enter")
        page.wait_for_function("document.getElementById('trang-thai-tim-kiem').textContent.includes('kết nối')")
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
