"""The portal's shell from site.toml: the menu ([[menu]] and pages' menu:), the logo and the
icons made from it, the footer, the archive notice and the English shell; each bad input
reported at its line."""

from __future__ import annotations

import io
import json
import os

import pytest
from bs4 import BeautifulSoup
from conftest import SITE_TOML, tree_bytes
from PIL import Image

PORTAL_TOML = """\
logo = "anh/logo.png"
banner = ["ỦY BAN NHÂN DÂN PHƯỜNG PHÚC ĐỒNG", "CỔNG THÔNG TIN ĐIỆN TỬ"]
""" + SITE_TOML + """

[[menu]]
page = "/gioi-thieu/"

[[menu]]
title = "Tin tức"
listing = "/tin-tuc/"
  [[menu.items]]
  category = "van-hoa"

[[menu]]
title = "Dịch vụ công"
url = "https://dichvucong.gov.vn/"

[contact]
agency = "Ủy ban nhân dân phường Phúc Đồng"
address = "(điền địa chỉ trụ sở)"
phone = "(điền số điện thoại)"
responsible = "(điền họ tên)"
licence = "Giấy phép số (điền số giấy phép)"

[[footer.links]]
title = "Cổng Dịch vụ công quốc gia"
url = "https://dichvucong.gov.vn/"

[[footer.links]]
title = "Cổng thông tin điện tử Thành phố Hà Nội"
url = "https://hanoi.gov.vn/"

[notice]
text = "Từ ngày 01/07/2025, phường Phúc Đồng đã được sáp nhập."
link = "https://longbien.hanoi.gov.vn/"
link_text = "Cổng thông tin phường Long Biên"

[english]
name = "Phuc Dong Ward"
agency = "People's Committee of Phuc Dong Ward"
"""


def logo(site, relative="anh/logo.png", size=(300, 200)):
    path = site.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGBA", size, (200, 20, 20, 255)).save(path)
    return path


@pytest.fixture
def portal(site):
    (site.root / "site.toml").write_text(PORTAL_TOML, encoding="utf-8")
    logo(site)
    site.article("2024/hoi-nghi.md", 'title: "Hội nghị"\ndate: 2024-12-20 08:00\n'
                 "category: van-hoa")
    site.article("trang/gioi-thieu.md", 'title: "Giới thiệu"')
    site.article("trang/gioi-thieu/co-cau.md", 'title: "Cơ cấu tổ chức"\nmenu: "Giới thiệu"')
    site.article("trang/lien-he.md", 'title: "Liên hệ"\nmenu: true\ntranslation: /en/contact/')
    site.article("trang/en/contact.md", 'title: "Contact"\nmenu: true')
    return site


def soup(site, relative):
    return BeautifulSoup((site.out / relative).read_text(encoding="utf-8"), "html.parser")


def menu_of(page):
    nav = page.select_one("nav.site-menu")
    return [(a.get_text(), a["href"], a.get("aria-current")) for a in nav.select("a")]


def test_menu_from_site_toml_with_pages_that_place_themselves(portal):
    result = portal.build()
    assert result.returncode == 0, result.stderr
    page = soup(portal, "2024/12/hoi-nghi/index.html")
    assert menu_of(page) == [
        ("Trang chủ", "/", None),
        ("Giới thiệu", "/gioi-thieu/", None), ("Cơ cấu tổ chức", "/gioi-thieu/co-cau/", None),
        ("Tin tức", "/tin-tuc/", None),
        ("Văn hoá - xã hội", "/chuyen-muc/van-hoa/", "true"),     # the article's category
        ("Dịch vụ công", "https://dichvucong.gov.vn/", None),
        ("Liên hệ", "/lien-he/", None)]
    summaries = {s.get_text(): s.get("aria-current") for s in page.select("nav summary")}
    assert summaries == {"Giới thiệu": None, "Tin tức": "true"}
    sub = soup(portal, "gioi-thieu/co-cau/index.html")
    assert ("Cơ cấu tổ chức", "/gioi-thieu/co-cau/", "page") in menu_of(sub)
    assert ("Giới thiệu", "/gioi-thieu/", "true") in menu_of(sub)
    assert menu_of(soup(portal, "index.html"))[0] == ("Trang chủ", "/", "page")


