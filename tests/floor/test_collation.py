import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from phucdong_site.text import ALPHABET, collation_key


def sort_vietnamese(items):
    """ITEMS sorted by their Vietnamese order (the build sorts by collation_key directly)."""
    return sorted(items, key=collation_key)


def test_d_with_stroke_comes_after_d_not_after_z():
    assert sort_vietnamese(["Đông", "Zalo", "Dương", "Em", "Da"]) == \
        ["Da", "Dương", "Đông", "Em", "Zalo"]


def test_vowels_with_marks_are_letters_of_their_own():
    words = ["ư", "ơ", "ô", "o", "ê", "e", "â", "ă", "a", "u"]
    assert sort_vietnamese(words) == ["a", "ă", "â", "e", "ê", "o", "ô", "ơ", "u", "ư"]
    # Letters decide before tones: "ánh" (a) before "ăn" (ă), whatever the tone.
    assert sort_vietnamese(["ăn", "ánh", "an"]) == ["an", "ánh", "ăn"]


def test_tones_in_dictionary_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert sort_vietnamese(["mạ", "má", "mã", "mả", "mà", "ma"]) == \
        ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_syllable_by_syllable_like_a_dictionary():
    assert sort_vietnamese(["tái", "tài chính", "tai nạn", "tài", "tai"]) == \
        ["tai", "tai nạn", "tài", "tài chính", "tái"]
    assert sort_vietnamese(["bà", "ba", "bá", "bạn"]) == ["ba", "bà", "bá", "bạn"]


def test_case_is_the_last_tie_breaker_and_words_are_compared_word_by_word():
    assert sort_vietnamese(["Đảng bộ", "đảng bộ", "Đảng", "Đảng-bộ"]) == \
        ["Đảng", "đảng bộ", "Đảng bộ", "Đảng-bộ"]
    assert collation_key("Đảng-bộ")[0] == collation_key("Đảng  bộ")[0]
    assert sort_vietnamese(["thanh niên", "thanh", "Thanh Hoá"]) == \
        ["thanh", "Thanh Hoá", "thanh niên"]


def test_digits_come_before_letters():
    assert sort_vietnamese(["tổ 2", "năm 2021", "2020", "an"]) == ["2020", "an", "năm 2021", "tổ 2"]


def test_decomposed_and_composed_text_sort_the_same():
    composed = "Đường phố văn minh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert collation_key(composed)[:2] == collation_key(decomposed)[:2]


vietnamese_words = st.text(alphabet=ALPHABET + "áàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩị ", min_size=1,
                           max_size=12)


@given(vietnamese_words, vietnamese_words)
def test_the_order_is_total_and_consistent(a, b):
    ka, kb = collation_key(a), collation_key(b)
    assert (ka < kb) + (kb < ka) + (ka == kb) == 1
    assert (ka == kb) == (a == b)


@given(vietnamese_words)
def test_every_word_with_d_stroke_sorts_after_the_same_word_with_d(word):
    with_d, with_stroke = f"d{word}", f"đ{word}"
    assert collation_key(with_d) < collation_key(with_stroke)
