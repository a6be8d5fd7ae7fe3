"""sitemap.xml is written as text: it must be what ElementTree writes, well-formed and
escaped, whatever the URLs hold."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest

from phucdong_site.pages.feeds import SITEMAP_NS, sitemap

HANOI = timezone(timedelta(hours=7))


def through_elementtree(pages, absolute_url) -> str:
    """The sitemap as ElementTree writes it, element by element."""
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path, lastmod in pages:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = absolute_url(path).replace("\x01", "")
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = lastmod.isoformat()
    ET.indent(root)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{ET.tostring(root, encoding="unicode")}\n'


PAGES = [
    ("", datetime(2024, 5, 1, 8, 0, tzinfo=HANOI)),
    ("2024/05/tin-moi/", datetime(2024, 5, 1, 8, 0, 30, 5, tzinfo=HANOI)),
    ("tim-kiem/?q=a&b=<c>", None),
    ("van-ban/12/2024/QĐ-UBND/", datetime(2024, 1, 2, tzinfo=timezone.utc)),
    ("bai-co-ky-tu-\x01-la/", None),
]


@pytest.mark.parametrize("pages", [PAGES, PAGES[:1], PAGES[2:3], []],
                         ids=["several", "one", "escaped", "none"])
def test_the_sitemap_is_what_elementtree_writes(pages):
    absolute = lambda path: f"https://phucdong.gov.vn/{path}"  # noqa: E731
    text = sitemap(pages, absolute)
    assert text == through_elementtree(pages, absolute)
    ET.fromstring(text.encode())            # and it parses
