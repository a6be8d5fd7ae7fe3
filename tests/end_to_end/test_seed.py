"""The seed article from the old portal, built from the real content/, shows everything the
old page showed, field by field."""

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, run_cli

# The seed lives in shared/ beside the repository; the copy in fixtures keeps the test
# meaningful where shared/ is not laid out.
SEED = next(path for path in (REPO.parent / "shared" / "seed" / "legacy-article-2021-01-07.txt",
                              REPO / "tests" / "fixtures" / "legacy" / "legacy-article-2021-01-07.txt")
            if path.exists())


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_fields() -> dict:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    section, title, dateline, *rest = [line for line in lines if line]
    date, time, views = re.fullmatch(
        r"Ngày đăng (\d\d/\d\d/\d{4}) \| (\d\d:\d\d) \| Lượt xem: (\d+)", squash(dateline)).groups()
    blocks = [squash(line) for line in rest]
    return {"section": section, "title": title, "date": date, "time": time, "views": views,
            "blocks": blocks}


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory) -> BeautifulSoup:
    site = tmp_path_factory.mktemp("real") / "site"
    for part in ("content", "templates", "static", "site.toml"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / part)
    result = run_cli("build", str(site))
    assert result.returncode == 0, result.stderr
    pages = [p for p in (site / "build" / "2021" / "01").rglob("index.html")
             if "Phúc Đồng" in p.read_text(encoding="utf-8")]
    assert len(pages) == 1
    return BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")


def test_seed_page_shows_section_title_and_dateline(seed_fields, seed_page):
    assert squash(seed_page.select_one(".section-name").get_text()) == seed_fields["section"]
    assert squash(seed_page.h1.get_text()) == seed_fields["title"]
    meta = squash(seed_page.select_one(".article .meta").get_text())
    assert meta == (f"Ngày đăng {seed_fields['date']} | {seed_fields['time']} | "
                    f"Lượt xem: {seed_fields['views']}")
    assert seed_page.html["lang"] == "vi"


def test_seed_page_shows_every_paragraph_and_caption_in_order(seed_fields, seed_page):
    body = seed_page.select_one(".article-body")
    shown = []
    for block in body.find_all(["p", "figure"], recursive=False):
        if block.name == "figure":
            assert block.img is not None and block.img["src"]
            shown.append(squash(block.figcaption.get_text()))
        else:
            shown.append(squash(block.get_text()))
    assert shown == seed_fields["blocks"]
    assert sum(text.startswith("Ảnh: ") for text in shown) == 2


def test_seed_photos_are_published_files(seed_page):
    for img in seed_page.select(".article-body img"):
        assert img["src"].startswith("/anh/")
        assert int(img["width"]) > 0 and int(img["height"]) > 0
