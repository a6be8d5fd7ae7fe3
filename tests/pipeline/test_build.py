"""What a successful build publishes, and what a failed one leaves alone."""

import json
import os

from bs4 import BeautifulSoup
from conftest import names_in, tree_bytes

from phucdong_site import system

GOOD = 'title: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30'


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_escapes_script_in_title_and_caption(site, invoke):
    site.photo("photos/a.jpg")
    site.article("2024/a.md", """
        title: "Tin <script>alert(1)</script> mới"
        date: 2024-05-01 08:30
        summary: "<img src=x onerror=alert(2)>"
        photos:
          - src: photos/a.jpg
            caption: "<script>alert(3)</script>"
    """)
    assert invoke("build", str(site.root)).code == 0
    for page in site.out.rglob("*.html"):
        parsed = soup(page)
        for script in parsed.find_all("script"):
            # only the theme's own files and JSON-LD data, with "<" escaped inside it
            if script.has_attr("src"):
                assert script["src"].startswith("/static/js/")
            else:
                assert script["type"] == "application/ld+json"
                assert "<" not in script.string and json.loads(script.string)
        assert not parsed.find_all(lambda tag: tag.has_attr("onerror"))
    page = soup(site.out / "2024/05/tin-script-alert-1-script-moi/index.html")
    assert page.h1.get_text() == "Tin <script>alert(1)</script> mới"
    assert page.figcaption.get_text() == "Ảnh: <script>alert(3)</script>"


def test_raw_html_in_the_body_is_kept_for_trusted_editors(site, invoke):
    site.article("2024/a.md", GOOD, body='Đoạn đầu.\n\n<div class="thong-bao">Lịch tiếp dân</div>\n')
    assert invoke("build", str(site.root)).code == 0
    page = soup(site.out / "2024/05/hoi-nghi-tong-ket/index.html")
    assert page.find("div", class_="thong-bao").get_text() == "Lịch tiếp dân"


def test_a_very_long_title_builds_with_a_capped_slug(site, invoke):
    title = "Phúc Đồng " * 500
    site.article("2024/long.md", f'title: "{title.strip()}"\ndate: 2024-05-01')
    assert invoke("build", str(site.root)).code == 0
    [folder] = (site.out / "2024" / "05").iterdir()
    assert len(folder.name) <= 80 and folder.name.startswith("phuc-dong-phuc-dong")
    assert soup(folder / "index.html").h1.get_text() == title.strip()


def test_an_empty_body_builds_a_page_with_its_photos(site, invoke):
    site.photo("photos/a.jpg")
    site.article("2024/a.md", f"{GOOD}\nphotos:\n  - src: photos/a.jpg\n    caption: Ảnh duy nhất",
                 body="")
    assert invoke("build", str(site.root)).code == 0
    page = soup(site.out / "2024/05/hoi-nghi-tong-ket/index.html")
    assert page.figcaption.get_text() == "Ảnh: Ảnh duy nhất"


def test_places_photos_where_the_body_puts_them_and_appends_the_rest(site, invoke):
    for shade, name in enumerate(("mot", "hai", "ba")):
        site.photo(f"photos/{name}.jpg", color=(40 * shade, 90, 120))
    site.article("2024/a.md", f"""{GOOD}
photos:
  - src: photos/mot.jpg
    caption: "Một"
  - src: photos/hai.jpg
    caption: "Ảnh: Hai"
  - src: photos/ba.jpg
    caption: "Ba"
""", body="Đoạn một.\n\n![ảnh hai](../photos/hai.jpg)\n\nĐoạn hai có ảnh ![nhỏ](photos/ba.jpg) trong câu.\n")
    assert invoke("build", str(site.root)).code == 0
    body = soup(site.out / "2024/05/hoi-nghi-tong-ket/index.html").find(class_="article-body")
    order = [(el.name, el.get_text(" ", strip=True)) for el in body.find_all(["p", "figure"],
                                                                               recursive=False)]
    assert order == [("p", "Đoạn một."), ("figure", "Ảnh: Hai"),
                     ("p", "Đoạn hai có ảnh trong câu."), ("figure", "Ảnh: Một")]
    inline = body.find_all("p")[1].img
    assert inline["alt"] == "nhỏ" and inline["src"].startswith("/anh/ba-")
    published = {p.name for p in (site.out / "anh").iterdir()}
    assert {name.split("-")[0] for name in published} == {"mot", "hai", "ba"}
    for img in body.find_all("img"):
        assert (site.out / img["src"].lstrip("/")).is_file()
        assert img["width"] == "640" and img["height"] == "480"


