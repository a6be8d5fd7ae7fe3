"""serve's error overlay in real Chromium at 360 px (a phone): opaque, above everything,
readable over the page whatever its stylesheet says, and scrollable when the list is long.

The overlay is added to a built page exactly as serve adds it (server.inject), in the
response the browser receives; the page is the browser fixtures' demo site."""

from __future__ import annotations

import re

import pytest

from phucdong_site.serve.server import ERROR_HEADING, inject

ARTICLE = "2024/12/hoi-nghi-tong-ket-cong-tac-nam-2024-cua-phuong-phuc-dong/"
ERRORS = ("content/2024/hoi-nghi.md:2: front matter: not valid YAML\n"
          "  hint: put the title in double quotes",
          "content/2024/rat-dai/" + "thu-muc-long-nhau/" * 12 + "bai.md:7: photos[1].src: "
          "photos/x.jpg does not exist")
# A theme whose rules, were they to reach the overlay, would make it unreadable.
HOSTILE = """<style>
h1, p, ol, li, div { color: #f4f4f4; background: #fff; display: none; font-size: 60px;
                     text-align: justify; text-transform: uppercase; opacity: .2; }
</style></head>"""
OVERLAY = "#phucdong-serve-errors"


def show_with_errors(page, server, errors, hostile: bool = False) -> None:
    """Open the demo article as serve would send it after a failed rebuild."""
    def respond(route):
        response = route.fetch()
        text = inject(response.text(), errors, "0")
        if hostile:
            text = text.replace("</head>", HOSTILE, 1)
        route.fulfill(response=response, body=text)

    page.route(server.url(ARTICLE), respond)
    page.goto(server.url(ARTICLE))
    page.wait_for_selector(OVERLAY)


def rgba(color: str) -> tuple[float, ...]:
    """A computed CSS colour, rgb(r, g, b) or rgba(r, g, b, a), as (r, g, b, a)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", color)]
    return tuple(numbers) if len(numbers) == 4 else (*numbers, 1.0)


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two opaque colours."""
    def luminance(color: str) -> float:
        channels = [c / 255 for c in rgba(color)[:3]]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


STYLES = """selector => [...document.querySelectorAll(selector)].map(e => {
  const s = getComputedStyle(e);
  return {tag: e.tagName, color: s.color, background: s.backgroundColor, display: s.display,
          opacity: s.opacity, size: parseFloat(s.fontSize), transform: s.textTransform};
})"""


@pytest.mark.parametrize("hostile", [False, True], ids=["theme", "hostile-theme"])
def test_the_overlay_is_opaque_above_everything_and_readable(page, server, hostile):
    show_with_errors(page, server, ERRORS, hostile)
    box = page.evaluate(f"""() => {{
      const o = document.querySelector('{OVERLAY}'), s = getComputedStyle(o),
            r = o.getBoundingClientRect();
      const points = [[1, 1], [358, 1], [180, 400], [1, 798], [358, 798]];
      return {{background: s.backgroundColor, position: s.position, z: s.zIndex,
               opacity: s.opacity, rect: [r.left, r.top, r.width, r.height],
               covered: points.every(([x, y]) => o.contains(document.elementFromPoint(x, y))),
               focused: document.activeElement === o,
               wide: o.scrollWidth > o.clientWidth}};
    }}""")
    assert rgba(box["background"])[3] == 1, box            # no see-through background
    assert box["opacity"] == "1"
    assert box["position"] == "fixed" and box["z"] == "2147483647"
    assert box["rect"] == [0, 0, 360, 800] and box["covered"], box
    assert box["focused"], "the overlay has the focus: the keyboard scrolls it at once"
    assert not box["wide"], "long file paths wrap: no sideways scrolling"
    assert page.locator(f"{OVERLAY} h1").inner_text() == ERROR_HEADING
    for part in page.evaluate(STYLES, f"{OVERLAY} h1, {OVERLAY} p, {OVERLAY} li"):
        assert part["display"] != "none" and part["opacity"] == "1", part
        assert part["transform"] == "none" and 14 <= part["size"] <= 24, part
        assert contrast(part["color"], box["background"]) >= 7, part     # WCAG AAA


def test_a_long_error_list_scrolls_inside_the_overlay(page, server):
    errors = tuple(f"content/2024/bai-{n}.md:3: date: \"2024-02-31\" is not a real date "
                   f"(expected YYYY-MM-DD HH:MM)" for n in range(1, 61))
    show_with_errors(page, server, errors)
    overlay = page.locator(OVERLAY)
    sizes = overlay.evaluate("o => [o.scrollHeight, o.clientHeight, getComputedStyle(o).overflowY]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto", sizes
    page.mouse.move(180, 400)
    page.mouse.wheel(0, 100_000)
    page.wait_for_function(f"document.querySelector('{OVERLAY}').scrollTop > 0")
    last = page.locator(f"{OVERLAY} li").last
    last.wait_for()
    page.wait_for_function(f"""() => {{
      const o = document.querySelector('{OVERLAY}');
      return Math.abs(o.scrollTop + o.clientHeight - o.scrollHeight) < 2;
    }}""")
    assert last.bounding_box()["y"] + last.bounding_box()["height"] <= 800
    assert "bai-60.md" in last.inner_text()
