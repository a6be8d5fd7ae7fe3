"""The register's static index (van-ban/chi-muc/), what static/js/register.js reads: each
document's facets, its number's key, its words' keys, its row; split so that one query reads
little; the same bytes from build to build."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from conftest import tree_bytes

from phucdong_site.config import load_config
from phucdong_site.content import load_site, public_site
from phucdong_site.pages import REGISTER_INDEX_DIR, register_index, register_index_files
from phucdong_site.search import search_key, word_keys

HANOI = timezone(timedelta(hours=7))
NOW = datetime(2025, 6, 1, tzinfo=HANOI)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# number, type, issuer, date, summary, more front matter
DOCUMENTS = [
    ("12/KH-UBND", "Kế hoạch", "UBND phường Phúc Đồng", "2021-01-15",
     "Kế hoạch tổ chức các hoạt động mừng Đảng, mừng Xuân Tân Sửu 2021",
     "thay_the_boi: 20/KH-UBND\n"),
    ("20/KH-UBND", "Kế hoạch", "UBND phường Phúc Đồng", "2021-06-01",
     "Kế hoạch tổ chức Tết Trung thu cho thiếu nhi", ""),
    ("05/TB-ĐU", "Thông báo", "Đảng ủy phường Phúc Đồng", "2020-03-02",
     "Thông báo lịch tiếp công dân tháng 3", "het_hieu_luc: 2020-04-01\n"),
    ("01/2019/QĐ-UBND", "Quyết định", "UBND phường Phúc Đồng", "2019-11-20",
     "Quyết định ban hành quy chế làm việc", "ngay_hieu_luc: 2030-01-01\n"),
]


def write_documents(site, documents=DOCUMENTS) -> None:
    for number, kind, issuer, issued, summary, more in documents:
        slug = number.replace("/", "-").replace("Đ", "D").lower()
        path = site.article(f"van-ban/{issued[:4]}/{slug}.md", (
            f"so_ky_hieu: {number}\nloai: {kind}\nco_quan: {issuer}\nnguoi_ky: Nguyễn Văn Bình\n"
            f"ngay_ban_hanh: {issued}\ntrich_yeu: {summary}\n{more}"
            f"tep:\n  - src: {slug}.pdf\n    title: Toàn văn"), body="Thân bài có chữ riêng.\n")
        (path.parent / f"{slug}.pdf").write_bytes(PDF)


def index_of(site) -> dict[str, object]:
    config = load_config(site.root)
    public, _left = public_site(load_site(config, jobs=1), NOW, drafts=False)
    return {path: json.loads(text) for path, text in register_index_files(public.register, config)}


def decode(meta: dict, name: str) -> list[int]:
    text, width = meta["columns"][name], meta["widths"][name]
    return [sum(register_index.DIGITS.index(ch) * 62 ** (width - 1 - k)
                for k, ch in enumerate(text[at:at + width]))
            for at in range(0, len(text), width)]


def postings(files: dict, key: str, part: str = "w") -> list[int]:
    """The ids under KEY, looked up as register.js looks it up: the two-character shard if
    meta.json lists one, else the one-character shard."""
    meta = files[REGISTER_INDEX_DIR + "meta.json"]
    two, one = register_index._hex(key[:2]), register_index._hex(key[0])
    shard = two if len(key) > 1 and two in meta["shards"] else one
    gaps = files.get(f"{REGISTER_INDEX_DIR}t/{shard}.json", {part: {}})[part].get(key, [])
    ids, at = [], 0
    for gap in gaps:
        at += gap
        ids.append(at)
    return ids


def test_meta_holds_each_documents_facets(site):
    write_documents(site)
    files = index_of(site)
    meta = files[REGISTER_INDEX_DIR + "meta.json"]
    assert meta["count"] == 4 and meta["rows"] == register_index.ROWS
    # types as site.toml lists them, with the slugs of /van-ban/loai/<slug>/
    assert meta["types"] == [["quyet-dinh", "Quyết định"], ["thong-bao", "Thông báo"],
                             ["ke-hoach", "Kế hoạch"]]
    assert meta["issuers"] == [["dang-uy-phuong-phuc-dong", "Đảng ủy phường Phúc Đồng"],
                               ["ubnd-phuong-phuc-dong", "UBND phường Phúc Đồng"]]
    assert meta["years"] == [2021, 2020, 2019]
    assert meta["statuses"] == [["con-hieu-luc", "Còn hiệu lực"],
                                ["chua-hieu-luc", "Chưa có hiệu lực"],
                                ["het-hieu-luc", "Hết hiệu lực"], ["bi-thay-the", "Bị thay thế"]]
    # ids in the register's order, newest first: 20/KH, 12/KH, 05/TB, 01/2019/QĐ
    assert decode(meta, "t") == [2, 2, 1, 0]
    assert decode(meta, "y") == [0, 0, 1, 2]
    assert decode(meta, "c") == [1, 1, 0, 1]
    assert [meta["statuses"][n][0] for n in decode(meta, "s")] == [
        "con-hieu-luc", "bi-thay-the", "het-hieu-luc", "chua-hieu-luc"]
    assert len(meta["version"]) == 16 and int(meta["version"], 16) >= 0
    assert sorted(meta["shards"]) == meta["shards"]
    assert {f"{REGISTER_INDEX_DIR}t/{name}.json" for name in meta["shards"]} == {
        path for path in files if "/t/" in path}


def test_numbers_are_kept_whole_under_their_key(site):
    write_documents(site)
    files = index_of(site)
    assert postings(files, "12-kh-ubnd", "n") == [1]
    assert postings(files, "20-kh-ubnd", "n") == [0]
    assert postings(files, "05-tb-du", "n") == [2]            # Đ folded as D
    assert postings(files, "01-2019-qd-ubnd", "n") == [3]
    assert postings(files, "12-kh", "n") == []                # whole numbers only


def test_words_are_keyed_as_the_site_search_keys_them(site):
    write_documents(site)
    files = index_of(site)
    assert word_keys("Xuân Tân Sửu, XUÂN") == ["xuan", "tan", "suu"]
    assert postings(files, "suu") == [1]
    assert postings(files, "dang") == [1, 2]                  # Đảng (summary), Đảng ủy (body)
    assert postings(files, "kh") == [0, 1] and postings(files, "12") == [1]
    assert postings(files, "ubnd") == [0, 1, 3]               # number and issuing body
    assert postings(files, "qd") == [3] and postings(files, "2019") == [3]
    assert postings(files, "binh") == [0, 1, 2, 3]            # the signer
    assert postings(files, "ke") == [0, 1] and postings(files, "hoach") == [0, 1]
    assert postings(files, "than") == [] and postings(files, "rieng") == []  # not the body
    every_key = {key for path, shard in files.items() if "/t/" in path for key in shard["w"]}
    assert all(key == search_key(key) for key in every_key)


def test_rows_show_what_a_result_shows(site):
    write_documents(site)
    files = index_of(site)
    rows = files[REGISTER_INDEX_DIR + "r/0.json"]
    assert [row["n"] for row in rows] == ["20/KH-UBND", "12/KH-UBND", "05/TB-ĐU",
                                          "01/2019/QĐ-UBND"]
    assert rows[1] == {
        "u": "van-ban/12-kh-ubnd/", "n": "12/KH-UBND", "d": "15/01/2021",
        "s": "Kế hoạch tổ chức các hoạt động mừng Đảng, mừng Xuân Tân Sửu 2021",
        "f": [["12-kh-ubnd.pdf", "Toàn văn", "PDF", "1 KB"]],
        "r": ["20/KH-UBND", "van-ban/20-kh-ubnd/"]}
    assert rows[2]["e"] == "01/04/2020"                       # Hết hiệu lực từ …
    assert rows[3]["e"] == "01/01/2030"                       # Chưa có hiệu lực (từ …)
    assert "r" not in rows[0] and "e" not in rows[0]


def test_rows_come_in_files_of_rows(site, monkeypatch):
    write_documents(site)
    monkeypatch.setattr(register_index, "ROWS", 3)
    files = index_of(site)
    assert files[REGISTER_INDEX_DIR + "meta.json"]["rows"] == 3
    assert [row["n"] for row in files[REGISTER_INDEX_DIR + "r/1.json"]] == ["01/2019/QĐ-UBND"]
    assert REGISTER_INDEX_DIR + "r/2.json" not in files


def test_a_large_shard_is_split_by_two_characters(site, monkeypatch):
    write_documents(site)
    monkeypatch.setattr(register_index, "SHARD_BYTES", 40)
    files = index_of(site)
    meta = files[REGISTER_INDEX_DIR + "meta.json"]
    assert "74-68" in meta["shards"] and "74-6f" in meta["shards"]   # "th", "to"
    assert "74" not in meta["shards"]
    assert postings(files, "thong") == [2] and postings(files, "to") == [0, 1]
    assert postings(files, "12-kh-ubnd", "n") == [1]
    for path, shard in files.items():
        if "/t/" in path:
            key = "".join(chr(int(code, 16)) for code in path.split("/t/")[1][:-5].split("-"))
            assert all(term.startswith(key) for part in shard.values() for term in part)


def test_no_documents_no_index(site):
    site.article("2024/tin.md", 'title: "Tin"\ndate: 2024-12-20 08:30')
    assert index_of(site) == {}


def test_the_version_follows_the_content(site):
    write_documents(site)
    before = index_of(site)[REGISTER_INDEX_DIR + "meta.json"]["version"]
    changed = [(*DOCUMENTS[0][:4], "Kế hoạch mừng Xuân", DOCUMENTS[0][5]), *DOCUMENTS[1:]]
    write_documents(site, changed)
    assert index_of(site)[REGISTER_INDEX_DIR + "meta.json"]["version"] != before


def test_a_build_writes_the_same_bytes_twice(site, tmp_path):
    write_documents(site)
    for out in ("one", "two"):
        result = site.build("-o", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
    one = tree_bytes(tmp_path / "one" / REGISTER_INDEX_DIR)
    assert one == tree_bytes(tmp_path / "two" / REGISTER_INDEX_DIR)
    assert {"meta.json", "r/0.json"} <= set(one)
    meta = json.loads(one["meta.json"])
    assert all(f"t/{name}.json" in one for name in meta["shards"])


@pytest.mark.parametrize("typed", ["12/KH-UBND", "12 kh ubnd", "12-kh-ubnd", "12 / KH - UBND"])
def test_a_number_however_typed_has_one_key(typed):
    from phucdong_site.text import number_key
    assert number_key(typed) == "12-kh-ubnd"
