"""Vietnamese text: ASCII slugs, accent-free keys, captions, and the order a Vietnamese
reader expects.

Slugs, folding and captions come first; the sort keys (collation) follow.
"""

from __future__ import annotations

import functools
import re
import unicodedata

MAX_SLUG_LENGTH = 80

# "đ" has no Unicode decomposition, so NFD alone would keep it.
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Text without tones, marks or "đ", in NFC: "Phúc Đồng" → "Phuc Dong"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary."""
    # Letters outside ASCII that survive folding are dropped; punctuation and spaces of any
    # kind (en dashes, curly quotes) separate words.
    words = "".join(ch if ch.isascii() or not ch.isalnum() else ""
                    for ch in unicodedata.normalize("NFKD", fold(text)))
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-")


@functools.lru_cache(maxsize=1 << 14)
def number_key(number: str) -> str:
    """A document number as lookups and URLs see it: folded, lower case, its parts joined by
    hyphens. "12/KH-UBND", "12 kh ubnd" and "12-kh-ubnd" are all 12-kh-ubnd."""
    return slugify(number, max_length=200)


def is_slug(text: str) -> bool:
    return re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text) is not None


def caption_text(caption: str) -> str:
    """A photo's caption as the old portal printed it: "Ảnh: …"."""
    if fold(caption[:4]).lower().startswith("anh:"):
        return caption
    return f"Ảnh: {caption}"


# Collation.
#
# Sort keys that order Vietnamese text as a Vietnamese reader expects.
#
# Python's default order compares code points, which puts "Đ" after "Z" and "á" after
# every plain letter. Vietnamese dictionaries instead compare syllable by syllable
# ("tai", "tai nạn", "tài", "tài chính"), and within a syllable:
#
# 1. the letters, with ă, â, đ, ê, ô, ơ, ư as letters of their own
#    (a < ă < â < b < c < d < đ < e < ê < … < o < ô < ơ < … < u < ư < …);
# 2. then the tone, in the order
#    ngang (none) < huyền (`) < hỏi (?) < ngã (~) < sắc (´) < nặng (.).
#
# Case only breaks the remaining ties (lower before upper), so the order is total.

# The Vietnamese alphabet, with the Latin letters it does not use (f, j, w, z) in their
# Latin places so that foreign words still sort sensibly.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_VOWEL_MARKS = {("a", _BREVE): "ă", ("a", _CIRCUMFLEX): "â", ("e", _CIRCUMFLEX): "ê",
                ("o", _CIRCUMFLEX): "ô", ("o", _HORN): "ơ", ("u", _HORN): "ư"}
# ngang is 0 (no mark); then huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Separators end a syllable; digits sort before letters, anything else after letters.
_SEPARATOR, _DIGIT, _LETTER, _OTHER = range(4)


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """Each base letter of TEXT (ă, â… as one letter), its tone rank, and whether upper case."""
    letters: list[tuple[str, int, bool]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and letters:
            base, tone, upper = letters[-1]
            if char in _TONE_RANK:
                letters[-1] = (base, _TONE_RANK[char], upper)
            elif (base, char) in _VOWEL_MARKS:
                letters[-1] = (_VOWEL_MARKS[base, char], tone, upper)
            continue                # other marks do not change the order
        lower = char.lower()
        letters.append((lower, 0, lower != char))
    return letters


def _primary(char: str) -> tuple[int, int]:
    if char in _LETTER_RANK:
        return (_LETTER, _LETTER_RANK[char])
    if char.isdigit():
        return (_DIGIT, int(char) if char.isascii() else ord(char))
    if char.isspace() or unicodedata.category(char).startswith(("P", "Z")):
        return (_SEPARATOR, 0)      # "Đảng ủy" and "Đảng-ủy" sort together
    return (_OTHER, ord(char))


def collation_key(text: str) -> tuple:
    """A sort key: syllable by syllable, letters then tone; then case; then the text itself."""
    letters = _letters(text.strip())
    syllables: list[tuple[tuple, tuple]] = []
    current: list[tuple[str, int, bool]] = []
    for letter in [*letters, (" ", 0, False)]:
        if _primary(letter[0])[0] == _SEPARATOR:
            if current:
                syllables.append((tuple(_primary(char) for char, _, _ in current),
                                  tuple(tone for _, tone, _ in current)))
            current = []
        else:
            current.append(letter)
    return (tuple(syllables), tuple(upper for _, _, upper in letters), text)
