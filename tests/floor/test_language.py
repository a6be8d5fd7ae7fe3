"""Messages: Vietnamese by default, English on request, and the catalogs in step.

The checks on the catalog read it with Babel (the tool that writes it) and the compiled .mo
with the standard gettext (the reader the program uses), so that neither can drift.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, run_cli
from phucdong_site import language

PACKAGE = REPO / "src" / "phucdong_site"
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "phucdong_site.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}|%\(\w+\)[sdr]|%[sdr]")


def catalog():
    with PO.open("rb") as file:
        return read_po(file)


def marked_messages() -> set[str]:
    """Every literal the code passes to _(), N_() or ngettext(), read from its syntax."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in {"_", "N_", "ngettext", "Np_"}:
                for argument in node.args[:2 if node.func.id in {"ngettext", "Np_"} else 1]:
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        found.add(argument.value)
    return found


def test_no_message_is_marked_inside_an_f_string():
    """Babel cannot extract _() from inside an f-string: such a message is never translated."""
    hidden = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.name}:{call.lineno}" for call in ast.walk(node)
                           if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                           and call.func.id in {"_", "ngettext"}
                           and isinstance(call.args[0], ast.Constant)]
    assert not hidden


def test_every_message_of_the_code_is_in_the_catalog_and_translated():
    entries = {}
    for message in catalog():
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for one in ids:
                entries[one] = (strings, message.fuzzy)
    missing = sorted(marked_messages() - entries.keys())
    assert not missing, f"not in the catalog (run make messages): {missing}"
    untranslated = sorted(m for m, (strings, fuzzy) in entries.items()
                          if fuzzy or not all(strings))
    assert not untranslated, f"translate these in {PO.name}: {untranslated}"


def test_translations_keep_every_placeholder():
    for message in catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(string))) == wanted, (ids[0], string)


def test_the_compiled_catalog_is_the_po_file_compiled():
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for message in catalog():
        if not message.id or isinstance(message.id, tuple) or not message.string:
            continue
        assert compiled.gettext(message.id) == message.string, \
            f"{MO.name} is older than {PO.name}: run make messages"


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "vi"),
    ({"LANG": "C.UTF-8"}, "vi"),
    ({"LANG": "vi_VN.UTF-8"}, "vi"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
    ({"LANGUAGE": "vi:en", "LANG": "en_US.UTF-8"}, "vi"),
    ({"LANGUAGE": "en"}, "en"),
])
def test_vietnamese_unless_the_locale_names_english(environ, expected):
    assert language.choose(None, environ) == expected
    assert language.choose("vi", {"LANG": "en_US.UTF-8"}) == "vi"


BROKEN = {
    "2024/bad-date.md": '---\ntitle: "Ngày sai"\ndate: 2021-02-31\nviews: -3\n---\nx\n',
    "2024/colon.md": "---\ntitle: Hội nghị: tổng kết\ndate: 2024-01-01\n---\nx\n",
    "2024/tabs.md": '---\ntitle: "Tab"\ndate: 2024-01-01\ntags:\n\t- a\n---\nx\n',
    "2024/quotes.md": "---\ntitle: “Hội nghị”\ndate: 2024-01-01\n---\nx\n",
    "2024/ngay.md": '---\ntitle: "Khoá tiếng Việt"\nngày: 2024-01-01\n---\nx\n',
    "2024/caption.md": ('---\ntitle: "Chú thích lạc"\ndate: 2024-01-01\nphotos:\n'
                        '- src: anh.jpg\ncaption: "Ảnh: hội nghị"\n---\nx\n'),
    "2024/case.md": ('---\ntitle: "Sai hoa thường"\ndate: 2024-01-01\nphotos:\n'
                     '  - src: Anh.JPG\n    caption: "Ảnh"\n---\nx\n'),
    "2024/typo.md": ('---\ntittle: "Gõ sai"\ndate: 2024-01-01\ncategory: khong-co\n'
                     'featured: maybe\nslug: "Có Dấu"\n---\n[x](../2020/khong-co.md)\n'),
    "2024/empty.md": "no front matter at all\n",
    "2024/unclosed.md": '---\ntitle: "Mở ngoặc\ndate: 2024-01-01\n---\nx\n',
}


def english_messages() -> list[str]:
    """The catalog's English text, cut at its placeholders: what must not appear in Vietnamese."""
    words = []
    for message in catalog():
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            words += [part.strip(" :;,.()'\"") for part in PLACEHOLDER.split(text)]
    return sorted({w for w in words if len(w) >= 12 and re.search(r"[a-z]{4} [a-z]{3}", w)})


@pytest.fixture
def broken_site(site):
    for name, text in BROKEN.items():
        path = site.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    site.photo("2024/anh.jpg")
    return site


def _without_paths(output: str) -> str:
    # file names and quoted values are the editor's words, not the program's
    return re.sub(r"\S+\.(md|jpg|JPG|toml)\b|\"[^\"]*\"", "", output)