def test_default_menu_without_menu_entries(site):
    site.article("2024/hoi-nghi.md", 'title: "Hội nghị"\ndate: 2024-12-20 08:00')
    site.article("trang/lien-he.md", 'title: "Liên hệ"\nmenu: {order: -1}')
    assert site.build().returncode == 0
    assert menu_of(soup(site, "tin-tuc/index.html")) == [
        ("Trang chủ", "/", None), ("Liên hệ", "/lien-he/", None),
        ("tin tức - sự kiện nổi bật", "/tin-tuc/", "page"),
        ("Tin tức - sự kiện", "/chuyen-muc/tin-tuc-su-kien/", None),
        ("Văn hoá - xã hội", "/chuyen-muc/van-hoa/", None),
        ("Lưu trữ", "/luu-tru/", None)]
    head = soup(site, "index.html").head
    assert head.select_one('link[rel="icon"]')["href"] == "data:,"    # no /favicon.ico asked
    assert not (site.out / "favicon.ico").exists()
    assert head.select_one('link[rel="manifest"]') is None


def test_root_favicon_is_linked_without_a_logo(site):
    site.article("2024/hoi-nghi.md", 'title: "Hội nghị"\ndate: 2024-12-20 08:00')
    (site.root / "root").mkdir()
    Image.new("RGB", (32, 32)).save(site.root / "root" / "favicon.ico")
    assert site.build().returncode == 0, site.build().stderr
    assert soup(site, "index.html").select_one('link[rel="icon"]')["href"] == "/favicon.ico"


def test_header_footer_and_notice(portal):
    assert portal.build().returncode == 0
    page = soup(portal, "tin-tuc/index.html")
    header = page.select_one("header .site-name")
    image = header.img
    assert image["alt"] == "Phường Phúc Đồng" and image["src"].startswith("/static/logo.")
    assert (image["width"], image["height"]) == ("96", "64")
    published = Image.open(portal.out / image["src"].lstrip("/"))
    assert published.size == (192, 128)
    assert [line.get_text() for line in header.select(".banner-line")] == [
        "ỦY BAN NHÂN DÂN PHƯỜNG PHÚC ĐỒNG", "CỔNG THÔNG TIN ĐIỆN TỬ"]
    notice = page.select_one('section.site-notice[aria-label="Thông báo"]')
    assert "sáp nhập" in notice.get_text()
    assert notice.a["href"] == "https://longbien.hanoi.gov.vn/"
    footer = " ".join(page.footer.get_text(" ").split())
    for text in ("Cơ quan chủ quản: Ủy ban nhân dân phường Phúc Đồng",
                 "Địa chỉ: (điền địa chỉ trụ sở)", "Điện thoại: (điền số điện thoại)",
                 "Chịu trách nhiệm chính: (điền họ tên)", "Giấy phép số (điền số giấy phép)"):
        assert text in footer
    portals = page.select_one('footer nav[aria-label="Liên kết cổng thông tin"]')
    assert [a["href"] for a in portals.select("a")] == ["https://dichvucong.gov.vn/",
                                                        "https://hanoi.gov.vn/"]


def test_english_pages_get_the_english_shell(portal):
    assert portal.build().returncode == 0
    page = soup(portal, "en/contact/index.html")
    assert page.select_one(".skip-link").get_text() == "Skip to main content"
    assert menu_of(page) == [("Contact", "/en/contact/", "page"), ("Tiếng Việt", "/", None)]
    assert page.select_one('nav[aria-label="Main menu"] a[lang="vi"]')["hreflang"] == "vi"
    assert page.select_one("label[for=o-tim-kiem]").get_text() == "Search the site"
    assert page.select_one("nav.breadcrumbs")["aria-label"] == "Breadcrumb"
    footer = " ".join(page.footer.get_text(" ").split())
    assert "Managing agency: People's Committee of Phuc Dong Ward" in footer
    assert page.select_one(".footer-name").get_text() == "Phuc Dong Ward"
    # Vietnamese words without an English variant are kept, marked as Vietnamese
    assert page.select_one(".banner")["lang"] == "vi"
    assert page.select_one(".site-notice p")["lang"] == "vi"
    assert page.select_one("footer nav")["aria-label"] == "Related state portals"


