"""Each kind of bad input an editor can write gives one clear line, exit 1, and no traceback."""

import os
import re
import unicodedata

import pytest

GOOD = 'title: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30'


def errors_of(site, invoke) -> list[str]:
    result = invoke("check", str(site.root))
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert lines[-1].endswith("found")          # the count closes the list
    return [line for line in lines[:-1] if not line.startswith("  hint:")]


def test_reports_malformed_yaml_at_its_line_with_a_hint(site, invoke):
    site.article("2024/a.md", 'title: Hội nghị: tổng kết\ndate: 2024-05-01 08:30')
    result = invoke("check", str(site.root))
    assert result.code == 1
    assert "content/2024/a.md:2: front matter: not valid YAML" in result.err
    assert 'hint: a value that contains ": " must be in double quotes' in result.err


def test_reports_missing_and_empty_title(site, invoke):
    site.article("2024/a.md", "date: 2024-05-01 08:30")
    site.article("2024/b.md", 'title: "  "\ndate: 2024-05-01 08:30')
    assert errors_of(site, invoke) == [
        "content/2024/a.md:1: title: missing; every article needs one",
        "content/2024/b.md:2: title: is empty",
    ]


@pytest.mark.parametrize("value, message", [
    ('"2021-02-31"', 'date: "2021-02-31" is not a real date (expected YYYY-MM-DD HH:MM)'),
    ("2021-02-31 10:00", 'date: "2021-02-31 10:00" is not a real date (expected YYYY-MM-DD HH:MM)'),
    ("hôm qua", 'date: "hôm qua" is not a date (expected YYYY-MM-DD HH:MM)'),
    ("2021-13-01", 'date: "2021-13-01" is not a real date (expected YYYY-MM-DD HH:MM)'),
    ("25:61", 'date: "25:61" is not a date (expected YYYY-MM-DD HH:MM)'),
    ("9999-12-31T23:59:00-12:00", 'date: "9999-12-31T23:59:00-12:00" has an unlikely year '
                                  '(expected 1900–2999)'),
])
def test_reports_bad_dates_in_the_contract_format(site, invoke, value, message):
    site.article("2021/abc.md", f'title: "Tin"\nviews: 1\ndate: {value}')
    assert errors_of(site, invoke) == [f"content/2021/abc.md:4: {message}"]


def test_reports_missing_date(site, invoke):
    site.article("2021/abc.md", 'title: "Tin"')
    assert errors_of(site, invoke) == [
        "content/2021/abc.md:1: date: missing (expected YYYY-MM-DD HH:MM)"]


@pytest.mark.parametrize("value, message", [
    ("-3", "views: -3 is negative; a view count is 0 or more"),
    ("nhiều", 'views: "nhiều" is not a whole number'),
    ("1.5", "views: 1.5 is not a whole number"),
    ("true", "views: True is not a whole number"),
])
def test_reports_bad_view_counts(site, invoke, value, message):
    site.article("2024/a.md", f"{GOOD}\nviews: {value}")
    assert errors_of(site, invoke) == [f"content/2024/a.md:4: {message}"]


def test_reports_photos_that_are_not_a_list(site, invoke):
    site.article("2024/a.md", f"{GOOD}\nphotos: 3")
    assert errors_of(site, invoke) == [
        "content/2024/a.md:4: photos: expected a list of photos, each '- src: …' with "
        "'caption: …'"]


def test_reports_photos_given_as_a_mapping(site, invoke):
    site.article("2024/a.md", f"{GOOD}\nphotos:\n  src: a.jpg")
    assert errors_of(site, invoke) == [
        "content/2024/a.md:4: photos: expected a list of photos, each '- src: …' with "
        "'caption: …'"]


