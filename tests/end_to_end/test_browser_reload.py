"""Live reload in a real browser: Debian's Chromium driven by Playwright, page from serve."""

from __future__ import annotations

from servetools import Served

# `browser` is the session's one Chromium (tests/browser_support.py): Playwright's sync API
# allows one running instance per process.
FRONT_MATTER = '---\ntitle: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30\n---\n\n'


def test_the_page_reloads_by_itself_after_a_save(site, browser):
    path = site.content / "2024" / "hoi-nghi.md"
    path.parent.mkdir(parents=True)
    path.write_text(FRONT_MATTER + "Nội dung ban đầu.\n", encoding="utf-8")
    with Served(site.root) as served:
        page = browser.new_page()
        try:
            page.goto(served.url + "2024/05/hoi-nghi-tong-ket/")
            assert "Nội dung ban đầu." in page.inner_text("body")
            # A mark that lives only as long as this document: a reload wipes it.
            page.wait_for_function("() => window.phucdongServeVersion")  # stream connected
            page.evaluate("window.__notReloaded = true")

            builds = served.status()["builds"]
            path.write_text(FRONT_MATTER + "Nội dung đã sửa.\n", encoding="utf-8")
            page.wait_for_function(
                "() => document.body.innerText.includes('Nội dung đã sửa.')", timeout=15000)
            # The page shown first reloads again when the build ends (the home page's summary
            # changed too): done with both before the page is asked anything.
            served.settled(builds)
            page.wait_for_function("() => window.phucdongServeVersion")
            assert page.evaluate("window.__notReloaded") is None   # a new document, not a patch

            page.evaluate("window.__notReloaded = true")
            path.write_text(FRONT_MATTER.replace('"Hội nghị tổng kết"', "Hội nghị: tổng kết")
                            + "Nội dung hỏng.\n", encoding="utf-8")
            page.wait_for_selector("#phucdong-serve-errors", timeout=15000)
            assert "The page could not be updated" in page.inner_text("#phucdong-serve-errors")
            assert "Nội dung đã sửa." in page.inner_text("body")     # the last good page
            assert page.evaluate("window.__notReloaded") is None
        finally:
            page.close()
