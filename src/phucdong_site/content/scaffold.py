"""`new`: a fresh article file with every front-matter field written out, as a draft."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.errors import SiteError, UsageError, shown_path
from phucdong_site.language import _
from phucdong_site.text import slugify


class ArticleExists(SiteError):
    """The article file is already there; `new` never overwrites."""


def article_text(title: str, moment: datetime, config: SiteConfig) -> str:
    """The new article: complete front matter, a draft, and a placeholder paragraph."""
    # json.dumps gives a double-quoted YAML string: colons, quotes and # in a title stay text.
    quoted = json.dumps(title, ensure_ascii=False)
    year = f"{moment:%Y}"
    return f"""\
---
title: {quoted}
date: {moment:%Y-%m-%d %H:%M}
views: 0
# Ảnh: xóa dấu # ở đầu ba dòng ngay dưới đây. Đường dẫn ảnh tính từ bài viết hoặc
# từ content/; ảnh đầu tiên là ảnh đại diện của bài.
#photos:
#  - src: photos/{year}/ten-anh.jpg
#    caption: "Chú thích ảnh: ai, làm gì, ở đâu"
category: {config.default_category}
tags: []
featured: false
# summary: "Tóm tắt ngắn; nếu bỏ trống, lấy đoạn đầu tiên của bài"
draft: true   # đổi thành false khi bài đã sẵn sàng để đăng
---

Viết nội dung bài ở đây. Mỗi đoạn văn cách nhau một dòng trống.
"""


def new_article(config: SiteConfig, title: str, now: datetime | None = None) -> Path:
    """Create content/YYYY/<slug>.md for TITLE and return its path; never overwrite."""
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:   # the terminal sent bytes that are not UTF-8
        raise UsageError("new: " + _("the title is not UTF-8 text; type it again in a "
                                     "terminal set to UTF-8")) from None
    title = unicodedata.normalize("NFC", " ".join(title.split()))
    if control := next((char for char in title if unicodedata.category(char) == "Cc"), None):
        # it would be written as an escape (\x07) that check and build refuse
        raise UsageError("new: " + _("the title contains the control character U+{code:04X}; "
                                     "type it again without it").format(code=ord(control)))
    if not title:
        raise UsageError("new: " + _('the title is empty; write it in quotes, e.g. '
                                     'phucdong-site new "Hội nghị tổng kết năm 2024"'))
    slug = slugify(title)
    if not slug:
        raise UsageError("new: " + _('"{title}" has no letters or digits to make a file name '
                                     'from').format(title=title))
    moment = (now or datetime.now(config.tz)).astimezone(config.tz)
    path = config.content_dir / f"{moment:%Y}" / f"{slug}.md"
    text = article_text(title, moment, config).encode("utf-8")   # before any file is made
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # "x": create, or fail if the file exists, in one step (no check-then-write race).
        with path.open("xb") as file:
            try:
                file.write(text)
            except BaseException:
                path.unlink(missing_ok=True)     # the disk is full: no empty article left
                raise
    except FileExistsError:
        raise ArticleExists(_("{path}: already exists; nothing was written (open that file, "
                              "or choose another title)").format(path=shown_path(path))) from None
    return path
