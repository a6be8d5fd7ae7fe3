"""A deterministic generated Vietnamese site with planted phrases, and the queries that find them.

The text is neutral filler built from everyday civic vocabulary (no real events, no real
people); it is full of "đ"/"Đ" and of every tone. Each planted phrase goes into a few chosen
articles; every planted phrase has at least one word (folded) that the filler never uses, so
the articles that answer a query are known. In some phrases only words with "đ" are rare
("Phúc Đồng", "Đoài Đượm"), as on the real site, where "phúc" is everywhere; in others a
rare word without "đ" comes along ("Ngọc Đỏ", "Đèn Kéo Quân"). reference_answers() checks that claim against the
generated text itself, with the plain definition of a match, before anything is measured.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

SEED = 20260707

# Everyday words of ward news. No word of them folds to "dong", so that "phuc dong" (with
# "phúc" everywhere, as in "hạnh phúc") is answered only by the articles about Phúc Đồng.
FILLER = """
tổ dân phố người dân hội nghị kế hoạch triển khai đảm bảo đề nghị đầu tư địa bàn điều kiện
đăng ký góp sức đoàn viên đời sống đơn vị đầy đủ định kỳ học sinh trường học y tế sức khỏe
công trình giao thông cây xanh chiếu sáng thể thao văn hóa gia đình khu phố tuyên truyền
hướng dẫn kiểm tra thực hiện nâng cao chất lượng hiệu quả phối hợp tham gia tích cực sinh hoạt
cộng tác hạnh phúc đỗ đạt đến được đã đang để đó đây đều đi đúng
ủy ban nhân dân mặt trận tổ quốc hội phụ nữ cựu chiến binh thanh niên người cao tuổi
năm tháng tuần ngày sáng chiều tối mùa xuân hạ thu lễ tết trung thu khai giảng tổng kết
buổi lễ chương trình kết quả nhiệm vụ mục tiêu giải pháp báo cáo ý kiến thảo luận thống nhất
thành phố quận phường ngõ ngách đường phố nhà văn hóa sân chơi bãi cỏ hàng rào vỉa hè
an toàn an ninh trật tự phòng chống dịch bệnh tiêm phòng khám bệnh thuốc men bảo hiểm
lao tâm việc làm đào tạo nghề dạy học bài giảng thư viện sách báo điện thoại máy tính
khen thưởng biểu dương gương mẫu tiêu biểu xuất sắc hoàn thành vượt mức chỉ tiêu
nước sạch rác thải thu gom phân loại xử lý tái chế tiết kiệm điện năng nguồn nước
cải tạo sửa chữa nâng cấp xây dựng mới khánh thành bàn giao đưa vào sử dụng
""".split()

TITLE_OPENERS = ["Hội nghị", "Kế hoạch", "Triển khai", "Tổng kết", "Ra quân", "Hướng dẫn",
                 "Thông báo", "Kiểm tra", "Tuyên truyền", "Khánh thành", "Đối thoại", "Tập huấn"]


@dataclass(frozen=True)
class Planted:
    phrase: str                  # as written in the articles
    copies: int                  # how many articles get it
    in_title: bool = False       # the first copy goes into a title (the rest into bodies)


PLANTED = [
    Planted("phường Phúc Đồng", 5, True),
    Planted("điểm đỗ xe đạp", 4),
    Planted("ngõ Đá Mài", 3, True),
    Planted("đầm Điềm Khê", 4),
    Planted("đội văn nghệ Đắc Lộc", 3),
    Planted("đồi Thông Reo", 5, True),
    Planted("đêm hội Đèn Kéo Quân", 4),
    Planted("đội trống Đoài Đượm", 3),
    Planted("đảo Ngọc Đỏ", 4),
    Planted("Đình Vạn Phước", 3, True),
    Planted("vệ sinh môi trường", 6),
    Planted("UBND", 5),
    Planted("phòng cháy chữa cháy", 4, True),
    Planted("tiêm chủng mở rộng", 3),
    Planted("quỹ khuyến học", 5),
    Planted("chợ Gạo Nếp", 3, True),
    Planted("hồ Nguyệt Quế", 4),
    Planted("vườn hoa Kim Ngân", 3),
    Planted("lớp học bơi miễn phí", 4),
    Planted("kênh Xuân Thủy", 3),
]


@dataclass(frozen=True)
class Query:
    text: str
    phrase: str                  # the planted phrase whose articles answer it
    kind: str                    # "đ, accented", "đ, unaccented", "no đ", "phrase", "prefix", ...


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


QUERIES = [
    # Phrases with "đ": as typed with accents, without, in capitals, decomposed (NFD).
    Query("Phúc Đồng", "phường Phúc Đồng", "đ, accented"),
    Query("phuc dong", "phường Phúc Đồng", "đ, unaccented"),
    Query("PHÚC ĐỒNG", "phường Phúc Đồng", "đ, capitals"),
    Query(_nfd("Phúc Đồng"), "phường Phúc Đồng", "đ, NFD"),
    Query("điểm đỗ xe đạp", "điểm đỗ xe đạp", "đ, accented"),
    Query("diem do xe dap", "điểm đỗ xe đạp", "đ, unaccented"),
    Query("ngõ Đá Mài", "ngõ Đá Mài", "đ, accented"),
    Query("ngo da mai", "ngõ Đá Mài", "đ, unaccented"),
    Query("đầm Điềm Khê", "đầm Điềm Khê", "đ, accented"),
    Query("dam diem khe", "đầm Điềm Khê", "đ, unaccented"),
    Query("Đắc Lộc", "đội văn nghệ Đắc Lộc", "đ, accented"),
    Query("dac loc", "đội văn nghệ Đắc Lộc", "đ, unaccented"),
    Query("đồi Thông Reo", "đồi Thông Reo", "đ, accented"),
    Query("doi thong reo", "đồi Thông Reo", "đ, unaccented"),
    Query("Đèn Kéo Quân", "đêm hội Đèn Kéo Quân", "đ, accented"),
    Query("den keo quan", "đêm hội Đèn Kéo Quân", "đ, unaccented"),
    Query("Đoài Đượm", "đội trống Đoài Đượm", "đ, accented"),
    Query("doai duom", "đội trống Đoài Đượm", "đ, unaccented"),
    Query("Ngọc Đỏ", "đảo Ngọc Đỏ", "đ, accented"),
    Query("ngoc do", "đảo Ngọc Đỏ", "đ, unaccented"),
    Query("Đình Vạn Phước", "Đình Vạn Phước", "đ, accented"),
    Query("dinh van phuoc", "Đình Vạn Phước", "đ, unaccented"),
    Query("ĐÌNH VẠN PHƯỚC", "Đình Vạn Phước", "đ, capitals"),
    Query(_nfd("đầm Điềm Khê"), "đầm Điềm Khê", "đ, NFD"),
    # Without "đ": accented, unaccented, capitals, NFD.
    Query("vệ sinh môi trường", "vệ sinh môi trường", "no đ, accented"),
    Query("ve sinh moi truong", "vệ sinh môi trường", "no đ, unaccented"),
    Query("ubnd", "UBND", "no đ, abbreviation"),
    Query("UBND", "UBND", "no đ, abbreviation"),
    Query("phòng cháy chữa cháy", "phòng cháy chữa cháy", "no đ, accented"),
    Query("phong chay chua chay", "phòng cháy chữa cháy", "no đ, unaccented"),
    Query("tiêm chủng mở rộng", "tiêm chủng mở rộng", "no đ, accented"),
    Query("tiem chung mo rong", "tiêm chủng mở rộng", "no đ, unaccented"),
    Query("quỹ khuyến học", "quỹ khuyến học", "no đ, accented"),
    Query("quy khuyen hoc", "quỹ khuyến học", "no đ, unaccented"),
    Query("chợ Gạo Nếp", "chợ Gạo Nếp", "no đ, accented"),
    Query("cho gao nep", "chợ Gạo Nếp", "no đ, unaccented"),
    Query("hồ Nguyệt Quế", "hồ Nguyệt Quế", "no đ, accented"),
    Query("ho nguyet que", "hồ Nguyệt Quế", "no đ, unaccented"),
    Query("HỒ NGUYỆT QUẾ", "hồ Nguyệt Quế", "no đ, capitals"),
    Query(_nfd("vườn hoa Kim Ngân"), "vườn hoa Kim Ngân", "no đ, NFD"),
    Query("vuon hoa kim ngan", "vườn hoa Kim Ngân", "no đ, unaccented"),
    Query("lop hoc boi mien phi", "lớp học bơi miễn phí", "no đ, unaccented"),
    Query("kênh Xuân Thủy", "kênh Xuân Thủy", "no đ, accented"),
    # Quoted phrases.
    Query('"vệ sinh môi trường"', "vệ sinh môi trường", "phrase"),
    Query('"phuc dong"', "phường Phúc Đồng", "phrase, đ"),
    Query('"kenh xuan thuy"', "kênh Xuân Thủy", "phrase"),
    # The last word still being typed.
    Query("quy khuyen h", "quỹ khuyến học", "prefix"),
    Query("ho nguyet q", "hồ Nguyệt Quế", "prefix"),
    Query("ngọc đ", "đảo Ngọc Đỏ", "prefix, đ"),
    Query("Kênh Xuân Th", "kênh Xuân Thủy", "prefix"),
]
assert len(QUERIES) == 50


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(FILLER) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(2, 4)))


@dataclass
class Article:
    number: int
    title: str
    date: datetime
    paragraphs: list[str]

    @property
    def slug(self) -> str:
        return f"bai-{self.number:05d}"

    @property
    def url(self) -> str:
        return f"{self.date:%Y/%m}/{self.slug}/"

    def markdown(self) -> str:
        title = self.title.replace('"', "'")
        body = "\n\n".join(self.paragraphs)
        return (f'---\ntitle: "{title}"\ndate: {self.date:%Y-%m-%d %H:%M}\n'
                f"slug: {self.slug}\n---\n\n{body}\n")


def generate(count: int) -> tuple[list[Article], dict[str, list[str]]]:
    """COUNT articles and, for each planted phrase, the URLs of the articles that carry it."""
    rng = random.Random(SEED)
    start = datetime(2016, 1, 4, 7, 0)
    articles = []
    for number in range(count):
        title = f"{rng.choice(TITLE_OPENERS)} {' '.join(rng.choice(FILLER) for _ in range(rng.randint(5, 9)))}"
        articles.append(Article(number, title, start + timedelta(hours=7 * number + rng.randint(0, 5)),
                                [_paragraph(rng) for _ in range(rng.randint(3, 6))]))
    planted: dict[str, list[str]] = {}
    taken: set[int] = set()
    for item in PLANTED:
        chosen = rng.sample([n for n in range(count) if n not in taken], item.copies)
        taken.update(chosen)
        for position, number in enumerate(chosen):
            article = articles[number]
            if item.in_title and position == 0:
                article.title = f"{article.title} tại {item.phrase}"
            else:
                at = rng.randrange(len(article.paragraphs))
                words = article.paragraphs[at].split(" ")
                cut = rng.randrange(1, len(words))
                article.paragraphs[at] = " ".join(words[:cut] + [item.phrase] + words[cut:])
        planted[item.phrase] = sorted(articles[n].url for n in chosen)
    return articles, planted


SITE_TOML = """\
name = "Cổng thông tin thử nghiệm"
section_title = "tin tức - sự kiện"
base_url = "http://127.0.0.1/"
per_page = 10
timezone = "Asia/Ho_Chi_Minh"
default_category = "tin-tuc-su-kien"
"""


def write_site(root: Path, articles: list[Article]) -> None:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    for article in articles:
        path = root / "content" / f"{article.date:%Y}" / f"{article.slug}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(article.markdown(), encoding="utf-8")


# The plain definition of a match, used only to check what the generator planted.
def _keys(text: str) -> list[str]:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.findall(r"\w+", text)


def reference_answers(query: Query, articles: list[Article]) -> list[str]:
    """URLs of the articles that contain every word of QUERY (the last one as a prefix for
    the "prefix" queries), quoted parts as adjacent words."""
    phrases = [_keys(p) for p in re.findall(r'"([^"]*)"', query.text)]
    words = _keys(query.text)
    prefix = query.kind.startswith("prefix")
    found = []
    for article in articles:
        keys = _article_keys(article)
        vocabulary = set(keys)
        ok = all(w in vocabulary for w in (words[:-1] if prefix else words))
        if ok and prefix:
            ok = any(k.startswith(words[-1]) for k in vocabulary)
        joined = f" {' '.join(keys)} "
        ok = ok and all(f" {' '.join(p)} " in joined for p in phrases)
        if ok:
            found.append(article.url)
    return sorted(found)


_KEYS: dict[int, tuple[str, list[str]]] = {}


def _article_keys(article: Article) -> list[str]:
    text = " ".join([article.title, *article.paragraphs])
    cached = _KEYS.get(id(article))
    if cached is None or cached[0] != text:
        cached = _KEYS[id(article)] = (text, _keys(text))
    return cached[1]
