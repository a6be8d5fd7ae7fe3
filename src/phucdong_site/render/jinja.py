"""The one Jinja environment, and rendering with errors that name the template line."""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path

import jinja2
import markupsafe

from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError, field_label
from phucdong_site.language import _
from phucdong_site.photos import picture_html, renditions
from phucdong_site.render.theme import StaticFile, template_dirs
from phucdong_site.text import caption_text


def format_date(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y}"


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def format_date_en(moment: datetime) -> str:
    """3 December 2026: the day first, as in British usage; not %B, which the C locale
    may change."""
    return f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment.year}"


def format_time(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def environment(config: SiteConfig, statics: dict[str, StaticFile],
                compiled: Path | None = None) -> jinja2.Environment:
    """The Jinja environment of one build: the site's templates over the default theme.

    COMPILED: a folder where Jinja keeps each template's compiled code, keyed by the sha1 of
    its source (and Jinja's and Python's versions), so that a rebuild does not compile the
    theme again: that was 0.3 s of a one-edit rebuild. A damaged file is compiled again."""
    dirs = template_dirs(config.site_dir)
    cache = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:
            cache = None         # compiled each time, as without
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(dirs), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True, bytecode_cache=cache,
                             auto_reload=False)   # one build, one env: no stat per include
    base = config.base_path

    def url(path: str = "") -> str:
        return f"{base}{path}"

    def absolute_url(path: str = "") -> str:
        return f"{config.base_url}{path}"

    def static_url(name: str) -> str:
        if name not in statics:
            raise jinja2.TemplateRuntimeError(_("static file {name} does not exist in static/")
                                              .format(name=repr(name)))
        return url(statics[name].output_path)

    def photo_picture(photo, alt: str = "", kind: str = "body", sizes: str | None = None,
                      eager: bool = False) -> markupsafe.Markup:
        """<picture> of a photo; kind="cover" gives the 16:9 card crop."""
        return markupsafe.Markup(picture_html(photo, alt, eager=eager, config=config.images,
                                              base=base, kind=kind, sizes=sizes))

    def photo_renditions(photo):
        """Every published copy of a photo: .body, .cover, .og (path, width, height)."""
        return renditions(photo, config.images)

    env.globals.update(site=config, url=url, absolute_url=absolute_url, static_url=static_url,
                       picture=photo_picture, renditions=photo_renditions)
    env.filters.update(date_vi=format_date, date_en=format_date_en, time_vi=format_time,
                       caption=caption_text)
    return env


def render(env: jinja2.Environment, template: str, source: Path | None = None, **context) -> str:
    """TEMPLATE rendered with CONTEXT; template problems become ContentErrors."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise ContentError(_template_path(error.filename, error.name, env), error.lineno,
                           field_label("template") + ": " + error.message)
    except jinja2.TemplateNotFound as error:
        raise ContentError(Path("templates") / template, None,
                           field_label("template") + ": " + _("{name} does not exist").format(name=error.name))
    except (jinja2.UndefinedError, jinja2.TemplateRuntimeError, TypeError, ValueError) as error:
        filename, line = _template_frame(error)
        rendering = _(" (while rendering {path})").format(path=source.as_posix()) if source else ""
        raise ContentError(_template_path(filename, template, env), line,
                           field_label("template") + f": {error}{rendering}")


def _template_frame(error: BaseException) -> tuple[str | None, int | None]:
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            return frame.filename, frame.lineno
    return None, None


def _template_path(filename: str | None, name: str | None, env: jinja2.Environment) -> Path:
    if filename:
        path = Path(filename)
        for root in env.loader.searchpath:  # type: ignore[union-attr]
            if path.is_relative_to(root):
                return Path("templates") / path.relative_to(root)
        return path
    return Path("templates") / (name or "?")
