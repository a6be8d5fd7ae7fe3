"""Render: the one Jinja environment, the theme, template globals, pages over every core."""

from phucdong_site.render.globals import site_environment
from phucdong_site.render.jinja import environment, render
from phucdong_site.render.parallel import render_pages
from phucdong_site.render.theme import (
    StaticFile,
    default_theme_dir,
    static_files,
    template_dirs,
)

__all__ = [
    "StaticFile",
    "default_theme_dir",
    "environment",
    "render",
    "render_pages",
    "site_environment",
    "static_files",
    "template_dirs",
]
