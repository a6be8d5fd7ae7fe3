"""A deterministic site of generated articles, for tests and benchmarks.

    python bench/corpus.py OUT_DIR [--articles 300] [--seed 2021]

writes OUT_DIR/site.toml and OUT_DIR/content/ (Markdown articles and real JPEG photos).
The same arguments always give the same files. The text is neutral and generated from
phrases about ward life; it names no real person and reports no real event.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

CATEGORIES = {
    "tin-tuc-su-kien": "Tin tức - sự kiện",
    "van-hoa-xa-hoi": "Văn hoá - xã hội",
    "do-thi-moi-truong": "Đô thị - môi trường",
    "an-ninh-trat-tu": "An ninh - trật tự",
    "giao-duc": "Giáo dục",
    "y-te": "Y tế",
}
TAGS = ["vệ sinh môi trường", "tổ dân phố", "thanh niên", "hội phụ nữ", "người cao tuổi",
        "phòng cháy chữa cháy", "đô thị văn minh", "an toàn giao thông", "khuyến học",
        "tiêm chủng", "Đảng bộ", "dân vận khéo", "ăn uống an toàn", "ánh sáng đô thị",
        "ủng hộ", "chuyển đổi số", "điểm sinh hoạt", "Đoàn thanh niên"]
SUBJECTS = ["Hội nghị", "Lễ ra quân", "Buổi tập huấn", "Chương trình", "Ngày hội",
            "Buổi giao lưu", "Đợt kiểm tra", "Lớp bồi dưỡng", "Cuộc thi", "Buổi sinh hoạt"]
TOPICS = ["vệ sinh môi trường khu dân cư", "phòng cháy chữa cháy", "an toàn giao thông",
          "chuyển đổi số trong thủ tục hành chính", "chăm sóc người cao tuổi",
          "khuyến học khuyến tài", "phân loại rác tại nguồn", "xây dựng nếp sống văn minh",
          "tiêm chủng mở rộng", "phòng chống dịch bệnh mùa hè", "trật tự đô thị",
          "hiến máu tình nguyện", "thể dục thể thao quần chúng"]
PLACES = [f"tổ dân phố số {n}" for n in range(1, 19)] + ["nhà văn hoá phường",
                                                          "trụ sở phường", "sân chung khu dân cư"]
SENTENCES = [
    "Tham dự có đại diện các ban, ngành, đoàn thể và đông đảo nhân dân trên địa bàn.",
    "Các đại biểu đã trao đổi, thảo luận về những kết quả đạt được và các việc cần làm tiếp theo.",
    "Ban tổ chức đề nghị các tổ dân phố tiếp tục phối hợp, tuyên truyền đến từng hộ gia đình.",
    "Hoạt động nhận được sự hưởng ứng tích cực của người dân, nhất là các bạn trẻ.",
    "Nhiều ý kiến đóng góp thiết thực đã được ghi nhận để hoàn thiện kế hoạch năm sau.",
    "Kết thúc chương trình, ban tổ chức đã trao giấy khen cho các tập thể có thành tích tốt.",
    "Đây là dịp để các gia đình cùng chia sẻ kinh nghiệm và gắn kết tình làng nghĩa xóm.",
    "Phường sẽ tiếp tục theo dõi, đôn đốc việc thực hiện trong thời gian tới.",
]
# Titles that exercise escaping in HTML, feeds and JSON-LD.
ODD_TITLES = ['Hỏi & đáp: "Phân loại rác" <tại nguồn> như thế nào?',
              "Thông báo về lịch thu gom rác (cập nhật) – tổ 5 & tổ 6"]
START = datetime(2019, 1, 3, 7, 30)
END = datetime(2025, 12, 28, 17, 0)


@dataclass(frozen=True)
class GeneratedArticle:
    path: str                    # content/YYYY/name.md
    title: str
    date: datetime               # local time, naive (the site's time zone)
    category: str
    tags: tuple[str, ...]
    views: int
    featured: bool
    draft: bool
    future: bool                 # dated after every real build: never published
    photo: str | None            # path under content/, when the article has a cover


def _photo(path: Path, rng: random.Random, number: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    color = tuple(rng.randrange(40, 220) for _ in range(3))
    image = Image.new("RGB", (480, 320), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20 + number % 7 * 10, 20, 200, 160), outline=(255, 255, 255), width=4)
    image.save(path, "JPEG", quality=70)


def _title(rng: random.Random, index: int) -> str:
    if index % 97 == 5:
        return ODD_TITLES[(index // 97) % len(ODD_TITLES)]
    # The number comes first so that slugs, cut at 80 characters, stay distinct.
    return (f"Bản tin số {index + 1}: {rng.choice(SUBJECTS)} về {rng.choice(TOPICS)} "
            f"tại {rng.choice(PLACES)}")


def generate(root: Path, articles: int = 300, seed: int = 2021, per_page: int = 10,
             base_url: str = "https://phucdong.gov.vn/") -> list[GeneratedArticle]:
    """Write a site of ARTICLES generated articles under ROOT; return what was written."""
    rng = random.Random(seed)
    root = Path(root)
    content = root / "content"
    categories = "\n".join(f'{slug} = "{name}"' for slug, name in CATEGORIES.items())
    (root / "site.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(
        f'name = "Phường Phúc Đồng"\nsection_title = "tin tức - sự kiện nổi bật"\n'
        f'description = "Trang tin thử nghiệm với bài viết được sinh tự động"\n'
        f'base_url = "{base_url}"\nper_page = {per_page}\ntimezone = "Asia/Ho_Chi_Minh"\n'
        f'default_category = "tin-tuc-su-kien"\n\n[categories]\n{categories}\n',
        encoding="utf-8")
    photos = [f"photos/anh-{n:02d}.jpg" for n in range(16)]
    for number, photo in enumerate(photos):
        _photo(content / photo, rng, number)

    span = (END - START).total_seconds()
    written = []
    for index in range(articles):
        future = index % 101 == 50
        date = (datetime(2099, 1, 1 + index % 28, 8, 0) if future else
                START + timedelta(seconds=int(span * index / max(1, articles - 1))))
        date = date.replace(second=0)
        title = _title(rng, index)
        category = rng.choice(list(CATEGORIES))
        tags = tuple(rng.sample(TAGS, rng.randrange(0, 4)))
        views = int(rng.paretovariate(1.2) * 50)
        featured = rng.random() < 0.12
        draft = index % 53 == 7
        photo = rng.choice(photos) if rng.random() < 0.65 else None
        path = f"content/{date:%Y}/bai-{index + 1:04d}.md"
        lines = ["---", f"title: {_yaml(title)}", f"date: {date:%Y-%m-%d %H:%M}",
                 f"views: {views}", f"category: {category}"]
        if tags:
            lines.append("tags: [" + ", ".join(_yaml(tag) for tag in tags) + "]")
        if featured:
            lines.append("featured: true")
        if draft:
            lines.append("draft: true")
        if photo:
            lines += ["photos:", f"  - src: {photo}",
                      f"    caption: {_yaml('Quang cảnh ' + rng.choice(PLACES))}"]
        lines.append("---")
        paragraphs = [" ".join(rng.sample(SENTENCES, 3)) for _ in range(rng.randrange(2, 5))]
        opening = (f"Ngày {date:%d/%m/%Y}, tại {rng.choice(PLACES)}, phường Phúc Đồng đã tổ chức "
                   f"{rng.choice(SUBJECTS).lower()} về {rng.choice(TOPICS)}.")
        text = "\n".join(lines) + "\n\n" + "\n\n".join([opening, *paragraphs]) + "\n"
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        written.append(GeneratedArticle(path, title, date, category, tags, views, featured,
                                        draft, future, photo))
    return written


def _yaml(text: str) -> str:
    """TEXT as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    written = generate(args.out, args.articles, args.seed)
    print(f"{len(written)} articles in {args.out}")


if __name__ == "__main__":
    main()
