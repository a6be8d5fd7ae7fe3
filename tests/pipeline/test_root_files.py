"""The site's root/ folder: copied as it is to the output's root; robots.txt there replaces
the generated one, a clash with anything else the build makes is an error naming both."""

from __future__ import annotations

import time
from pathlib import Path

from phucdong_site.config import load_config
from phucdong_site.pipeline import build
from phucdong_site.render.root import MAX_FILES
from phucdong_site.serve.watcher import ChangeKind, classify


def put(site, relative: str, data: bytes | str = b"x\n") -> Path:
    path = site.root / "root" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_root_files_are_copied_as_they_are_at_any_depth(site):
    site.article("2021/a.md", 'title: "Bài a"\ndate: 2021-01-07 18:11\n')
    icon = bytes(range(256)) * 4
    put(site, "favicon.ico", icon)
    put(site, "google1234abcd.html", "google-site-verification: google1234abcd.html\n")
    put(site, ".well-known/security.txt", "Contact: mailto:ubnd@phucdong.gov.vn\n")
    put(site, ".DS_Store", b"\0junk")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (site.out / "favicon.ico").read_bytes() == icon
    assert (site.out / "google1234abcd.html").read_text().startswith("google-site-verification")
    assert (site.out / ".well-known/security.txt").read_text() == (
        "Contact: mailto:ubnd@phucdong.gov.vn\n")
    assert not (site.out / ".DS_Store").exists()
    sitemap = (site.out / "sitemap.xml").read_text()
    assert "google1234abcd" not in sitemap and "security.txt" not in sitemap


def test_root_robots_txt_replaces_the_generated_one(site):
    site.article("2021/a.md", 'title: "Bài a"\ndate: 2021-01-07 18:11\n')
    assert site.build().returncode == 0
    assert "Sitemap:" in (site.out / "robots.txt").read_text()
    put(site, "robots.txt", "User-agent: *\nDisallow: /tim-kiem/\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (site.out / "robots.txt").read_text() == "User-agent: *\nDisallow: /tim-kiem/\n"
    assert site.check().returncode == 0


def test_root_file_clashing_with_sitemap_is_an_error_naming_both(site):
    site.article("2021/a.md", 'title: "Bài a"\ndate: 2021-01-07 18:11\n')
    assert site.build().returncode == 0
    before = (site.out / "sitemap.xml").read_bytes()
    put(site, "sitemap.xml", "<urlset/>")
    put(site, "tin-tuc/index.html", "<p>cũ</p>")
    put(site, "2021/01/bai-a/index.html/x.txt")       # under a page's file
    put(site, "redirects.map", "/a /b;\n")
    for result in (site.build(), site.check()):
        assert result.returncode == 1
        err = result.stderr
        assert "root/sitemap.xml: file: /sitemap.xml is where the build writes the sitemap" in err
        assert ("root/tin-tuc/index.html: file: /tin-tuc/index.html is where the build writes "
                "a page the site makes") in err
        assert ("root/2021/01/bai-a/index.html/x.txt: file: /2021/01/bai-a/index.html/x.txt "
                "is where the build writes 2021/01/bai-a/index.html") in err
        assert "root/redirects.map: file: /redirects.map is where the build writes the web " \
               "server's map of old addresses" in err
        assert "4 problems" in err
    assert (site.out / "sitemap.xml").read_bytes() == before      # the output kept


def test_root_file_on_a_redirect_page_names_its_article(site):
    site.article("2021/a.md", 'title: "Bài a"\ndate: 2021-01-07 18:11\n'
                 'aliases: [/tin-tuc/a.html]\n')
    put(site, "tin-tuc/a.html")
    result = site.build()
    assert result.returncode == 1
    assert ("root/tin-tuc/a.html: file: /tin-tuc/a.html is where the build writes the page "
            "of content/2021/a.md") in result.stderr


def test_root_symlink_out_of_the_site_is_refused(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu")
    (site.root / "root").mkdir()
    (site.root / "root" / "pw.txt").symlink_to(secret)
    (site.root / "root" / "etc").symlink_to("/etc")
    for result in (site.build(), site.check()):
        assert result.returncode == 1
        assert "root/pw.txt: root/pw.txt is a link to a file outside root/" in result.stderr
        assert "root/etc: root/etc is a link to a folder outside root/" in result.stderr
    assert not site.out.exists()


def test_root_link_inside_the_site_is_published(site):
    put(site, "a.txt", "ở trong\n")
    (site.root / "root" / "b.txt").symlink_to("a.txt")
    assert site.build().returncode == 0
    assert (site.out / "b.txt").read_text() == "ở trong\n"


def test_root_folder_over_its_bounds_is_refused(site):
    for number in range(MAX_FILES + 1):
        put(site, f"many/{number}.txt")
    big = put(site, "video.mp4")
    with big.open("wb") as file:
        file.truncate(11 * 2**20)
    result = site.build()
    assert result.returncode == 1
    assert "root/video.mp4: file: 11.0 MB is too large for a file at the site's root" in (
        result.stderr)
    assert f"root: file: {MAX_FILES + 1} files" in result.stderr


def test_unchanged_build_notices_a_root_change(site):
    site.article("2021/a.md", 'title: "Bài a"\ndate: 2021-01-07 18:11\n')
    path = put(site, "google1.html", "v1\n")
    config = load_config(site.root)
    settle()
    assert not build(config).unchanged
    assert build(config).unchanged
    path.write_text("v2\n")
    settle()
    assert not build(config).unchanged
    assert (site.out / "google1.html").read_text() == "v2\n"
    put(site, ".well-known/new.txt", "mới\n")
    settle()
    assert not build(config).unchanged
    assert (site.out / ".well-known/new.txt").exists()
    assert build(config).unchanged


def settle() -> None:
    # Stamps taken within 0.1 s of an edit are not trusted (see cache/freshness.py).
    time.sleep(0.2)


def test_check_counts_root_files_as_written_for_links(site):
    put(site, "files/bieu-mau.txt", "mẫu\n")
    site.article("2021/a.md", 'title: "Bài a"\ndate: 2021-01-07 18:11\n',
                 "Xem [biểu mẫu](/files/bieu-mau.txt) và [cũ](/files/khong-co.txt).\n")
    result = site.check()
    assert result.returncode == 1
    assert "/files/khong-co.txt does not exist" in result.stderr
    assert "bieu-mau" not in result.stderr


def test_serve_rebuilds_on_a_root_change(site):
    root = site.root
    assert classify(root / "root" / "robots.txt", root) is ChangeKind.ROOT
    assert classify(root / "root" / ".well-known" / "security.txt", root) is ChangeKind.ROOT
    assert classify(root / "root", root) is ChangeKind.ROOT
    assert classify(root / "root" / "robots.txt~", root) is None
    assert classify(root / "root" / ".git" / "HEAD", root) is None