def test_reports_missing_photo_file_at_its_line(site, invoke):
    site.photo("photos/ok.jpg")
    site.article("2021/abc.md", f"""{GOOD}
photos:
  - src: photos/ok.jpg
    caption: "Một"
  - src: photos/x.jpg
    caption: "Hai"
""")
    assert errors_of(site, invoke) == [
        "content/2021/abc.md:7: photos[1].src: photos/x.jpg does not exist"]


def test_reports_a_file_that_is_not_an_image(site, invoke):
    (site.content / "photos").mkdir()
    (site.content / "photos" / "bao-cao.jpg").write_text("không phải ảnh")
    site.article("2024/a.md", f"{GOOD}\nphotos:\n  - src: photos/bao-cao.jpg")
    assert errors_of(site, invoke) == [
        "content/2024/a.md:5: photos[0].src: bao-cao.jpg is not an image "
        "(expected a JPEG, PNG, WebP, GIF or HEIC file)"]


def test_reports_a_truncated_image(site, invoke):
    path = site.photo("photos/cut.jpg", size=(800, 600))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    site.article("2024/a.md", f"{GOOD}\nphotos:\n  - src: photos/cut.jpg")
    [line] = errors_of(site, invoke)
    assert line.startswith("content/2024/a.md:5: photos[0].src: cut.jpg is damaged or truncated")


@pytest.mark.parametrize("src, message", [
    ("../../site.toml", "../../site.toml leaves the site; photos must be inside content/"),
    ("/etc/passwd", "/etc/passwd is an absolute path; write it relative to the article or to content/"),
    ("https://example.org/a.jpg", "https://example.org/a.jpg is a web address; put the photo in "
                                  "content/ and give its path"),
])
def test_refuses_photo_paths_that_leave_the_site(site, invoke, src, message):
    site.article("2024/a.md", f"{GOOD}\nphotos:\n  - src: {src}")
    assert errors_of(site, invoke) == [f"content/2024/a.md:5: photos[0].src: {message}"]


def test_refuses_a_symlink_to_a_photo_outside_the_site(site, invoke, tmp_path):
    outside = tmp_path / "secret.jpg"
    site.photo("photos/real.jpg").rename(outside)
    os.symlink(outside, site.content / "photos" / "link.jpg")
    site.article("2024/a.md", f"{GOOD}\nphotos:\n  - src: photos/link.jpg")
    assert errors_of(site, invoke) == [
        "content/2024/a.md:5: photos[0].src: photos/link.jpg is a link to a file outside the "
        "site; copy the photo into content/"]


def test_reports_a_file_that_is_not_utf8(site, invoke):
    path = site.content / "2024" / "cu.md"
    path.parent.mkdir()
    path.write_bytes('---\ntitle: "Phúc Đông"\ndate: 2024-05-01\n---\nBài cũ\n'.encode("cp1258", "replace"))
    assert errors_of(site, invoke) == ["content/2024/cu.md:2: file: not UTF-8 text (byte 0xfa)"]


def test_accepts_utf8_with_bom_and_crlf_line_ends(site, invoke):
    path = site.content / "2024" / "bom.md"
    path.parent.mkdir()
    text = '---\r\ntitle: "Tin có BOM"\r\ndate: 2024-05-01 08:30\r\nviews: x\r\n---\r\nNội dung\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    # line numbers stay right with a BOM and CRLF: views is on line 4
    assert errors_of(site, invoke) == ['content/2024/bom.md:4: views: "x" is not a whole number']
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("views: x", "views: 3").encode("utf-8"))
    assert invoke("build", str(site.root)).code == 0
    html = (site.out / "2024/05/tin-co-bom/index.html").read_text(encoding="utf-8")
    assert "Tin có BOM" in html and "\r" not in html


def test_suggests_the_right_name_for_a_misspelt_key(site, invoke):
    site.article("2024/a.md", f"{GOOD}\ntittle: x\nphoto:\n  - src: a.jpg")
    result = invoke("check", str(site.root))
    assert "content/2024/a.md:4: tittle: unknown field\n  hint: did you mean 'title'?" in result.err
    assert "content/2024/a.md:5: photo: unknown field\n  hint: did you mean 'photos'?" in result.err


