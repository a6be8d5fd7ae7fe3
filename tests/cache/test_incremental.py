"""A rebuild that reuses the build cache (.cache/: parsed articles, rendered pages, the
previous output's files) equals a clean build, byte for byte, after every kind of edit."""
import errno
import hashlib
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, folders_in, run_cli, tree_bytes

from phucdong_site.cache.articles import ArticleCache
from phucdong_site.config import load_config
from phucdong_site.content.article import parse_article
from phucdong_site.errors import ContentError
from phucdong_site.output import Staging
from phucdong_site.pipeline.stages import build

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402


def first_article_with(site: Path, needle: str) -> Path:
    return next(path for path in sorted((site / "content").rglob("*.md"))
                if needle in path.read_text(encoding="utf-8") and "draft: true" not in
                path.read_text(encoding="utf-8") and "2099-" not in path.read_text(encoding="utf-8"))


def replace_in(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    assert changed != text, (path, pattern)
    path.write_text(changed, encoding="utf-8")


def edit_body(site):
    path = first_article_with(site, "title:")
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn mới về vệ sinh môi trường.\n",
                    encoding="utf-8")


def edit_title(site):
    replace_in(first_article_with(site, "title:"), r"^title: .*$", 'title: "Tiêu đề đã sửa"')


def edit_date(site):
    replace_in(first_article_with(site, "date:"), r"^date: .*$", "date: 2020-02-29 07:30")


def edit_tags(site):
    replace_in(first_article_with(site, "tags:"), r"^tags: .*$", "tags: [tiêm chủng, thẻ mới]")


def edit_photo(site):
    photo = next(iter(sorted((site / "content" / "photos").glob("*.jpg"))))
    with Image.open(photo) as image:
        size = image.size
    Image.new("RGB", size, (200, 30, 60)).save(photo, "JPEG", quality=80)


def edit_template(site):
    (site / "templates").mkdir(exist_ok=True)
    text = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    (site / "templates" / "article.html").write_text(
        text.replace("</article>", "<p>Mẫu đã sửa.</p></article>", 1), encoding="utf-8")


def edit_config(site):
    replace_in(site / "site.toml", r"^name = .*$", 'name = "Phường Phúc Đồng (sửa)"')


def delete_article(site):
    first_article_with(site, "title:").unlink()


def add_article(site):
    (site / "content" / "2021" / "bai-moi.md").write_text(
        "---\ntitle: Bài mới về đô thị văn minh\ndate: 2021-06-01 09:00\n"
        "category: tin-tuc-su-kien\ntags: [đô thị]\n---\n\nNội dung bài mới.\n", encoding="utf-8")


def add_page(site):
    page = site / "content" / "trang" / "gioi-thieu.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("---\ntitle: Giới thiệu\nupdated: 2024-01-02\n---\n\nVề phường.\n",
                    encoding="utf-8")


def edit_page(site):
    replace_in(site / "content" / "trang" / "gioi-thieu.md", r"^title: .*$",
               "title: Giới thiệu chung")


def expire_article(site):
    replace_in(first_article_with(site, "date:"), r"^(date: .*)$", r"\1\nexpires: 2024-01-01")


EDITS = [edit_body, edit_title, edit_date, edit_tags, edit_photo, edit_template, edit_config,
         delete_article, add_article, add_page, edit_page, expire_article]


