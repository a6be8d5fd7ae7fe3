"""The commands of the editor's loop are documented where editors and developers look."""

from __future__ import annotations

import functools
import re

import pytest
from babel.messages.pofile import read_po

from conftest import REPO, run_cli


@pytest.mark.parametrize("command", ["serve", "new", "check", "deploy", "publish"])
def test_each_editor_command_has_help_and_is_documented(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0 and "usage: phucdong-site" in result.stdout
    assert f"phucdong-site {command}" in (REPO / "README.md").read_text(encoding="utf-8")
    assert f"phucdong-site {command}" in (REPO / "docs" / "huong-dan.md").read_text(
        encoding="utf-8") or (command == "serve" and "make serve" in
                              (REPO / "docs" / "huong-dan.md").read_text(encoding="utf-8"))


GUIDE = REPO / "docs" / "huong-dan.md"
PO = REPO / "src" / "phucdong_site" / "locale" / "vi" / "LC_MESSAGES" / "phucdong_site.po"
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}|%\(\w+\)[sdr]|%[sdr]")
FIELD = re.compile(r"^(?:[\w\[\]. ]+?: )+?(?=\S)")


def _printed_messages() -> list[str]:
    """Every Vietnamese message of the catalog, each placeholder written as WILD."""
    with PO.open("rb") as file:
        catalog = read_po(file)
    texts = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts += [PLACEHOLDER.sub(WILD, text) for text in strings if text]
    return texts


WILD = "\x00"


def _guide_messages() -> list[str]:
    """The code spans in the first column of the guide's tables of messages."""
    spans, in_table = [], False
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("| Thông báo"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("|---"):
            first = line.split(" | ")[0]
            spans += re.findall(r"`([^`]+)`", first)
    return spans


def _could_print(span: str, message: str) -> bool:
    """Whether SPAN (… where a value goes, perhaps cut short) begins some text MESSAGE
    prints (its placeholders WILD): both sides' wildcards match any text."""
    span = span.replace("…", WILD)

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(span):
            return True          # the guide may cut a long message short
        if span[i] == WILD and match(i + 1, j):
            return True
        if j == len(message):
            return False
        if message[j] == WILD:
            return match(i, j + 1) or match(i + 1, j)
        if span[i] == WILD:
            return match(i, j + 1)
        return span[i] == message[j] and match(i + 1, j + 1)

    return match(0, 0)


def _printed(span: str, messages: list[str]) -> bool:
    # The guide writes "field: message" (the field is the editor's, the message the
    # program's), and concrete values (a date, a file name) or … where the program puts them.
    for candidate in {span, FIELD.sub("", span)}:
        if not candidate.replace("…", "").strip():
            return True          # "front matter: …": the field alone, with its hint beside it
        grams = {candidate[k:k + 6] for k in range(len(candidate) - 5)}
        if any(_could_print(candidate, message) for message in messages
               if any(gram in message for gram in grams) or len(candidate) < 6):
            return True
    return False


def test_the_guides_tables_show_messages_the_program_prints():
    messages = _printed_messages()
    spans = _guide_messages()
    assert len(spans) > 30
    not_printed = [span for span in spans if not _printed(span, messages)]
    assert not not_printed, f"docs/huong-dan.md shows messages the program never prints: {not_printed}"


def test_the_guides_commands_are_the_makefiles_and_the_programs():
    guide = GUIDE.read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make (\w+)", guide)):
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target} is not in the Makefile"
    usage = run_cli("--help").stdout             # the commands the program has, as it says
    commands = set(re.findall(r"^    (\w+) ", usage, re.M))
    assert {"build", "check", "serve", "new", "import"} <= commands, usage
    for command in set(re.findall(r"phucdong-site (\w+)", guide)):
        assert command in commands, command
