"""Inputs an editor can make by accident (issue 21, group "input"): odd file names, deep or
escaped front matter, a photo listed twice, a title the terminal mangled, an impossible
SOURCE_DATE_EPOCH. Each is an error in the editor's terms, the same in check and build."""

from __future__ import annotations

import os

import pytest
from conftest import run_cli

from phucdong_site.content.frontmatter_yaml import MAX_NESTING

GOOD = 'title: "Bài tốt"\ndate: 2021-01-07 18:11\n'


def write_bytes_name(folder, name: bytes, text: str) -> None:
    """A file whose name is NAME's bytes, whatever they are (not UTF-8, a newline, …)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(os.fsencode(folder) + b"/" + name, "wb") as file:
        file.write(text.encode("utf-8"))


def assert_reported(result, *lines: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for line in lines:
        assert line in result.stderr.splitlines(), result.stderr


# 1. An article file name that is not UTF-8 --------------------------------------------------

def test_an_article_name_that_is_not_utf8_is_an_error_in_check_and_build(site):
    write_bytes_name(site.content / "2021", b"b\xe0i-\xff.md",
                     f"---\n{GOOD}---\n\nNội dung.\n")
    site.article("2021/sai-ngay.md", 'title: "Sai ngày"\ndate: 2021-02-31 08:00')
    site.article("2021/tot.md", 'title: "Tốt"\ndate: 2021-01-08 08:00')
    named = ("content/2021/b\\xe0i-\\xff.md: file: the name is not UTF-8 text "
             "(each byte that is not is shown as \\xNN)")
    for result in (site.check(), site.build()):
        # the bad name, and the rest of the content still checked: every problem in one run
        assert_reported(result, named)
        assert any(line.startswith("content/2021/sai-ngay.md:3: date:")
                   for line in result.stderr.splitlines()), result.stderr
        assert "2 problems found" in result.stderr
    assert not site.out.exists()


def test_a_page_and_a_document_with_such_names_are_reported_too(site):
    write_bytes_name(site.content / "trang", b"\xfe.md", "---\ntitle: Trang\n---\n\nA.\n")
    result = site.check()
    assert_reported(result, "content/trang/\\xfe.md: file: the name is not UTF-8 text "
                            "(each byte that is not is shown as \\xNN)")


# 8. A newline in a file name -----------------------------------------------------------------

def test_a_newline_in_a_file_name_keeps_each_message_on_one_line(site):
    write_bytes_name(site.content / "2021", b"hai\ndong\t.md",
                     "---\ntitle: \"Hai dòng\"\ndate: 2021-02-31 08:00\n---\n\nA.\n")
    result = site.check()
    assert_reported(result, 'content/2021/hai\\ndong\\t.md:3: date: "2021-02-31 08:00" is not '
                            "a real date (expected YYYY-MM-DD HH:MM)")


# 3. Front matter nested hundreds deep -------------------------------------------------------

@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 300, 900])
def test_deeply_nested_front_matter_is_one_clear_error_in_check_and_build(site, depth):
    site.article("2021/sau.md", f"{GOOD}khac:\n  - " + "[" * depth + "]" * depth)
    line = (f"content/2021/sau.md:5: khac: nested more than {MAX_NESTING} levels deep "
            f"(lists and groups inside each other)")
    for result in (site.check(), site.build()):
        assert_reported(result, line)
        assert "1 problem found" in result.stderr
    assert not site.out.exists()


def test_nesting_of_a_group_inside_groups_is_bounded_too(site):
    deep = "".join(f"{'  ' * level}k{level}:\n" for level in range(MAX_NESTING + 2))
    site.article("2021/sau.md", f"{GOOD}{deep}{'  ' * (MAX_NESTING + 2)}x: 1")
    result = site.check()
    assert_reported(result, f"content/2021/sau.md:{4 + MAX_NESTING}: k0: nested more than "
                            f"{MAX_NESTING} levels deep (lists and groups inside each other)")


def test_photos_and_ordinary_nesting_pass(site):
    site.photo("2021/anh.jpg")
    site.article("2021/anh.md", f'{GOOD}photos:\n  - src: anh.jpg\n    caption: "Ảnh"\n'
                                "lich:\n  sang: [a, {b: [c]}]\n")
    result = site.check()
    assert result.returncode == 0, result.stderr


# 4. Control characters written as YAML escapes ----------------------------------------------

def test_control_characters_written_as_escapes_are_refused_at_their_line(site):
    site.photo("2021/anh.jpg")
    site.article("2021/dieu-khien.md", r'''
        title: "Chuông\x07 reo"
        date: 2021-01-07 18:11
        summary: "Tóm\u0000 tắt"
        photos:
          - src: anh.jpg
            caption: "Màu \x1b[31mđỏ"
        tags: ["ok", "th\x7fẻ"]
        tac_gia: "Nửa \x9b ký tự"
        ''')
    for result in (site.check(), site.build()):
        assert_reported(
            result,
            "content/2021/dieu-khien.md:2: title: contains the control character U+0007 "
            "(written as an escape such as \\x07 or \\u0007), which no page can show",
            "content/2021/dieu-khien.md:4: summary: contains the control character U+0000 "
            "(written as an escape such as \\x07 or \\u0007), which no page can show",
            "content/2021/dieu-khien.md:7: photos[0].caption: contains the control character "
            "U+001B (written as an escape such as \\x07 or \\u0007), which no page can show",
            "content/2021/dieu-khien.md:8: tags[1]: contains the control character U+007F "
            "(written as an escape such as \\x07 or \\u0007), which no page can show",
            "content/2021/dieu-khien.md:9: tac_gia: contains the control character U+009B "
            "(written as an escape such as \\x07 or \\u0007), which no page can show")
    assert not site.out.exists()


def test_tabs_and_line_breaks_written_as_escapes_are_still_text(site):
    site.article("2021/tab.md", r'title: "Hội\tnghị\ntổng kết"' + "\ndate: 2021-01-07 18:11")
    result = site.build()
    assert result.returncode == 0, result.stderr
    page = (site.out / "2021/01/hoi-nghi-tong-ket/index.html").read_text(encoding="utf-8")
    assert "Hội nghị tổng kết" in page


# 5. `new` with a title that cannot be written -----------------------------------------------

@pytest.mark.parametrize("title", ["Chuông\x07 reo", "Màu \x1b[31mđỏ"])
def test_new_with_a_control_character_in_the_title_writes_nothing(site, title):
    result = run_cli("new", title, cwd=site.root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "control character" in result.stderr and "Traceback" not in result.stderr
    assert not any(site.content.rglob("*"))


# 9. One photo listed twice with two captions ------------------------------------------------

def test_one_photo_listed_twice_is_reported_at_the_second(site):
    site.photo("2021/anh.jpg")
    site.article("2021/hai-lan.md", f'''{GOOD}photos:
  - src: anh.jpg
    caption: "Chú thích thứ nhất"
  - src: ./anh.jpg
    caption: "Chú thích thứ hai"''')
    for result in (site.check(), site.build()):
        assert_reported(result, "content/2021/hai-lan.md:7: photos[1].src: ./anh.jpg is "
                                "already photos[0]: one photo has one caption")


# 11. A SOURCE_DATE_EPOCH no clock can reach -------------------------------------------------

@pytest.mark.parametrize("epoch", ["99999999999999999", "1" + "0" * 30, "32503680000"])
def test_a_huge_source_date_epoch_is_a_usage_error(site, epoch):
    site.article("2021/tot.md", GOOD)
    result = run_cli("build", str(site.root), env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SOURCE_DATE_EPOCH" in result.stderr and "internal error" not in result.stderr
    assert not site.out.exists()
