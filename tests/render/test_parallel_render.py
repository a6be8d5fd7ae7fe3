"""Rendering over several processes gives what one process gives, errors included."""
import sys

import pytest

from conftest import REPO

from phucdong_site.render import parallel as parallel_render
from phucdong_site.config import load_config
from phucdong_site.errors import ErrorList
from phucdong_site.pipeline.stages import plan
from phucdong_site.render import site_environment
from phucdong_site.render.theme import static_files

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402


@pytest.fixture(scope="module")
def planned_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    generate(root, articles=300, seed=5)
    config = load_config(root, jobs=2)
    planned = plan(config)
    assert len(planned.pages) >= 2 * parallel_render.MIN_PER_WORKER      # the pool is used
    return config, planned


def rendered(config, planned, jobs):
    env = site_environment(config, static_files(config.site_dir), planned.site, planned.index)
    return {page.path: html for page, html in
            parallel_render.render_pages(planned.pages, env, jobs)}


def test_two_processes_render_every_page_as_one_does(planned_site):
    config, planned = planned_site
    alone = rendered(config, planned, 1)
    assert len(alone) == len(planned.pages)
    assert rendered(config, planned, 2) == alone


def test_template_errors_in_the_workers_are_those_of_one_process(planned_site):
    config, planned = planned_site
    templates = config.site_dir / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ article.no_such_field }}\n'
        '{% endblock %}\n', encoding="utf-8")
    problems = []
    try:
        for jobs in (1, 2):
            with pytest.raises(ErrorList) as raised:
                rendered(config, planned, jobs)
            problems.append(sorted(map(str, raised.value.errors)))
    finally:
        (templates / "article.html").unlink()
        templates.rmdir()
    assert problems[0] == problems[1]
    assert problems[0][0].startswith("templates/article.html:3: template:")
