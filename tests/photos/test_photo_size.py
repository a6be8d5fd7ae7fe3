"""A photo file larger than any real photo is refused before it is read (issue 21)."""

from __future__ import annotations

import os

from phucdong_site.photos import MAX_PHOTO_BYTES


def test_a_huge_photo_file_is_refused_at_its_line_without_being_read(site):
    photo = site.photo("2021/anh.jpg")
    # A real JPEG grown past the bound (sparse: no disk is spent); the build would read it whole.
    os.truncate(photo, MAX_PHOTO_BYTES + 1)
    site.photo("2021/nho.jpg")
    site.article("2021/anh.md", '''
        title: "Ảnh lớn"
        date: 2021-01-07 18:11
        photos:
          - src: nho.jpg
            caption: "Nhỏ"
          - src: anh.jpg
            caption: "Lớn"
        ''', body="Nội dung.\n\n![Ảnh lớn trong bài](anh.jpg)\n")
    limit = MAX_PHOTO_BYTES // 2**20
    for result in (site.check(), site.build()):
        assert result.returncode == 1, result.stderr
        lines = result.stderr.splitlines()
        assert (f"content/2021/anh.md:7: photos[1].src: anh.jpg is {limit}.0 MB, over the "
                f"limit of {limit} MB for a photo") in lines, result.stderr
        assert any(line.startswith("content/2021/anh.md:13: body: image anh.jpg is")
                   for line in lines), result.stderr
        assert "internal error" not in result.stderr
    assert not site.out.exists()
