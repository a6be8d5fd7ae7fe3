import json
from pathlib import Path

import pytest
from conftest import run_cli

from phucdong_site.config import load_config
from phucdong_site.errors import ErrorList


def write_toml(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    return tmp_path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ErrorList) as caught:
        load_config(write_toml(tmp_path, text))
    return [str(e) for e in caught.value.errors]


def test_defaults_apply_without_site_toml(tmp_path):
    config = load_config(tmp_path)
    assert config.name == "Phường Phúc Đồng"
    assert config.per_page == 10
    assert config.timezone == "Asia/Ho_Chi_Minh"
    assert config.output_dir == tmp_path / "build"


def test_reads_every_setting(tmp_path):
    config = load_config(write_toml(tmp_path, """
name = "Phường Long Biên"
base_url = "https://example.org/phuong"
per_page = 5
default_category = "van-hoa"

[categories]
van-hoa = "Văn hoá"

[contact]
phone = "024 3875 0000"
"""))
    assert config.name == "Phường Long Biên"
    assert config.base_url == "https://example.org/phuong/"
    assert config.base_path == "/phuong/"
    assert config.category_name("van-hoa") == "Văn hoá"
    assert config.contact.phone == "024 3875 0000"


def test_rejects_unknown_key_with_line_and_suggestion(tmp_path):
    problems = problems_of(tmp_path, 'name = "A"\n\nper_pgae = 4\n')
    assert problems == ["site.toml:3: per_pgae: unknown setting\n  hint: did you mean 'per_page'?"]


def test_rejects_wrong_types_naming_key_and_line(tmp_path):
    problems = problems_of(tmp_path, 'per_page = "mười"\ntimezone = "Asia/Hanoi_City"\n'
                                     'base_url = "phucdong.vn"\n')
    assert problems[0].startswith('site.toml:1: per_page: expected a whole number of at least 1, '
                                  'got "mười"')
    assert problems[1].startswith("site.toml:2: timezone: expected a time zone name")
    assert problems[2].startswith("site.toml:3: base_url: expected an http(s) address")


def test_reports_toml_syntax_error_with_line(tmp_path):
    problems = problems_of(tmp_path, 'name = "A"\nper_page = = 3\n')
    assert problems[0].startswith("site.toml:2: not valid TOML")


def test_rejects_bad_category_and_contact_entries(tmp_path):
    problems = problems_of(tmp_path, '[categories]\n"Văn Hoá" = "x"\n[contact]\nphone = 123\nfax = "1"\n')
    assert problems[0].startswith('site.toml:2: categories.Văn Hoá: a category slug')
    assert problems[1] == "site.toml:4: contact.phone: expected a text, got a number"
    assert problems[2].startswith("site.toml:5: contact.fax: unknown setting")


@pytest.mark.parametrize("value", [
    "https://phucdong.gov.vn/?x=1", "https://phucdong.gov.vn/#top", "https:///phuong/",
    "https://phucdong.gov.vn/\nDisallow: /", "https://user:pw@phucdong.gov.vn/",
    "https://phucdong.gov.vn:port/", "ftp://phucdong.gov.vn/", "https://phuc dong.gov.vn/"])
def test_a_base_url_links_cannot_be_built_on_is_refused(tmp_path, value):
    (tmp_path / "site.toml").write_text(f"base_url = {json.dumps(value)}\n", encoding="utf-8")
    with pytest.raises(ErrorList) as raised:
        load_config(tmp_path)
    assert str(raised.value).startswith("site.toml:1: base_url: expected an http(s) address")
    result = run_cli("build", str(tmp_path), "--base-url", value)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "build").exists()


def test_reads_the_documents_table(tmp_path):
    config = load_config(write_toml(tmp_path, """
[documents]
types = ["Kế hoạch", "  Thông   báo ", "Quyết định", "Kế hoạch"]
issuer = " UBND phường Phúc Đồng "
free_numbers = true
"""))
    assert config.documents.types == ("Kế hoạch", "Thông báo", "Quyết định")
    assert config.documents.issuer == "UBND phường Phúc Đồng"
    assert config.documents.free_numbers is True
    defaults = load_config(write_toml(tmp_path, 'name = "A"\n')).documents
    assert "Kế hoạch" in defaults.types and "Công văn" in defaults.types
    assert defaults.issuer == "" and defaults.free_numbers is False


@pytest.mark.parametrize("text, expected", [
    ('documents = 1', ["site.toml:1: documents: expected a table [documents]"]),
    ('[documents]\ntypes = "Kế hoạch"',
     ['site.toml:2: documents.types: expected a list of document types, e.g. ["Kế hoạch"']),
    ('[documents]\ntypes = []', ["site.toml:2: documents.types: expected a list of document"]),
    ('[documents]\ntypes = ["Kế hoạch", 3]', ["site.toml:2: documents.types: expected a list"]),
    ('[documents]\ntypes = ["Kế hoạch", " "]', ["site.toml:2: documents.types: expected a list"]),
    ('[documents]\n\ntypes = ["Kế hoạch", "Ke Hoach"]',
     ['site.toml:3: documents.types: "Ke Hoach" and "Kế hoạch" are one type written twice']),
    ('[documents]\ntypes = ["Kế hoạch", "—"]',
     ['site.toml:2: documents.types: "—" has no letters or digits']),
    ('[documents]\ntypes = [' + ", ".join(f'"Loại {n}"' for n in range(201)) + ']',
     ["site.toml:2: documents.types: 201 types; the limit is 200"]),
    ('[documents]\nissuer = ""', ["site.toml:2: documents.issuer: expected a non-empty text"]),
    ('[documents]\nissuer = ["UBND"]', ["site.toml:2: documents.issuer: expected a non-empty"]),
    ('[documents]\nfree_numbers = "yes"',
     ['site.toml:2: documents.free_numbers: expected true or false, got "yes"']),
    ('[documents]\nfree_number = true',
     ["site.toml:2: documents.free_number: unknown setting", "did you mean 'free_numbers'?"]),
    ('[documents]\ntypes = 1\nissuer = 2\nfree_numbers = 3',
     ["site.toml:2: documents.types:", "site.toml:3: documents.issuer:",
      "site.toml:4: documents.free_numbers:"]),
])
def test_bad_documents_settings_are_reported_at_their_line(tmp_path, text, expected):
    found = "\n".join(problems_of(tmp_path, text + "\n"))
    for line in expected:
        assert line in found, found
