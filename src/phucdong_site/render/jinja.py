"""The one Jinja environment, and rendering with errors that name the template line."""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

import jinja2
import markupsafe

from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError, field_label
from phucdong_site.language import _
from phucdong_site.photos import picture_html, renditions
from phucdong_site.render.theme import StaticFile, default_theme_dir, template_dirs
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
    env = _Environment(loader=jinja2.FileSystemLoader(dirs), autoescape=True,
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


def render(env: jinja2.Environment, template: str, **context) -> str:
    """TEMPLATE rendered with CONTEXT; a template problem becomes a ContentError at the line
    of the template that failed (the innermost one, when templates include each other)."""
    try:
        if isinstance(env, _Environment):
            env.deep = _depth() + DEEP
        return env.get_template(template).render(**context)
    except Exception as error:   # noqa: BLE001 - anything a template's code raises
        problem = _problem(error, template, env)
        if problem is None:
            raise                # not from a template: a bug of ours
    # Raised here, not in the except block: the error it replaces, and its traceback (a
    # thousand frames and their contexts for a template that includes itself), go now.
    raise problem


def _problem(error: Exception, template: str, env: jinja2.Environment) -> ContentError | None:
    label = field_label("template") + ": "
    if isinstance(error, jinja2.TemplateSyntaxError):
        return ContentError(_template_path(error.filename, error.name, env), error.lineno,
                            label + error.message)
    filename, line = _template_frame(error, env)
    if isinstance(error, jinja2.TemplateNotFound):
        # The page's own template (no template frame), or one a template includes.
        return ContentError(_template_path(filename, template, env), line,
                            label + _("{name} does not exist").format(name=error.name))
    if isinstance(error, RecursionError):     # a macro that calls itself
        message = _("includes or calls itself without end")
    elif isinstance(error, (jinja2.TemplateError, TypeError, ValueError, ArithmeticError)):
        message = str(error)
    elif filename is None:
        return None
    else:                        # KeyError('x') says only 'x'
        message = f"{type(error).__name__}: {error}"
    return ContentError(_template_path(filename, template, env), line, label + message)


# A template being rendered ENDLESS times over, inside itself, when included (or imported)
# again, once the stack is DEEP frames above where its page's render began, includes itself
# without end: stopped at that include line. Jinja's output passes through every level of
# includes, so the cost of a level grows with their number: at Python's own bound (some 300
# levels) a page took seconds. A macro calling itself meets that bound (a RecursionError,
# reported alike: its traceback is not rewritten, a thousand frames at 0.17 ms each).
DEEP = 40                        # frames: a page's own nesting of includes and macros is less
ENDLESS = 10


class _Endless(jinja2.TemplateRuntimeError):
    pass


class _Template(jinja2.Template):
    def new_context(self, vars=None, shared=False, locals=None):  # noqa: A002 - Jinja's names
        """The context of an include (or an import): refused to a template that includes
        itself without end."""
        try:
            sys._getframe(self.environment.deep)     # type: ignore[attr-defined]
        except ValueError:       # not that deep (found without walking the stack)
            return super().new_context(vars, shared, locals)
        frame, rendering = sys._getframe(1), 0
        while frame is not None:
            rendering += frame.f_globals.get("__jinja_template__") is self
            frame = frame.f_back
        if rendering >= ENDLESS:
            raise _Endless(_("includes or calls itself without end"))
        return super().new_context(vars, shared, locals)


class _Environment(jinja2.Environment):
    """Jinja's environment, with a bound on templates that include themselves, whose
    traceback is kept as it is, not rewritten frame by frame: _template_frame needs only
    the innermost template frame."""

    template_class = _Template
    deep = 1000                  # frames: set by render for each page

    def handle_exception(self, source: str | None = None):
        if isinstance(sys.exc_info()[1], (RecursionError, _Endless)):
            raise                # the exception being handled, as it is
        super().handle_exception(source)


def _depth() -> int:
    """How many frames the stack holds below the caller's."""
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def _template_frame(error: BaseException, env: jinja2.Environment
                    ) -> tuple[str | None, int | None]:
    """The file and line of the innermost template frame of ERROR's traceback: Jinja's
    rewritten frames carry the template's file and line; frames left as they are, its
    compiled code (mapped back to the template's line)."""
    roots = tuple(f"{root}/" for root in env.loader.searchpath)  # type: ignore[union-attr]
    found: tuple[str | None, int | None] = (None, None)
    for frame, line in traceback.walk_tb(error.__traceback__):
        compiled = frame.f_globals.get("__jinja_template__")
        if compiled is not None and compiled.filename:
            found = (compiled.filename, compiled.get_corresponding_lineno(line))
        elif frame.f_code.co_filename.startswith(roots):
            found = (frame.f_code.co_filename, line)
    return found


def _template_path(filename: str | None, name: str | None, env: jinja2.Environment) -> Path:
    """Where a template is, as an editor finds it: the site's templates/x.html, or the
    default theme's file by its own path (the site has no such file)."""
    if filename:
        path = Path(filename)
        theme = default_theme_dir("templates").resolve()
        for root in env.loader.searchpath:  # type: ignore[union-attr]
            if path.is_relative_to(root) and Path(root) != theme:
                return Path("templates") / path.relative_to(root)
        return path
    return Path("templates") / (name or "?")
