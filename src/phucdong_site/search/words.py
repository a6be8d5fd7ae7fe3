"""Words as the search index and static/js/search.js both see them: the contract between
the index and the script. A word is a run of letters, digits and combining marks; its key
is the word folded (text.fold: tones, marks and "đ" removed) and lower-cased, so "phuc
dong", "Phúc Đồng" and "PHÚC ĐỒNG" meet on "phuc dong"."""

from __future__ import annotations

import functools
import re
import unicodedata
from html.parser import HTMLParser

from phucdong_site.text import fold

MAX_TERM_LENGTH = 40             # longer "words" are codes or garbage, not search terms


# Combining marks live in planes 0 and 1 and in the variation selectors of plane 14.
_MARK_PLANES = (range(0x20000), range(0xE0000, 0xE1000))


_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")


@functools.cache
def _marks() -> tuple[frozenset[str], re.Pattern[str]]:
    """Every combining mark, and the word pattern that takes them in.

    Python's re has no class for combining marks (\\p{M} in search.js), so it is built once
    from the Unicode database, as ranges. A class of hundreds of ranges is slow to match
    (it was most of a cold build's search indexing), and text in NFC rarely holds a mark:
    words() uses it only for text that does.
    """
    codes = [code for plane in _MARK_PLANES for code in plane
             if unicodedata.category(chr(code))[0] == "M"]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    marks = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return frozenset(map(chr, codes)), re.compile(f"(?:[^\\W_]|[{marks}])+")


def words(text: str) -> list[str]:
    """The words of TEXT in NFC: runs of letters, digits and combining marks.

    Must agree with tokens() in static/js/search.js (/[\\p{L}\\p{N}\\p{M}]+/gu)."""
    text = unicodedata.normalize("NFC", text)
    marks, with_marks = _marks()
    if marks.isdisjoint(text):          # then the two patterns find the same words
        return _LETTERS_AND_DIGITS.findall(text)
    return with_marks.findall(text)


@functools.lru_cache(maxsize=1 << 16)
def search_key(word: str) -> str:
    """The folded, lower-case form a word is indexed and looked up under."""
    return fold(word).lower()


def word_keys(text: str) -> list[str]:
    """The search keys of TEXT's words, each once, in order; none longer than
    MAX_TERM_LENGTH (the register's index, pages/register_index.py, holds these)."""
    keys = (search_key(word) for word in words(text))
    return list(dict.fromkeys(key for key in keys if len(key) <= MAX_TERM_LENGTH))


# Inline elements join their text to the words around them; any other tag separates words.
_INLINE = frozenset("a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span "
                    "strong sub sup time u var wbr".split())


class _TextOf(HTMLParser):
    """Collects the text of an HTML fragment, with a space where blocks meet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())
