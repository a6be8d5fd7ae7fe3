"""A template that fails while it renders is reported at its file and line, once per mistake,
with how many pages it stopped: never as an internal error, never with a traceback."""

import re

import pytest
from conftest import run_cli, tree_bytes

from phucdong_site.render import default_theme_dir

GOOD = 'title: "Hội nghị tổng kết"\ndate: 2024-05-01 08:30'


def article_template(site, line: str, name: str = "article.html") -> None:
    """templates/NAME: the theme's base, LINE at line 3 of the main block."""
    folder = site.root / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text('{% extends "base.html" %}\n{% block main %}\n' + line
                               + '\n{% endblock %}\n', encoding="utf-8")


def failed_build(site, invoke, *args: str) -> list[str]:
    """The build's problem lines (its stderr), having checked that it failed cleanly and
    left the previous output as it was."""
    before = tree_bytes(site.out)
    result = invoke("build", str(site.root), *args)
    assert result.code == 1, result.err
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert tree_bytes(site.out) == before
    return result.err.splitlines()


@pytest.mark.parametrize("line, says", [
    ("{{ 1 / 0 }}", "division by zero"),
    ("{{ article.title.nope() }}", "has no attribute 'nope'"),
    ('{% include "missing.html" %}', "missing.html does not exist"),
    ("{{ article.title + 1 }}", "can only concatenate str"),
    ("{{ article.published.replace(year=0) }}", "year 0 is out of range"),
])
def test_a_template_that_raises_names_its_file_and_line(site, invoke, line, says):
    site.article("2024/a.md", GOOD)
    assert invoke("build", str(site.root)).code == 0
    article_template(site, line)
    lines = failed_build(site, invoke)
    assert lines[0].startswith("templates/article.html:3: template: "), lines
    assert says in lines[0]
    assert lines[0].endswith("(while rendering content/2024/a.md)")
    assert lines[1:] == ["1 problem found"]


@pytest.mark.parametrize("template", [
    '{% include "article.html" %}',
    '{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{{ again(0) }}',
])
def test_a_template_that_includes_or_calls_itself_is_reported_not_a_crash(site, invoke,
                                                                         template):
    site.article("2024/a.md", GOOD)
    assert invoke("build", str(site.root)).code == 0
    article_template(site, template)
    lines = failed_build(site, invoke)
    assert lines[0].startswith("templates/article.html:3: template: "), lines
    assert "includes or calls itself without end" in lines[0]
    assert lines[1:] == ["1 problem found"]


def test_two_templates_that_include_each_other_are_reported(site, invoke):
    site.article("2024/a.md", GOOD)
    assert invoke("build", str(site.root)).code == 0
    article_template(site, '{% include "partials/loop.html" %}')
    (site.root / "templates" / "partials").mkdir()
    (site.root / "templates" / "partials" / "loop.html").write_text(
        'Vòng\n{% include "article.html" %}\n', encoding="utf-8")
    lines = failed_build(site, invoke)
    assert lines[0].startswith(("templates/article.html:3: template: ",
                                "templates/partials/loop.html:2: template: ")), lines
    assert "includes or calls itself without end" in lines[0]
    assert lines[1:] == ["1 problem found"]


def test_a_failing_theme_template_is_named_by_its_own_path(site, invoke):
    """The site's template hands the theme's breadcrumbs a number: the theme's file fails,
    and is named where it is (the site has no templates/partials/breadcrumbs.html)."""
    site.article("2024/a.md", GOOD)
    assert invoke("build", str(site.root)).code == 0
    article_template(site, '{% with breadcrumbs = 5 %}{% include "partials/breadcrumbs.html" %}'
                           '{% endwith %}')
    lines = failed_build(site, invoke)
    theme = default_theme_dir("templates") / "partials" / "breadcrumbs.html"
    assert lines[0].startswith(f"{theme.as_posix()}:3: template: "), lines
    assert "not iterable" in lines[0]


def test_one_bad_line_is_reported_once_with_the_pages_it_stopped(site, invoke):
    for number in range(7):
        site.article(f"2024/bai-{number}.md", f'title: "Tin {number}"\ndate: 2024-05-0{number + 1}')
    assert invoke("build", str(site.root)).code == 0
    article_template(site, "{{ article.title.nope() }}")
    lines = failed_build(site, invoke)
    assert len(lines) == 2, lines
    assert lines[0].startswith("templates/article.html:3: template: ")
    assert re.search(r"\(on 7 pages, the first while rendering content/2024/bai-\d\.md\)$",
                     lines[0]), lines
    assert lines[1] == "1 problem found"


def test_a_bad_line_in_the_base_is_reported_once_for_every_page(site, invoke):
    """Every page the build renders extends base.html: one problem, counting them all."""
    for number in range(4):
        site.article(f"2024/bai-{number}.md", f'title: "Tin {number}"\ndate: 2024-05-0{number + 1}')
    assert invoke("build", str(site.root)).code == 0
    (site.root / "templates").mkdir()
    theme_base = (default_theme_dir("templates") / "base.html").read_text(encoding="utf-8")
    (site.root / "templates" / "base.html").write_text("{{ 1 / 0 }}\n" + theme_base,
                                                       encoding="utf-8")
    pages = len(list(site.out.rglob("*.html")))
    lines = failed_build(site, invoke)
    assert len(lines) == 2, lines
    assert lines[0].startswith("templates/base.html:1: template: division by zero (on ")
    stopped = re.search(r"\(on (\d+) pages, the first while rendering content/2024/bai-\d\.md\)$",
                        lines[0])
    assert stopped and int(stopped[1]) == pages, (lines, pages)
    assert lines[1] == "1 problem found"


def test_render_workers_report_a_recursion_once_not_a_crash(site):
    """Over two worker processes (enough pages for them), an endless include is reported as
    one problem with every page it stopped, as in one process."""
    for number in range(420):
        site.article(f"2024/bai-{number:03d}.md",
                     f'title: "Tin số {number}"\ndate: 2024-05-01 08:{number % 60:02d}')
    article_template(site, '{% include "article.html" %}')
    reports = []
    for jobs in ("1", "2"):
        result = run_cli("build", str(site.root), "--jobs", jobs, timeout=600)
        assert result.returncode == 1
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        reports.append(result.stderr)
    assert reports[0] == reports[1]
    lines = reports[0].splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("templates/article.html:3: template: ")
    assert "includes or calls itself without end" in lines[0]
    assert re.search(r"\(on 420 pages, the first while rendering content/2024/bai-\d+\.md\)$",
                     lines[0]), lines
    assert not site.out.exists()