@pytest.mark.parametrize("command", [("check",), ("build",)])
def test_problems_are_all_vietnamese_by_default(broken_site, command):
    result = run_cli(*command, cwd=broken_site.root, env=_vietnamese())
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len([l for l in lines if not l.startswith('  ')]) - 1} lỗi"
    assert "gợi ý:" in result.stderr and "hint:" not in result.stderr
    text = _without_paths(result.stderr)
    english = [w for w in english_messages() if w in text]
    assert not english, english
    # the machine shape stays: path:line: field: message
    for line in lines[:-1]:
        if not line.startswith("  "):
            assert re.match(r"content/2024/[\w-]+\.md(:\d+)?: [\w\[\]. ]+?: \S", line), line


def test_english_on_request(broken_site):
    result = run_cli("check", "--lang", "en", cwd=broken_site.root, env=_vietnamese())
    assert result.returncode == 1
    assert "is not a real date" in result.stderr and "hint:" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("problems found")
    assert run_cli("--lang", "en", "check", cwd=broken_site.root).stderr == result.stderr
    by_locale = run_cli("check", cwd=broken_site.root,
                        env={**_vietnamese(), "LANGUAGE": "", "LANG": "en_US.UTF-8"})
    assert by_locale.stderr == result.stderr


def test_help_and_usage_errors_are_vietnamese(tmp_path):
    for args in (["--help"], ["build", "--help"], ["check", "--help"], ["new", "--help"]):
        result = run_cli(*args, cwd=tmp_path, env=_vietnamese())
        assert result.returncode == 0
        assert "cách dùng:" in result.stdout and "tùy chọn:" in result.stdout
        english = [w for w in english_messages() if w in result.stdout]
        assert not english, (args, english)
        # help texts argparse writes itself, outside any catalog
        assert not re.search(r"\b(show|the|and|exit|number)\b", result.stdout), result.stdout
    wrong = run_cli("build", "--jobs", "x", cwd=tmp_path, env=_vietnamese())
    assert wrong.returncode == 2 and "lỗi:" in wrong.stderr and "invalid" not in wrong.stderr
    english = run_cli("--lang", "en", "build", "--help", cwd=tmp_path)
    assert "usage:" in english.stdout and "output folder" in english.stdout


def _vietnamese() -> dict[str, str]:
    import os
    return {**os.environ, "LANGUAGE": "vi"}


def test_summaries_are_vietnamese(site):
    site.article("2024/a.md", 'title: "Một"\ndate: 2024-01-01 08:00')
    site.article("2024/b.md", 'title: "Nháp"\ndate: 2024-01-02 08:00\ndraft: true')
    site.article("2099/c.md", 'title: "Hẹn giờ"\ndate: 2099-05-01 07:30')
    built = run_cli("build", cwd=site.root, env=_vietnamese())
    assert built.returncode == 0, built.stderr
    assert re.match(r"1 bài viết, \d+ trang, 0 ảnh trong \d+,\d giây \(0 ảnh mới xử lý\)",
                    built.stdout)
    assert "chưa đăng: 1 bản nháp, 1 bài hẹn giờ; bài kế tiếp được đăng lúc 07:30 ngày " \
           "01/05/2099" in built.stdout
    again = run_cli("build", cwd=site.root, env=_vietnamese())
    assert "không có gì thay đổi, giữ nguyên" in again.stdout
    assert "chưa đăng: 1 bản nháp, 1 bài hẹn giờ" in again.stdout
    checked = run_cli("check", cwd=site.root, env=_vietnamese())
    assert checked.stdout.startswith("1 bài viết: không có lỗi\n")


def test_a_catalog_message_reads_through_gettext_like_the_program():
    assert Path(MO).is_file()
    vi = gettext.translation(language.DOMAIN, language.LOCALE_DIR, ["vi"])
    assert vi.gettext("unknown field") == "tên trường không đúng"


def test_warnings_kept_in_the_caches_show_in_the_language_of_each_run(site):
    site.photo("2024/anh.jpg")
    site.article("2024/a.md", 'title: "Một"\ndate: 2024-01-01 08:00\ntags: [Tổ dân phố]\n'
                 'photos:\n  - src: anh.jpg')
    site.article("2024/b.md", 'title: "Hai"\ndate: 2024-01-02 08:00\ntags: [tổ dân phố]')
    site.article("2024/c.md", 'title: "Ba"\ndate: 2024-01-03 08:00\ntags: [tổ dân phố]')
    english = run_cli("build", "--lang", "en", cwd=site.root)
    assert "photos[0].caption: missing" in english.stderr
    assert "(used by 2 articles) are one tag" in english.stderr
    for _round in range(2):              # from the article cache, then the freshness record
        vietnamese = run_cli("build", "--lang", "vi", cwd=site.root)
        assert "photos[0].caption: còn thiếu" in vietnamese.stderr, vietnamese.stderr
        assert "(có trong 2 bài) là cùng một từ khóa" in vietnamese.stderr
        assert "missing" not in vietnamese.stderr
