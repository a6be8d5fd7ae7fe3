"""Split a file into front matter and body, and read the YAML with the line of every value."""

from __future__ import annotations

import re
from dataclasses import dataclass

import frontmatter
import yaml

from phucdong_site.content.hints import photo_shape
from phucdong_site.errors import field_label
from phucdong_site.language import _, choose

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves dates as text, so content/article.py can report bad ones itself."""


# PyYAML would turn 2021-02-31 into an exception of its own and "2021-01-07 18:11" into
# text; reading every date as text gives one place that parses and explains them all.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}

MAX_INT_DIGITS = 100             # longer runs of digits stay text: Python refuses to turn
                                 # more than 4,300 into a number, with a traceback


def _int_or_text(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    """A YAML integer as a number, unless it is too long to be one anyone meant: then its
    text, which the field's own check reports (views: "1111…" is not a whole number)."""
    if len(node.value) > MAX_INT_DIGITS:
        return loader.construct_scalar(node)
    return loader.construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _int_or_text)

_HANDLER = frontmatter.YAMLHandler()


MAX_NESTING = 20                 # lists and groups inside each other; photos: needs three


class FrontMatterProblem(ValueError):
    """A problem of the front matter as a whole; MORE: others of the same kind found with
    it (each control character), so that one run tells them all."""

    def __init__(self, line: int, message: str, hint: str = "",
                 more: tuple[FrontMatterProblem, ...] = ()):
        self.line, self.message, self.hint, self.more = line, message, hint, more
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
        raise FrontMatterProblem(1, _front_label() + _(
            "missing; the file must start with a line '---', then title: and date:, "
            "then another '---'"))
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        raise FrontMatterProblem(1, _front_label() + _("not closed; add a line '---' after it"))
    fm_start = text.find(fm, 3)
    offset = text.count("\n", 0, fm_start)
    body_line = text.count("\n", 0, fm_start + len(fm)) + 2
    loader = _Loader(fm)
    try:
        node = loader.get_single_node()
        if node is None:
            return Split({}, {}, body, body_line)
        _refuse_deep_nesting(node, offset)
        _refuse_aliases(node, offset)
        _refuse_control_characters(node, offset)
        metadata = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if _unclosed_quote(error):
            mark = error.context_mark    # where the quote opened, not the end of the file
        at = mark.line if mark else 0
        fm_lines = fm.split("\n")
        line_text = fm_lines[at] if at < len(fm_lines) else ""
        before = fm_lines[at - 1] if 0 < at <= len(fm_lines) else ""
        raise FrontMatterProblem(offset + at + 1, _front_label() + _explain(error),
                                 _hint(error, line_text, before))
    except yaml.reader.ReaderError as error:
        line = offset + fm.count("\n", 0, error.position) + 1
        raise FrontMatterProblem(line, _front_label() + _(
            "contains the control character U+{code:04X}, which YAML does not allow").format(
                code=error.character), _("delete it (it is invisible: retype the line)"))
    except yaml.YAMLError:
        raise FrontMatterProblem(1, _front_label() + _("not valid YAML"))
    finally:
        loader.dispose()
    if not isinstance(metadata, dict):
        raise FrontMatterProblem(offset + 1, _front_label() + _(
            "expected 'key: value' lines such as title: and date:"))
    _refuse_repeated_keys(node, offset)
    _refuse_dropped_text(node, fm.split("\n"), offset)
    lines: dict[str, int] = {}
    _collect_lines(node, "", offset, lines)
    return Split(metadata, lines, body, body_line)


def _front_label() -> str:
    return field_label("front matter") + ": "


def _refuse_repeated_keys(node: yaml.Node, offset: int) -> None:
    # YAML keeps the last of two equal keys without a word: an editor who pasted a second
    # title: would see the wrong one published.
    for mapping in _mappings(node):
        first: dict[str, int] = {}
        for key, _value in mapping.value:
            line = offset + key.start_mark.line + 1
            if key.value in first:
                raise FrontMatterProblem(line, f"{key.value}: " + _(
                    "written twice (also on line {line})").format(line=first[key.value]),
                    _("keep only one of the two lines"))
            first[key.value] = line


# Text fields where a " #" is far more likely part of the text than a comment.
TEXT_KEYS = {"title", "summary", "caption", "trich_yeu", "nguoi_ky", "co_quan"}


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
                        f"{key.value}: " + _("the text after # would be dropped (YAML reads # "
                                             "as the start of a comment)"),
                        _('put the whole text in double quotes, e.g. {key}: "Hội nghị #1"').format(
                            key=key.value))


