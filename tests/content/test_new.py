"""`new`: a complete draft article, dated now in the site's time zone, never overwriting."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import run_cli


def test_new_creates_a_complete_draft_that_builds(site):
    before = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    result = run_cli("new", "Hội nghị: tổng kết \"công tác\" năm 2024", cwd=site.root)
    assert result.returncode == 0, result.stderr
    path = site.root / result.stdout.strip()
    assert path.name == "hoi-nghi-tong-ket-cong-tac-nam-2024.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Hội nghị: tổng kết \\"công tác\\" năm 2024"' in text
    assert "views: 0" in text and "draft: true" in text
    assert "#photos:" in text and "#  - src: photos/" in text     # commented example
    stamp = re.search(r"^date: (\d{4}-\d\d-\d\d \d\d:\d\d)$", text, re.M).group(1)
    written = datetime.strptime(stamp, "%Y-%m-%d %H:%M").replace(
        tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert timedelta(minutes=-1) <= written - before <= timedelta(minutes=2)
    assert path.parent == site.content / f"{written:%Y}"

    # A draft: left out of a normal build, shown with --drafts, with the title as written.
    assert site.build().returncode == 0
    assert not list(site.out.rglob("hoi-nghi-tong-ket-cong-tac-nam-2024"))
    assert site.build("--drafts").returncode == 0
    page = next(site.out.rglob("hoi-nghi-tong-ket-cong-tac-nam-2024/index.html"))
    assert "Hội nghị: tổng kết &#34;công tác&#34; năm 2024" in page.read_text()


def test_new_refuses_to_overwrite_an_article(site):
    first = run_cli("new", "Tin mới", "--site", str(site.root))
    assert first.returncode == 0, first.stderr
    path = site.root / first.stdout.strip()      # printed as given: here an absolute path
    path.write_text(path.read_text(encoding="utf-8") + "Bài đã viết.\n", encoding="utf-8")
    again = run_cli("new", "Tin mới", str(site.root))
    assert again.returncode == 1
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    assert path.read_text(encoding="utf-8").endswith("Bài đã viết.\n")


def test_new_rejects_a_title_without_letters(site):
    result = run_cli("new", " !!! ", cwd=site.root)
    assert result.returncode == 2
    assert "no letters or digits" in result.stderr
    assert not list(site.content.rglob("*.md"))


def test_the_photo_example_uncommented_as_the_template_says_passes_check(site):
    """The template says: delete the # at the start of the three lines below it."""
    path = site.root / run_cli("new", "Ra quân tổng vệ sinh", cwd=site.root).stdout.strip()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "xóa dấu # ở đầu ba dòng" in line)
    example = [i for i in range(at + 1, len(lines)) if lines[i].startswith("#")][1:4]
    assert [lines[i].split(":")[0] for i in example] == ["#photos", "#  - src", "#    caption"]
    for i in example:
        lines[i] = lines[i][1:]
    path.write_text("".join(lines), encoding="utf-8")
    src = re.search(r"src: (\S+)", "".join(lines)).group(1)
    site.photo(src)                  # the example's photo, where the example says it is
    result = run_cli("check", "--drafts", cwd=site.root)
    assert result.returncode == 0, result.stderr
    page = run_cli("build", "--drafts", cwd=site.root)
    assert page.returncode == 0, page.stderr
    html = next(site.out.rglob("ra-quan-tong-ve-sinh/index.html")).read_text(encoding="utf-8")
    assert "Chú thích ảnh" in html


def test_new_from_inside_content_writes_into_the_sites_content(site):
    (site.content / "2024").mkdir(parents=True)
    result = run_cli("new", "Tin từ thư mục con", cwd=site.content / "2024")
    assert result.returncode == 0, result.stderr
    written = (site.content / "2024" / result.stdout.strip()).resolve()
    assert written.parent.parent == site.content.resolve()
    assert not (site.content / "content").exists()
    assert not (site.content / "2024" / "content").exists()


def test_new_with_a_title_that_is_not_utf8_leaves_nothing_behind(site):
    # Bytes a Windows-1258 terminal would send for "Hội nghị": not UTF-8.
    title = b"H\xf4i ngh\xd2".decode("utf-8", "surrogateescape")
    result = run_cli("new", title, cwd=site.root)
    assert result.returncode == 2
    assert "UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert not site.content.exists() or not any(site.content.rglob("*"))
