"""Every message of the photos wing an editor reads goes through gettext, with named
placeholders, so that the Vietnamese catalog can translate it."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from source_checks import calls, name_of

import phucdong_site.photos

WING = Path(phucdong_site.photos.__file__).parent
# What carries a message to the editor; ValueError is left to the programmer's own mistakes.
MESSAGE_CARRIERS = {"PhotoProblem", "ProcessingProblem", "SiteError", "ContentError", "OSError"}


def is_translated(node: ast.AST) -> bool:
    """_("…") itself, or _("…").format(...)."""
    if isinstance(node, ast.Call) and name_of(node) == "format":
        node = node.func.value
    return isinstance(node, ast.Call) and name_of(node) == "_"


@pytest.mark.parametrize("module", sorted(p.name for p in WING.glob("*.py")))
def test_messages_are_translated_with_named_placeholders(module):
    tree = ast.parse((WING / module).read_text(encoding="utf-8"))
    for call in calls(tree):
        where = f"{module}:{call.lineno}"
        if name_of(call) in MESSAGE_CARRIERS:
            given = [*call.args, *(k.value for k in call.keywords if k.arg in ("message", "hint"))]
            texts = [arg for arg in given if isinstance(arg, ast.JoinedStr)
                     or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))]
            assert not texts, f"{where}: a message not wrapped in _()"
        if name_of(call) == "_":
            [message] = call.args
            assert isinstance(message, ast.Constant) and isinstance(message.value, str), (
                f"{where}: _() takes a plain string, never an f-string")
            fields = [field for _text, field, _spec, _conv in
                      string.Formatter().parse(message.value) if field is not None]
            assert all(field.isidentifier() for field in fields), (
                f"{where}: placeholders must be named: {fields}")
