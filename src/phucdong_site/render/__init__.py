"""Render: the one Jinja environment, the theme, template globals, pages over every core."""

from phucdong_site.render.globals import site_environment
from phucdong_site.render.jinja import environment, render
from phucdong_site.render.parallel import render_pages
from phucdong_site.render.root import REPLACEABLE, ROOT_FOLDER, root_clashes, root_files
from phucdong_site.render.theme import (
    StaticFile,
    default_theme_dir,
    static_files,
    template_dirs,
)

__all__ = [
    "REPLACEABLE",
    "ROOT_FOLDER",
    "StaticFile",
    "default_theme_dir",
    "environment",
    "render",
    "render_pages",
    "root_clashes",
    "root_files",
    "site_environment",
    "static_files",
    "template_dirs",
]
