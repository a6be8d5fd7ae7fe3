"""Split a file into front matter and body, and read the YAML with the line of every value."""

from __future__ import annotations

import re
from dataclasses import dataclass

import frontmatter
import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves dates as text, so content/article.py can report bad ones itself."""


# PyYAML would turn 2021-02-31 into an exception of its own and "2021-01-07 18:11" into
# text; reading every date as text gives one place that parses and explains them all.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

_HANDLER = frontmatter.YAMLHandler()


class FrontMatterProblem(ValueError):
    def __init__(self, line: int, message: str, hint: str = ""):
        self.line, self.message, self.hint = line, message, hint
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Split:
    metadata: dict               # the parsed front matter
    lines: dict[str, int]        # "title", "photos[0].src", ... → 1-based line in the file
    body: str
    body_line: int               # the file line where the body starts


def split(text: str) -> Split:
    """Front matter and body of TEXT (already NFC, LF line ends); raises FrontMatterProblem."""
    if not _HANDLER.FM_BOUNDARY.match(text):
        raise FrontMatterProblem(1, "front matter: missing; the file must start with a line "
                                 "'---', then title: and date:, then another '---'")
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        raise FrontMatterProblem(1, "front matter: not closed; add a line '---' after it")
    fm_start = text.find(fm, 3)
    offset = text.count("\n", 0, fm_start)
    body_line = text.count("\n", 0, fm_start + len(fm)) + 2
    loader = _Loader(fm)
    try:
        node = loader.get_single_node()
        if node is None:
            return Split({}, {}, body, body_line)
        _refuse_aliases(node, offset)
        metadata = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if _unclosed_quote(error):
            mark = error.context_mark    # where the quote opened, not the end of the file
        at = mark.line if mark else 0
        fm_lines = fm.split("\n")
        line_text = fm_lines[at] if at < len(fm_lines) else ""
        before = fm_lines[at - 1] if 0 < at <= len(fm_lines) else ""
        raise FrontMatterProblem(offset + at + 1, f"front matter: {_explain(error)}",
                                 _hint(error, line_text, before))
    except yaml.reader.ReaderError as error:
        line = offset + fm.count("\n", 0, error.position) + 1
        raise FrontMatterProblem(line, f"front matter: contains the control character "
                                 f"U+{error.character:04X}, which YAML does not allow",
                                 "delete it (it is invisible: retype the line)")
    except yaml.YAMLError as error:
        raise FrontMatterProblem(1, f"front matter: not valid YAML ({error})")
    finally:
        loader.dispose()
    if not isinstance(metadata, dict):
        raise FrontMatterProblem(offset + 1, "front matter: expected 'key: value' lines "
                                 "such as title: and date:")
    _refuse_repeated_keys(node, offset)
    _refuse_dropped_text(node, fm.split("\n"), offset)
    lines: dict[str, int] = {}
    _collect_lines(node, "", offset, lines)
    return Split(metadata, lines, body, body_line)


def _refuse_repeated_keys(node: yaml.Node, offset: int) -> None:
    # YAML keeps the last of two equal keys without a word: an editor who pasted a second
    # title: would see the wrong one published.
    for mapping in _mappings(node):
        first: dict[str, int] = {}
        for key, _ in mapping.value:
            line = offset + key.start_mark.line + 1
            if key.value in first:
                raise FrontMatterProblem(line, f"{key.value}: written twice (also on line "
                                         f"{first[key.value]})", "keep only one of the two lines")
            first[key.value] = line


# Text fields where a " #" is far more likely part of the text than a comment.
TEXT_KEYS = {"title", "summary", "caption"}


def _refuse_dropped_text(node: yaml.Node, fm_lines: list[str], offset: int) -> None:
    # `title: Hội nghị #1` is read by YAML as "Hội nghị" and a comment "1": the rest of
    # the title would vanish silently.
    for mapping in _mappings(node):
        for key, value in mapping.value:
            if key.value in TEXT_KEYS and isinstance(value, yaml.ScalarNode) and \
                    not value.style and value.start_mark.line == value.end_mark.line:
                rest = fm_lines[value.end_mark.line][value.end_mark.column:]
                if rest.lstrip().startswith("#"):
                    raise FrontMatterProblem(
                        offset + value.start_mark.line + 1,
                        f"{key.value}: the text after # would be dropped (YAML reads # as the "
                        "start of a comment)",
                        f'put the whole text in double quotes, e.g. {key.value}: "Hội nghị #1"')


def _mappings(node: yaml.Node):
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            yield current
            stack.extend(value for _, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _refuse_aliases(node: yaml.Node, offset: int) -> None:
    # An alias makes one node appear twice; editors never need them, and nested aliases
    # ("billion laughs") blow up anything that walks the data.
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise FrontMatterProblem(offset + current.start_mark.line + 1,
                                     "front matter: anchors and aliases (& and *) are not "
                                     "supported; write the value out")
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _collect_lines(node: yaml.Node, path: str, offset: int, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = f"{path}.{key.value}" if path else str(key.value)
            lines.setdefault(name, offset + key.start_mark.line + 1)
            _collect_lines(value, name, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{path}[{index}]"
            lines.setdefault(name, offset + item.start_mark.line + 1)
            _collect_lines(item, name, offset, lines)


def _explain(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "not valid YAML"
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '")
        return f"the tag {tag} is not allowed in front matter"
    return f"not valid YAML ({problem})"


def _unclosed_quote(error: yaml.MarkedYAMLError) -> bool:
    return "quoted scalar" in (error.context or "") and error.context_mark is not None


def _hint(error: yaml.MarkedYAMLError, line: str = "", before: str = "") -> str:
    """What to change, judged from the error and the text of the line it points at."""
    problem = error.problem or ""
    if "\t" in line or "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if any(mark in line for mark in "“”„"):
        return 'use straight double quotes " … " around the text, not typographic quotes “ … ”'
    if _unclosed_quote(error):
        return 'the quote opened on this line is not closed; end the text with a " on the same line'
    if "mapping values are not allowed" in problem and before.strip() and ":" not in before:
        return "the line above has no ':' after the field name; write it as name: value"
    if "mapping values are not allowed" in problem:
        return 'a value that contains ": " must be in double quotes, e.g. title: "Hội nghị: tổng kết"'
    if re.search(r':\s*"[^"]*"\s*[^\s#]', line):
        return "there is text after the closing quote; put the whole value inside the quotes"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation and that every quote is closed"
    return ""
