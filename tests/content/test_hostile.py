"""Hostile bodies and files build or fail with a clear error within a bound, never hang."""

import time

import pytest

from phucdong_site.content import markup

GOOD = 'title: "Tin"\ndate: 2024-01-01'


@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(markup, "RENDER_SECONDS", 1.0)


@pytest.mark.parametrize("body", [
    "[" * 20000,                                   # minutes in Python-Markdown unbounded
    "[a" * 3000 + "]" * 3000,
    "<http://a" * 5000,
])
def test_pathological_brackets_fail_within_the_deadline(site, invoke, short_deadline, body):
    site.article("2024/a.md", GOOD, body=body)
    started = time.monotonic()
    result = invoke("check", str(site.root))
    assert time.monotonic() - started < 30
    assert result.code == 1
    assert "content/2024/a.md:5: body: too complex to render within 1 s" in result.err


def test_deeply_nested_lists_are_a_clear_error(site, invoke):
    site.article("2024/a.md", GOOD, body="".join("  " * i + "- x\n" for i in range(600)))
    result = invoke("check", str(site.root))
    assert result.code == 1
    assert "content/2024/a.md:5: body: nested too deeply" in result.err


@pytest.mark.parametrize("body", [
    "*" * 20000, "*a " * 20000, "`" * 20000, "> " * 1000 + "x", "**_" * 10000, "<&" * 50000,
    "| a " * 2000 + "\n" + "|---" * 2000 + "\n",
])
def test_long_runs_of_markup_characters_build(site, invoke, body):
    site.article("2024/a.md", GOOD, body=body)
    assert invoke("check", str(site.root)).code == 0


def test_a_huge_file_is_refused_without_reading_it(site, invoke):
    path = site.article("2024/a.md", GOOD)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("Phúc Đồng " * 5_000_000)     # ~55 MB
    result = invoke("check", str(site.root))
    assert result.code == 1
    assert "content/2024/a.md: file: 66.8 MB" in result.err and "is too large for an article" in result.err


def test_a_yaml_alias_bomb_is_refused(site, invoke):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8))
    site.article("2024/a.md", GOOD + "\n" + bomb)
    result = invoke("check", str(site.root))
    assert result.code == 1 and "anchors and aliases" in result.err


@pytest.mark.parametrize("value", ["9" * 6000, '"' + "9" * 6000 + '"'])
def test_a_number_too_long_for_python_is_a_clear_error(site, invoke, value):
    # Python refuses to read more than 4,300 digits as a number, with a traceback
    site.article("2024/a.md", GOOD + f"\nviews: {value}")
    result = invoke("check", str(site.root))
    assert result.code == 1 and "Traceback" not in result.err
    assert "views: \"9999" in result.err and "…\" is not a whole number" in result.err
