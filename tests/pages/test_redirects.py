"""aliases: an article's or a page's old addresses, each a redirect page and a line of the
nginx map; every bad alias reported at its line."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import tree_bytes

from phucdong_site.config import load_config
from phucdong_site.content.fields import AliasProblem, alias_path
from phucdong_site.pipeline import build

ARTICLE = """\
    title: "Hội nghị tổng kết"
    date: 2021-01-07 18:11
    aliases:
      - /tin-tuc/hoi-nghi.html
      - https://phucdong.longbien.hanoi.gov.vn/tin-tuc/-/view/123
      - tin-tuc/cu/
      - /chi-tiet.aspx?id=123
    """


@pytest.mark.parametrize("written, path", [
    ("/tin-tuc/abc.html", "tin-tuc/abc.html"),
    ("tin-tuc/abc/", "tin-tuc/abc/"),
    ("https://phucdong.longbien.hanoi.gov.vn/tin-tuc/-/view/123", "tin-tuc/-/view/123"),
    ("http://old.example/x.php?id=5&p=2", "x.php?id=5&p=2"),
    ("/tin%20tuc//./abc.html", "tin tuc/abc.html"),
    ("/?p=123", "?p=123"),
    ("/giới-thiệu/", "giới-thiệu/"),
])
def test_alias_is_a_path_under_the_site_root(written, path):
    assert alias_path(written) == path


@pytest.mark.parametrize("written, message", [
    ("", "is empty"),
    ("/tin-tuc/../x.html", '".." part'),
    ("/a%2F..%2Fb", '".." part'),
    ("/a\x07b", "control character"),
    ("/a%00b", "control character"),
    ("ftp://old/x", "not a path or an http(s) address"),
    ("mailto:a@b.vn", "not a path or an http(s) address"),
    ("C:\\tin-tuc\\x.html", "not a path or an http(s) address"),
    ("/a b", "not a path or an http(s) address"),
    ("/a.html#tab", "#… part"),
    ("/", "home page"),
    (["x"], "expected an address"),
])
def test_bad_alias_is_refused(written, message):
    with pytest.raises(AliasProblem) as problem:
        alias_path(written)
    assert message in problem.value.message


def test_redirect_page_at_each_alias_leads_to_the_page(site):
    site.article("2021/hoi-nghi.md", ARTICLE)
    result = site.build()
    assert result.returncode == 0, result.stderr
    target = "https://phucdong.gov.vn/2021/01/hoi-nghi-tong-ket/"
    for file in ("tin-tuc/hoi-nghi.html", "tin-tuc/-/view/123/index.html",
                 "tin-tuc/cu/index.html"):
        html = (site.out / file).read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert soup.html["lang"] == "vi"
        assert soup.find("link", rel="canonical")["href"] == target
        assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.find("script") is None
        assert "Trang này đã chuyển đến" in soup.body.get_text()
        assert soup.body.a["href"] == target and soup.body.a.get_text() == "Hội nghị tổng kết"
    # The query's alias is the map's alone: no file answers for chi-tiet.aspx.
    assert not (site.out / "chi-tiet.aspx").exists()
    assert not list(site.out.rglob("chi-tiet*"))


def test_redirects_stay_out_of_sitemap_feeds_and_search(site):
    site.article("2021/hoi-nghi.md", ARTICLE)
    assert site.build().returncode == 0
    for name in ("sitemap.xml", "rss.xml", "atom.xml"):
        text = (site.out / name).read_text(encoding="utf-8")
        assert "view/123" not in text and "hoi-nghi.html" not in text and "tin-tuc/cu" not in text
    index = b"".join(data for path, data in tree_bytes(site.out / "tim-kiem").items())
    assert b"view/123" not in index and b"hoi-nghi.html" not in index


def test_nginx_map_lists_every_old_address_sorted_and_the_same_each_build(site, tmp_path):
    site.article("2021/hoi-nghi.md", ARTICLE)
    site.article("trang/gioi-thieu.md", """\
        title: "Giới thiệu"
        aliases: ["/Giới%20thiệu%20cũ.html"]
        """)
    assert site.build().returncode == 0
    text = (site.out / "redirects.map").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == [
        '"/Giới thiệu cũ.html" /gioi-thieu/;',
        "/chi-tiet.aspx?id=123 /2021/01/hoi-nghi-tong-ket/;",
        "/tin-tuc/-/view/123 /2021/01/hoi-nghi-tong-ket/;",
        "/tin-tuc/-/view/123/ /2021/01/hoi-nghi-tong-ket/;",
        "/tin-tuc/cu /2021/01/hoi-nghi-tong-ket/;",
        "/tin-tuc/cu/ /2021/01/hoi-nghi-tong-ket/;",
        "/tin-tuc/hoi-nghi.html /2021/01/hoi-nghi-tong-ket/;"]
    assert lines == sorted(lines)
    first = (site.out / "redirects.map").read_bytes()
    assert site.build("-o", str(tmp_path / "again")).returncode == 0
    assert (tmp_path / "again" / "redirects.map").read_bytes() == first


def test_site_under_a_sub_path_keeps_old_addresses_under_it(site, tmp_path):
    site.article("2021/hoi-nghi.md", ARTICLE)
    assert site.build("--base-url", "https://ubnd.vn/phuc-dong/").returncode == 0
    text = (site.out / "redirects.map").read_text(encoding="utf-8")
    assert "/phuc-dong/tin-tuc/hoi-nghi.html /phuc-dong/2021/01/hoi-nghi-tong-ket/;" in text


def test_alias_on_a_real_page_is_refused_at_its_line(site):
    site.article("trang/gioi-thieu.md", 'title: "Giới thiệu"\n')
    site.article("2021/a.md", """\
        title: "Bài a"
        date: 2021-01-07 18:11
        aliases:
          - /tin-tuc/a.html
          - /gioi-thieu/
          - /tin-tuc/
        """)
    result = site.check()
    assert result.returncode == 1
    assert ("content/2021/a.md:6: aliases[1]: /gioi-thieu/ is the address of "
            "content/trang/gioi-thieu.md") in result.stderr
    assert ("content/2021/a.md:7: aliases[2]: /tin-tuc/ is the address of a page the site "
            "makes") in result.stderr
    assert "content/trang/gioi-thieu.md:" not in result.stderr    # the alias is at fault
    assert "2 problems" in result.stderr
    assert site.build().returncode == 1 and not site.out.exists()


@pytest.mark.parametrize("alias, owner", [
    ("/gioi-thieu/index.html/x/", "content/trang/gioi-thieu.md"),     # a page made a folder
    ("/Gioi-Thieu/", "content/trang/gioi-thieu.md"),      # nginx and some disks: one address
    ("/sitemap.xml", "sitemap.xml, a file the build makes"),
    ("/rss.xml/", "rss.xml, a file the build makes"),
    ("/anh/x.jpg", "a folder of files the build makes"),
    ("/tin-tuc/index.html/", "a page the site makes"),
])
def test_alias_on_or_around_a_file_the_build_writes_is_refused_at_its_line(site, alias, owner):
    site.article("trang/gioi-thieu.md", 'title: "Giới thiệu"\n')
    site.article("2021/a.md", f"""\
        title: "Bài a"
        date: 2021-01-07 18:11
        aliases:
          - /tin-tuc/a.html
          - {alias}
        """)
    for command in (site.check, site.build):
        result = command()
        assert result.returncode == 1, result.stdout
        assert f"content/2021/a.md:6: aliases[1]: {alias} is the address of {owner}" \
            in result.stderr, result.stderr
    assert not site.out.exists()


def test_an_alias_inside_another_alias_is_refused(site):
    site.article("2021/a.md", """\
        title: "Bài a"
        date: 2021-01-07 18:11
        aliases: [/old/a.html, /old/a.html/b/]
        """)
    result = site.check()
    assert result.returncode == 1
    assert ("content/2021/a.md:4: aliases[1]: /old/a.html/b/ is the address of an old address "
            "in content/2021/a.md (aliases[0])") in result.stderr
    # and the first, whose file would have to be a folder for the second's page
    assert ("content/2021/a.md:4: aliases[0]: /old/a.html is the address of a folder of files "
            "the build makes") in result.stderr


def test_alias_with_dot_dot_is_refused_at_its_line(site):
    site.article("2021/a.md", """\
        title: "Bài a"
        date: 2021-01-07 18:11
        aliases:
          - /tin-tuc/a.html
          - ../../etc/x.html
        """)
    result = site.build()
    assert result.returncode == 1
    assert 'content/2021/a.md:6: aliases[1]: "../../etc/x.html" has a ".." part' in result.stderr


def test_two_aliases_on_one_path_are_both_reported_at_their_lines(site):
    site.article("2021/a.md", """\
        title: "Bài a"
        date: 2021-01-07 18:11
        aliases: [/tin-tuc/cu.html]
        """)
    site.article("2021/b.md", """\
        title: "Bài b"
        date: 2021-01-08 18:11
        aliases:
          - /TIN-TUC/cu.html
          - /tin-tuc/x/
          - /tin-tuc/x/index.html
        """)
    result = site.check()
    assert result.returncode == 1
    assert ("content/2021/a.md:4: aliases[0]: /tin-tuc/cu.html is also an old address in "
            "content/2021/b.md (aliases[0])") in result.stderr
    assert ("content/2021/b.md:5: aliases[0]: /TIN-TUC/cu.html is also an old address in "
            "content/2021/a.md (aliases[0])") in result.stderr
    # Two names of one file: its folder, and its index.html.
    assert ("content/2021/b.md:6: aliases[1]: /tin-tuc/x/ is the address of an old address "
            "in content/2021/b.md (aliases[2])") in result.stderr
    assert "4 problems" in result.stderr


def test_bad_aliases_field_shapes(site):
    site.article("2021/a.md", """\
        title: "Bài a"
        date: 2021-01-07 18:11
        aliases: {old: /x.html}
        """)
    site.article("2021/b.md", """\
        title: "Bài b"
        date: 2021-01-08 18:11
        aliases: [""]
        """)
    result = site.check()
    assert "content/2021/a.md:4: aliases: expected a list of old addresses" in result.stderr
    assert "content/2021/b.md:4: aliases[0]: is empty" in result.stderr


def test_incremental_build_with_aliases_equals_a_clean_one(site, tmp_path):
    """The invariant of tests/cache/test_incremental.py, over edits of aliases:."""
    path = site.article("2021/a.md", ARTICLE)
    config = load_config(site.root)
    build(config)
    edits = [("/tin-tuc/hoi-nghi.html", "/tin-tuc/hoi-nghi-2.html"),
             ("  - tin-tuc/cu/\n", ""),
             ("title: \"Hội nghị tổng kết\"", "title: \"Hội nghị tổng kết năm\"")]
    for old, new in edits:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        build(config)
        clean = tmp_path / f"clean-{len(old)}"
        clean_site = tmp_path / f"site-{len(old)}"
        shutil.copytree(site.root, clean_site, ignore=shutil.ignore_patterns(".cache", "build"))
        build(load_config(clean_site, clean))
        assert tree_bytes(site.out) == tree_bytes(clean)
    assert not (site.out / "tin-tuc/hoi-nghi.html").exists()
    assert not (site.out / "tin-tuc/cu/index.html").exists()
    assert (site.out / "tin-tuc/hoi-nghi-2.html").exists()