def test_keeps_unknown_keys_that_are_not_typos(site, invoke):
    site.article("2024/a.md", f"{GOOD}\nnguon: Báo Hà Nội mới")
    assert invoke("check", str(site.root)).code == 0


def test_refuses_yaml_aliases_and_unsafe_tags(site, invoke):
    site.article("2024/a.md", f"{GOOD}\na: &x [1, 2]\nb: *x")
    site.article("2024/b.md", f"{GOOD}\nx: !!python/object/apply:os.system ['echo pwned']")
    errors = errors_of(site, invoke)
    assert errors[0].startswith("content/2024/a.md:4: front matter: anchors and aliases")
    assert errors[1].startswith("content/2024/b.md:4: front matter: the tag")
    assert "not allowed" in errors[1]


def test_reports_every_problem_of_every_file_in_one_run(site, invoke):
    site.article("2024/a.md", 'title: ""\ndate: 2024-02-30\nviews: -1')
    site.article("2024/b.md", 'date: 2024-01-01\nphotos:\n  - src: khong-co.jpg')
    site.article("2024/c.md", GOOD)
    result = invoke("build", str(site.root))
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "content/2024/a.md:2: title: is empty",
        'content/2024/a.md:3: date: "2024-02-30" is not a real date (expected YYYY-MM-DD HH:MM)',
        "content/2024/a.md:4: views: -1 is negative; a view count is 0 or more",
        "content/2024/b.md:1: title: missing; every article needs one",
        "content/2024/b.md:4: photos[0].src: khong-co.jpg does not exist",
        "5 problems found",
    ]
    assert not site.out.exists()


def test_reports_two_articles_with_one_url_naming_both(site, invoke):
    site.article("2024/a.md", GOOD)
    site.article("2024/b.md", GOOD.replace("08:30", "09:30"))
    assert errors_of(site, invoke) == [
        "content/2024/a.md:2: slug: /2024/05/hoi-nghi-tong-ket/ is also the URL of content/2024/b.md",
        "content/2024/b.md:2: slug: /2024/05/hoi-nghi-tong-ket/ is also the URL of content/2024/a.md",
    ]


def test_titles_differing_only_in_unicode_normalisation_clash(site, invoke):
    title = "Phúc Đồng đón Tết"
    site.article("2024/nfc.md", f'title: "{unicodedata.normalize("NFC", title)}"\ndate: 2024-02-01')
    site.article("2024/nfd.md", f'title: "{unicodedata.normalize("NFD", title)}"\ndate: 2024-02-02')
    errors = errors_of(site, invoke)
    assert len(errors) == 2 and all("/2024/02/phuc-dong-don-tet/" in e for e in errors)


def test_reports_a_slug_with_forbidden_characters(site, invoke):
    site.article("2024/a.md", f"{GOOD}\nslug: Hội Nghị")
    assert errors_of(site, invoke) == [
        'content/2024/a.md:4: slug: "Hội Nghị" may use only a-z, 0-9 and single hyphens']


def test_reports_an_unknown_category_with_a_suggestion(site, invoke):
    site.article("2024/a.md", f"{GOOD}\ncategory: van-hoaa")
    result = invoke("check", str(site.root))
    assert ('content/2024/a.md:4: category: "van-hoaa" is not one of the categories in '
            "site.toml\n  hint: did you mean 'van-hoa'?") in result.err


def test_reports_a_file_without_front_matter(site, invoke):
    (site.content / "ghi-chu.md").write_text("Chỉ có nội dung\n", encoding="utf-8")
    [line] = errors_of(site, invoke)
    assert line.startswith("content/ghi-chu.md:1: front matter: missing")