def clean_build(site: Path, where: Path) -> dict[str, bytes]:
    """The site built from scratch: a copy without .cache/ or a previous output."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".cache", "build"))
    result = run_cli("build", str(where), "-q", timeout=300)
    assert result.returncode == 0, result.stderr
    return tree_bytes(where / "build")


def test_incremental_build_equals_clean_build_after_each_kind_of_edit(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=120, seed=11)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    assert (site / ".cache" / "articles").is_dir()
    unchanged = tree_bytes(site / "build")
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    assert tree_bytes(site / "build") == unchanged
    for edit in EDITS:
        edit(site)
        result = run_cli("build", str(site), "-q", timeout=300)
        assert result.returncode == 0, (edit.__name__, result.stderr)
        incremental = tree_bytes(site / "build")
        clean = clean_build(site, tmp_path / "clean")
        assert incremental.keys() == clean.keys(), edit.__name__
        differing = [name for name in clean if incremental[name] != clean[name]]
        assert differing == [], (edit.__name__, differing[:5])
        assert incremental != unchanged, f"{edit.__name__} changed nothing in the output"
        unchanged = incremental
        # The cache keeps the search fragment files its entries name, no more.
        entries = ArticleCache(load_config(site)).entries.values()
        assert {file.name for file in (site / ".cache" / "fragments").iterdir()} == {
            f"{entry.search[0]}.json" for entry in entries}


def settle(site: Path) -> None:
    """Date every file a minute back: the cache keeps only files older than 2 s."""
    for file in site.rglob("*"):
        os.utime(file, (time.time() - 60, time.time() - 60))


def test_damaged_cache_files_are_rebuilt_not_used(tmp_path):
    site = tmp_path / "site"
    generate(site, articles=40, seed=3)
    settle(site)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    expected = tree_bytes(site / "build")
    shards = sorted((site / ".cache" / "articles").glob("*.pickle"))
    assert shards
    shards[0].write_bytes(shards[0].read_bytes()[:-40])           # truncated
    data = bytearray(shards[1].read_bytes())
    data[-10] ^= 0xFF                                             # one bit rotten
    shards[1].write_bytes(bytes(data))
    shards[2].write_bytes(b"not a cache file at all")             # foreign
    (site / ".cache" / "pages.pickle").write_bytes(b"\x80\x05garbage")
    # Articles' bodies are kept beside their shards, read when a page needs one.
    bodies = sorted((site / ".cache" / "articles").glob("*.bodies"))
    bodies[3].unlink()                                            # gone
    bodies[4].write_bytes(bodies[4].read_bytes()[:-100])          # cut short
    # An output file changed behind the tool's back is rendered again, not republished.
    page = next((site / "build").rglob("*/index.html"))
    page.write_text("tampered", encoding="utf-8")
    # Search fragments are published as links of cache files: edited through the output
    # (in place, so the cache's file too), edited in the cache, deleted from the cache.
    fragments = sorted((site / ".cache" / "fragments").iterdir())
    assert len(fragments) == 40
    with open(site / "build" / "tim-kiem" / "chi-muc" / "f" / "0.json", "r+b") as file:
        file.write(b"{}")
    fragments[1].write_text("[]", encoding="utf-8")
    fragments[2].unlink()
    result = run_cli("build", str(site), "-q", timeout=300)
    assert result.returncode == 0 and result.stderr == ""      # quietly rebuilt
    assert tree_bytes(site / "build") == expected
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    assert tree_bytes(site / "build") == expected


def test_the_kept_previous_output_is_staged_in_again_whatever_it_holds(tmp_path):
    """.build.previous is where the next build stages: whatever was done to it, the build
    that reuses it publishes exactly a clean build, and never touches the live output."""
    site = tmp_path / "site"
    generate(site, articles=30, seed=5)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    edit_title(site)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    previous = site / ".build.previous"
    assert (previous / "index.html").is_file()
    live_before = {p: (p.stat().st_ino, p.read_bytes()) for p in (site / "build").rglob("*")
                   if p.is_file()}
    page = next(p for p in sorted(previous.rglob("index.html")) if p.parent != previous)
    folder = page.parent
    shutil.rmtree(folder)
    folder.write_text("a file where a folder was")                 # file in a folder's place
    (previous / "rss.xml").unlink()
    (previous / "rss.xml").mkdir()                                 # folder in a file's place
    (previous / "stray.html").write_text("not built by this build")
    (previous / "tin-tuc" / ".index.html.new").write_text("a killed build's half file")
    (previous / "link.html").symlink_to(site / "site.toml")
    edit_body(site)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    clean = clean_build(site, tmp_path / "clean")
    assert tree_bytes(site / "build") == clean
    # the output it replaced, kept as the next previous, is the one published before
    assert {p: (p.stat().st_ino, p.read_bytes()) for p in previous.rglob("*") if p.is_file()} \
        == {previous / p.relative_to(site / "build"): v for p, v in live_before.items()}


def test_a_build_stopped_by_a_content_error_leaves_the_output_before_last_to_the_next(
        tmp_path):
    """A build that stops on an editor's mistake while staging (here a root/ file on the
    sitemap, found once every page is staged) leaves the live output as it was, and the
    folder it staged in as .build.previous: the build after the fix stages there, not in
    a new folder, and publishes exactly a clean build."""
    site = tmp_path / "site"
    generate(site, articles=30, seed=5)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    edit_title(site)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    live = tree_bytes(site / "build")
    edit_body(site)
    (site / "root").mkdir()
    (site / "root" / "sitemap.xml").write_text("<urlset/>")
    failed = run_cli("build", str(site), "-q", timeout=300)
    assert failed.returncode == 1 and "sitemap.xml" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert tree_bytes(site / "build") == live
    previous = site / ".build.previous"
    assert previous.is_dir()
    folder = previous.stat().st_ino
    (site / "root" / "sitemap.xml").unlink()
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    assert (site / "build").stat().st_ino == folder
    assert tree_bytes(site / "build") == clean_build(site, tmp_path / "clean")


def test_a_page_not_found_in_the_output_makes_no_folder_where_it_would_go(tmp_path):
    """A folder is made for a file only as the file goes in: a build stopped between a
    page's failed reuse and its render would otherwise leave an empty folder in the folder
    it keeps for the next build, which knows that folder only by its files."""
    with Staging(tmp_path / "build") as staging:
        assert staging.reuse("2024/05/bai-moi/index.html", "0" * 64) is None
        assert not (staging.path / "2024").exists()
        staging.write_text("2024/05/bai-moi/index.html", "<!DOCTYPE html>")
        staging.commit()
    assert (tmp_path / "build" / "2024/05/bai-moi/index.html").is_file()


def test_a_build_stopped_after_a_refused_link_keeps_no_empty_folder(tmp_path, monkeypatch):
    """A page whose reuse failed at the link (a filesystem without hard links) and whose
    build then stopped for a mistake leaves no folder in the folder kept for the next
    build: the record of that folder knows files only, and the folder would be published
    empty once the page's article is gone."""
    out = tmp_path / "build"
    for pages in (["index.html"], ["index.html", "2024/05/bai-moi/index.html"]):
        with Staging(out) as staging:
            for page in pages:
                staging.write_text(page, f"<!DOCTYPE html><title>{page}</title>")
            staging.commit()
    live = out / "2024/05/bai-moi/index.html"
    sha256 = hashlib.sha256(live.read_bytes()).hexdigest()

    def refused(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    with pytest.raises(ContentError), Staging(out) as staging:
        assert staging.recycled
        with monkeypatch.context() as patch:
            patch.setattr(os, "link", refused)
            assert staging.reuse("2024/05/bai-moi/index.html", sha256) is None
        raise ContentError(Path("content/2024/bai.md"), 2, "date: a mistake")
    previous = tmp_path / ".build.previous"
    assert folders_in(previous) == []
    with Staging(out) as staging:
        staging.write_text("index.html", "<!DOCTYPE html><title>index.html</title>")
        staging.commit()
    assert folders_in(out) == []


def test_the_article_cache_serves_a_site_named_by_another_path(tmp_path):
    """`build` run from inside the site and `build /abs/path` share one cache."""
    site = tmp_path / "site"
    generate(site, articles=5, seed=7)
    settle(site)
    assert run_cli("build", ".", "-q", cwd=site).returncode == 0
    cache = ArticleCache(load_config(site.resolve()))
    paths = sorted((site / "content").rglob("*.md"))
    assert paths and all(cache.lookup(path.resolve())[0] is not None for path in paths)


def test_links_between_articles_are_kept_by_rebuilds_from_the_cache(tmp_path):
    """A body link to another article's .md file points at its page, whether the linking
    article was parsed this time or read back from the cache (its body not even loaded)."""
    site = tmp_path / "site"
    generate(site, articles=30, seed=9)
    articles = sorted((site / "content").rglob("*.md"))
    source, target = articles[4], articles[20]
    link = os.path.relpath(target, source.parent)
    source.write_text(source.read_text(encoding="utf-8") + f"\nXem thêm [bài này]({link}).\n",
                      encoding="utf-8")
    settle(site)
    for edit in (None, edit_body, edit_title):
        if edit is not None:
            edit(site)
        assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
        built = tree_bytes(site / "build")
        assert built == clean_build(site, tmp_path / "clean")
        hrefs = [match.group(1) for page in built.values()
                 for match in re.finditer(r'href="([^"]*)"[^>]*>bài này</a>',
                                          page.decode("utf-8", "replace"))]
        assert len(hrefs) == 1 and hrefs[0].endswith("/") and ".md" not in hrefs[0], hrefs


def test_unchanged_pages_are_kept_whatever_the_jobs_and_spelling_of_the_site(
        tmp_path, monkeypatch):
    """--jobs, or naming the site by another path, changes no page: an edit still renders
    only the pages it changes."""
    site = tmp_path / "site"
    generate(site, articles=30, seed=4)
    settle(site)
    first = build(load_config(site.resolve(), jobs=1))
    assert first.rendered == first.pages
    monkeypatch.chdir(site)
    for named, jobs in ((Path("."), 2), (site.resolve(), None)):
        edit_body(site)
        again = build(load_config(named, jobs=jobs))
        assert 0 < again.rendered < again.pages / 4, (named, jobs, again.rendered)


def test_a_loaded_cache_still_reads_its_bodies_once_another_build_replaced_them(tmp_path):
    """serve and build share .cache/: a build that rewrites the bodies files (and removes
    the old ones) must not take the bodies from under one that loaded them before."""
    site = tmp_path / "site"
    generate(site, articles=12, seed=2)
    settle(site)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    config = load_config(site)
    loaded = ArticleCache(config)
    expected = {key: parse_article(site / key, config).body_html for key in loaded.entries}
    old_files = set((site / ".cache" / "articles").glob("*.bodies"))
    for path in sorted((site / "content").rglob("*.md")):
        path.write_text(path.read_text(encoding="utf-8") + "\nĐoạn mới.\n", encoding="utf-8")
    settle(site)
    assert run_cli("build", str(site), "-q", timeout=300).returncode == 0
    assert old_files and not old_files & set((site / ".cache" / "articles").glob("*.bodies"))
    assert {key: entry.article.body_html for key, entry in loaded.entries.items()} == expected
