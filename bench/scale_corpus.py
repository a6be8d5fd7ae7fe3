"""The scale benchmark's corpus: ~1,200-word articles, 6 categories, 40 tags, optional
photos, and the same articles as a Hugo site, so both generators build identical content.

(bench/corpus.py is the test suite's site: short articles with drafts, future dates and
odd titles.) The text is neutral filler assembled from common words of ward
administration: no real people and no invented events. The same (count, seed) always
gives the same files.

    python bench/scale_corpus.py DEST --articles 10000 [--photos DIR] [--hugo HUGO_DEST]
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

CATEGORIES = {
    "tin-tuc-su-kien": "Tin tức - sự kiện",
    "van-hoa-xa-hoi": "Văn hoá - xã hội",
    "kinh-te-do-thi": "Kinh tế - đô thị",
    "an-ninh-trat-tu": "An ninh - trật tự",
    "xay-dung-dang": "Xây dựng Đảng",
    "thong-bao": "Thông báo",
}
TAG_WORDS = ["vệ sinh môi trường", "phòng cháy", "đại hội", "tổ dân phố", "an toàn giao thông",
             "chuyển đổi số", "tiếp dân", "y tế cơ sở", "giáo dục", "thanh niên", "phụ nữ",
             "cựu chiến binh", "người cao tuổi", "khuyến học", "đô thị văn minh", "cải cách hành chính",
             "dân vận khéo", "đền ơn đáp nghĩa", "hiến máu", "tiêm chủng", "phòng chống dịch",
             "trật tự xây dựng", "quản lý đất đai", "thu ngân sách", "hộ nghèo", "an sinh xã hội",
             "văn hoá thể thao", "lễ hội", "Tết Nguyên đán", "mùa hè xanh", "đảng viên mới",
             "kiểm tra giám sát", "học tập Bác", "bầu cử", "hội nghị", "tổng kết", "sơ kết",
             "đối thoại", "diễn tập", "đường làng ngõ phố"]
NOUNS = ["phường", "tổ dân phố", "khu dân cư", "ban chỉ đạo", "đoàn thanh niên", "hội phụ nữ",
         "mặt trận tổ quốc", "công an phường", "trạm y tế", "trường tiểu học", "nhà văn hoá",
         "đảng uỷ", "uỷ ban nhân dân", "hội đồng nhân dân", "chi bộ", "hộ gia đình", "người dân",
         "cán bộ", "tình nguyện viên", "lực lượng dân quân", "ban công tác mặt trận", "đường phố",
         "khu đô thị", "chợ dân sinh", "sân chơi", "vườn hoa", "bờ đê", "ngõ xóm", "thư viện"]
VERBS = ["tổ chức", "triển khai", "phối hợp", "kiểm tra", "tuyên truyền", "vận động", "hỗ trợ",
         "tổng kết", "đánh giá", "ra quân", "khen thưởng", "thăm hỏi", "hướng dẫn", "rà soát",
         "tiếp nhận", "đôn đốc", "xây dựng", "chỉnh trang", "duy trì", "nâng cao", "đẩy mạnh"]
OBJECTS = ["công tác vệ sinh môi trường", "phong trào thi đua", "kế hoạch năm", "các chỉ tiêu",
           "mô hình tự quản", "công tác phòng cháy chữa cháy", "an toàn thực phẩm",
           "thủ tục hành chính", "hồ sơ trực tuyến", "việc làm cho thanh niên", "quỹ khuyến học",
           "nếp sống văn minh", "trật tự đô thị", "hạ tầng giao thông", "hệ thống chiếu sáng",
           "cây xanh đường phố", "chất lượng giáo dục", "chăm sóc sức khoẻ ban đầu",
           "đời sống văn hoá", "an ninh trật tự", "dịch vụ công", "nhiệm vụ trọng tâm"]
TAILS = ["trên địa bàn", "trong năm", "theo kế hoạch", "một cách hiệu quả", "với sự tham gia của đông đảo người dân",
         "đạt kết quả tốt", "đúng tiến độ", "theo hướng dẫn của cấp trên", "tại nhà văn hoá",
         "trong tháng", "ở các tổ dân phố", "bảo đảm an toàn"]


def sentence(rng: random.Random) -> str:
    words = f"{rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.5:
        words += f", {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return words[0].upper() + words[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def title(rng: random.Random, number: int) -> str:
    text = f"{rng.choice(NOUNS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    # The number first: slugs are cut at 80 characters, and 50,000 titles must stay apart.
    return f"Tin số {number}: {text}"


def article(rng: random.Random, number: int, when: datetime, photo_names: list[str]) -> dict:
    tags = rng.sample(TAG_WORDS, rng.randint(1, 4))
    # about 1,200 words (space-separated syllables), as the anchor corpus
    paragraphs = [paragraph(rng, 9) for _ in range(8)]
    photos = rng.sample(photo_names, min(len(photo_names), rng.randint(0, 2))) if photo_names else []
    return {"title": title(rng, number), "date": when, "views": rng.randint(0, 5000),
            "category": rng.choice(list(CATEGORIES)), "tags": tags,
            "featured": rng.random() < 0.05, "paragraphs": paragraphs, "photos": photos}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_ours(root: Path, number: int, data: dict) -> None:
    when = data["date"]
    lines = ["---", f"title: {quote(data['title'])}", f"date: {when:%Y-%m-%d %H:%M}",
             f"views: {data['views']}", f"category: {data['category']}",
             "tags: [" + ", ".join(quote(t) for t in data["tags"]) + "]"]
    if data["featured"]:
        lines.append("featured: true")
    if data["photos"]:
        lines.append("photos:")
        for name in data["photos"]:
            lines += [f"  - src: photos/{name}", f"    caption: {quote('Ảnh minh hoạ ' + name)}"]
    lines.append("---")
    path = root / "content" / f"{when:%Y}" / f"bai-{number:05d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n\n" + "\n\n".join(data["paragraphs"]) + "\n",
                    encoding="utf-8")


def write_hugo(root: Path, number: int, data: dict) -> None:
    when = data["date"]
    lines = ["---", f"title: {quote(data['title'])}", f"date: {when.isoformat()}",
             f"views: {data['views']}", f"categories: [{data['category']}]",
             "tags: [" + ", ".join(quote(t) for t in data["tags"]) + "]", "---"]
    path = root / "content" / "posts" / f"{when:%Y}" / f"bai-{number:05d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n\n" + "\n\n".join(data["paragraphs"]) + "\n",
                    encoding="utf-8")


SITE_TOML = """name = "Phường Mẫu"
section_title = "tin tức - sự kiện nổi bật"
base_url = "https://example.org/"
per_page = 10
default_category = "tin-tuc-su-kien"

