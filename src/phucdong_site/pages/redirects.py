"""Old addresses kept: each alias of an article or a page (content.fields.alias_path) is a
redirect to it, as a small HTML page at the alias (pages.plan.alias_pages) and as a line of
redirects.map, an nginx `map` for servers that answer with a 301.

An alias with a query (xem.aspx?id=123) has no file: a static file answers for its path
whatever the query, so two such aliases could not lead to two pages. It is a line of the
map only, which nginx compares with `$uri$is_args$args` (see README)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from phucdong_site.errors import ContentError
from phucdong_site.language import _
from phucdong_site.models import Article, Page

MAP_FILE = "redirects.map"       # at the output's root
# A last name with one of these ends is a file (abc.html, x.aspx, y.php); any other alias is
# a folder, its redirect page folder/index.html.
_FILE_NAME = re.compile(r"[^/]\.[A-Za-z0-9]{1,10}$")
_PLAIN = re.compile(r"[^\s;{}\"'\\#]+")
_CAPITALS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True, slots=True)
class Alias:
    """One old address of a document, where it is written."""

    path: str                    # under the site root: tin-tuc/abc.html, a/b/, x.aspx?id=1
    target: str                  # the document's URL under the site root
    source: Path                 # the document's file
    index: int                   # its place in aliases:, for aliases[i]
    line: int

    @property
    def field(self) -> str:
        return f"aliases[{self.index}]"

    @property
    def file(self) -> str | None:
        """The redirect page's file under the output, or None (a query: the map only)."""
        if "?" in self.path:
            return None
        if _FILE_NAME.search(self.path):
            return self.path
        return f"{self.path.rstrip('/')}/index.html"

    def keys(self, base_path: str) -> tuple[str, ...]:
        """What nginx compares: the path as asked for, with and without a last slash when
        it is a folder."""
        if self.file is None or self.file == self.path:
            return (f"{base_path}{self.path}",)
        folder = f"{base_path}{self.path.rstrip('/')}"
        return (folder, f"{folder}/")

    def error(self, message: str, hint: str) -> ContentError:
        return ContentError(self.source, self.line, f"{self.field}: {message}", hint)


def aliases(documents: Iterable[Article | Page]) -> list[Alias]:
    """Every alias of DOCUMENTS, in their order."""
    return [Alias(path, document.url, document.source, index, line)
            for document in documents
            for index, (path, line) in enumerate(zip(document.aliases, document.alias_lines))]


def clashes(every: Sequence[Alias], base_path: str) -> tuple[list[ContentError], set[Alias]]:
    """Aliases that are one address for the web server (the same, or differing only in
    capitals, which nginx's map does not tell apart), and those to leave out of the plan so
    that the clash is not reported again as one file. A clash of files (a/ and a/index.html)
    is one_file_each's."""
    by_key: dict[str, list[Alias]] = {}
    for alias in every:
        for key in dict.fromkeys(key.translate(_CAPITALS) for key in alias.keys(base_path)):
            by_key.setdefault(key, []).append(alias)
    errors, dropped = [], set()
    reported = set()
    for same in by_key.values():
        if len(same) < 2 or id(same[0]) in reported:
            continue
        for alias in same:
            reported.add(id(alias))
            others = ", ".join(dict.fromkeys(
                f"{other.source.as_posix()} ({other.field})" for other in same if other is not alias))
            errors.append(alias.error(
                _("/{alias} is also an old address in {others}").format(alias=alias.path,
                                                                         others=others),
                _("an old address leads to one page: keep it in one file only (web servers "
                  "do not tell capitals apart here)")))
        dropped.update(same)
    return errors, dropped


def redirect_map(every: Iterable[Alias], base_path: str) -> str:
    """redirects.map: `old new;` lines for nginx, sorted, one per address a server may be
    asked for."""
    lines = {}
    for alias in every:
        for key in alias.keys(base_path):
            lines[key] = f"{_quoted(key)} {_quoted(base_path + alias.target)};"
    header = ("# Old addresses of the site and where they now are (phucdong-site). In nginx:\n"
              "#   map $uri$is_args$args $new_uri { include /path/to/redirects.map; }\n"
              "#   server { ... if ($new_uri) { return 301 $new_uri; } }\n")
    return header + "".join(f"{lines[key]}\n" for key in sorted(lines))


def _quoted(text: str) -> str:
    """TEXT as one nginx word: quoted when it holds a space, ;, a brace or a quote."""
    if _PLAIN.fullmatch(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
