"""`phucdong-site views LOG...` as an editor runs it, on a generated site and a generated log
of a known mix (tests/views/logmaker.py): exactly the expected counts in data/luot-xem.csv,
nothing in it or anywhere in the site that names a visitor, and the built pages show them.
"""

from __future__ import annotations

import gzip
import hashlib
import re

from conftest import run_cli
from views.logmaker import HANOI, in_time_order, known_mix, make_site, rotated, write

from phucdong_site.content.view_counts import VIEWS_FILE, read_view_counts

SHOWN = re.compile(r"Lượt xem:\s*(?:<[^>]*>\s*)*([\d.,\s]+?)\s*<")


def shown_views(html: str) -> int:
    """The N of "Lượt xem: N" in an article page (markup around the number allowed)."""
    found = SHOWN.search(html)
    assert found, "no 'Lượt xem:' on the page"
    return int(re.sub(r"\D", "", found.group(1)))


def every_file_text(root) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in root.rglob("*") if path.is_file()}


def test_a_known_mix_gives_exactly_the_expected_counts_and_the_pages_show_them(site, tmp_path):
    pages = make_site(site)
    mix = known_mix(pages)
    older, newer = rotated(mix, tmp_path / "logs", jitter=60)
    # A rotated set given newest first: the older file's lines come second.
    result = run_cli("views", str(newer), str(older), "--site", str(site.root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr

    counts = read_view_counts(site.root, HANOI)
    assert list(counts.daily) == mix.rows()
    assert sum(views for _, _, views in counts.daily) == mix.total()
    # The spans read: both files, all their lines, hashed as they are (the .gz by content).
    assert sorted(span.lines for span in counts.spans) == sorted(
        len(gzip.decompress(path.read_bytes()).splitlines()) if path.suffix == ".gz"
        else len(path.read_bytes().splitlines()) for path in (older, newer))
    assert hashlib.sha256(newer.read_bytes()).hexdigest() in {s.sha256 for s in counts.spans}
    assert hashlib.sha256(gzip.decompress(older.read_bytes())).hexdigest() in {
        s.sha256 for s in counts.spans}
    assert counts.as_of == max(hit.when for hit in mix.hits).astimezone(HANOI).date()

    # No address and no user agent in the data file, nor anywhere else in the site folder
    # (a cache, a temporary file left behind).
    files = every_file_text(site.root)
    data = files[VIEWS_FILE.as_posix()].decode()
    for name, content in files.items():
        text = content.decode("utf-8", "replace")
        leaked = [address for address in mix.addresses() if address in text]
        leaked += [agent for agent in mix.agents() if agent in text]
        assert not leaked, f"{name} holds {leaked[:3]}"
    # Nothing but the preamble, the spans and the rows: no per-client hash either.
    for line in data.splitlines():
        assert (line.startswith("# ") or line == "date,path,views"
                or re.fullmatch(r"\d{4}-\d\d-\d\d,/[^,]*,\d+", line)), line

    # A second run over the same files counts nothing more.
    again = run_cli("views", str(older), str(newer), "--site", str(site.root))
    assert again.returncode == 0, again.stderr
    assert read_view_counts(site.root, HANOI).daily == counts.daily

    # The built article pages say front matter's views + those counted.
    built = site.build()
    assert built.returncode == 0, built.stderr
    counted: dict[str, int] = {}
    for _, path, views in counts.daily:
        counted[path] = counted.get(path, 0) + views
    for path in pages.articles:
        html = (site.out / path.strip("/") / "index.html").read_text(encoding="utf-8")
        assert shown_views(html) == pages.front_views[path] + counted[path], path


def test_run_from_inside_the_site_without_site(site, tmp_path):
    """SITE defaults to the site holding the current directory, as for build."""
    pages = make_site(site)
    mix = known_mix(pages, visitors=20)
    log = write(tmp_path / "access.log", in_time_order(mix))
    (site.content / "2026").mkdir(parents=True, exist_ok=True)
    result = run_cli("views", str(log), cwd=site.content / "2026")
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(read_view_counts(site.root, HANOI).daily) == mix.rows()