[categories]
""" + "".join(f'{slug} = "{name}"\n' for slug, name in CATEGORIES.items())


def generate(dest: Path, articles: int, seed: int = 2021, photos: Path | None = None,
             hugo: Path | None = None) -> None:
    """Write a site of ARTICLES generated articles into DEST (and its Hugo twin into HUGO)."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content").mkdir(parents=True)
    (dest / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    photo_names: list[str] = []
    if photos is not None:
        target = dest / "content" / "photos"
        shutil.copytree(photos, target)
        photo_names = sorted(p.name for p in target.iterdir())
    if hugo is not None:
        from hugo_site import write_hugo_skeleton
        write_hugo_skeleton(hugo)
    start = datetime(2015, 1, 1, 7, 0)
    span = (datetime(2026, 6, 30) - start).total_seconds()
    for number in range(1, articles + 1):
        when = start + timedelta(seconds=int(span * number / (articles + 1)))
        data = article(rng, number, when, photo_names)
        write_ours(dest, number, data)
        if hugo is not None:
            write_hugo(hugo, number, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--photos", type=Path, help="a folder of photos to spread over articles")
    parser.add_argument("--hugo", type=Path, help="also write the equivalent Hugo site here")
    args = parser.parse_args()
    generate(args.dest, args.articles, args.seed, args.photos, args.hugo)


if __name__ == "__main__":
    main()
