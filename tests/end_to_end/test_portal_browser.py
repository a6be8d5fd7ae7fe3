"""The article page in real headless Chromium: the copy-link button and the print stylesheet."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

# `browser` is the session's one Chromium (tests/browser_support.py): Playwright's sync API
# allows one running instance per process.
ARTICLE = "2024/05/hop-mat-dau-xuan/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A small built site, served over HTTP on 127.0.0.1 (a secure context for the clipboard)."""
    from conftest import SITE_TOML, ScratchSite
    root = tmp_path_factory.mktemp("browser") / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    site = ScratchSite(root)
    site.photo("photos/dau-xuan.jpg")
    site.article("2024/dau-xuan.md", """
        title: "Họp mặt đầu xuân"
        date: 2024-05-01 08:30
        tags: [tổ dân phố]
        photos:
          - src: photos/dau-xuan.jpg
            caption: "Quang cảnh buổi họp mặt"
    """)
    site.article("2024/khac.md", """
        title: "Tổng vệ sinh cuối tuần"
        date: 2024-04-20 07:00
        tags: [tổ dân phố]
    """)
    result = site.build()
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site.out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_copy_link_button_copies_the_canonical_address(served, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(served + ARTICLE)
    button = page.locator("button.copy-link")
    assert button.is_visible()
    button.click()
    page.locator(".copy-status", has_text="Đã sao chép liên kết.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == \
        "https://phucdong.gov.vn/" + ARTICLE
    context.close()


def test_without_javascript_the_copy_button_stays_hidden_and_share_links_still_work(served,
                                                                                     browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + ARTICLE)
    assert not page.locator("button.copy-link").is_visible()
    assert page.locator("a.share-facebook").is_visible()
    assert page.locator("a.share-zalo").is_visible()
    context.close()


def test_printing_keeps_the_article_and_drops_navigation_and_sharing(served, browser):
    page = browser.new_page()
    page.goto(served + ARTICLE)
    hidden = ".site-header nav, .breadcrumbs, .share, .prev-next, .related"
    assert page.locator(".share").is_visible() and page.locator(".related").is_visible()
    page.emulate_media(media="print")
    for selector in hidden.split(", "):
        assert not page.locator(selector).is_visible(), selector
    assert page.locator("h1.article-title").is_visible()
    assert page.locator(".article-body img").first.is_visible()
    page.close()