def test_icons_and_manifest_are_made_from_the_logo(portal):
    assert portal.build().returncode == 0
    out = portal.out
    favicon = Image.open(out / "favicon.ico")
    assert favicon.format == "ICO"
    assert favicon.ico.sizes() == {(16, 16), (32, 32), (48, 48)}
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192),
                       ("icon-512.png", 512)):
        image = Image.open(out / name)
        assert image.format == "PNG" and image.size == (size, size)
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["lang"] == "vi" and manifest["start_url"] == "/"
    assert manifest["name"] == "Phường Phúc Đồng" and manifest["theme_color"] == "#a30d0d"
    for icon in manifest["icons"]:
        assert (out / icon["src"].lstrip("/")).is_file()
        assert Image.open(out / icon["src"].lstrip("/")).size == tuple(
            int(n) for n in icon["sizes"].split("x"))
    head = soup(portal, "gioi-thieu/index.html").head
    for rel, href in (("icon", "/favicon.ico"), ("apple-touch-icon", "/apple-touch-icon.png"),
                      ("manifest", "/manifest.webmanifest")):
        assert head.select_one(f'link[rel="{rel}"]')["href"] == href


def test_icons_are_byte_identical_build_after_build(portal, tmp_path):
    assert portal.build().returncode == 0
    first = tree_bytes(portal.out)
    assert portal.build("-o", str(tmp_path / "again")).returncode == 0
    again = tree_bytes(tmp_path / "again")
    for name in ("favicon.ico", "apple-touch-icon.png", "icon-192.png", "icon-512.png",
                 "manifest.webmanifest"):
        assert first[name] == again[name], name


def test_a_new_logo_is_published_by_the_next_build(portal):
    assert portal.build().returncode == 0
    before = (portal.out / "icon-512.png").read_bytes()
    logo(portal, size=(400, 400))
    assert portal.build().returncode == 0
    assert (portal.out / "icon-512.png").read_bytes() != before


