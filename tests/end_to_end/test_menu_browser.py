"""The portal's shell in a real browser: a menu with items, banner, archive notice and a full
footer; axe, keyboard only, a 320 px phone, and no request that fails (no /favicon.ico 404
without a logo; every icon there with one)."""

from __future__ import annotations

import functools
import http.server
import textwrap
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import QuietHandler
from conftest import SITE_TOML, ScratchSite
from PIL import Image

SHELL_TOML = """\
banner = ["ỦY BAN NHÂN DÂN PHƯỜNG PHÚC ĐỒNG", "CỔNG THÔNG TIN ĐIỆN TỬ"]
""" + SITE_TOML + """
[[menu]]
page = "/gioi-thieu/"

[[menu]]
title = "Tin tức"
listing = "/tin-tuc/"
  [[menu.items]]
  category = "van-hoa"
  [[menu.items]]
  listing = "/luu-tru/"

[[menu]]
title = "Dịch vụ công"
url = "https://dichvucong.gov.vn/"

[contact]
agency = "Ủy ban nhân dân phường Phúc Đồng"
address = "Phường Phúc Đồng, quận Long Biên, thành phố Hà Nội"
phone = "(điền số điện thoại)"
email = "ubnd.phucdong@hanoi.gov.vn"
responsible = "(điền họ tên người chịu trách nhiệm chính)"
licence = "Giấy phép số (điền số giấy phép) do (điền cơ quan cấp) cấp ngày (điền ngày)"

[[footer.links]]
title = "Cổng Dịch vụ công quốc gia"
url = "https://dichvucong.gov.vn/"

[[footer.links]]
title = "Cổng thông tin điện tử Thành phố Hà Nội"
url = "https://hanoi.gov.vn/"

[notice]
text = "Từ ngày 01/07/2025, phường Phúc Đồng được sắp xếp vào phường Long Biên và phường Phúc Lợi; trang này là trang lưu trữ."
link = "https://hanoi.gov.vn/"
link_text = "Cổng thông tin điện tử Thành phố Hà Nội"

[english]
name = "Phuc Dong Ward"
"""
ARTICLE = "2024/12/hoi-nghi-tong-ket-cong-tac-nam-2024/"
PAGES = ["", "gioi-thieu/co-cau-to-chuc/", ARTICLE, "en/contact/", "404.html"]


def _shell_site(root, logo: bool) -> ScratchSite:
    (root / "content").mkdir(parents=True)
    toml = ('logo = "anh/logo.png"\n' if logo else "") + SHELL_TOML
    (root / "site.toml").write_text(toml, encoding="utf-8")
    site = ScratchSite(root)
    if logo:
        (root / "anh").mkdir()
        Image.new("RGBA", (400, 400), (200, 20, 20, 255)).save(root / "anh" / "logo.png")
    site.article("2024/hoi-nghi.md", """
        title: "Hội nghị tổng kết công tác năm 2024"
        date: 2024-12-20 08:30
        category: van-hoa
    """, body="Hội nghị đánh giá kết quả công tác năm của phường.\n")
    site.article("trang/gioi-thieu.md", 'title: "Giới thiệu"', "Phường thuộc quận Long Biên.\n")
    site.article("trang/gioi-thieu/co-cau-to-chuc.md", textwrap.dedent("""\
        title: "Cơ cấu tổ chức"
        menu: "Giới thiệu"
        """), "Văn phòng HĐND - UBND phường.\n")
    site.article("trang/lien-he.md", 'title: "Liên hệ"\nmenu: true\ntranslation: /en/contact/',
                 "Địa chỉ trụ sở.\n")
    site.article("trang/en/contact.md", 'title: "Contact"\nmenu: true', "The ward office.\n")
    return site


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    """Two sites served by one HTTP server: /a/ without a logo, /b/ with one."""
    www = tmp_path_factory.mktemp("shell") / "www"
    for name, logo in (("a", False), ("b", True)):
        site = _shell_site(www.parent / f"site-{name}", logo)
        result = site.build("-o", str(www / name), "--base-url",
                            f"https://phucdong.gov.vn/{name}/")
        assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(www))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("site", ["a", "b"])
def test_no_request_fails_with_or_without_a_logo(tab, shell, site):
    failed: list[str] = []
    tab.on("response", lambda response: failed.append(response.url)
           if response.status >= 400 else None)
    tab.on("requestfailed", lambda request: failed.append(request.url))
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    for path in PAGES[:-1]:
        tab.goto(f"{shell}/{site}/{path}", wait_until="networkidle")
    assert not failed, failed
    assert not any(url.endswith("/favicon.ico") for url in requested) or site == "b"
    if site == "b":       # the manifest and icons it names are all there
        manifest = tab.evaluate("fetch(document.querySelector('link[rel=manifest]').href)"
                                ".then(r => r.json())")
        for icon in manifest["icons"]:
            status = tab.evaluate("src => fetch(src).then(r => r.status)", icon["src"])
            assert status == 200, icon


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("site", ["a", "b"])
def test_axe_finds_no_violation_with_the_full_shell(tab, shell, site, path):
    tab.goto(f"{shell}/{site}/{path}")
    tab.evaluate("document.querySelectorAll('nav.site-menu details').forEach(d => d.open = true)")
    results = Axe().run(tab)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_320_px_with_the_menu_open(browser, shell, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(f"{shell}/b/{path}")
        for text_zoom in ("100%", "200%"):
            page.evaluate("z => document.documentElement.style.fontSize = z", text_zoom)
            page.evaluate("document.querySelectorAll('nav.site-menu details')"
                          ".forEach(d => d.open = true)")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"/{path} at {text_zoom} text is {width}px wide"
    finally:
        context.close()


def focused(tab) -> str:
    return tab.evaluate("(document.activeElement.textContent || '').trim()")


def test_the_menu_works_by_keyboard_alone(tab, shell):
    tab.goto(f"{shell}/a/{ARTICLE}")
    tab.keyboard.press("Tab")                       # the skip link
    names = []
    for _ in range(4):
        tab.keyboard.press("Tab")
        names.append(focused(tab))
    assert names == ["ỦY BAN NHÂN DÂN PHƯỜNG PHÚC ĐỒNGCỔNG THÔNG TIN ĐIỆN TỬ", "Trang chủ",
                     "Giới thiệu", "Tin tức"]
    assert tab.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert tab.evaluate("document.activeElement.getAttribute('aria-current')") == "true"
    tab.keyboard.press("Enter")                     # opens the group
    tab.keyboard.press("Tab")
    assert focused(tab) == "Tin tức"
    tab.keyboard.press("Tab")
    assert focused(tab) == "Văn hoá - xã hội"       # the article's category: its section
    assert tab.evaluate("document.activeElement.getAttribute('aria-current')") == "true"
    assert tab.locator("text=Văn hoá - xã hội").first.is_visible()
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/chuyen-muc/van-hoa/")
    assert tab.locator("nav.site-menu a[aria-current=page]").text_content() == "Văn hoá - xã hội"


def test_the_english_menu_leads_back_to_vietnamese(tab, shell):
    tab.goto(f"{shell}/a/en/contact/")
    links = tab.locator("nav.site-menu a")
    assert links.all_text_contents() == ["Contact", "Tiếng Việt"]
    assert tab.locator("nav.site-menu a[aria-current=page]").text_content() == "Contact"
    links.nth(1).click()
    tab.wait_for_url(f"{shell}/a/")
    assert tab.evaluate("document.documentElement.lang") == "vi"
