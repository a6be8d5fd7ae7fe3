"""A LegacyPage → the text of an article file: front matter, then a clean Markdown body."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from phucdong_site.legacy.page import Figure, LegacyPage

PLACEHOLDER_COMMENT = "# ẢNH THIẾU (missing photo): thay tệp này bằng ảnh gốc, giữ nguyên tên tệp"

# Characters that would turn plain portal text into Markdown syntax.
_INLINE = re.compile(r"([\\`*_{}\[\]])")   # {…} is attr_list syntax
_ENTITY = re.compile(r"&(?=[#A-Za-z0-9])")   # browsers read "&copy" and "&#0" without ";" too
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|\d+(?=[.)](\s|$))|-+$)")


@dataclass(frozen=True, slots=True)
class PlacedPhoto:
    src: str                     # relative to the article file
    caption: str
    placeholder: bool            # a stand-in image; the original photo is missing


def escape(text: str) -> str:
    """TEXT as Markdown that renders to exactly TEXT (portal text is plain, not Markdown)."""
    text = _TAG.sub("&lt;", _ENTITY.sub("&amp;", _INLINE.sub(r"\\\1", text)))
    match = _LINE_START.match(text)
    if match is None:
        return text
    marker = match.group(2)
    if marker[0].isdigit():     # "1. Công tác…" stays a sentence, not a numbered list
        end = match.end()
        return f"{text[:end]}\\{text[end:]}"
    return f"{text[:match.start(2)]}\\{text[match.start(2):]}"


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def article_text(page: LegacyPage, category: str, photos: list[PlacedPhoto],
                 slug: str | None, imported_from: str) -> str:
    """The whole .md file for PAGE, with PHOTOS in the order of its figures."""
    lines = ["---", f"title: {quoted(page.title)}", f"date: {page.published:%Y-%m-%d %H:%M}",
             f"views: {page.views}", f"category: {category}"]
    if slug:
        lines.append(f"slug: {slug}")
    if photos:
        lines.append("photos:")
        for photo in photos:
            if photo.placeholder:
                lines.append(f"  {PLACEHOLDER_COMMENT}")
            lines += [f"  - src: {quoted(photo.src)}", f"    caption: {quoted(photo.caption)}"]
    if page.addresses:           # the old portal's address: a redirect is kept there
        lines.append("aliases:")
        lines += [f"  - {quoted(address)}" for address in page.addresses]
    lines += [f"imported_from: {quoted(imported_from)}", "---", ""]
    return "\n".join(lines) + "\n" + _body(page, photos)


def _body(page: LegacyPage, photos: list[PlacedPhoto]) -> str:
    """Blocks separated by blank lines; list items one per line, so the list stays tight."""
    body, previous = "", ""
    remaining = iter(photos)
    for block in page.blocks:
        if isinstance(block, Figure):
            photo = next(remaining)
            alt = _INLINE.sub(r"\\\1", photo.caption)
            text, kind = f"![{alt}]({photo.src})", "figure"
        else:
            prefix = {"li": "- ", "h": "### "}.get(block.kind, "")
            text, kind = f"{prefix}{escape(block.text)}", block.kind
        separator = "\n" if kind == previous == "li" else "\n\n"
        body += (separator if body else "") + text
        previous = kind
    return body + "\n"
