"""The build-time search index: folding, tokens, postings, shards, reproducible bytes."""

from __future__ import annotations

import json
import pickle
import shutil
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from conftest import tree_bytes
from phucdong_site.search import index as search_index
from phucdong_site.search import words as search_words
from phucdong_site.models import Article
from phucdong_site.models import Body
from phucdong_site.search.index import INDEX_DIR, index_files, plain_text, search_key, words
from phucdong_site.text import fold

TZ = timezone(timedelta(hours=7))


def article(n: int, title: str, body: str = "", summary: str = "") -> Article:
    return Article(source=Path(f"content/{n}.md"), title=title, slug=f"bai-{n}",
                   published=datetime(2024, 1, 1, tzinfo=TZ) - timedelta(days=n),
                   category="tin-tuc-su-kien", summary=summary, body=Body(body))


def decode(postings: list[int]) -> dict[int, int]:
    """Doc id -> field mask, as search.js reads them."""
    found, doc = {}, 0
    for value in postings:
        doc += value // 8
        found[doc] = value % 8
    return found


def load(files: dict[str, str], name: str):
    return json.loads(files[f"{INDEX_DIR}{name}"])


def lookup(files: dict[str, str], key: str) -> dict[str, dict[int, int]]:
    vocabulary = load(files, f"v/{ord(key[0]):x}.json")
    shard, _count = vocabulary[key]
    return {spelling: decode(p) for spelling, p in load(files, f"s/{shard}.json")[key].items()}


def test_words_are_runs_of_letters_digits_and_marks():
    assert list(words("UBND phường Phúc Đồng, Nghị định 42/2022!")) == [
        "UBND", "phường", "Phúc", "Đồng", "Nghị", "định", "42", "2022"]
    # A decomposed (NFD) word stays one word, composed.
    assert list(words(unicodedata.normalize("NFD", "Đồng"))) == ["Đồng"]


def test_words_know_every_combining_mark_of_unicode():
    marks, pattern = search_words._marks()
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert (ch in marks) == (unicodedata.category(ch)[0] == "M"), f"U+{code:04X}"
        if unicodedata.category(ch)[0] in "LNM":
            assert pattern.fullmatch(ch), f"U+{code:04X}"
        else:
            assert not pattern.fullmatch(ch), f"U+{code:04X}"


def test_a_mark_that_nfc_cannot_compose_stays_in_its_word():
    # "x" has no precomposed form with an acute accent; "_" separates words.
    assert words("a_b x\u0301y Phúc_Đồng") == ["a", "b", "x\u0301y", "Phúc", "Đồng"]


@given(st.text())
def test_words_split_like_a_scan_by_category(text):
    text = unicodedata.normalize("NFC", text)
    expected = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text).split()
    assert words(text) == expected


@given(st.text())
def test_search_key_is_the_slug_fold_lower_cased(text):
    assert search_key(text) == fold(text).lower()
    assert search_key(unicodedata.normalize("NFD", text)) == search_key(text)


def test_plain_text_keeps_captions_and_separates_blocks():
    html = '<p>Đoạn <em>một</em>.</p><figure><img src="a.jpg" alt=""><figcaption>Ảnh: Hội nghị</figcaption></figure><p>Hai&nbsp;&amp; ba</p>'
    assert plain_text(html) == "Đoạn một. Ảnh: Hội nghị Hai & ba"
    assert plain_text("<p>một</p><p>hai</p>") == "một hai"


def test_spellings_and_fields_are_kept_per_article():
    files = index_files([
        article(0, "Mùa đông ở phố", "<p>Trời lạnh.</p>"),
        article(1, "Tin phường", "<p>Phường Phúc Đồng họp.</p>", summary="Phúc Đồng họp."),
        article(2, "PHÚC ĐỒNG", "<p>Không.</p>"),
    ])
    assert lookup(files, "dong") == {"đông": {0: 1}, "đồng": {1: 2 | 4, 2: 1}}
    assert lookup(files, "phuc") == {"phúc": {1: 6, 2: 1}}
    vocabulary = load(files, "v/64.json")
    assert vocabulary["dong"][1] == 3                       # articles holding any spelling
    meta = load(files, "meta.json")
    assert meta["documents"] == 3 and "64" in meta["vocabulary"]


def test_fragments_carry_what_a_result_shows():
    files = index_files([article(0, "Lịch tiếp dân", "<p>Sáng thứ Năm.</p>", summary="Tóm tắt")])
    assert load(files, "f/0.json") == {
        "u": "2024/01/bai-0/", "t": "Lịch tiếp dân", "d": "01/01/2024",
        "i": "2024-01-01T00:00:00+07:00", "s": "Tóm tắt", "b": "Sáng thứ Năm."}


def test_shards_stay_small_and_every_term_is_findable(monkeypatch):
    monkeypatch.setattr(search_index, "SHARD_BYTES", 400)
    body = " ".join(f"từ{n} chữ{n * 7}" for n in range(300))
    files = index_files([article(n, f"Bài {n}", f"<p>{body} riêng{n}</p>") for n in range(5)])
    shards = [name for name in files if name.startswith(f"{INDEX_DIR}s/")]
    assert len(shards) > 10
    for name in shards:
        shard = json.loads(files[name])
        assert len(files[name].encode()) <= 400 or len(shard) == 1
    for n in range(5):
        assert lookup(files, f"rieng{n}") == {f"riêng{n}": {n: 4}}
        assert lookup(files, "bai") == {"bài": {i: 1 for i in range(5)}}


