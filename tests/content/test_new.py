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
    assert "# photos:" in text and "#   - src: photos/" in text     # commented example
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
