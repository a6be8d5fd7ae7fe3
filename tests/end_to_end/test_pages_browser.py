"""Pages every visitor can use, checked in a real browser: axe-core, print, small screens,
text zoom, focus, and the weight of an article page."""

from __future__ import annotations

import gzip

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_support import SUB_PATH

ARTICLE_WITH_PHOTOS = "2024/12/hoi-nghi-tong-ket-cong-tac-nam-2024-cua-phuong-phuc-dong/"
ARTICLE_WITHOUT_PHOTOS = "2024/12/lich-tiep-cong-dan-thang-12/"
PAGES = {
    "home": "",
    "listing": "tin-tuc/page/2/",
    "article with photos": ARTICLE_WITH_PHOTOS,
    "search with results": "tim-kiem/?q=phuc+dong",
    "page": "gioi-thieu/",
    "page with a table": "gioi-thieu/co-cau-to-chuc/",
    "English page": "en/contact/",
    "expired article": "2024/12/thong-bao-tam-ngung-cap-dien-ngay-05-12/",
    "404": "khong-co-trang-nay/",
}


def visit(page, server, name: str) -> None:
    path = PAGES[name]
    if name == "404":
        # Static hosts answer a missing path with 404.html; open it as such a host would.
        response = page.goto(server.url(path))
        assert response.status == 404
        page.goto(server.url("404.html"))
    else:
        page.goto(server.url(path))
    if name.startswith("search"):
        page.wait_for_function("document.querySelectorAll('#ket-qua h2').length > 0")


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(page, server, name):
    visit(page, server, name)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("text_zoom", ["100%", "200%"])
def test_no_horizontal_scroll_at_320_px(browser, server, name, text_zoom):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        visit(page, server, name)
        # Text zoom: the browser's text size setting scales the root font size.
        page.evaluate("z => document.documentElement.style.fontSize = z", text_zoom)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{name} at {text_zoom} text is {width}px wide"
    finally:
        context.close()


def test_skip_link_and_focus_are_visible(page, server):
    page.goto(server.url(ARTICLE_WITH_PHOTOS))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.textContent") == "Bỏ qua, đến nội dung chính"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    page.wait_for_url("**#noi-dung", timeout=5000)     # the fragment changes asynchronously
    assert page.url.endswith("#noi-dung")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2


def test_headings_descend_one_level_at_a_time(page, server):
    for name in PAGES:
        visit(page, server, name)
        levels = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
        assert levels and levels[0] == 1 and levels.count(1) == 1, name
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (name, levels)


def test_article_text_is_readable_on_a_phone(page, server):
    page.goto(server.url(ARTICLE_WITHOUT_PHOTOS))          # the fixture's viewport: 360×800
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article-body p')).fontSize)")
    assert size >= 16
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_print_shows_the_article_alone_with_photos_url_and_date(page, server):
    page.goto(server.url(ARTICLE_WITH_PHOTOS))
    assert page.get_by_role("button", name="In bài viết").is_visible()
    page.emulate_media(media="print")
    for hidden in ["nav", ".site-search", ".article-tools", ".site-footer", ".skip-link"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    captions = page.locator("figure.photo figcaption")
    assert captions.count() == 2 and captions.first.is_visible()
    assert page.locator("figure.photo img").first.is_visible()
    assert page.locator(".meta .date").is_visible()
    assert page.locator(".meta .date").inner_text() == "20/12/2024"
    source = page.locator(".print-source")
    assert source.is_visible()
    assert f"https://phucdong.gov.vn{SUB_PATH}{ARTICLE_WITH_PHOTOS}" in source.inner_text()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_print_and_save_buttons_open_the_print_dialog(page, server):
    page.goto(server.url(ARTICLE_WITH_PHOTOS))
    page.evaluate("() => { window.__prints = 0; window.print = () => { window.__prints += 1; }; }")
    page.get_by_role("button", name="In bài viết").click()
    page.get_by_role("button", name="Lưu bài viết").click()
    assert page.evaluate("window.__prints") == 2


def test_article_page_without_photos_weighs_under_40_kb_compressed(page, server):
    """HTML + CSS + JS as a phone downloads them, each gzip-compressed as a server would."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(server.url(ARTICLE_WITHOUT_PHOTOS))
    page.wait_for_load_state("load")
    bodies = {response.url: response.body() for response in responses}
    assert not any(url.endswith((".jpg", ".png", ".webp")) for url in bodies)
    kinds = {url: url.rsplit(".", 1)[-1] if "." in url.rsplit("/", 1)[-1] else "html"
             for url in bodies}
    assert set(kinds.values()) == {"html", "css", "js"}
    compressed = sum(len(gzip.compress(body, 9, mtime=0)) for body in bodies.values())
    raw = sum(len(body) for body in bodies.values())
    print(f"\narticle page without photos: {raw} bytes, {compressed} bytes gzip "
          f"({len(bodies)} files)")
    assert compressed < 40_000


def test_article_text_is_left_aligned_on_a_phone(page, server):
    # Justified text without hyphenation leaves holes between words in a 360 px column.
    page.goto(server.url(ARTICLE_WITHOUT_PHOTOS))          # the fixture's viewport: 360×800
    aligned = page.evaluate("""[...document.querySelectorAll('.article-body, .article-body p')]
                               .map(e => getComputedStyle(e).textAlign)""")
    assert len(aligned) > 1 and "justify" not in aligned, aligned


BREADCRUMB_LAYOUT = """() => {
  const list = document.querySelector('.breadcrumbs ol');
  const items = [...list.children].map(li => {
    const text = li.querySelector('a, span'), box = li.getBoundingClientRect(),
          own = text.getBoundingClientRect();
    return {li: {left: box.left, top: box.top, bottom: box.bottom},
            text: {left: own.left, right: own.right, top: own.top, width: own.width,
                   truncated: text.scrollWidth > text.clientWidth,
                   overflow: getComputedStyle(text).textOverflow},
            separator: getComputedStyle(li, '::before').content};
  });
  return {height: list.getBoundingClientRect().height,
          right: list.getBoundingClientRect().right,
          line: parseFloat(getComputedStyle(list).lineHeight),
          font: parseFloat(getComputedStyle(list).fontSize), items};
}"""


@pytest.mark.parametrize("path", [ARTICLE_WITH_PHOTOS, "tin-tuc/page/2/"])
def test_breadcrumbs_stay_on_one_line_at_360_px_with_each_separator_beside_its_item(
        page, server, path):
    page.goto(server.url(path))                            # the fixture's viewport: 360×800
    layout = page.evaluate(BREADCRUMB_LAYOUT)
    items = layout["items"]
    assert len(items) >= 3
    assert layout["height"] <= layout["line"] * 1.2, layout       # one line, not two
    assert len({round(item["li"]["top"]) for item in items}) == 1, items
    for before, item in zip(items, items[1:]):
        # Each separator is drawn at the start of the item it leads to, on its line, and
        # that item shows some text after it: a separator never ends a line.
        assert item["separator"] not in ("none", "normal"), item
        assert item["text"]["left"] > item["li"]["left"], item
        assert abs(item["text"]["top"] - before["text"]["top"]) < layout["line"] / 2, \
            (before, item)
        assert item["text"]["width"] >= 2 * layout["font"], item
    last = items[-1]["text"]
    assert last["right"] <= layout["right"] + 0.5
    if path == ARTICLE_WITH_PHOTOS:        # the long title is cut short with an ellipsis
        assert last["truncated"] and last["overflow"] == "ellipsis", last