def test_index_is_reproducible_byte_for_byte():
    articles = [article(n, f"Tin số {n} về Phúc Đồng", f"<p>Nội dung {n}.</p>") for n in range(30)]
    assert index_files(articles) == index_files(list(articles))


def test_build_writes_the_index_and_the_search_page(site, invoke):
    site.article("2024/a.md", 'title: "Phúc Đồng ra quân"\ndate: 2024-05-01 08:30',
                 body="Vệ sinh môi trường.\n")
    assert invoke("build", str(site.root)).code == 0
    first = tree_bytes(site.out)
    assert "tim-kiem/index.html" in first
    assert "tim-kiem/chi-muc/meta.json" in first and "tim-kiem/chi-muc/f/0.json" in first
    assert invoke("build", str(site.root)).code == 0
    assert tree_bytes(site.out) == first


@pytest.mark.parametrize("looked_up", [search_index.Postings.LOOKED_UP, 0])
@pytest.mark.parametrize("kept_in_a_file", [False, True])
def test_postings_brought_up_to_date_equal_postings_made_afresh(looked_up, kept_in_a_file):
    """Postings updated article by article (serve's in memory, build's through a pickle in
    .cache/) give the very files a fresh index of the same articles gives: after edits of a
    few articles, of many, and a removal; the changed articles' postings found one by one
    or in one pass over all."""
    def terms_of(articles):
        made = [search_index.article_terms(one) for one in articles]
        return [(search_index.text_digest(shown), *rest) for shown, *rest in made]

    articles = [article(n, f"Tin số {n}: hội nghị tổ dân phố {n % 7}",
                        f"Phường Phúc Đồng triển khai kế hoạch {n % 11}. Vệ sinh môi trường.")
                for n in range(60)]
    kept = search_index.Postings()
    kept.LOOKED_UP = looked_up
    kept.files(terms_of(articles))
    edits = [
        {3: ("Tiêu đề mới của bài", "Nội dung đã sửa: phòng cháy chữa cháy.")},
        {3: ("Tin số 3", ""), 40: ("Lễ hội mùa xuân", "Thanh niên tình nguyện. Hiến máu.")},
        {7: ("Môi trường mới", "Nội dung mới: môi trường xanh, mọi nhà.")},   # "moi" thrice
        {n: (f"Bài {n} viết lại", f"Đoạn {n} mới hoàn toàn") for n in range(0, 60, 2)},
        {59: ("", "")},
    ]
    for edit in edits:
        articles = [article(n, *edit[n]) if n in edit else one
                    for n, one in enumerate(articles)]
        if kept_in_a_file:
            kept = pickle.loads(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        assert kept.files(terms_of(articles)) == search_index.postings_files(terms_of(articles))
    articles = articles[:30] + articles[31:]
    assert kept.files(terms_of(articles)) == search_index.postings_files(terms_of(articles))


def test_a_build_after_a_lost_or_foreign_kept_index_writes_the_right_one(site, invoke,
                                                                          tmp_path):
    """The postings build keeps in .cache/ stand for the articles they were made from:
    cut short, or left by another site of as many articles, the index is still a clean
    build's."""
    for n in range(8):
        site.article(f"2024/bai-{n}.md", f'title: "Tin số {n}"\ndate: 2024-03-0{n + 1} 08:00',
                     f"Phường Phúc Đồng họp tổ dân phố số {n}.\n")
    assert invoke("build", str(site.root)).code == 0
    kept = site.root / ".cache/postings.pickle"
    assert kept.stat().st_size > 0

    def index_of(root: Path) -> dict[str, bytes]:
        return {path: data for path, data in tree_bytes(root / "build").items()
                if path.startswith(INDEX_DIR)}

    def clean_index() -> dict[str, bytes]:
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns(".cache", "build"))
        assert invoke("build", str(clean)).code == 0
        return index_of(clean)

    body = site.content / "2024/bai-3.md"
    body.write_text(body.read_text(encoding="utf-8") + "\nLịch tiêm chủng mở rộng.\n",
                    encoding="utf-8")
    assert invoke("build", str(site.root)).code == 0
    assert index_of(site.root) == clean_index()

    kept.write_bytes(kept.read_bytes()[:len(kept.read_bytes()) // 2])      # cut short
    body.write_text(body.read_text(encoding="utf-8") + "\nHội thao thanh niên.\n",
                    encoding="utf-8")
    assert invoke("build", str(site.root)).code == 0
    assert index_of(site.root) == clean_index()

    other = tmp_path / "other"       # as many articles, one of them with other words
    shutil.copytree(site.root, other)
    foreign = other / "content/2024/bai-6.md"
    foreign.write_text(foreign.read_text(encoding="utf-8").replace("Phường", "Quận"),
                       encoding="utf-8")
    assert invoke("build", str(other)).code == 0
    shutil.copy(other / ".cache/postings.pickle", kept)
    body.write_text(body.read_text(encoding="utf-8") + "\nMột dòng nữa.\n", encoding="utf-8")
    assert invoke("build", str(site.root)).code == 0
    assert index_of(site.root) == clean_index()
