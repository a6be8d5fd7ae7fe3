"""import fills aliases: from the old portal's address of a saved page, when the page says
it: the browser's "saved from url" comment, <link rel="canonical">, og:url, or a line of a
text page that is only the address."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, run_cli

from phucdong_site.config import load_config
from phucdong_site.content.article import parse_article
from phucdong_site.legacy.importer import read_page

FIXTURES = REPO / "tests" / "fixtures" / "legacy"
HTML = FIXTURES / "le-giao-nhan-quan-2021.html"
TEXT = FIXTURES / "hop-dan-to-12.txt"


def test_html_page_addresses_are_its_canonical_og_url_and_saved_from():
    page = read_page(HTML)
    # The relative canonical read against the saved-from address; og:url is the same path,
    # so it is kept once; the saved-from address keeps its query (for the nginx map).
    assert page.addresses == (
        "https://phucdong.longbien.hanoi.gov.vn/tin-tuc/le-giao-nhan-quan-nam-2021.html",
        "https://phucdong.longbien.hanoi.gov.vn/tin-tuc/-/view/4521?p_p_id=101&p_p_state=normal")


def test_text_page_address_line_is_an_alias_and_not_part_of_the_article():
    page = read_page(TEXT)
    assert page.addresses == ("https://phucdong.longbien.hanoi.gov.vn/tin-tuc/-/view/3980",)
    assert page.section == "tin tức - sự kiện nổi bật"
    assert page.title == "Tổ dân phố số 12 họp dân về vệ sinh môi trường"


def test_the_seed_has_no_address_and_gets_no_aliases():
    page = read_page(REPO / "tests" / "fixtures" / "legacy" / "legacy-article-2021-01-07.txt")
    assert page.addresses == ()


def test_imported_pages_build_with_redirects_at_their_old_addresses(site):
    result = run_cli("import", str(HTML), str(TEXT), cwd=site.root)
    assert result.returncode == 0, result.stderr
    files = sorted((site.root / "content" / "imported").rglob("*.md"))
    assert len(files) == 2
    text = files[0].read_text(encoding="utf-8") + files[1].read_text(encoding="utf-8")
    assert ('aliases:\n  - "https://phucdong.longbien.hanoi.gov.vn/tin-tuc/-/view/3980"'
            in text)
    articles = {parse_article(path, load_config(site.root)).title: path for path in files}
    giao_quan = parse_article(articles["Lễ giao nhận quân năm 2021"], load_config(site.root))
    assert giao_quan.aliases == ("tin-tuc/le-giao-nhan-quan-nam-2021.html",
                                 "tin-tuc/-/view/4521?p_p_id=101&p_p_state=normal")
    built = run_cli("build", str(site.root))
    assert built.returncode == 0, built.stderr
    out = site.root / "build"
    redirect = (out / "tin-tuc/le-giao-nhan-quan-nam-2021.html").read_text(encoding="utf-8")
    assert f'href="https://phucdong.gov.vn/{giao_quan.url}"' in redirect
    assert (out / "tin-tuc/-/view/3980/index.html").exists()
    rules = (out / "redirects.map").read_text(encoding="utf-8")
    assert f"/tin-tuc/-/view/4521?p_p_id=101&p_p_state=normal /{giao_quan.url};" in rules
    assert Path(out / "tin-tuc/-/view/4521").exists() is False
