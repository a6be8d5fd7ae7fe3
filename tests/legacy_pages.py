"""Legacy portal pages for the importer's tests: the seed, and generated text and HTML pages."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures" / "legacy"
SEED = FIXTURES / "legacy-article-2021-01-07.txt"
HTML_FIXTURE = FIXTURES / "hoi-nghi-tong-ket-cong-tac-2020.html"
HTML_IMAGES = {"IMG_2034.JPG": (200, 40, 40), "trao-thuong tap-the.jpg": (40, 160, 40),
               "ket-luan.jpg": (40, 40, 200)}
TONES = "\u0300\u0301\u0303\u0309\u0323"


def plain(text: str) -> str:
    """TEXT as a reader sees it: NFC, every run of spaces (also no-break ones) one space."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


@dataclass(frozen=True)
class SeedPage:
    section: str
    title: str
    date: str                    # "07/01/2021"
    time: str                    # "18:11"
    views: str
    blocks: tuple[tuple[str, str], ...]   # ("p", text) or ("caption", "Ảnh: …"), in order


def read_seed(path: Path = SEED) -> SeedPage:
    """The seed page read independently of the importer: its fields, as the portal showed them."""
    lines = [plain(line) for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    section, title, meta, *body = lines
    match = re.fullmatch(r"Ngày đăng (\d\d/\d\d/\d{4}) \| (\d\d:\d\d) \| Lượt xem: (\d+)", meta)
    assert match, meta
    blocks = tuple(("caption" if line.startswith("Ảnh:") else "p", line) for line in body)
    return SeedPage(section, title, *match.groups(), blocks)


def to_cp1258(text: str) -> bytes:
    """TEXT in Windows-1258, tones written as combining marks, as legacy Vietnamese editors did."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        tones = [mark for mark in marks if mark in TONES]
        head = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONES))
        out += head.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


def write_html_fixture(folder: Path) -> Path:
    """The HTML fixture copied into FOLDER, with the photos the browser saved beside it."""
    page = folder / HTML_FIXTURE.name
    page.write_bytes(HTML_FIXTURE.read_bytes())
    files = folder / f"{HTML_FIXTURE.stem}_files"
    files.mkdir()
    for name, color in HTML_IMAGES.items():
        Image.new("RGB", (320, 200), color).save(files / name, "JPEG")
    return page


# Generated pages --------------------------------------------------------------------------

TOPICS = ["Hội nghị tổng kết công tác", "Ra quân tổng vệ sinh môi trường", "Tiếp xúc cử tri",
          "Tập huấn phòng cháy chữa cháy", "Ngày hội Đại đoàn kết toàn dân tộc",
          "Trao quà cho gia đình chính sách", "Kiểm tra an toàn thực phẩm",
          "Giải bóng đá thiếu niên", "Hiến máu tình nguyện", "Tuyên truyền bầu cử"]
SENTENCES = ["Sáng ngày {d}, UBND phường Phúc Đồng đã tổ chức {t} với sự tham gia của đông đảo "
             "cán bộ, nhân dân.", "Đồng chí Chủ tịch UBND phường nhấn mạnh: “Công tác này cần "
             "được duy trì thường xuyên” – nhằm nâng cao ý thức của người dân…",
             "Kết quả, 12/12 tổ dân phố đã hoàn thành chỉ tiêu; thu ngân sách đạt 105% kế hoạch.",
             "1. Tiếp tục tuyên truyền sâu rộng đến từng hộ gia đình;",
             "Phường sẽ tổ chức sơ kết, rút kinh nghiệm vào cuối quý./."]
SECTIONS = ["tin tức - sự kiện nổi bật", "Văn hoá - xã hội"]


@dataclass(frozen=True)
class GeneratedPage:
    name: str
    title: str
    date: str                    # "dd/mm/yyyy"
    time: str
    views: int
    section: str
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]


def generated_page(number: int, rng: random.Random) -> GeneratedPage:
    day, month, year = 1 + number % 28, 1 + number % 12, 2015 + number % 9
    date = f"{day:02d}/{month:02d}/{year}"
    topic = TOPICS[number % len(TOPICS)]
    title = f"{topic} đợt {number} năm {year}"
    paragraphs = tuple(s.format(d=date, t=topic.lower()) for s in rng.sample(SENTENCES, 3))
    captions = tuple(f"Ảnh: {topic} – hình {k + 1}" for k in range(rng.randint(0, 2)))
    time = f"{7 + number % 12:02d}:{number % 60:02d}"
    return GeneratedPage(f"bai-{number:03d}", title, date, time, rng.randint(0, 5000),
                         SECTIONS[number % 7 == 0], paragraphs, captions)


def text_page(page: GeneratedPage) -> str:
    body: list[str] = []
    for index, paragraph in enumerate(page.paragraphs):
        body.append(paragraph)
        if index < len(page.captions):
            body.append(page.captions[index])
    head = [page.section, "", page.title,
            f"Ngày đăng {page.date} | {page.time}\u00a0 |\u00a0 Lượt xem: {page.views}", ""]
    return "\n".join(head + [line for item in body for line in (item, "")])


def html_page(page: GeneratedPage, charset: str = "utf-8") -> str:
    body: list[str] = []
    for index, paragraph in enumerate(page.paragraphs):
        body.append(f'<p style="text-align: justify;">{paragraph}</p>')
        if index < len(page.captions):
            body.append(f'<p style="text-align:center"><img src="{page.name}_files/'
                        f'anh-{index + 1}.jpg" width="500"></p>\n'
                        f'<p style="text-align:center"><em>{page.captions[index]}</em></p>')
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta http-equiv="Content-Type" '
            f'content="text/html; charset={charset}"><title>{page.title} - Phường Phúc Đồng</title>'
            f'</head>\n<body><div id="header"><a class="logo" href="/">Phường Phúc Đồng</a></div>\n'
            f'<div class="news-detail"><div class="category-name">{page.section}</div>\n'
            f'<h1 class="news-title">{page.title}</h1>\n<div class="news-info"><span class="date">'
            f'Ngày đăng {page.date} | {page.time}</span>&nbsp;|&nbsp;<span class="views">Lượt xem: '
            f'{page.views}</span></div>\n<div class="news-content">\n' + "\n".join(body) +
            '\n</div></div>\n<div id="footer"><p>Phường Phúc Đồng</p></div></body></html>\n')


def save_images(folder: Path, page: GeneratedPage) -> None:
    files = folder / f"{page.name}_files"
    files.mkdir(exist_ok=True)
    for index in range(len(page.captions)):
        image = Image.new("RGB", (48, 32), (index * 90, 120, 200))
        image.save(files / f"anh-{index + 1}.jpg", "JPEG")


BROKEN = {
    # name: (reason the importer must give, how to make the file from a good text page)
    "hong-cat-ngang.html": "truncated",
    "hong-dut-ky-tu.txt": "truncated",
    "hong-cat-giua-cau.txt": "truncated: the text stops mid-sentence",
    "hong-khong-ngay.txt": "no date",
    "hong-rac-nhi-phan.txt": "binary data",
    "hong-vni.txt": "unknown encoding",
    "hong-ma-lan.txt": "unknown encoding",
    "hong-loi-dau.txt": "garbled diacritics",
    "hong-rong.html": "empty file",
}


def broken_bytes(name: str, good: GeneratedPage, rng: random.Random) -> bytes:
    text = text_page(good)
    data = text.encode("utf-8")
    if name == "hong-cat-ngang.html":
        html = html_page(good).encode("utf-8")
        return html[: len(html) * 2 // 3]
    if name == "hong-dut-ky-tu.txt":
        last_lead = max(i for i, byte in enumerate(data) if byte >= 0xC0)
        return data[: last_lead + 1]                 # stop inside the last accented letter
    if name == "hong-cat-giua-cau.txt":
        cut = ("Đồng chí Chủ tịch UBND phường nhấn mạnh: công tác này cần được duy trì thường "
               "xuyên nhằm nâng cao ý thức của người dân trong việc giữ gìn vệ sinh")
        return f"{text}{cut}".encode()
    if name == "hong-khong-ngay.txt":
        return "\n".join(line for line in text.split("\n") if "Ngày đăng" not in line).encode()
    if name == "hong-rac-nhi-phan.txt":
        return bytes(rng.randrange(256) for _ in range(3000))
    if name == "hong-vni.txt":
        # VNI-Windows: tones as separate Latin-1 letters ("Phöôøng Phuùc Ñoàng").
        vni = ("tin töùc\n\nPhöôøng Phuùc Ñoàng toå chöùc hoäi nghò\n"
               "Ngaøy ñaêng 01/02/2019 | 08:00\n\n")
        return (vni * 3).encode("latin-1")
    if name == "hong-ma-lan.txt":
        # Saved by two editors: UTF-8, then a paragraph typed in another program (bytes 0x9d…).
        return data + b"\n\nPh\xc6\xb0\xe1\xbb\x9dng \x9d\x8f\x90 \xdd\xfe\n"
    if name == "hong-loi-dau.txt":
        return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    if name == "hong-rong.html":
        return b""
    raise KeyError(name)


def write_generated_folder(folder: Path, count: int = 200) -> dict[str, GeneratedPage]:
    """COUNT legacy pages in FOLDER, text and HTML mixed, the BROKEN ones among them.

    Good pages come in UTF-8, UTF-8 with a BOM and Windows-1258; some HTML pages have their
    photos saved beside them, some not. Returns the good pages by file name.
    """
    rng = random.Random(8)
    folder.mkdir(parents=True, exist_ok=True)
    good: dict[str, GeneratedPage] = {}
    for number in range(count - len(BROKEN)):
        page = generated_page(number, rng)
        if number % 2 == 0:
            name = f"{page.name}.txt"
            text = text_page(page)
            data = {0: text.encode("utf-8"), 1: b"\xef\xbb\xbf" + text.encode("utf-8"),
                    2: to_cp1258(text)}[number % 6 // 2]
        else:
            name = f"{page.name}.html"
            cp1258 = number % 10 == 1
            html = html_page(page, "windows-1258" if cp1258 else "utf-8")
            data = to_cp1258(html) if cp1258 else html.encode("utf-8")
            if number % 3:
                save_images(folder, page)
        (folder / name).write_bytes(data)
        good[name] = page
    for name in BROKEN:
        (folder / name).write_bytes(broken_bytes(name, generated_page(999, rng), rng))
    return good
