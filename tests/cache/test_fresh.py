"""A build with nothing changed keeps the output as it is, from file stamps alone; any
change to an input, to the output, to the options or to the clock builds again."""
import os
import shutil
import time

import pytest

from conftest import run_cli, tree_bytes
from phucdong_site.cache import freshness
from phucdong_site.files import read_checked
from phucdong_site.render.theme import default_theme_dir

UNCHANGED = "nothing changed"


def settle() -> None:
    # Stamps taken within 0.1 s of an edit are not trusted (see freshness.py).
    time.sleep(0.2)


def output_state(out):
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def built(site):
    """A settled site with a photo and a tag spelled two ways, built once and recorded."""
    site.photo("anh/le-hoi.jpg", (800, 600))
    site.article("2024/a.md", 'title: "Lễ hội"\ndate: 2024-03-01 08:00\ntags: [Tổ dân phố]\n'
                 'photos:\n  - src: anh/le-hoi.jpg\n    caption: "Lễ hội"')
    site.article("2024/b.md", 'title: "Họp dân"\ndate: 2024-03-02 08:00\ntags: [tổ dân phố]')
    settle()
    first = site.build()
    assert first.returncode == 0, first.stderr
    assert UNCHANGED not in first.stdout
    return site, first


def test_a_second_build_with_nothing_changed_keeps_the_output_as_it_is(built):
    site, first = built
    before = output_state(site.out)
    again = site.build()
    assert again.returncode == 0, again.stderr
    assert UNCHANGED in again.stdout
    assert again.stdout.split(" in ")[0] == first.stdout.split(" in ")[0]   # same counts
    assert "warning" in first.stderr and again.stderr == first.stderr     # warnings repeated
    assert output_state(site.out) == before


def _same_size_edit_with_old_times(site):
    path = site.content / "2024" / "b.md"
    old = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Họp dân", "Hộp dân"),
                    encoding="utf-8")
    assert path.stat().st_size == old.st_size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))    # only ctime can tell now
    return "Hộp dân"


def _new_article(site):
    site.article("2024/c.md", 'title: "Bài mới"\ndate: 2024-03-03 08:00')
    return "Bài mới"


def _deleted_article(site):
    (site.content / "2024" / "b.md").unlink()
    return None


def _photo_replaced(site):
    site.photo("anh/le-hoi.jpg", (800, 600), color=(10, 200, 30))
    return None


def _site_template(site):
    (site.root / "templates").mkdir()
    text = (default_theme_dir("templates") / "article.html").read_text(encoding="utf-8")
    (site.root / "templates" / "article.html").write_text(
        text.replace("</article>", "<p>Mẫu riêng của phường.</p></article>", 1), encoding="utf-8")
    return "Mẫu riêng của phường."


def _config_edit(site):
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'name = "Phường Phúc Đồng"', 'name = "Phường Phúc Đồng mới"'), encoding="utf-8")
    return "Phường Phúc Đồng mới"


def _views_counted(site):
    (site.root / "data").mkdir(exist_ok=True)
    (site.root / "data" / "luot-xem.csv").write_text(
        "date,path,views\n2026-12-01,/2024/03/hop-dan/,12\n", encoding="utf-8")
    return "Lượt xem: <span class=\"views\">12</span>"


def _output_edited(site):
    page = next(site.out.rglob("hop-dan/index.html"))
    page.write_text("sửa tay", encoding="utf-8")
    return "Họp dân"


def _output_deleted(site):
    next(site.out.rglob("hop-dan/index.html")).unlink()
    return "Họp dân"


def _staging_left_by_a_killed_build(site):
    (site.root / ".build.building-99999").mkdir()
    return None


@pytest.mark.parametrize("change", [
    _same_size_edit_with_old_times, _new_article, _deleted_article, _photo_replaced,
    _site_template, _config_edit, _views_counted, _output_edited, _output_deleted,
    _staging_left_by_a_killed_build])
def test_any_change_builds_again(built, change, tmp_path):
    site, _ = built
    before = tree_bytes(site.out)
    expected_text = change(site)
    settle()
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert UNCHANGED not in result.stdout, change.__name__
    after = tree_bytes(site.out)
    if expected_text:
        assert any(expected_text.encode() in data for data in after.values())
    clean = tmp_path / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns(".cache", "build", ".build.*"))
    assert run_cli("build", str(clean), "-q").returncode == 0
    assert after == tree_bytes(clean / "build")
    if change not in (_output_edited, _output_deleted, _staging_left_by_a_killed_build):
        assert after != before
    assert not list(site.root.glob(".build.building-*"))
    # ... and the build after it, with nothing changed again, keeps it.
    assert UNCHANGED in site.build().stdout


def test_other_options_build_again(built):
    site, _ = built
    result = site.build("--base-url", "https://khac.example/")
    assert UNCHANGED not in result.stdout
    assert any(b"https://khac.example/" in data for data in tree_bytes(site.out).values())
    assert UNCHANGED not in site.build().stdout          # back to the site's own base_url


def test_an_article_whose_time_has_come_is_published(site):
    site.article("2024/now.md", 'title: "Tin hôm nay"\ndate: 2024-03-01 08:00')
    site.article("2024/later.md", 'title: "Tin hẹn giờ"\ndate: 2024-03-05 08:00')
    settle()
    before_due = {**os.environ, "SOURCE_DATE_EPOCH": "1709442000"}     # 2024-03-03
    assert run_cli("build", str(site.root), env=before_due).returncode == 0
    again = run_cli("build", str(site.root), env=before_due)
    assert UNCHANGED in again.stdout
    assert not any(b"Tin h\xe1\xba\xb9n gi\xe1\xbb\x9d" in d for d in tree_bytes(site.out).values())
    due = run_cli("build", str(site.root), env={**before_due, "SOURCE_DATE_EPOCH": "1709787600"})
    assert UNCHANGED not in due.stdout
    assert any("Tin hẹn giờ".encode() in d for d in tree_bytes(site.out).values())


def test_a_build_that_sees_a_file_just_changed_is_not_trusted_as_a_record(site):
    path = site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    # As if edited in the very clock tick of the build's scan: its stamp proves nothing.
    os.utime(path, (time.time() + 60, time.time() + 60))
    assert site.build().returncode == 0
    result = site.build()
    assert result.returncode == 0 and UNCHANGED not in result.stdout
    os.utime(path, (time.time() - 60, time.time() - 60))
    assert site.build().returncode == 0
    assert UNCHANGED in site.build().stdout


def test_the_output_is_recorded_as_a_walk_of_it_finds_it(built):
    """The record's output stamps come from the files the build wrote, not from listing
    every folder: they must be what listing the output finds."""
    site, _ = built
    for round in range(3):       # a fresh output folder, then recycled ones
        record = read_checked(site.root / ".cache" / freshness.FILE)
        walked: dict = {}
        freshness._stamp_tree(site.out.absolute(), "", walked, inputs=False)
        assert len(walked) > 10 and record.output == walked
        site.article("2024/b.md", 'title: "Họp dân"\ndate: 2024-03-02 08:00',
                     body=f"Câu mới số {round}.\n")
        settle()
        assert site.build().returncode == 0
