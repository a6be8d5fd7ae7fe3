"""site.toml settings that would break every page (issue 21, group "input"): a base_url
no link can be built on, a default_category that is not a category."""

from __future__ import annotations

import json

import pytest
from conftest import SITE_TOML, run_cli

from phucdong_site.config import load_config
from phucdong_site.errors import ErrorList


@pytest.mark.parametrize("value", [
    "https://phuc\\dong.gov.vn/", "https://phucdong.gov.vn/<script>/", 'https://phuc"dong.vn/',
    "https://..../", "https://-/", "https://phucdong.gov.vn/\u200bx/", "https://a_b.vn/",
    "https://phucdong.gov.vn/{x}/"])
def test_a_base_url_with_a_broken_host_or_path_is_refused(tmp_path, value):
    (tmp_path / "site.toml").write_text(f"name = \"A\"\nbase_url = {json.dumps(value)}\n",
                                        encoding="utf-8")
    with pytest.raises(ErrorList) as raised:
        load_config(tmp_path)
    assert str(raised.value).startswith("site.toml:2: base_url: expected an http(s) address")
    result = run_cli("build", str(tmp_path), "--base-url", value)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--base-url" in result.stderr
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("value", ["https://phucdong.gov.vn/", "http://phúcđồng.vn/tin/",
                                   "https://[2001:db8::1]:8443/", "https://10.0.0.1/a-b_c/"])
def test_ordinary_base_urls_pass(tmp_path, value):
    (tmp_path / "site.toml").write_text(f"base_url = {json.dumps(value)}\n", encoding="utf-8")
    assert load_config(tmp_path).base_url == value


def test_a_default_category_missing_from_categories_is_blamed_on_site_toml_once(site):
    site.root.joinpath("site.toml").write_text(
        SITE_TOML.replace('default_category = "tin-tuc-su-kien"', 'default_category = "tin"'),
        encoding="utf-8")
    for number in range(5):
        site.article(f"2021/bai-{number}.md", f'title: "Bài {number}"\ndate: 2021-01-07 18:11')
    line = next(number for number, text in enumerate(SITE_TOML.splitlines(), 1)
                if text.startswith("default_category"))
    for result in (site.check(), site.build()):
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines()[0] == (
            f'site.toml:{line}: default_category: "tin" is not one of [categories]')
        assert "content/" not in result.stderr and "1 problem found" in result.stderr


def test_the_default_default_category_must_be_a_category_too(site):
    # No default_category = line: the built-in tin-tuc-su-kien is meant, and it is missing.
    site.root.joinpath("site.toml").write_text(
        'base_url = "https://phucdong.gov.vn/"\n\n[categories]\nvan-hoa = "Văn hoá"\n',
        encoding="utf-8")
    site.article("2021/bai.md", 'title: "Bài"\ndate: 2021-01-07 18:11')
    result = site.check()
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0] == (
        'site.toml:3: categories: the default category "tin-tuc-su-kien" is not one of them')
    assert "content/" not in result.stderr
