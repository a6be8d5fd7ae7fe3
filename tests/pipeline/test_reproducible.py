"""Two clean builds of the same inputs are byte-identical, and so is a build that reuses the
cache, over the real content/ and over a generated site."""

import shutil
import sys

import pytest

from conftest import REPO, run_cli, tree_bytes

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402


def copy_real_site(dest):
    for part in ("content", "templates", "static", "site.toml"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, dest / part)


@pytest.mark.parametrize("which", ["real", "generated"])
def test_clean_and_cached_builds_are_byte_identical(which, tmp_path, monkeypatch):
    # a fixed build time: which future-dated articles are public is the one time dependence
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    site = tmp_path / "site"
    site.mkdir()
    if which == "real":
        copy_real_site(site)
    else:
        generate(site, articles=240, seed=11)   # more than MANY_PARSED: bodies saved early
    outputs = []
    for name in ("one", "two"):
        shutil.rmtree(site / ".cache", ignore_errors=True)          # clean: no cache at all
        result = run_cli("build", str(site), "-o", str(tmp_path / name), "-q")
        assert result.returncode == 0, result.stderr
        outputs.append(tree_bytes(tmp_path / name))
    result = run_cli("build", str(site), "-o", str(tmp_path / "cached"), "-q")   # cache warm
    assert result.returncode == 0, result.stderr
    outputs.append(tree_bytes(tmp_path / "cached"))
    assert len(outputs[0]) > 10
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_large_cold_build_renders_what_one_process_without_cache_renders(tmp_path):
    """A cold build that parsed many articles saves their bodies to the cache before
    rendering and reads each page's body back from there: the pages are those rendered
    straight from the parsed articles."""
    from phucdong_site.render import parallel as parallel_render
    from phucdong_site.config import load_config
    from phucdong_site.pipeline.stages import build, plan
    from phucdong_site.render import site_environment
    from phucdong_site.render.theme import static_files
    site = tmp_path / "site"
    generate(site, articles=260, seed=3)
    report = build(load_config(site, jobs=2))
    assert report.rendered == report.pages
    config = load_config(site, jobs=1)
    planned = plan(config)
    env = site_environment(config, static_files(site), planned.site, planned.index)
    articles = [page for page in planned.pages if page.template == "article.html"]
    assert len(articles) > 200
    for page, html in parallel_render.render_pages(articles, env, 1):
        assert (site / "build" / page.path).read_text(encoding="utf-8") == html, page.path
