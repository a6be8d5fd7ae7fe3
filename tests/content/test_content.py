"""Valid front matter becomes the right Article."""

from datetime import datetime, timedelta, timezone

import pytest

from phucdong_site.config import load_config
from phucdong_site.content.article import parse_article
from phucdong_site.text import fold, slugify

HANOI = timezone(timedelta(hours=7))


def parse(site, front_matter: str, body: str = "Đoạn đầu tiên.\n\nĐoạn thứ hai.\n"):
    path = site.article("2024/a.md", front_matter, body)
    return parse_article(path, load_config(site.root))


@pytest.mark.parametrize("written, expected", [
    ("2021-01-07 18:11", datetime(2021, 1, 7, 18, 11, tzinfo=HANOI)),
    ("2021-01-07", datetime(2021, 1, 7, 0, 0, tzinfo=HANOI)),
    ("2021-01-07T18:11:05", datetime(2021, 1, 7, 18, 11, 5, tzinfo=HANOI)),
    ("2021-01-07T11:11:00Z", datetime(2021, 1, 7, 18, 11, tzinfo=HANOI)),
    ("2021-01-07T18:11:00+07:00", datetime(2021, 1, 7, 18, 11, tzinfo=HANOI)),
    ('"07/01/2021 | 18:11"', datetime(2021, 1, 7, 18, 11, tzinfo=HANOI)),
])
def test_reads_dates_as_aware_hanoi_times(site, written, expected):
    article = parse(site, f'title: "Tin"\ndate: {written}')
    assert article.published == expected
    assert article.published.utcoffset() == timedelta(hours=7)


def test_reads_every_documented_field(site):
    site.photo("photos/a.jpg")
    article = parse(site, """
        title: "Ban Thường vụ Quận ủy làm việc với phường"
        date: 2021-01-07 18:11
        views: 188
        photos:
          - src: photos/a.jpg
            caption: "Toàn cảnh"
        category: van-hoa
        tags: [xây dựng Đảng, năm 2021, Xây dựng đảng]
        featured: true
        summary: "Tóm tắt <b>riêng</b>"
        slug: lam-viec-voi-phuong
        nguon: "Báo Hà Nội mới"
    """)
    assert article.title == "Ban Thường vụ Quận ủy làm việc với phường"
    assert article.views == 188
    assert [(p.src, p.caption, p.width) for p in article.photos] == [("photos/a.jpg", "Toàn cảnh", 640)]
    assert article.category == "van-hoa"
    assert article.tags == ("xây dựng Đảng", "năm 2021")      # one tag per folded slug
    assert article.featured and not article.draft
    assert article.summary == "Tóm tắt <b>riêng</b>"          # escaped by the templates
    assert article.url == "2021/01/lam-viec-voi-phuong/"
    assert article.meta == {"nguon": "Báo Hà Nội mới"}


def test_defaults_and_summary_from_the_first_paragraph(site):
    article = parse(site, 'title: "Tin"\ndate: 2024-01-01', body="\n![x](https://a.vn/x.jpg)\n\n"
                    "Đoạn **đầu** tiên.\n\nĐoạn hai.\n")
    assert (article.views, article.category, article.tags, article.photos) == (0, "tin-tuc-su-kien", (), ())
    assert article.summary == "Đoạn đầu tiên."


def test_text_is_normalised_to_nfc(site):
    article = parse(site, 'title: "Phu\u0301c \u0110o\u0302\u0300ng"\ndate: 2024-01-01')
    assert article.title == "Phúc Đồng" and article.slug == "phuc-dong"


@pytest.mark.parametrize("title, slug", [
    ("Ban Thường vụ Quận ủy Long Biên", "ban-thuong-vu-quan-uy-long-bien"),
    ("ĐẠI HỘI Đảng bộ phường: nhiệm kỳ 2020–2025!", "dai-hoi-dang-bo-phuong-nhiem-ky-2020-2025"),
    ("  “Dân vận khéo” ở tổ dân phố số 8,9 ", "dan-van-kheo-o-to-dan-pho-so-8-9"),
])
def test_slugs_fold_vietnamese_to_ascii(title, slug):
    assert slugify(title) == slug


def test_fold_removes_tones_marks_and_d_stroke():
    assert fold("Phúc Đồng, đường Hoài Nam") == "Phuc Dong, duong Hoai Nam"


def test_long_slugs_are_cut_at_a_word_boundary():
    slug = slugify("hội nghị " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.endswith("nghi")


def test_discover_finds_articles_but_not_hidden_files_folders_or_linked_folders(tmp_path):
    from phucdong_site.content.load import discover
    content = tmp_path / "content"
    for name in ("a.md", "2024/b.md", ".hidden/c.md", "_nhap/d.md", "2024/_e.md",
                 "2024/.f.md", "2024/ghi-chu.txt", "elsewhere/g.md", "2024-cu/j.md"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (content / "2024" / "h.md").mkdir()                               # a folder, not a file
    (content / "linked").symlink_to(content / "elsewhere", target_is_directory=True)
    (content / "2024" / "i.md").symlink_to(content / "a.md")           # a linked file is read
    (content / "2024" / "k.md").symlink_to(content / "gone.md")        # a broken link is not
    found = [path.relative_to(content).as_posix() for path in discover(content)]
    # in the order of paths, part by part: 2024/ before 2024-cu/, though "/" > "-"
    assert found == ["2024/b.md", "2024/i.md", "2024-cu/j.md", "a.md", "elsewhere/g.md"]