def test_reports_unclosed_front_matter(site, invoke):
    (site.content / "mo.md").write_text('---\ntitle: "A"\ndate: 2024-01-01\n', encoding="utf-8")
    [line] = errors_of(site, invoke)
    assert line.startswith("content/mo.md:1: front matter: not closed")


def test_never_prints_a_traceback_through_the_real_command(site):
    site.article("2024/a.md", "title: [unclosed\ndate: x")
    result = site.build()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith("1 problem found")


def test_reports_an_invisible_control_character_at_its_line(site, invoke):
    site.article("2024/a.md", 'views: 1\ntitle: "Tin\x7f"\ndate: 2024-01-01')
    assert errors_of(site, invoke) == [
        "content/2024/a.md:3: front matter: contains the control character U+007F, which YAML "
        "does not allow"]


@pytest.mark.parametrize("photos", [
    '- src: anh.jpg\ncaption: "Ảnh: hội nghị"',                 # caption at the top level
    '  - src: anh.jpg\n  caption: "Ảnh: hội nghị"',               # under photos:, not the item
    '  - src: anh.jpg\n      caption: "Ảnh: hội nghị"',           # too far in
])
def test_a_photo_field_out_of_its_item_fails_with_the_right_shape(site, invoke, photos):
    site.photo("2024/anh.jpg")
    site.article("2024/a.md", f"{GOOD}\nphotos:\n{photos}")
    result = invoke("check", str(site.root))
    assert result.code == 1 and "Traceback" not in result.err
    assert re.search(r"content/2024/a\.md:[56]: (caption|front matter): ", result.err)
    assert ('hint: a photo is written as three lines, "photos:", "  - src: photos/anh.jpg" '
            'and "    caption: …", with caption: exactly under src:') in result.err


def test_a_photo_without_a_caption_is_a_warning_and_still_published(site, invoke):
    site.photo("2024/anh.jpg")
    site.article("2024/a.md", f"{GOOD}\nphotos:\n  - src: anh.jpg")
    result = invoke("build", str(site.root))
    assert result.code == 0, result.err
    assert ("content/2024/a.md:5: warning: photos[0].caption: missing; the caption is also "
            "what blind readers hear instead of the photo (its alt text)") in result.err
    assert "hint: add caption:" in result.err
    again = invoke("build", str(site.root))          # from the caches: still said
    assert "photos[0].caption: missing" in again.err


def test_an_imports_placeholder_still_in_use_is_listed_by_check_and_build(site, invoke):
    from PIL import Image
    from phucdong_site.photos import PLACEHOLDER_MARK

    folder = site.content / "imported" / "2021" / "tin-cu"
    folder.mkdir(parents=True)
    Image.new("RGB", (80, 60), (228, 228, 228)).save(
        folder / "anh-thieu-1.jpg", "JPEG", comment=PLACEHOLDER_MARK + b": tin-cu/anh-thieu-1.jpg")
    site.photo("imported/2021/tin-cu/that.jpg")
    site.article("imported/2021/tin-cu.md",
                 f'{GOOD}\nphotos:\n  # ẢNH THIẾU\n  - src: "tin-cu/anh-thieu-1.jpg"\n'
                 '    caption: "Ảnh: hội nghị"\n  - src: "tin-cu/that.jpg"\n    caption: "Ảnh"',
                 body="![Ảnh: hội nghị](tin-cu/anh-thieu-1.jpg)\n")
    for command in ("check", "build"):
        result = invoke(command, str(site.root))
        assert result.code == 0, result.err
        placeholders = [line for line in result.err.splitlines() if "placeholder" in line]
        assert placeholders == [
            "content/imported/2021/tin-cu.md:6: warning: photos[0].src: tin-cu/anh-thieu-1.jpg "
            "is a grey placeholder made by import, not the real photo: residents see a grey box"]
    (folder / "anh-thieu-1.jpg").write_bytes((folder / "that.jpg").read_bytes())   # replaced
    assert "placeholder" not in invoke("build", str(site.root)).err
