"""A missing photo whose name is a near miss of a file beside it: "did you mean …?"."""

from __future__ import annotations

import os
import pickle
import unicodedata
from pathlib import Path

import pytest

from phucdong_site.photos import PhotoProblem, locate, sources
from phucdong_site.photos.sources import similar_name


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read messages in English, the language of the code."""
    monkeypatch.setenv("LANGUAGE", "en")
    sources._folder_names.cache_clear()


def touch(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"")


@pytest.mark.parametrize("wanted, existing", [
    ("Tong-Ve-Sinh.JPG", "tong-ve-sinh.jpg"),               # letter case
    ("tổng-vệ-sinh.jpg", "tong-ve-sinh.jpg"),               # Vietnamese tones and marks
    ("tong-ve-sinh.jpg", "Tổng-Vệ-Sinh.jpg"),
    ("duong-lang.jpg", "đường-làng.jpg"),                   # đ / d
    ("ĐƯỜNG-LÀNG.JPG", "duong-lang.jpg"),
    ("tong-ve-sinh.jpeg", "tong-ve-sinh.jpg"),              # extension
    ("tong-ve-sinh.jpg", "tong-ve-sinh.HEIC"),
    ("tong-ve-sinh.png", "tong-ve-sinh.webp"),
    ("tong-ve-sinh", "tong-ve-sinh.jpg"),                   # no extension at all
    ("Tổng Vệ Sinh.heic", "tong ve sinh.JPEG"),             # all at once
])
def test_a_near_miss_names_the_existing_file(tmp_path, wanted, existing):
    touch(tmp_path, existing, "other.jpg", "tong-ve-sinh-2.jpg")
    assert similar_name(tmp_path / wanted) == existing


@pytest.mark.parametrize("wanted", [
    "tong-ve-sinh-3.jpg",        # another photo, not a spelling of this one
    "tong-ve.jpg",
    "tong-ve-sinh.md",           # not an image extension: not "the same photo"
    "nothing.jpg",
])
def test_no_hint_for_a_name_that_differs_in_more_than_case_accents_or_extension(tmp_path,
                                                                               wanted):
    touch(tmp_path, "tong-ve-sinh.jpg", "tong-ve-sinh-2.jpg")
    assert similar_name(tmp_path / wanted) is None


def test_the_closest_of_several_near_misses_is_named(tmp_path):
    touch(tmp_path, "anh.png", "anh.jpeg", "ANH.jpg")
    assert similar_name(tmp_path / "Anh.JPG") == "ANH.jpg"     # only the case differs
    assert similar_name(tmp_path / "anh.JPG") == "ANH.jpg"
    touch(tmp_path / "b", "anh.png", "anh.jpeg")
    assert similar_name(tmp_path / "b" / "anh.jpg") == "anh.jpeg"   # .jpeg is a .jpg


def test_folders_and_missing_folders_give_no_hint(tmp_path):
    (tmp_path / "Anh.jpg").mkdir()
    assert similar_name(tmp_path / "anh.jpg") is None
    assert similar_name(tmp_path / "no-such-folder" / "anh.jpg") is None


def test_a_file_added_after_a_listing_is_found(tmp_path):
    touch(tmp_path, "a.jpg")
    assert similar_name(tmp_path / "B.jpg") is None
    touch(tmp_path, "b.jpg")                # the folder's new mtime: listed again
    assert similar_name(tmp_path / "B.jpg") == "b.jpg"


def test_locate_puts_the_hint_on_the_problem_with_the_path_as_written(tmp_path):
    site = tmp_path / "site"
    touch(site / "content" / "2024" / "photos", "tong-ve-sinh.jpg")
    touch(site / "content" / "chung", "Đình-làng.heic")
    article = Path("content/2024/a.md")
    with pytest.raises(PhotoProblem) as caught:
        locate("photos/Tong-Ve-Sinh.JPG", article, site)
    assert str(caught.value) == "photos/Tong-Ve-Sinh.JPG does not exist"
    assert caught.value.hint == "did you mean photos/tong-ve-sinh.jpg?"
    # Relative to content/ rather than to the article, and with accents.
    with pytest.raises(PhotoProblem) as caught:
        locate("chung/dinh-lang.jpg", article, site)
    assert caught.value.hint == "did you mean chung/Đình-làng.heic?"
    # "../" from content/2024/ that may mean content/…: a near miss, not "leaves the site".
    with pytest.raises(PhotoProblem) as caught:
        locate("../chung/DINH-LANG.heic", article, site)
    assert caught.value.hint == "did you mean ../chung/Đình-làng.heic?"
    with pytest.raises(PhotoProblem) as caught:
        locate("photos/khac.jpg", article, site)
    assert caught.value.hint == ""


def test_a_name_that_differs_only_in_its_unicode_form_gets_its_own_hint(tmp_path):
    # macOS tools save "ả" as "a" + a combining hook; the article (NFC) cannot name it.
    decomposed = unicodedata.normalize("NFD", "ảnh-hội-nghị.jpg")
    touch(tmp_path / "content", decomposed)
    with pytest.raises(PhotoProblem) as caught:
        locate("ảnh-hội-nghị.jpg", Path("content/a.md"), tmp_path)
    assert "retype the name of the file" in caught.value.hint


def test_the_hint_survives_the_trip_back_from_a_worker_process():
    problem = pickle.loads(pickle.dumps(PhotoProblem("a.jpg does not exist", hint="did you?")))
    assert (str(problem), problem.hint) == ("a.jpg does not exist", "did you?")
    assert PhotoProblem("x").hint == ""


def test_a_large_folder_is_listed_once_for_any_number_of_misses(tmp_path, monkeypatch):
    # 20,000 files (making 100,000 takes 20 s here); the cost is one listing either way.
    folder = tmp_path / "photos"
    folder.mkdir()
    for number in range(20_000):
        (folder / f"anh-{number}.jpg").touch()
    listings = []
    real_scandir = os.scandir

    def counting_scandir(path):
        listings.append(path)
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", counting_scandir)
    for number in range(0, 20_000, 100):
        assert similar_name(folder / f"ANH-{number}.JPEG") == f"anh-{number}.jpg"
        assert similar_name(folder / f"khac-{number}.jpg") is None
    assert listings == [str(folder)]


def test_a_missing_photo_gets_the_hint_through_the_command_line(site):
    touch(site.content / "2024" / "photos", "tong-ve-sinh.jpg")
    site.article("2024/a.md", """
        title: "Tổng vệ sinh"
        date: 2024-05-01 08:30
        photos:
          - src: photos/Tong-Ve-Sinh.JPG
            caption: "Ra quân"
    """)
    result = site.check()
    assert result.returncode == 1
    assert ("content/2024/a.md:5: photos[0].src: photos/Tong-Ve-Sinh.JPG does not exist\n"
            "  hint: did you mean photos/tong-ve-sinh.jpg?\n") in result.stderr, result.stderr
