"""Where the default theme is, and the site's own overrides of it, file by file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.files import leaves
from phucdong_site.language import _

# src/phucdong_site/render/theme.py → the checkout holding templates/ and static/
REPOSITORY = Path(__file__).resolve().parents[3]


def default_theme_dir(name: str) -> Path:
    """The packaged templates/ or static/; in a source checkout, the repository's own."""
    packaged = Path(str(resources.files("phucdong_site"))) / name
    if packaged.is_dir():
        return packaged
    return REPOSITORY / name


def template_dirs(site_dir: Path) -> list[Path]:
    """The site's templates/ first, so that each of its files overrides the default one.
    Raises ErrorList if one of the site's templates is a link to a file outside the site."""
    refuse_outside_links(site_dir, "templates")
    dirs = [site_dir / "templates", default_theme_dir("templates")]
    return [d for d in dict.fromkeys(d.resolve() for d in dirs) if d.is_dir()]


def refuse_outside_links(site_dir: Path, folder: str) -> None:
    """Every file under SITE_DIR/FOLDER must be the site's own: a committed link to
    /proc/self/environ or ~/.ssh would publish (or render) that file. Raises ErrorList."""
    root = site_dir / folder
    if not root.is_dir():
        return
    errors = ErrorList()
    # rglob lists a linked folder without going into it, and goes into ROOT: checked first.
    outside = leaves(root, site_dir)
    for path in (root,) if outside else sorted(root.rglob("*")):
        if path == root and outside:
            shown = path.relative_to(site_dir)
            errors.append(ContentError(shown, None, _(
                "{path} is a link to a folder outside the site; copy its files into "
                "{folder}/").format(path=shown.as_posix(), folder=folder)))
        elif path != root and path.is_symlink() and leaves(path, root):
            # Within FOLDER only: a link to .git/config or .env, inside the site, would
            # publish the token or the secret in it.
            shown = path.relative_to(site_dir)
            message = (_("{path} is a link to a folder outside {folder}/; copy its files "
                         "into {folder}/") if path.is_dir() else
                       _("{path} is a link to a file outside {folder}/; copy the file into "
                         "{folder}/"))
            errors.append(ContentError(shown, None, message.format(path=shown.as_posix(),
                                                                    folder=folder)))
    errors.raise_if_any()


# Static files published at a fixed path too, under their output path as name. A service
# worker's scope is its folder: the search page's one lives beside it, unfingerprinted.
FIXED_PATHS = {"js/search-sw.js": "tim-kiem/sw.js"}
FIXED = "fixed:"                 # their names in static_files(): "fixed:tim-kiem/sw.js"


@dataclass(frozen=True, slots=True)
class StaticFile:
    name: str                    # css/site.css
    source: Path
    output_path: str             # static/css/site.3f2a9c1d.css: fingerprinted, cached forever


def static_files(site_dir: Path) -> dict[str, StaticFile]:
    """Every static file by name; the site's static/ overrides the default theme's."""
    refuse_outside_links(site_dir, "static")
    found: dict[str, Path] = {}
    for root in (default_theme_dir("static"), site_dir / "static"):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(root).as_posix()] = path
    files = {}
    for name, path in found.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        stem, dot, suffix = name.rpartition(".")
        fingerprinted = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        files[name] = StaticFile(name, path, f"static/{fingerprinted}")
    for name, output_path in FIXED_PATHS.items():
        if name in files:            # named apart from every file under static/
            files[f"{FIXED}{output_path}"] = StaticFile(name, files[name].source, output_path)
    return files