def test_reports_a_missing_body_image_at_its_body_line(site, invoke):
    site.article("2024/a.md", GOOD, body="Đoạn một.\n\n![ảnh](photos/khong-co.jpg)\n")
    result = invoke("check", str(site.root))
    assert "content/2024/a.md:8: body: image photos/khong-co.jpg does not exist" in result.err


def test_drafts_are_published_only_with_the_drafts_flag(site, invoke):
    site.article("2024/nhap.md", f"{GOOD}\ndraft: true")
    assert invoke("build", str(site.root)).code == 0
    assert not (site.out / "2024/05/hoi-nghi-tong-ket").exists()
    assert "Hội nghị" not in (site.out / "index.html").read_text(encoding="utf-8")
    assert invoke("build", str(site.root), "--drafts").code == 0
    page = soup(site.out / "2024/05/hoi-nghi-tong-ket/index.html")
    assert "Bản nháp" in page.find(class_="draft-notice").get_text()


def test_listing_is_newest_first_and_paginated_with_rel_links(site, invoke):
    for day in range(1, 8):
        site.article(f"2024/{day}.md", f'title: "Tin ngày {day}"\ndate: 2024-03-0{day} 07:00')
    assert invoke("build", str(site.root)).code == 0     # per_page = 3 → 3 pages
    first = soup(site.out / "tin-tuc/index.html")
    titles = [a.get_text() for a in first.select(".card-title a")]
    assert titles == ["Tin ngày 7", "Tin ngày 6", "Tin ngày 5"]
    assert first.find("link", rel="next")["href"] == "/tin-tuc/page/2/"
    assert first.find("link", rel="prev") is None
    second = soup(site.out / "tin-tuc/page/2/index.html")
    assert second.find("link", rel="prev")["href"] == "/tin-tuc/"
    assert second.find("a", rel="next")["href"] == "/tin-tuc/page/3/"
    last = soup(site.out / "tin-tuc/page/3/index.html")
    assert [a.get_text() for a in last.select(".card-title a")] == ["Tin ngày 1"]
    assert not (site.out / "tin-tuc/page/4").exists()


def test_links_carry_the_base_url_path_for_a_site_under_a_sub_path(site, invoke):
    site.photo("photos/a.jpg")
    site.article("2024/a.md", f"{GOOD}\nphotos: [photos/a.jpg]")
    assert invoke("build", str(site.root), "--base-url", "https://example.org/phuong").code == 0
    page = soup(site.out / "index.html")
    assert page.select_one(".card-title a")["href"] == "/phuong/2024/05/hoi-nghi-tong-ket/"
    assert page.find("link", rel="stylesheet")["href"].startswith("/phuong/static/css/site.")
    assert page.select_one(".card-cover img")["src"].startswith("/phuong/anh/a-")
    article = soup(site.out / "2024/05/hoi-nghi-tong-ket/index.html")
    assert article.find("link", rel="canonical")["href"] == \
        "https://example.org/phuong/2024/05/hoi-nghi-tong-ket/"


def test_a_failed_build_leaves_the_previous_output_byte_for_byte(site, invoke):
    site.article("2024/a.md", GOOD)
    assert invoke("build", str(site.root)).code == 0
    before = tree_bytes(site.out)
    site.article("2024/b.md", 'title: "Tin hỏng"\ndate: 2024-02-31')
    site.article("2024/c.md", 'title: "Tin tốt"\ndate: 2024-02-01')
    assert invoke("build", str(site.root)).code == 1
    assert tree_bytes(site.out) == before
    # nothing beside the output but the tool's own cache
    assert names_in(site.root) == [".cache", "build", "content", "site.toml"]