def test_manifest_start_url_under_a_sub_path(portal):
    assert portal.build("--base-url", "https://example.org/phuong/").returncode == 0
    manifest = json.loads((portal.out / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == "/phuong/"
    assert manifest["icons"][0]["src"] == "/phuong/icon-192.png"


def line_of(site, text):
    lines = (site.root / "site.toml").read_text(encoding="utf-8").splitlines()
    return lines.index(text) + 1


def replace_in_toml(site, old, new):
    path = site.root / "site.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_menu_entry_naming_a_page_that_does_not_exist(portal):
    replace_in_toml(portal, 'page = "/gioi-thieu/"', 'page = "/gioi-thieu-x/"')
    result = portal.check()
    assert result.returncode == 1
    line = line_of(portal, 'page = "/gioi-thieu-x/"')
    assert (f"site.toml:{line}: menu.page: /gioi-thieu-x/ is not a page of the site\n"
            "  hint: did you mean '/gioi-thieu/'?") in result.stdout + result.stderr


def test_menu_item_naming_an_unknown_category(portal):
    replace_in_toml(portal, 'category = "van-hoa"', 'category = "van-hoaa"')
    result = portal.build()
    line = line_of(portal, '  category = "van-hoaa"')
    assert result.returncode == 1
    assert (f"site.toml:{line}: menu.items.category: van-hoaa is not a category of the site"
            in result.stderr)


def test_a_page_menu_parent_that_does_not_exist(portal):
    portal.article("trang/gioi-thieu/co-cau.md", 'title: "Cơ cấu tổ chức"\nmenu: "Giới thiêu"')
    result = portal.check()
    assert result.returncode == 1
    assert ('content/trang/gioi-thieu/co-cau.md:3: menu: no entry of the menu is called '
            '"Giới thiêu"\n  hint: did you mean \'Giới thiệu\'?') in result.stderr


@pytest.mark.parametrize("entry, offset, message", [
    ('[[menu]]\ntitle = "X"\npage = "/a/"\nurl = "https://a.vn/"\n', 0,
     "menu: an entry links to one place: it has page, url"),
    ('[[menu]]\ntitle = "X"\n', 0, "menu: this entry links nowhere"),
    ('[[menu]]\nlisting = "/tin-tucc/"\n', 1,
     'menu.listing: "/tin-tucc/" is not one of the site\'s listings'),
    ('[[menu]]\nurl = "https://a.vn/"\n', 0, "menu: title = is missing"),
    ('[[menu]]\ntitel = "X"\nurl = "https://a.vn/"\n', 1, "menu.titel: unknown setting"),
    ('[[menu]]\ntitle = "X"\nurl = "javascript:alert(1)"\n', 2, "menu.url: expected an address"),
    ('[[menu]]\ntitle = "X"\nurl = "https://a.vn/"\n  [[menu.items]]\n  title = "Y"\n'
     '  [[menu.items.items]]\n', 5, "menu.items.items: unknown setting"),
    ('[[footer.links]]\ntitle = "X"\nurl = "dichvucong.gov.vn"\n', 2,
     "footer.links.url: expected an address"),
    ('[notice]\nlink = "https://a.vn/"\n', 0, "notice: text = is missing"),
    ('[english]\nnmae = "X"\n', 1, "english.nmae: unknown setting"),
    ('banner = "ỦY BAN"\n', 0, "banner: expected a list of one to four lines"),
    ('logo = "../logo.png"\n', 0, "logo: expected the path of an image in the site"),
])
def test_bad_settings_are_reported_at_their_line(site, entry, offset, message):
    text = SITE_TOML.replace("[categories]", entry + "\n[categories]")
    (site.root / "site.toml").write_text(text, encoding="utf-8")
    result = site.check()
    assert result.returncode == 1
    line = text.splitlines().index(entry.splitlines()[0]) + 1 + offset
    assert any(problem.startswith(f"site.toml:{line}: {message}")
               for problem in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize("case", ["missing", "not an image", "truncated", "enormous",
                                  "huge file", "link out of the site"])
def test_bad_logo_is_reported_at_its_line(portal, tmp_path, case):
    path = portal.root / "anh" / "logo.png"
    whole = path.read_bytes()
    path.unlink()
    if case == "truncated":          # a good header: only decoding finds the rest missing
        path.write_bytes(whole[:len(whole) // 2])
        message = "anh/logo.png is not an image that can be read"
    elif case == "not an image":
        path.write_text("<svg></svg>", encoding="utf-8")
        message = "anh/logo.png is not an image that can be read"
    elif case == "enormous":
        Image.new("1", (20000, 20000)).save(path)     # 50 KB of PNG, 400 million pixels
        message = "anh/logo.png has more pixels than an image may have"
    elif case == "huge file":
        Image.new("L", (5000, 300)).save(path)
        message = "anh/logo.png is 5000×300 pixels; a logo may have at most 4096×4096"
    elif case == "link out of the site":
        outside = tmp_path / "outside.png"
        Image.new("RGB", (64, 64)).save(outside)
        os.symlink(outside, path)
        message = "anh/logo.png is a link to a file outside the site"
    else:
        message = "anh/logo.png does not exist"
    result = portal.build()
    assert result.returncode == 1
    line = line_of(portal, 'logo = "anh/logo.png"')
    assert f"site.toml:{line}: logo: {message}" in result.stderr
    assert not portal.out.exists()


def test_a_logo_over_the_byte_bound(portal):
    path = portal.root / "anh" / "logo.png"
    data = io.BytesIO()
    Image.new("RGB", (64, 64)).save(data, "PNG")
    path.write_bytes(data.getvalue() + b"\0" * (11 * 2**20))
    result = portal.check()
    assert result.returncode == 1
    assert "logo: anh/logo.png is 11.0 MB, more than the 10 MB a logo may be" in result.stderr


def test_every_problem_of_the_shell_in_one_run(portal):
    replace_in_toml(portal, 'page = "/gioi-thieu/"', 'page = "/khong-co/"')
    (portal.root / "anh" / "logo.png").unlink()
    portal.article("trang/lien-he.md", 'title: "Liên hệ"\nmenu: "Không có"')
    result = portal.check()
    assert result.returncode == 1
    for problem in ("menu.page: /khong-co/ is not a page of the site",
                    "logo: anh/logo.png does not exist",
                    'content/trang/lien-he.md:3: menu: no entry of the menu is called "Không có"'):
        assert problem in result.stderr
