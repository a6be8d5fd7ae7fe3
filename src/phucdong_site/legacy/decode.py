"""Bytes of a page saved from the old portal → clean Unicode text, or a clear refusal.

The portal served UTF-8, but pages saved over the years also come as UTF-8 with a BOM and
as Windows-1258, the legacy Vietnamese code page that writes tones as combining marks.
Nothing here guesses silently: a page is decoded only when the result reads as Vietnamese;
otherwise the caller gets an ImportProblem that says which bytes did not fit.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from phucdong_site.language import _, ngettext


class ImportProblem(ValueError):
    """Why a legacy page cannot be imported, with the line it concerns when known."""

    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str                    # NFC, LF line ends, hygiene applied per line
    encoding: str                # "utf-8", "utf-8-sig", "cp1258", "utf-16"


def _vietnamese_letters() -> frozenset[str]:
    vowels = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones} | {"đ"}
    return frozenset(letters | {ch.upper() for ch in letters})


VIETNAMESE_LETTERS = _vietnamese_letters()
# Typography the portal's editors used and that the site keeps as is.
KEPT_PUNCTUATION = frozenset("“”‘’«»–—…•·°×€%")
# Spaces that are not plain spaces, and invisible characters, as pasted from Word.
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_RUN_OF_SPACES = re.compile(" {2,}")
# UTF-8 read as Windows-125x and saved again: "Phường" → "PhÆ°á»\x9dng".
_MOJIBAKE = re.compile("á»|áº|Æ°|Ä‘|Ä\u0090|Ã¡|Ã¢|Ã´|Ãª|Ã\u00a0|Ã³|Ã¨")


def clean_line(text: str) -> str:
    """One line with odd spaces made plain, invisible characters dropped, runs collapsed."""
    text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
    return _RUN_OF_SPACES.sub(" ", text).strip()


def decode_page(data: bytes) -> DecodedText:
    """DATA as NFC text with LF line ends; raises ImportProblem when it is not a readable page.

    A page's own <meta charset> is not trusted: editors re-saved pages as UTF-8 without
    changing it. UTF-8 is tried first because Windows-1258 text is practically never valid
    UTF-8, while UTF-8 read as Windows-1258 would "succeed" with garbage.
    """
    if not data.strip():
        raise ImportProblem(_("empty file"))
    if data.startswith(codecs.BOM_UTF8):
        encoding, text = "utf-8-sig", _strict(data, "utf-8-sig")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, text = "utf-16", _strict(data, "utf-16")
    else:
        _refuse_binary(data)
        encoding, text = _utf8_or_cp1258(data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    _refuse_mojibake(text)
    _refuse_lost_letters(text)
    if encoding == "cp1258":
        _refuse_unlike_vietnamese(text)
    return DecodedText(text=text, encoding=encoding)


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportProblem(_("not valid {codec} text (byte 0x{byte:02x})").format(
            codec=codec, byte=data[error.start]), data.count(b"\n", 0, error.start) + 1) from None


def _refuse_binary(data: bytes) -> None:
    head = data[:4096]
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f")
    if b"\x00" in head or controls > len(head) // 100:
        raise ImportProblem(ngettext(
            "binary data, not a text or HTML page ({count} control byte in the first {size})",
            "binary data, not a text or HTML page ({count} control bytes in the first {size})",
            controls).format(count=controls, size=len(head)))


def _utf8_or_cp1258(data: bytes) -> tuple[str, str]:
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    line = data.count(b"\n", 0, utf8_error.start) + 1
    if utf8_error.start >= len(data) - 3 and utf8_error.reason == "unexpected end of data":
        raise ImportProblem(_("truncated: the file ends in the middle of a character"), line)
    try:
        return "cp1258", data.decode("cp1258")
    except UnicodeDecodeError:
        raise ImportProblem(_("unknown encoding: byte 0x{byte:02x} is not UTF-8, and the file "
                              "is not Windows-1258 either").format(byte=data[utf8_error.start]),
                            line) from None


def _refuse_mojibake(text: str) -> None:
    found = _MOJIBAKE.findall(text)
    if len(found) >= 2:
        line = text.count("\n", 0, _MOJIBAKE.search(text).start()) + 1
        raise ImportProblem(_("garbled diacritics (text such as '{text}' is UTF-8 that was "
                              "decoded wrongly and saved again); save the page again from the "
                              "portal").format(text=found[0]), line)


_LOST_IN_WORD = re.compile(r"\w\?+\w")


def _refuse_lost_letters(text: str) -> None:
    """Letters replaced by "?" or "�" when the page was saved in an encoding without them."""
    lost = [match for match in re.finditer(r"\S+", text)
            if "\ufffd" in match.group() or (_LOST_IN_WORD.search(match.group())
                                             and not re.search(r"[/=.]", match.group()))]
    # One "?" inside a word may be a typo ("sao?Vì"); "\ufffd" is always a lost letter.
    if len(lost) >= 3 or any("\ufffd" in match.group() for match in lost):
        line = text.count("\n", 0, lost[0].start()) + 1
        raise ImportProblem(_("letters lost (such as '{word}'): the page was saved in an "
                              "encoding without Vietnamese letters; save it again as "
                              "UTF-8").format(word=lost[0].group()), line)


def _refuse_unlike_vietnamese(text: str) -> None:
    """Windows-1258 decodes almost any bytes: accept it only if the result reads as Vietnamese."""
    odd = [(index, ch) for index, ch in enumerate(text)
           if ord(ch) > 127 and ch not in VIETNAMESE_LETTERS and ch not in KEPT_PUNCTUATION
           and not ch.isspace() and unicodedata.category(ch) not in {"Pd", "Pi", "Pf", "Po"}]
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if odd and (len(odd) > 3 or len(odd) * 50 > non_ascii):
        index, ch = odd[0]
        shown = "".join(sorted({c for _index, c in odd[:20]}))[:10]
        raise ImportProblem(
            _("unknown encoding: not UTF-8, and read as Windows-1258 it gives characters "
              "that are not Vietnamese ({characters}); save the page as UTF-8").format(
                characters=shown),
            text.count("\n", 0, index) + 1)