def test_a_template_error_fails_the_build_naming_template_and_line(site, invoke):
    site.article("2024/a.md", GOOD)
    assert invoke("build", str(site.root)).code == 0
    before = tree_bytes(site.out)
    (site.root / "templates").mkdir()
    (site.root / "templates" / "article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ article.no_such_field }}\n{% endblock %}\n')
    result = invoke("build", str(site.root))
    assert result.code == 1
    assert result.err.startswith("templates/article.html:3: template:")
    assert "while rendering content/2024/a.md" in result.err
    assert tree_bytes(site.out) == before


def test_a_site_template_overrides_the_default_one_file_by_file(site, invoke):
    site.article("2024/a.md", GOOD)
    (site.root / "templates").mkdir()
    (site.root / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Trang riêng</h1>{% endblock %}\n')
    assert invoke("build", str(site.root)).code == 0
    assert soup(site.out / "404.html").h1.get_text() == "Trang riêng"
    assert soup(site.out / "index.html").html["lang"] == "vi"


def test_writes_nothing_outside_the_output_folder(site, invoke, tmp_path):
    site.article("2024/a.md", GOOD)
    out = tmp_path / "elsewhere" / "public"
    before = {p for p in tmp_path.rglob("*")}
    assert invoke("build", str(site.root), "-o", str(out)).code == 0
    created = {p for p in tmp_path.rglob("*")} - before
    cache = site.root / ".cache"
    lock_file = out.parent / f".{out.name}.lock"       # where the system locks files only
    assert all(p == out.parent or p.is_relative_to(out) or p.is_relative_to(cache)
               or (p == lock_file and system.lock_path(out.parent, lock_file.name)[1])
               for p in created)


def test_two_builds_of_the_same_inputs_are_byte_identical(site, invoke, tmp_path):
    site.photo("photos/a.jpg")
    site.article("2024/a.md", f"{GOOD}\nphotos: [photos/a.jpg]\ntags: [Tết, Đảng]")
    assert invoke("build", str(site.root), "-o", str(tmp_path / "one")).code == 0
    assert invoke("build", str(site.root), "-o", str(tmp_path / "two")).code == 0
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_refuses_to_replace_a_folder_it_did_not_build(site, invoke, tmp_path):
    site.article("2024/a.md", GOOD)
    precious = tmp_path / "tai-lieu"
    precious.mkdir()
    (precious / "bao-cao.docx").write_text("quan trọng")
    result = invoke("build", str(site.root), "-o", str(precious))
    assert result.code == 1
    assert "was not built by phucdong-site" in result.err
    assert (precious / "bao-cao.docx").read_text() == "quan trọng"


def test_cleans_up_the_staging_folder_of_a_killed_build(site, invoke):
    site.article("2024/a.md", GOOD)
    dead = site.root / ".build.building-999999999"
    dead.mkdir()
    (dead / "half.html").write_text("<p>nửa chừng")
    assert invoke("build", str(site.root)).code == 0
    assert not dead.exists()


def test_output_folder_that_cannot_be_written_is_a_clear_error(site, invoke, tmp_path):
    if os.geteuid() == 0:
        # root ignores permission bits; a file where the parent folder should be fails for all
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        out = blocker / "build"
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        out = locked / "build"
    site.article("2024/a.md", GOOD)
    result = invoke("build", str(site.root), "-o", str(out))
    assert result.code == 1
    assert "cannot create the output folder" in result.err and "Traceback" not in result.err


def test_two_photo_files_with_the_same_bytes_are_both_published(site, invoke):
    first = site.photo("photos/a.jpg")
    (site.content / "photos" / "b.jpg").write_bytes(first.read_bytes())
    site.article("2024/a.md", f"{GOOD}\nphotos: [photos/a.jpg, photos/b.jpg]")
    assert invoke("build", str(site.root)).code == 0
    page = soup(site.out / "2024/05/hoi-nghi-tong-ket/index.html")
    for img in page.select(".article-body img"):
        assert (site.out / img["src"].lstrip("/")).is_file(), img["src"]
