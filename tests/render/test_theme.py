"""The default theme is the repository's templates/ and static/ in a checkout (the wheel
carries them inside the package), wherever in the package theme.py sits."""

from conftest import REPO

from phucdong_site.render import default_theme_dir, static_files


def test_the_default_theme_is_the_checkouts_own():
    assert default_theme_dir("templates") == REPO / "templates"
    assert default_theme_dir("static") == REPO / "static"
    assert (default_theme_dir("templates") / "base.html").is_file()


def test_the_search_service_worker_is_a_static_file_at_its_fixed_path(tmp_path):
    statics = static_files(tmp_path)
    worker = statics["fixed:tim-kiem/sw.js"]
    assert worker.output_path == "tim-kiem/sw.js"
    assert worker.source == statics["js/search-sw.js"].source


def test_a_sites_own_static_file_at_that_path_is_not_taken_for_it(tmp_path):
    (tmp_path / "static" / "tim-kiem").mkdir(parents=True)
    (tmp_path / "static" / "tim-kiem" / "sw.js").write_text("// the site's own\n")
    statics = static_files(tmp_path)
    assert statics["tim-kiem/sw.js"].output_path.startswith("static/tim-kiem/sw.")
    assert statics["fixed:tim-kiem/sw.js"].output_path == "tim-kiem/sw.js"
