"""Every message of the import an editor reads goes through gettext, with named placeholders,
and the printed lines keep their machine shape whatever the language."""

from __future__ import annotations

import ast
import gettext
import string
from pathlib import Path

import pytest
from source_checks import calls, name_of

import phucdong_site.legacy
from phucdong_site import language
from phucdong_site.legacy import Outcome, outcome_lines
from phucdong_site.legacy.importer import Summary

WING = Path(phucdong_site.legacy.__file__).parent
# What carries a message to the editor, and the place of its first message argument: the
# problems, the outcomes (their status is a code, translated when printed) and the reasons
# a photo is missing.
MESSAGE_CARRIERS = {"ImportProblem": 0, "ContentError": 2, "Outcome": 2, "Figure": 2, "_Image": 1}
# Lists of notes and warnings the editor reads, filled with append() or insert().
MESSAGE_LISTS = {"warnings", "notes"}


def is_text(node: ast.AST) -> bool:
    """An untranslated message: an f-string, or a non-empty string literal."""
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                               and isinstance(node.value, str) and node.value)


def placeholders(message: str) -> list[str]:
    return [field for _text, field, _spec, _conv in string.Formatter().parse(message)
            if field is not None]


@pytest.mark.parametrize("module", sorted(p.name for p in WING.glob("*.py")))
def test_messages_are_translated_with_named_placeholders(module):
    tree = ast.parse((WING / module).read_text(encoding="utf-8"))
    for call in calls(tree):
        where = f"{module}:{call.lineno}"
        name = name_of(call)
        if name in MESSAGE_CARRIERS:
            given = call.args[MESSAGE_CARRIERS[name]:]
            assert not any(is_text(arg) for arg in given), f"{where}: a message not wrapped in _()"
        if (name in {"append", "insert"} and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id in MESSAGE_LISTS):
            assert not is_text(call.args[-1]), f"{where}: a note not wrapped in _()"
        if name in {"_", "N_", "ngettext"} and isinstance(call.func, ast.Name):
            for message in call.args[:2] if name == "ngettext" else call.args:
                # _(CONSTANT) translates a message marked N_() where it is defined.
                marked = isinstance(message, ast.Constant) and isinstance(message.value, str)
                assert marked or (name == "_" and isinstance(message, (ast.Name, ast.Subscript))), (
                    f"{where}: {name}() takes a plain string, never an f-string")
                if not marked:
                    continue
                fields = placeholders(message.value)
                assert all(field.isidentifier() for field in fields), (
                    f"{where}: placeholders must be named: {fields}")
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inner = [call for call in calls(node) if name_of(call) in {"_", "ngettext"}]
            assert not inner, f"{module}:{node.lineno}: _() inside an f-string"


def test_no_local_named_underscore_hides_gettext():
    for path in sorted(WING.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                raise AssertionError(f"{path.name}:{node.lineno}: a variable named _")


class Marked(gettext.NullTranslations):
    """A catalog that marks every message it translates."""

    def gettext(self, message):
        return f"«{message}»"

    def ngettext(self, singular, plural, count):
        return f"«{singular if count == 1 else plural}»"


@pytest.fixture
def marked(monkeypatch):
    monkeypatch.setattr(language, "_catalog", lambda _language: Marked())


def test_outcome_words_are_translated_and_the_shape_kept(marked):
    imported = Outcome("bai-cu/a.txt", "imported", "content/imported/2021/a.md", ("x", "y"))
    assert outcome_lines(imported) == ["«imported»: bai-cu/a.txt → content/imported/2021/a.md",
                                       "  «note»: x", "  «note»: y"]
    skipped = Outcome("bai-cu/b.txt", "skipped", "why")
    assert outcome_lines(skipped) == ["«skipped»: bai-cu/b.txt: why"]
    summary = Summary([imported, skipped])
    assert summary.line() == "«2 pages»: «1 imported, 1 skipped, 0 failed»"
    assert Summary([skipped]).line() == "«1 page»: «0 imported, 1 skipped, 0 failed»"


def test_english_summary_counts_pages():
    one = Outcome("a.txt", "skipped", "why")
    assert Summary([one]).line() == "1 page: 0 imported, 1 skipped, 0 failed"
    assert Summary([one, one]).line() == "2 pages: 0 imported, 2 skipped, 0 failed"
