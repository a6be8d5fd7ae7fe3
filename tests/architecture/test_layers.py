"""The house's layers, as a test: every import in src/phucdong_site/ goes downward.

Layers, lowest first (ARCHITECTURE.md). A module may import its own wing's modules and
any module of a lower layer; across wings only through the wing's face (its __init__).
The floor's modules may import each other (without cycles: Python itself refuses those
at import time, and test_no_import_dodges_a_cycle finds imports hidden in functions).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "phucdong_site"
FLOOR = {"errors", "config", "models", "text", "files", "workers", "report", "language",
         "system", "__init__"}
LAYERS = [                       # (layer, its wings or modules), lowest first
    ("floor", FLOOR),
    ("leaf", {"photos", "search"}),
    ("plan", {"content", "pages"}),
    ("make", {"render", "output"}),
    ("cache", {"cache"}),
    ("pipeline", {"pipeline"}),
    ("console", {"console"}),
    ("commands", {"serve", "legacy", "deploy", "views"}),
    ("face", {"cli"}),
    ("main", {"__main__"}),
]
RANK = {part: rank for rank, (_, parts) in enumerate(LAYERS) for part in parts}
# The command line imports these inside the command that needs them, so that `build`
# starts without watchfiles or an HTML parser: not to dodge a cycle.
LAZY = {("cli", "phucdong_site.serve"), ("cli", "phucdong_site.legacy"),
        ("cli", "phucdong_site.deploy"), ("cli", "phucdong_site.views")}


def part_of(module: str) -> str:
    """The wing or floor module of a dotted name: phucdong_site.content.load → content."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports(tree: ast.AST, module: str, is_package: bool):
    """(imported module, line, inside a function) for every import of our package."""
    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, child.lineno, in_function
            elif isinstance(child, ast.ImportFrom):
                if child.level:      # relative: resolve against this module's package
                    base = module.split(".")
                    base = base[: len(base) - child.level + (1 if is_package else 0)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                names = [f"{target}.{alias.name}" for alias in child.names]
                # `from phucdong_site.x import y`: y may be a module of x, or a name in it.
                yield target, child.lineno, in_function
                for name in names:
                    if name.count(".") <= 2:
                        yield name, child.lineno, in_function
            yield from visit(child, nested)
    for target, line, in_function in visit(tree, False):
        if target == "phucdong_site" or target.startswith("phucdong_site."):
            yield target, line, in_function


def problems(root: Path) -> list[str]:
    """Every import in ROOT (a phucdong_site package folder) that breaks the layers."""
    found = []
    known_modules = {module_name(p, root) for p in root.rglob("*.py")}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        mine = part_of(module)
        if mine not in RANK:
            found.append(f"{path.relative_to(root)}: {mine} is in no layer")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        reported: set[int] = set()           # one problem an import statement
        for target, line, in_function in imports(tree, module, path.name == "__init__.py"):
            if line in reported:
                continue
            if target not in known_modules and target.rpartition(".")[0] in known_modules:
                continue         # a name imported from a module, checked as that module
            theirs = part_of(target)
            where = f"{path.relative_to(root)}:{line}: imports {target}"
            if theirs == mine or target == "phucdong_site":
                continue
            before = len(found)
            if theirs not in RANK:
                found.append(f"{where}: {theirs} is in no layer")
            elif RANK[theirs] > RANK[mine] or (RANK[theirs] == RANK[mine] and mine not in FLOOR):
                found.append(f"{where}: {LAYERS[RANK[mine]][0]} may not import "
                             f"{LAYERS[RANK[theirs]][0]}")
            elif theirs not in FLOOR and target.count(".") > 1:
                found.append(f"{where}: across wings, import from phucdong_site.{theirs}")
            elif in_function and (mine, f"phucdong_site.{theirs}") not in LAZY:
                found.append(f"{where}: inside a function")
            if len(found) > before:
                reported.add(line)
    return found


def test_every_import_goes_downward():
    assert problems(PACKAGE) == []


@pytest.mark.parametrize("module, line, expected", [
    ("content/planted.py", "from phucdong_site.cache import ArticleCache", "plan may not import cache"),
    ("photos/planted.py", "from phucdong_site.pages import plan_pages", "leaf may not import plan"),
    ("models.py", "from phucdong_site.search import words", "floor may not import leaf"),
    ("pages/planted.py", "from phucdong_site.content import load_site", "plan may not import plan"),
    ("pipeline/planted.py", "from phucdong_site.content.load import load_site",
     "across wings, import from phucdong_site.content"),
    ("render/planted.py", "def f():\n    from phucdong_site.photos import picture\n",
     "inside a function"),
])
def test_a_planted_import_is_caught(tmp_path, module, line, expected):
    """The test above can fail: a copy of the package with one forbidden import does."""
    copy = tmp_path / "phucdong_site"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    planted = copy / module
    planted.write_text((planted.read_text() if planted.exists() else "") + "\n" + line + "\n")
    found = problems(copy)
    assert len(found) == 1 and expected in found[0], found


def test_the_top_level_holds_only_the_face_and_the_floor():
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top == FLOOR | {"cli", "console", "__main__"}
    wings = {path.name for path in PACKAGE.iterdir()
             if path.is_dir() and (path / "__init__.py").exists()}
    assert wings == {"content", "photos", "pages", "search", "render", "output", "cache",
                     "pipeline", "serve", "legacy", "deploy", "views"}
