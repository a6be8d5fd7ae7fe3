"""A committed symbolic link must not publish a file from elsewhere on the machine (CI secrets
in /proc/self/environ, ~/.ssh, ...): static files, templates and articles are refused like
photos, with the link's path, and the previous output stays as it was."""

from __future__ import annotations

import os

import pytest

from conftest import run_cli, tree_bytes

SECRET = "SECRET-TOKEN-4f1c"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("where, expected", [
    ("static/x.txt", "static/x.txt is a link to a file outside the site; copy the file into "
                     "static/"),
    ("static/css", "static/css is a link to a file outside the site"),
    ("templates/partials/footer.html", "templates/partials/footer.html is a link to a file "
                                       "outside the site; copy the file into templates/"),
    ("content/2024/bai.md", "content/2024/bai.md: file: is a link to a file outside the site; "
                            "copy the article into content/"),
])
def test_a_link_out_of_the_site_is_refused_and_nothing_is_published(site, secret, where,
                                                                    expected):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    assert run_cli("build", str(site.root)).returncode == 0
    before = tree_bytes(site.out)
    link = site.root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(secret if where != "static/css" else secret.parent, link)
    for command in ("build", "check"):
        result = run_cli(command, str(site.root))
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert SECRET not in result.stdout + result.stderr
    assert tree_bytes(site.out) == before


def test_a_link_inside_the_site_is_still_followed(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    (site.root / "shared.txt").write_text("chung\n", encoding="utf-8")
    (site.root / "static").mkdir()
    os.symlink(site.root / "shared.txt", site.root / "static" / "chung.txt")
    result = run_cli("build", str(site.root))
    assert result.returncode == 0, result.stderr
    assert any(path.read_bytes() == b"chung\n" for path in (site.out / "static").glob("chung.*"))
