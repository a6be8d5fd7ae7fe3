"""`import` given what breaks it (issue 21, group "input"): a page whose file name is not
UTF-8, a page too large to be one, and a page that would make an article the build
refuses. Each fails alone, by name; the others are imported; nothing is left behind."""

from __future__ import annotations

import os
import shutil

from conftest import run_cli
from legacy_pages import HTML_FIXTURE, SEED

from phucdong_site.legacy.importer import MAX_PAGE_BYTES

IMPORTED = "content/imported"
SEED_ARTICLE = ("2021/ban-thuong-vu-quan-uy-long-bien-lam-viec-voi-phuong-phuc-dong-ve-"
                "nhiem-vu-trong")


def imported(site) -> list[str]:
    """Every file under content/imported/, relative to it."""
    root = site.root / IMPORTED
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                  if path.is_file())


def test_a_page_named_in_bytes_that_are_not_utf8_fails_alone(site, tmp_path):
    folder = tmp_path / "cu"
    folder.mkdir()
    shutil.copy(SEED, os.fsdecode(os.fsencode(folder) + b"/b\xe0i-c\xfb.txt"))
    shutil.copy(HTML_FIXTURE, folder / HTML_FIXTURE.name)
    result = run_cli("import", str(folder), cwd=site.root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    [failure] = [line for line in result.stderr.splitlines() if line.strip()][:1]
    assert failure.endswith("/cu/b\\xe0i-c\\xfb.txt: file: the name is not UTF-8 text (each "
                            "byte that is not is shown as \\xNN)"), result.stderr
    assert "2 pages: 1 imported, 0 skipped, 1 failed" in result.stdout
    # the seed's placeholders were never made: no photo without its article
    assert not any(name.startswith(SEED_ARTICLE) for name in imported(site)), imported(site)
    assert any(name.endswith(".md") for name in imported(site))


def test_a_page_larger_than_any_portal_page_is_refused_unread(site, tmp_path):
    big = tmp_path / "lon.txt"
    big.write_bytes(SEED.read_bytes())
    os.truncate(big, MAX_PAGE_BYTES + 1)          # sparse: no disk is spent
    result = run_cli("import", str(big), str(SEED), cwd=site.root)
    assert result.returncode == 1, result.stdout + result.stderr
    limit = MAX_PAGE_BYTES // 2**20
    assert f"lon.txt: file: {limit}.0 MB is too large for a page of the old portal (the " \
           f"limit is {limit} MB)" in result.stderr, result.stderr
    assert "2 pages: 1 imported, 0 skipped, 1 failed" in result.stdout


def test_a_page_that_would_make_an_article_build_refuses_is_not_written(site, tmp_path):
    # Within the import's bound, but its text is over the article's 2 MB: build would refuse it.
    text = SEED.read_text(encoding="utf-8")
    paragraph = text.split("\n\n")[3]
    long = tmp_path / "dai.txt"
    long.write_text(text + ("\n\n" + paragraph) * (2 * 2**20 // len(paragraph.encode())),
                    encoding="utf-8")
    result = run_cli("import", str(long), str(HTML_FIXTURE), cwd=site.root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "dai.txt: file: " in result.stderr and "too large for an article" in result.stderr
    assert "2 pages: 1 imported, 0 skipped, 1 failed" in result.stdout
    assert not any(name.startswith(SEED_ARTICLE) for name in imported(site)), imported(site)
    assert not any(name.startswith(".") or "/." in name for name in imported(site))
    built = site.build()
    assert built.returncode == 0, built.stderr


def test_what_import_writes_passes_builds_rules(site, tmp_path):
    # A title with a control character (an HTML entity the old portal kept): imported as it
    # was, the article would carry "\u0007", which check refuses.
    page = tmp_path / "chuong.html"
    page.write_text(HTML_FIXTURE.read_text(encoding="utf-8").replace(
        "news-title\">Hội nghị tổng kết", "news-title\">Hội nghị&#7; tổng kết", 1), encoding="utf-8")
    result = run_cli("import", str(page), str(SEED), cwd=site.root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "chuong.html: title: contains the control character U+0007" in result.stderr
    assert "2 pages: 1 imported, 0 skipped, 1 failed" in result.stdout
    assert all(name.startswith(SEED_ARTICLE) for name in imported(site)), imported(site)
    assert not (site.root / IMPORTED / "2020").exists()
    checked = site.check()
    assert checked.returncode == 0, checked.stderr
