"""`phucdong-site import`: legacy portal pages → articles that build, run after run, safely."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import run_cli, tree_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from legacy_pages import (BROKEN, HTML_FIXTURE, HTML_IMAGES, SEED, plain, read_seed, to_cp1258,
                          write_generated_folder, write_html_fixture)
from PIL import Image

from phucdong_site.config import load_config
from phucdong_site.content.article import parse_article
from phucdong_site.legacy.importer import read_page
from phucdong_site.legacy.markdown_text import escape
from phucdong_site.legacy.decode import ImportProblem

IMPORTED = Path("content/imported")


def imported_files(site) -> list[Path]:
    return sorted((site.root / IMPORTED).rglob("*.md"))


def import_into(site, *inputs: Path | str, extra: tuple[str, ...] = ()):
    return run_cli("import", *map(str, inputs), *extra, cwd=site.root)


def article_page(site, article: Path) -> BeautifulSoup:
    loaded = parse_article(article, load_config(site.root))
    html = (site.out / loaded.url / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def body_sequence(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """The article body as the reader meets it: ("p", text), ("caption", text), …, in order."""
    body = soup.select_one(".article-body")
    kinds = {"p": "p", "figcaption": "caption", "h3": "h3", "li": "li"}
    return [(kinds[element.name], plain(element.get_text()))
            for element in body.find_all(list(kinds))]


# The seed ---------------------------------------------------------------------------------

def test_imported_seed_builds_to_the_page_the_portal_showed(site):
    seed = read_seed()
    result = import_into(site, SEED)
    assert result.returncode == 0, result.stderr
    assert "1 page: 1 imported, 0 skipped, 0 failed" in result.stdout
    [article] = imported_files(site)
    built = site.build()
    assert built.returncode == 0, built.stderr

    soup = article_page(site, article)
    assert plain(soup.select_one("h1.article-title").get_text()) == seed.title
    assert soup.select_one(".meta .date").get_text() == seed.date == "07/01/2021"
    assert soup.select_one(".meta .time").get_text() == seed.time == "18:11"
    assert soup.select_one(".meta .views").get_text() == seed.views == "188"
    assert body_sequence(soup) == list(seed.blocks)
    captions = [text for kind, text in seed.blocks if kind == "caption"]
    assert len(captions) == 2 and all(c.startswith("Ảnh: ") for c in captions)
    # Every caption's figure shows an image that the build published.
    for figure in soup.select(".article-body figure"):
        src = figure.img["src"]
        assert (site.out / src.lstrip("/")).is_file(), src


def test_seed_without_photos_gets_reported_placeholders(site):
    result = import_into(site, SEED)
    assert result.stdout.count("placeholder") == 2
    assert "replace it with the original" in result.stdout
    [article] = imported_files(site)
    text = article.read_text(encoding="utf-8")
    assert text.count("ẢNH THIẾU") == 2          # the editor finds them with a search
    loaded = parse_article(article, load_config(site.root))
    assert [photo.caption for photo in loaded.photos] == [
        "Đ/c Bí thư Đảng uỷ, Chủ tịch HĐND phường trình bày báo cáo",
        "Đ/c Đường Hoài Nam - Thành uỷ viên, Bí thư Quận uỷ kết luận hội nghị"]
    # Distinct files, so the build (which names published photos by content) keeps both.
    assert len({photo.digest for photo in loaded.photos}) == 2
    for photo in loaded.photos:
        with Image.open(site.root / photo.source) as image:
            assert image.format == "JPEG"


def test_front_matter_has_the_portal_fields(site):
    import_into(site, SEED)
    [article] = imported_files(site)
    loaded = parse_article(article, load_config(site.root))
    assert loaded.title == read_seed().title
    assert loaded.published.isoformat() == "2021-01-07T18:11:00+07:00"
    assert loaded.views == 188
    assert loaded.category == "tin-tuc-su-kien"
    assert article.relative_to(site.root).as_posix() == (
        "content/imported/2021/ban-thuong-vu-quan-uy-long-bien-lam-viec-voi-phuong-phuc-dong"
        "-ve-nhiem-vu-trong.md")
    text = article.read_text(encoding="utf-8")
    assert "date: 2021-01-07 18:11\n" in text
    assert "\u00a0" not in text and "  " not in text.split("---")[2]
    assert unicodedata.is_normalized("NFC", text)
    assert text.rstrip().endswith("trong năm 2021./.")


# The HTML page ----------------------------------------------------------------------------

def test_html_page_imports_with_its_photos_in_place(site, tmp_path):
    page = write_html_fixture(tmp_path)
    result = import_into(site, page)
    assert result.returncode == 0, result.stderr
    assert "placeholder" not in result.stdout
    [article] = imported_files(site)
    loaded = parse_article(article, load_config(site.root))
    assert loaded.title == "Hội nghị tổng kết công tác năm 2020, triển khai nhiệm vụ năm 2021"
    assert loaded.published.isoformat() == "2020-12-28T08:45:00+07:00"
    assert loaded.views == 1024
    assert [(p.caption, (p.width, p.height)) for p in loaded.photos] == [
        ("Toàn cảnh hội nghị tổng kết", (320, 200)),
        ("Đ/c Chủ tịch UBND phường trao giấy khen cho các tập thể “tiêu biểu”", (320, 200)),
        ("Đ/c Bí thư Đảng ủy kết luận hội nghị", (320, 200))]
    # The copied files are the saved photos, byte for byte, in caption order.
    saved = [(tmp_path / f"{HTML_FIXTURE.stem}_files" / name).read_bytes() for name in HTML_IMAGES]
    assert [(site.root / p.source).read_bytes() for p in loaded.photos] == saved

    assert site.build().returncode == 0
    soup = article_page(site, article)
    assert body_sequence(soup) == [
        ("p", "Sáng ngày 28/12/2020, UBND phường Phúc Đồng tổ chức Hội nghị tổng kết công tác "
              "năm 2020, triển khai nhiệm vụ năm 2021. Dự hội nghị có đồng chí Nguyễn Thị Ngọc "
              "- Bí thư Đảng ủy, Chủ tịch HĐND phường."),
        ("caption", "Ảnh: Toàn cảnh hội nghị tổng kết"),
        ("p", "Báo cáo tại hội nghị nêu rõ: năm 2020 phường đã hoàn thành 12/12 chỉ tiêu được "
              "giao; trong đó:"),
        ("p", "1. Thu ngân sách đạt 302% kế hoạch;"),
        ("p", "2. Không còn hộ nghèo trên địa bàn."),
        ("caption", "Ảnh: Đ/c Chủ tịch UBND phường trao giấy khen cho các tập thể “tiêu biểu”"),
        ("p", "Phát biểu tại hội nghị, đồng chí Chủ tịch UBND phường nhấn mạnh: năm 2021 cần "
              "tập trung vào công tác cải cách hành chính – giải phóng mặt bằng – trật tự đô "
              "thị…"),
        ("caption", "Ảnh: Đ/c Bí thư Đảng ủy kết luận hội nghị"),
        ("h3", "Nhiệm vụ trọng tâm năm 2021"),
        ("li", "Đẩy mạnh cải cách hành chính;"),
        ("li", "Giữ vững trật tự đô thị, vệ sinh môi trường."),
        ("p", "Hội nghị đã biểu quyết thông qua Nghị quyết về nhiệm vụ năm 2021./."),
        ("p", "Ban biên tập")]
    # Menus, scripts, the share bar and "Tin khác" stay behind on the old portal.
    body = soup.select_one(".article-body")
    assert body.find(["ol", "script"]) is None and len(body.select("ul > li")) == 2
    assert "Tin khác" not in body.get_text() and "Facebook" not in body.get_text()


def test_html_photo_not_saved_beside_the_page_is_reported_and_replaced(site, tmp_path):
    page = write_html_fixture(tmp_path)
    (tmp_path / f"{HTML_FIXTURE.stem}_files" / "ket-luan.jpg").unlink()
    (tmp_path / f"{HTML_FIXTURE.stem}_files" / "IMG_2034.JPG").write_bytes(b"not a jpeg")
    result = import_into(site, page)
    assert result.returncode == 0, result.stderr
    assert "photo 1 missing (./hoi-nghi-tong-ket-cong-tac-2020_files/IMG_2034.JPG is not a " \
           "readable image" in result.stdout
    assert "photo 3 missing (http://phucdong.longbien.hanoi.gov.vn/Uploads/2020/12/ket-luan.jpg " \
           "was not saved beside the page)" in result.stdout
    assert site.build().returncode == 0


def test_html_in_windows_1258_reads_like_utf8(site, tmp_path):
    utf8 = HTML_FIXTURE.read_text(encoding="utf-8")
    legacy = tmp_path / "cp1258" / HTML_FIXTURE.name
    legacy.parent.mkdir()
    legacy.write_bytes(to_cp1258(utf8.replace("charset=utf-8", "charset=windows-1258")))
    result = import_into(site, legacy)
    assert result.returncode == 0, result.stderr
    assert "read as Windows-1258" in result.stdout
    [article] = imported_files(site)
    loaded = parse_article(article, load_config(site.root))
    assert loaded.title == "Hội nghị tổng kết công tác năm 2020, triển khai nhiệm vụ năm 2021"
    assert "Đ/c Chủ tịch UBND phường trao giấy khen cho các tập thể “tiêu biểu”" in \
        [photo.caption for photo in loaded.photos]


# Encodings --------------------------------------------------------------------------------

@pytest.mark.parametrize("encode", [
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), id="utf-8-bom"),
    pytest.param(to_cp1258, id="windows-1258"),
    pytest.param(lambda text: text.encode("utf-16"), id="utf-16-bom"),
    pytest.param(lambda text: unicodedata.normalize("NFD", text).encode("utf-8"), id="utf-8-nfd"),
    pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
])
def test_legacy_encodings_give_the_same_article_as_utf8(site, tmp_path, encode):
    reference = import_into(site, SEED)
    assert reference.returncode == 0
    [article] = imported_files(site)
    expected = article.read_text(encoding="utf-8")
    shutil.rmtree(site.root / IMPORTED)

    page = tmp_path / SEED.name
    page.write_bytes(encode(SEED.read_text(encoding="utf-8")))
    assert page.read_bytes() != SEED.read_bytes()
    result = import_into(site, page)
    assert result.returncode == 0, result.stderr
    assert article.read_text(encoding="utf-8") == expected


def test_windows_1258_text_is_really_stored_with_combining_tones(tmp_path):
    # Guards the cp1258 tests above: the legacy bytes differ from NFC and from UTF-8.
    data = to_cp1258("Phường Phúc Đồng")
    assert data == b"Ph\xfd\xf5\xccng Ph\xfac \xd0\xf4\xccng"
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == "Phường Phúc Đồng"


# Idempotence and safety -------------------------------------------------------------------

def test_second_import_skips_and_changes_nothing(site):
    assert import_into(site, SEED).returncode == 0
    before = tree_bytes(site.root / IMPORTED)
    again = import_into(site, SEED)
    assert again.returncode == 0
    assert "1 page: 0 imported, 1 skipped, 0 failed" in again.stdout
    assert "already in the site as content/imported/2021/" in again.stdout
    assert tree_bytes(site.root / IMPORTED) == before


def test_same_page_twice_in_one_run_is_imported_once(site, tmp_path):
    copy = tmp_path / "ban-sao.txt"
    copy.write_bytes(SEED.read_bytes())
    result = import_into(site, SEED, copy)
    assert "2 pages: 1 imported, 1 skipped, 0 failed" in result.stdout
    assert len(imported_files(site)) == 1


@pytest.mark.parametrize("date", ["07/01/2021 18:11", "2021-01-07T11:11:00Z", "2021-01-07 18:11"])
def test_article_already_written_by_hand_is_recognised(site, date):
    seed = read_seed()
    site.article("2021/ban-thuong-vu.md", f"""
        title: "{seed.title}"
        date: {date}
    """)
    result = import_into(site, SEED)
    assert "skipped" in result.stdout and "content/2021/ban-thuong-vu.md" in result.stdout
    forced = import_into(site, SEED, extra=("--force",))
    assert "not replaced even with --force" in forced.stdout
    assert imported_files(site) == []


def test_force_replaces_an_earlier_import_and_only_then(site):
    import_into(site, SEED)
    [article] = imported_files(site)
    edited = article.read_text(encoding="utf-8").replace("views: 188", "views: 5")
    article.write_text(edited, encoding="utf-8")
    placeholder = article.with_suffix("") / "anh-thieu-1.jpg"
    Image.new("RGB", (64, 48), (1, 2, 3)).save(placeholder, "JPEG")   # the editor's real photo
    original_photo = placeholder.read_bytes()

    skipped = import_into(site, SEED)
    assert "0 imported, 1 skipped" in skipped.stdout
    assert article.read_text(encoding="utf-8") == edited

    forced = import_into(site, SEED, extra=("--force",))
    assert forced.returncode == 0
    assert "1 imported, 0 skipped" in forced.stdout
    assert "views: 188" in article.read_text(encoding="utf-8")
    assert placeholder.read_bytes() == original_photo        # an editor's photo is never lost
    other_placeholder = article.with_suffix("") / "anh-thieu-2.jpg"
    other_placeholder.write_bytes(b"stale")
    import_into(site, SEED, extra=("--force",))
    assert other_placeholder.read_bytes() == b"stale"          # not ours: kept
    assert imported_files(site) == [article]


def test_different_article_with_the_same_name_is_never_overwritten(site):
    seed = read_seed()
    other = site.article("imported/2021/ban-thuong-vu-quan-uy-long-bien-lam-viec-voi-phuong-phuc"
                         "-dong-ve-nhiem-vu-trong.md", f"""
        title: "{seed.title}"
        date: 2021-03-01 09:00
    """)
    before = other.read_bytes()
    for extra in ((), ("--force",)):
        result = import_into(site, SEED, extra=extra)
        assert result.returncode == 0
        assert other.read_bytes() == before
    second = other.with_name(f"{other.stem}-2.md")
    assert second.is_file() and len(imported_files(site)) == 2
    assert f"slug: {second.stem}\n" in second.read_text(encoding="utf-8")
    assert site.build().returncode == 0


def test_output_folder_option_and_category_from_the_section(site, tmp_path):
    page = tmp_path / "van-hoa.txt"
    page.write_text(SEED.read_text(encoding="utf-8").replace(
        "tin tức - sự kiện nổi bật", "Văn hoá - Xã hội", 1), encoding="utf-8")
    unknown = tmp_path / "khac.txt"
    unknown.write_text(SEED.read_text(encoding="utf-8").replace(
        "tin tức - sự kiện nổi bật", "Thông báo", 1).replace("07/01/2021", "08/01/2021"),
        encoding="utf-8")
    result = run_cli("import", str(page), str(unknown), "-o", str(site.content / "cu"))
    assert result.returncode == 0, result.stderr
    assert 'section "Thông báo" is not a category in site.toml; used tin-tuc-su-kien' \
        in result.stdout
    config = load_config(site.root)
    categories = sorted(parse_article(path, config).category
                        for path in (site.content / "cu").rglob("*.md"))
    assert categories == ["tin-tuc-su-kien", "van-hoa"]


# Broken pages and a whole folder ------------------------------------------------------------

def test_folder_of_200_pages_imports_the_good_and_names_the_broken(site, tmp_path):
    folder = tmp_path / "cong-thong-tin-cu"
    good = write_generated_folder(folder, 200)
    assert len(good) + len(BROKEN) == 200

    first = import_into(site, folder)
    assert first.returncode == 1
    assert f"200 pages: {len(good)} imported, 0 skipped, {len(BROKEN)} failed" in first.stdout
    failures = [line for line in first.stderr.splitlines() if line]
    assert len(failures) == len(BROKEN), first.stderr
    for name, reason in BROKEN.items():
        [line] = [line for line in failures if f"/{name}" in line]
        assert reason in line, line
        assert re.match(rf"\S*{re.escape(name)}(:\d+)?: ", line), line
    assert "Traceback" not in first.stderr

    articles = imported_files(site)
    assert len(articles) == len(good)
    check = site.check()
    assert check.returncode == 0, check.stderr
    config = load_config(site.root)
    by_source = {}
    for path in articles:
        text = path.read_text(encoding="utf-8")
        source = re.search(r'imported_from: "(.+)"', text).group(1)
        by_source[source] = parse_article(path, config)
    assert by_source.keys() == good.keys()
    for name, page in good.items():
        loaded = by_source[name]
        assert loaded.title == page.title
        assert f"{loaded.published:%d/%m/%Y %H:%M}" == f"{page.date} {page.time}"
        assert loaded.views == page.views
        expected = "van-hoa" if page.section.startswith("Văn") else "tin-tuc-su-kien"
        assert loaded.category == expected
        assert [f"Ảnh: {p.caption}" for p in loaded.photos] == list(page.captions)

    before = tree_bytes(site.content)
    second = import_into(site, folder)
    assert second.returncode == 1
    assert f"200 pages: 0 imported, {len(good)} skipped, {len(BROKEN)} failed" in second.stdout
    assert tree_bytes(site.content) == before


def test_page_without_body_or_title_is_refused(site, tmp_path):
    head_only = tmp_path / "chi-co-dau.txt"
    head_only.write_text("tin tức\n\nTiêu đề\nNgày đăng 01/02/2020 | 08:00\n", encoding="utf-8")
    bad_date = tmp_path / "ngay-sai.txt"
    bad_date.write_text("tin tức\n\nTiêu đề\nNgày đăng 31/02/2020 | 08:00\n\nNội dung.\n",
                        encoding="utf-8")
    lost = tmp_path / "mat-chu.txt"
    lost.write_text("tin tức\n\nH?i ngh? t?ng k?t\nNgày đăng 01/02/2020 | 08:00\n\nN?i dung.\n",
                    encoding="utf-8")
    result = import_into(site, head_only, bad_date, lost, tmp_path / "khong-co.txt")
    assert result.returncode == 1
    assert "mat-chu.txt:3: letters lost (such as 'H?i')" in result.stderr
    assert "chi-co-dau.txt:4: nothing after the date line" in result.stderr
    assert "ngay-sai.txt:4: date: 31/02/2020 | 08:00 is not a real date" in result.stderr
    assert "khong-co.txt: no such file or folder" in result.stderr
    assert "4 pages: 0 imported, 0 skipped, 4 failed" in result.stdout


# Markdown escaping ------------------------------------------------------------------------

# Letters, Vietnamese typography, and every character Markdown or HTML could read as syntax.
PORTAL_TEXT = st.text(alphabet=st.sampled_from(list("aăâđêôơư ÁỐỮ09.-+*_#>`[]()!<&;/\\=|\"“”–…"
                                                    "x{}:^~$'")), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(PORTAL_TEXT)
def test_escaped_paragraph_renders_as_the_same_text(text):
    text = " ".join(text.split())
    if not text:
        return
    html = markdown.markdown(escape(text), extensions=["tables", "fenced_code", "footnotes",
                                                      "attr_list", "sane_lists"])
    soup = BeautifulSoup(html, "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p"], html
    assert " ".join(soup.get_text().split()) == text


# Page shapes seen on the old portal over the years ------------------------------------------

def test_text_page_with_views_on_its_own_line_and_no_time(tmp_path):
    page = tmp_path / "cu.txt"
    page.write_text("Văn hoá - xã hội\nLễ hội làng Phúc Đồng\nNgày đăng 15/03/2016\n"
                    "Lượt xem: 2.345\nĐoạn một.\nẢnh: Rước kiệu\nĐoạn hai./.\n", encoding="utf-8")
    parsed = read_page(page)
    assert (parsed.section, parsed.title, parsed.views) == ("Văn hoá - xã hội",
                                                            "Lễ hội làng Phúc Đồng", 2345)
    assert parsed.published.isoformat() == "2016-03-15T00:00:00"
    assert parsed.warnings == ("the date line has no time; used 00:00",)
    assert [type(block).__name__ for block in parsed.blocks] == ["Paragraph", "Figure",
                                                                 "Paragraph"]


def test_html_page_with_unknown_markup_and_a_logo_heading(tmp_path):
    page = tmp_path / "khac.htm"
    page.write_text(
        '<html><head><meta charset="utf-8"></head><body><h1 class="logo">Cổng thông tin</h1>'
        '<h2 class="post-title">Tiêm chủng mở rộng</h2><p>Thứ hai, 05/04/2021 14h30</p>'
        '<div class="x"><p>Sáng nay trạm y tế tiêm chủng cho 120 trẻ.</p>'
        '<p><img src="khac_files/a.jpg"><br>Ảnh: Tiêm cho trẻ</p><p>Kết thúc lúc 11 giờ./.</p>'
        '</div><div class="sidebar"><p>Liên kết</p></div></body></html>', encoding="utf-8")
    (tmp_path / "khac_files").mkdir()
    Image.new("RGB", (40, 30), (9, 9, 9)).save(tmp_path / "khac_files" / "a.jpg", "JPEG")
    parsed = read_page(page)
    assert parsed.title == "Tiêm chủng mở rộng"
    assert parsed.published.isoformat() == "2021-04-05T14:30:00"
    texts = [getattr(block, "text", None) or f"[{block.caption}]" for block in parsed.blocks]
    assert texts == ["Sáng nay trạm y tế tiêm chủng cho 120 trẻ.", "[Tiêm cho trẻ]",
                     "Kết thúc lúc 11 giờ./."]
    assert parsed.blocks[1].image == tmp_path / "khac_files" / "a.jpg"


def test_html_page_with_head_fields_inside_the_body_element(tmp_path):
    page = tmp_path / "phang.html"
    page.write_text(
        '<html><body><div class="menu"><p>Trang chủ</p></div><div class="bai">'
        '<p>tin tức - sự kiện nổi bật</p><h1>Ra quân dọn vệ sinh</h1>'
        '<p>Ngày đăng 07/01/2021 | 18:11 | Lượt xem: 188</p>'
        '<p>Sáng nay, các tổ dân phố ra quân dọn vệ sinh đường làng ngõ xóm.</p>'
        '<img src="phang_files/a.jpg" alt="Ảnh: Dọn vệ sinh ngõ 12"><p>Kết thúc lúc 10 giờ./.</p>'
        '</div></body></html>', encoding="utf-8")
    (tmp_path / "phang_files").mkdir()
    Image.new("RGB", (40, 30), (9, 9, 9)).save(tmp_path / "phang_files" / "a.jpg", "JPEG")
    parsed = read_page(page)
    assert (parsed.section, parsed.title, parsed.views) == ("tin tức - sự kiện nổi bật",
                                                            "Ra quân dọn vệ sinh", 188)
    assert parsed.published.isoformat() == "2021-01-07T18:11:00"
    texts = [getattr(block, "text", None) or f"[{block.caption}]" for block in parsed.blocks]
    assert texts == ["Sáng nay, các tổ dân phố ra quân dọn vệ sinh đường làng ngõ xóm.",
                     "[Dọn vệ sinh ngõ 12]", "Kết thúc lúc 10 giờ./."]


@pytest.mark.parametrize("last, refused", [
    ("Ban biên tập", False),                       # a signature
    ("Phường sẽ tổ chức sơ kết, rút kinh nghiệm vào cuối quý, đồng thời khen thưởng", True),
    ("Phường sẽ tổ chức sơ kết, rút kinh nghiệm vào cuối quý, đồng thời khen thưởng.", False),
])
def test_text_page_cut_mid_sentence_is_refused(tmp_path, last, refused):
    page = tmp_path / "bai.txt"
    page.write_text("tin tức\n\nTổng kết\nNgày đăng 01/02/2020 | 08:00\n\nĐoạn đầu.\n\n"
                    f"{last}\n", encoding="utf-8")
    if refused:
        with pytest.raises(ImportProblem, match="stops mid-sentence") as problem:
            read_page(page)
        assert problem.value.line == 8
    else:
        assert read_page(page).blocks[-1].text == last
