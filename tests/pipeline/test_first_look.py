"""serve's first look: the pages of a body edit, or of a title edit that keeps the address,
rendered from the last build's plan, are the very bytes the whole build then writes; any
other edit waits for the whole build."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from conftest import REPO

from phucdong_site.config import load_config
from phucdong_site.pipeline import Warm, build

sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402


def served_site(tmp_path: Path):
    site = tmp_path / "site"
    generate(site, articles=30, seed=9)
    config = load_config(site, tmp_path / "out", base_url="http://127.0.0.1:8000/", drafts=True)
    warm = Warm()
    build(config, preview=True, warm=warm)
    article = next(path for path in sorted((site / "content").rglob("*.md"))
                   if "draft: true" not in path.read_text(encoding="utf-8")
                   and "2099-" not in path.read_text(encoding="utf-8"))
    return config, warm, article


def rewrite(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def test_a_body_edit_is_shown_first_as_the_build_then_writes_it(tmp_path):
    config, warm, article = served_site(tmp_path)
    for edit in ("Đoạn mở đầu đã sửa.\n\n", "Đoạn thêm ở cuối bài.\n"):
        text = article.read_text(encoding="utf-8")
        if edit.endswith("\n\n"):    # the first paragraph: the summary changes with it
            head, body = text.split("---\n\n", 1)
            article.write_text(f"{head}---\n\n{edit}{body}", encoding="utf-8")
        else:
            article.write_text(text + edit, encoding="utf-8")
        pages = warm.first_look(config, [article.relative_to(config.site_dir)])
        assert pages and all(edit.strip().encode() in page for page in pages.values())
        build(config, preview=True, warm=warm)
        for path, page in pages.items():
            assert (config.output_dir / path).read_bytes() == page


def test_a_title_edit_that_keeps_the_address_is_shown_first_as_the_build_then_writes_it(
        tmp_path):
    config, warm, article = served_site(tmp_path)
    # a fixed address, and an old one whose redirect page names the title too
    rewrite(article, r"^title: ", "slug: dia-chi-giu-nguyen\naliases: [/tin-cu/bai-1.html]\n"
            "title: ")
    build(config, preview=True, warm=warm)
    for title in ("Tiêu đề đã sửa lần một", "Tiêu đề: sửa lần hai, có dấu hai chấm"):
        rewrite(article, r"^title: .*$", f'title: "{title}"')
        pages = warm.first_look(config, [article.relative_to(config.site_dir)])
        assert pages is not None and len(pages) == 2 and "tin-cu/bai-1.html" in pages
        assert any(path.endswith("/dia-chi-giu-nguyen/index.html") for path in pages), pages
        assert all(title.encode() in page for page in pages.values())
        report = build(config, preview=True, warm=warm)
        assert report.rendered > len(pages)     # its listings and neighbours follow
        for path, page in pages.items():
            assert (config.output_dir / path).read_bytes() == page, path


def test_articles_edited_together_show_each_other_new_on_the_pages_shown_first(tmp_path):
    config, warm, _article = served_site(tmp_path)
    # an article, its older neighbour, and one of its related articles, edited in one save
    page = next(page for page in warm.last.pages if page.template == "article.html"
                and page.context["older"] and page.context["related"]
                and page.context["related"][0] is not page.context["older"])
    together = (page.context["article"], page.context["older"], page.context["related"][0])
    for article in together:             # their addresses stay when their titles change
        rewrite(config.site_dir / article.source, r"^title: ",
                f"slug: {article.slug}\ntitle: ")
    build(config, preview=True, warm=warm)
    titles = [f"Tiêu đề mới của bài {number}" for number in range(len(together))]
    for article, title in zip(together, titles):
        rewrite(config.site_dir / article.source, r"^title: .*$", f'title: "{title}"')
    pages = warm.first_look(config, [article.source for article in together])
    assert pages is not None
    own = next(html for path, html in pages.items() if path.startswith(together[0].url))
    assert all(title.encode() in own for title in titles)   # its neighbour and related too
    build(config, preview=True, warm=warm)
    for path, html in pages.items():
        assert (config.output_dir / path).read_bytes() == html, path


def test_any_other_edit_waits_for_the_whole_build(tmp_path):
    config, warm, article = served_site(tmp_path)
    relative = article.relative_to(config.site_dir)
    rewrite(article, r"^title: .*$", 'title: "Tiêu đề đã sửa"')
    assert warm.first_look(config, [relative]) is None      # its address follows its title
    build(config, preview=True, warm=warm)
    rewrite(article, r"^date: .*$", "date: 2020-02-29 07:30")
    assert warm.first_look(config, [relative]) is None
    build(config, preview=True, warm=warm)
    new = config.site_dir / "content" / "2021" / "bai-moi.md"
    new.write_text("---\ntitle: Bài mới\ndate: 2021-06-01 09:00\n---\n\nNội dung.\n",
                   encoding="utf-8")
    assert warm.first_look(config, [new.relative_to(config.site_dir)]) is None
    rewrite(article, r"^title: .*$", "title: Hỏng: YAML")          # broken: the build tells
    assert warm.first_look(config, [relative]) is None
    other = load_config(config.site_dir, config.output_dir, base_url="http://127.0.0.1:9/",
                        drafts=True)
    assert warm.first_look(other, [relative]) is None               # another config