def _mappings(node: yaml.Node):
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            yield current
            stack.extend(value for _, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _refuse_deep_nesting(node: yaml.Node, offset: int) -> None:
    # Hundreds of [[[…]]] load, but nothing can walk or copy them (pickling to the build's
    # workers and caches hits Python's recursion limit): refused here, for check and build.
    stack: list[tuple[yaml.Node, int, str]] = [(node, 1, "")]
    seen: set[int] = set()           # an alias (refused next) is walked once, not again
    while stack:
        current, depth, top = stack.pop()
        if not isinstance(current, (yaml.MappingNode, yaml.SequenceNode)) or \
                id(current) in seen:
            continue
        seen.add(id(current))
        if depth > MAX_NESTING:
            raise FrontMatterProblem(offset + current.start_mark.line + 1, (
                f"{top}: " if top else _front_label()) + _(
                    "nested more than {limit} levels deep (lists and groups inside each "
                    "other)").format(limit=MAX_NESTING),
                _("front matter needs a few levels at most (photos: needs three); write the "
                  "value flatter"))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                name = top or (str(key.value) if isinstance(key, yaml.ScalarNode) else "")
                stack.extend(((key, depth + 1, name), (value, depth + 1, name)))
        else:
            stack.extend((item, depth + 1, top) for item in current.value)


def _forbidden(char: str) -> bool:
    """A character no page can show that YAML still lets in through an escape ("\\x07",
    "\\u0000", "\\ud800"): controls other than tab and line breaks, and lone surrogates."""
    code = ord(char)
    return (code < 32 and char not in "\t\n\r") or 0x7F <= code <= 0x9F or \
        0xD800 <= code <= 0xDFFF


def _refuse_control_characters(node: yaml.Node, offset: int) -> None:
    # Raw control characters are refused by YAML's reader; written as escapes in double
    # quotes they reach the value, and from there titles, captions and feeds.
    problems: list[FrontMatterProblem] = []
    stack: list[tuple[yaml.Node, str]] = [(node, "")]
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            bad = next((char for char in current.value if _forbidden(char)), None)
            if bad is not None:
                problems.append(FrontMatterProblem(
                    offset + current.start_mark.line + 1,
                    (f"{path}: " if path else _front_label()) + _(
                        "contains the control character U+{code:04X} (written as an escape "
                        "such as \\x07 or \\u0007), which no page can show").format(
                            code=ord(bad)),
                    _("delete the escape from the text")))
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                name = f"{path}.{key.value}" if path else str(key.value)
                stack.extend(((value, name), (key, path)))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, f"{path}[{index}]") for index, item in enumerate(current.value))
    if problems:
        problems.sort(key=lambda problem: problem.line)
        first, *more = problems
        raise FrontMatterProblem(first.line, first.message, first.hint, tuple(more))


def _refuse_aliases(node: yaml.Node, offset: int) -> None:
    # An alias makes one node appear twice; editors never need them, and nested aliases
    # ("billion laughs") blow up anything that walks the data.
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise FrontMatterProblem(offset + current.start_mark.line + 1,
                                     _front_label() + _("anchors and aliases (& and *) are "
                                                          "not supported; write the value out"))
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
    problem = error.problem or ""
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '")
        return _("the tag {tag} is not allowed in front matter").format(tag=tag)
    detail = _yaml_problem(problem)
    return _("not valid YAML ({problem})").format(problem=detail) if detail else \
        _("not valid YAML")


def _yaml_problem(problem: str) -> str:
    """PyYAML's words for what it found (English), or their translation; "" for the rare
    ones without a translation (the hint and the line remain)."""
    known = {
        "mapping values are not allowed": _("a ': ' where YAML does not allow one"),
        "did not find expected '-' indicator": _("a line at the wrong indentation"),
        "did not find expected key": _("a line YAML cannot read as name: value"),
        "expected <block end>": _("a line YAML cannot read as name: value"),
        "found character": _("a character that cannot start a value (often a tab)"),
        "found unexpected end of stream": _("the text ends inside quotes"),
        "found unknown escape character": _("an unknown \\ escape inside double quotes"),
        "found undefined alias": _("an undefined alias (*)"),
        "found unexpected ':'": _("an unexpected ':'"),
        "expected ',' or ']'": _("a list [ … ] that is not closed with ]"),
        "expected ',' or '}'": _("a group { … } that is not closed with }"),
    }
    if choose() == "en":
        return problem
    return next((text for start, text in known.items() if problem.startswith(start)), "")


def _unclosed_quote(error: yaml.MarkedYAMLError) -> bool:
    return "quoted scalar" in (error.context or "") and error.context_mark is not None


def _hint(error: yaml.MarkedYAMLError, line: str = "", before: str = "") -> str:
    """What to change, judged from the error and the text of the line it points at."""
    problem = error.problem or ""
    if "\t" in line or "found character '\\t'" in problem:
        return _("indent with spaces, not tabs")
    if any(mark in line for mark in "“”„"):
        return _('use straight double quotes " … " around the text, not typographic quotes “ … ”')
    if _unclosed_quote(error):
        return _('the quote opened on this line is not closed; end the text with a " on the '
                 'same line')
    if re.search(r':\s*"[^"]*"\s*[^\s#]', line):
        return _("there is text after the closing quote; put the whole value inside the quotes")
    key, _colon, value = line.strip().removeprefix("- ").partition(":")
    value = value.strip()
    if key in ("src", "caption") and (value.startswith(('"', "'")) or ": " not in value):
        return photo_shape()     # a photo's line at the wrong indent, not a ": " in its text
    if "mapping values are not allowed" in problem and before.strip() and ":" not in before:
        return _("the line above has no ':' after the field name; write it as name: value")
    if "mapping values are not allowed" in problem:
        return _('a value that contains ": " must be in double quotes, e.g. '
                 'title: "Hội nghị: tổng kết"')
    if "expected <block end>" in problem or "did not find expected" in problem:
        return _("check the indentation and that every quote is closed")
    return ""
