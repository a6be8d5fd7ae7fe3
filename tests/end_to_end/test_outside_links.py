"""A committed symbolic link must not publish a file from elsewhere on the machine (CI secrets
in /proc/self/environ, ~/.ssh, ...): static files, templates and articles are refused like
photos, with the link's path, and the previous output stays as it was."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from conftest import run_cli, tree_bytes

SECRET = "SECRET-TOKEN-4f1c"


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("where, expected", [
    ("static/x.txt", "static/x.txt is a link to a file outside static/; copy the file into "
                     "static/"),
    ("static/css", "static/css is a link to a folder outside static/; copy its files into "
                   "static/"),
    ("templates/partials/footer.html", "templates/partials/footer.html is a link to a file "
                                       "outside templates/; copy the file into templates/"),
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


def test_a_link_within_its_folder_is_still_followed(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    (site.root / "static" / "chung").mkdir(parents=True)
    (site.root / "static" / "chung" / "goc.txt").write_text("chung\n", encoding="utf-8")
    os.symlink(site.root / "static" / "chung" / "goc.txt", site.root / "static" / "chung.txt")
    result = run_cli("build", str(site.root))
    assert result.returncode == 0, result.stderr
    assert any(path.read_bytes() == b"chung\n" for path in (site.out / "static").glob("chung.*"))


@pytest.mark.parametrize("folder", ["static", "root", "templates"])
def test_a_link_to_a_hidden_file_of_the_site_is_refused(site, folder):
    """.git/config holds CI's token, .env the site's secrets: inside the site, yet never to
    be published through a link in static/, root/ or templates/."""
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    (site.root / ".git").mkdir(exist_ok=True)
    (site.root / ".git" / "config").write_text(f"token = {SECRET}\n", encoding="utf-8")
    name = "partials/footer.html" if folder == "templates" else "leak.txt"
    link = site.root / folder / name
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(site.root / ".git" / "config", link)
    result = run_cli("build", str(site.root))
    assert result.returncode == 1, result.stdout
    assert f"{folder}/{name} is a link to a file outside {folder}/" in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert not site.out.exists() or not any(
        SECRET.encode() in path.read_bytes() for path in site.out.rglob("*") if path.is_file())


def outside_folder(tmp_path, kind: str):
    """A folder outside the site holding a file of KIND that carries the secret."""
    folder = tmp_path / "outside" / kind
    if kind in ("static", "root"):
        (folder / "x.txt").parent.mkdir(parents=True)
        (folder / "x.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    elif kind == "templates":
        (folder / "partials").mkdir(parents=True)
        (folder / "partials" / "footer.html").write_text(f"{SECRET}\n", encoding="utf-8")
    else:                        # content, or one of its folders: a file to publish
        name = {"van-ban": "2024/01-tb-ubnd.md", "trang": "bi-mat.md"}.get(kind, "2024/bi-mat.md")
        (folder / name).parent.mkdir(parents=True)
        front = ('title: "Bí mật"\ndate: 2024-01-02' if kind not in ("van-ban", "trang")
                 else 'title: "Bí mật"')
        (folder / name).write_text(f"---\n{front}\n---\n\n{SECRET}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("where, expected", [
    ("static", "static is a link to a folder outside the site; copy its files into static/"),
    ("templates", "templates is a link to a folder outside the site; copy its files into "
                  "templates/"),
    ("root", "root is a link to a folder outside the site; copy its files into root/"),
    ("content/trang", "content/trang/bi-mat.md: file: is a link to a file outside the site"),
    ("content/van-ban", "content/van-ban/2024/01-tb-ubnd.md: file: is a link to a file "
                        "outside the site"),
    ("content", "content/2024/bi-mat.md: file: is a link to a file outside the site"),
])
def test_a_linked_folder_out_of_the_site_is_refused_and_nothing_is_published(
        site, tmp_path, where, expected):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    assert run_cli("build", str(site.root)).returncode == 0
    before = tree_bytes(site.out)
    folder = outside_folder(tmp_path, where.rsplit("/", 1)[-1])
    link = site.root / where
    if where == "content":       # the site's articles move out with it
        (site.content / "2024" / "a.md").rename(folder / "2024" / "a.md")
        (site.content / "2024").rmdir()
        site.content.rmdir()
    os.symlink(folder, link)
    for command in ("build", "check"):
        result = run_cli(command, str(site.root))
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert SECRET not in result.stdout + result.stderr
    assert tree_bytes(site.out) == before


@pytest.mark.parametrize("where, expected", [
    ("root/x.txt", "root/x.txt is a link to a file outside root/; copy the file into root/"),
    ("content/trang/gioi-thieu.md", "content/trang/gioi-thieu.md: file: is a link to a file "
                                    "outside the site"),
    ("content/van-ban/2024/01-tb-ubnd.md", "content/van-ban/2024/01-tb-ubnd.md: file: is a "
                                           "link to a file outside the site"),
    ("content/2024/bien-ban.pdf", "content/2024/a.md:5: attachments[0].src: bien-ban.pdf is a link "
                                  "to a file outside the site"),
    ("content/2024/anh.jpg", "content/2024/a.md:6: photos[0].src: anh.jpg is a link to a file "
                             "outside the site"),
])
def test_every_other_kind_of_file_linked_out_of_the_site_is_refused(site, tmp_path, where,
                                                                   expected):
    uses = {"bien-ban.pdf": "attachments: [bien-ban.pdf]",
            "anh.jpg": "photos:\n  - src: anh.jpg\n    caption: Ảnh"}
    name = where.rsplit("/", 1)[-1]
    site.article("2024/a.md", f'title: "Tin"\ndate: 2024-01-01\nfeatured: true\n'
                 f'{uses.get(name, "")}')
    outside = tmp_path / "outside"
    outside.mkdir()
    if name == "bien-ban.pdf":
        secret = outside / name
        secret.write_bytes(b"%PDF-1.4\n% " + SECRET.encode() + b"\n%%EOF\n")
    elif name == "anh.jpg":
        secret = outside / name
        Image.new("RGB", (64, 48), (10, 20, 30)).save(secret, "JPEG")
    else:
        secret = outside_folder(tmp_path, "trang" if "trang" in where else "van-ban") \
            if where.endswith(".md") else outside / "x.txt"
        if where.endswith(".md"):
            secret = next(secret.rglob("*.md"))
        else:
            secret.write_text(f"{SECRET}\n", encoding="utf-8")
    link = site.root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(secret, link)
    for command in ("build", "check"):
        result = run_cli(command, str(site.root))
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert SECRET not in result.stdout + result.stderr
    assert not site.out.exists()
