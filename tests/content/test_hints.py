"""Mistakes editors make in front matter: each gets its line and a hint that says what to do."""

from __future__ import annotations

import pytest

CASES = [
    # (front matter lines, expected "path:line: message" start, expected hint part)
    ('title: Hội nghị: tổng kết\ndate: 2024-05-01 08:30',
     "content/2024/a.md:2: front matter: not valid YAML", 'must be in double quotes'),
    ('title: “Hội nghị: tổng kết”\ndate: 2024-05-01 08:30',
     "content/2024/a.md:2: front matter:", "straight double quotes"),
    ('title: "Hội nghị tổng kết\ndate: 2024-05-01 08:30',
     "content/2024/a.md:2: front matter:", "quote opened on this line is not closed"),
    ('title: "Hội nghị" tổng kết\ndate: 2024-05-01 08:30',
     "content/2024/a.md:2: front matter:", "text after the closing quote"),
    ('title "Hội nghị"\ndate: 2024-05-01 08:30',
     "content/2024/a.md:3: front matter:", "line above has no ':'"),
    ('title: "Hội nghị"\ndate: 2024-05-01 08:30\nphotos:\n\t- src: a.jpg',
     "content/2024/a.md:5: front matter:", "spaces, not tabs"),
    ('title: "Hội nghị"\ndate: 2024-05-01 08:30\ntitle: "Hội nghị khác"',
     "content/2024/a.md:4: title: written twice (also on line 2)", "keep only one"),
    ('title: Hội nghị #1 năm 2024\ndate: 2024-05-01 08:30',
     "content/2024/a.md:2: title: the text after # would be dropped", "double quotes"),
    ('tittle: "Hội nghị"\ntitle: "Hội nghị"\ndate: 2024-05-01 08:30',
     "content/2024/a.md:2: tittle: unknown field", "did you mean 'title'?"),
    ('title: "Hội nghị"\nngày: 2024-05-01 08:30\ndate: 2024-05-01 08:30',
     "content/2024/a.md:3: ngày: unknown field", "write date: instead of ngày:"),
    ('title: "Hội nghị"\ndate: 2024-05-01 08:30\nphotos:\n  - src: a.jpg\n    chú thích: "Ảnh"',
     "content/2024/a.md:6: photos[0].chú thích: unknown field", "write caption: instead"),
]


@pytest.mark.parametrize("front_matter, where, hint", CASES)
def test_an_editors_mistake_gets_its_line_and_a_hint(site, front_matter, where, hint):
    site.photo("2024/a.jpg")
    path = site.content / "2024" / "a.md"
    path.write_text(f"---\n{front_matter}\n---\n\nNội dung.\n", encoding="utf-8")
    result = site.check()
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    at = next((i for i, line in enumerate(lines) if line.startswith(where)), None)
    assert at is not None, result.stderr
    assert lines[at + 1].startswith("  hint: ") and hint in lines[at + 1], result.stderr
    assert "Traceback" not in result.stderr
