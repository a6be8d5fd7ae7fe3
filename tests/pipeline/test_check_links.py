"""check: internal links and image references in bodies, reported in the editor's terms."""

from __future__ import annotations

from conftest import tree_bytes

OTHER = """
    title: "Tin cũ"
    date: 2020-05-01 08:00
"""


def test_check_passes_links_that_resolve_and_build_points_md_links_at_pages(site):
    site.photo("photos/a.jpg")
    site.article("2020/tin-cu.md", OTHER)
    site.article("2024/a.md", """
        title: "Hội nghị"
        date: 2024-05-01 08:30
    """, body="""
        Xem [tin cũ](../2020/tin-cu.md#doan-2), [danh sách](/tin-tuc/),
        [trang chủ](/), [bài](/2020/05/tin-cu), [thư](mailto:ubnd@phucdong.vn),
        [Cổng Hà Nội](https://hanoi.gov.vn/) và [mục](#muc).

        ![Ảnh](photos/a.jpg)
    """)
    before = tree_bytes(site.root)
    result = site.check()
    assert result.returncode == 0, result.stderr
    assert tree_bytes(site.root) == before        # check writes nothing
    assert site.build().returncode == 0
    page = (site.out / "2024/05/hoi-nghi/index.html").read_text(encoding="utf-8")
    assert 'href="/2020/05/tin-cu/#doan-2"' in page
    assert "tin-cu.md" not in page


def test_check_lists_every_broken_link_and_image_with_its_line(site):
    site.article("2020/tin-cu.md", OTHER.replace("08:00", "08:00\n    draft: true"))
    path = site.article("2024/a.md", """
        title: "Hội nghị"
        date: 2024-05-01 08:30
    """, body="""
        Dòng một [không có](/2099/01/khong-co/).

        Dòng ba [tệp thiếu](../2020/khong-co.md).

        Dòng năm [bản nháp](../2020/tin-cu.md).

        <img src="photos/thieu.jpg" alt="ảnh viết bằng HTML">

        [ngoài trang](https://phucdong.gov.vn/../../etc/) [trang khác](https://example.org/x)
    """)
    assert path.read_text(encoding="utf-8").splitlines()[6] == \
        "Dòng một [không có](/2099/01/khong-co/)."
    before = tree_bytes(site.root)
    result = site.check()
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/2024/a.md:7: link: /2099/01/khong-co/ does not exist on the site" in lines
    assert "content/2024/a.md:9: link: ../2020/khong-co.md does not exist" in lines
    assert ("content/2024/a.md:11: link: ../2020/tin-cu.md is not a published article "
            "(a draft, or not an article)") in lines
    assert "content/2024/a.md:13: image: photos/thieu.jpg does not exist on the site" in lines
    # A link to this site's own host is checked like any other internal link.
    assert "content/2024/a.md:15: link: https://phucdong.gov.vn/../../etc/ does not exist " \
        "on the site" in lines
    assert "5 problems found" in lines
    assert "example.org" not in result.stderr
    assert tree_bytes(site.root) == before
    # build does not check links: the site is still published, check is the gate.
    assert site.build().returncode == 0
