"""Compiled templates kept in .cache/templates/ between builds: used while their source is
the same, compiled again when it changes or when the kept file is damaged."""

from __future__ import annotations

from conftest import REPO, tree_bytes


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_again(site):
    site.article("2024/a.md", 'title: "Bài a"\ndate: 2024-01-02 08:00')
    assert site.build().returncode == 0
    kept = sorted((site.root / ".cache" / "templates").glob("*.cache"))
    assert len(kept) >= 5                      # base, home, listing, article, partials...
    clean = tree_bytes(site.out)

    for file in kept:                          # damaged: truncated, or not Jinja's at all
        file.write_bytes(file.read_bytes()[: len(file.read_bytes()) // 2] if file == kept[0]
                         else b"not bytecode")
    for remembered in ("pages.pickle", "fresh.pickle"):    # so that every page is rendered
        (site.root / ".cache" / remembered).unlink()
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert tree_bytes(site.out) == clean


def test_an_edited_template_is_compiled_again(site):
    site.article("2024/a.md", 'title: "Bài a"\ndate: 2024-01-02 08:00')
    assert site.build().returncode == 0
    (site.root / "templates").mkdir()
    text = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    (site.root / "templates" / "article.html").write_text(
        text.replace("</article>", "<p>Mẫu của phường.</p></article>", 1), encoding="utf-8")
    assert site.build().returncode == 0
    assert "Mẫu của phường." in (site.out / "2024/01/bai-a/index.html").read_text(encoding="utf-8")
