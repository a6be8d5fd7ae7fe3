"""`check`: everything a build validates, and every link and image of every body, writing
nothing. A body's link must lead to a file the build writes; a .md link to a published
article."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from phucdong_site.config import ImageConfig, SiteConfig
from phucdong_site.content import (
    IGNORED_SCHEMES,
    references,
    source_target,
)
from phucdong_site.errors import ContentError, ErrorList, field_label
from phucdong_site.language import _
from phucdong_site.models import Article, Site
from phucdong_site.photos import renditions
from phucdong_site.pipeline.stages import Plan, plan, text_files
from phucdong_site.render import (
    render_pages,
    root_clashes,
    root_files,
    site_environment,
    static_files,
)
from phucdong_site.report import Progress


def check(config: SiteConfig, progress: Progress = Progress()) -> Plan:
    """Validate everything a build would, and every link and image in bodies; write nothing."""
    errors = ErrorList()
    try:
        planned = plan(config, progress)
        statics = static_files(config.site_dir)
        root: dict[str, Path] = {}
        try:
            root = root_files(config.site_dir)
        except ErrorList as problems:
            errors.extend(problems.errors)
        env = site_environment(config, statics, planned.site, planned.index)
        progress.stage("render", len(planned.pages))
        files: list[tuple[str, str]] = []
        try:
            for _page in render_pages(planned.pages, env, 1):
                progress.advance()
            files = text_files(planned, config, env)
        except ErrorList as problems:
            errors.extend(problems.errors)
        written = [*(page.path for page in planned.pages), *(path for path, _text in files)]
        made = list(iter_outputs(written, planned.site,
                                 (static.output_path for static in statics.values()),
                                 config.images))
        errors.extend(root_clashes(root, made))      # root/robots.txt replaces the build's
        errors.extend(broken_references(planned.site, config, [*made, *root]))
    finally:
        progress.finish()
    errors.raise_if_any()
    return planned


def broken_references(site: Site, config: SiteConfig, outputs: Iterable[str]) -> list[ContentError]:
    """Every link or image in a body that leads to nothing the build writes."""
    written = set(outputs)
    site_root = urlsplit(config.base_url)
    errors = []
    for article in site.documents:
        page_url = f"{config.base_url}{article.url}"
        seen = set()
        for tag, attribute, value in references(article.body_html):
            if value in seen:
                continue
            seen.add(value)
            problem = _problem(value, page_url, site_root, config.base_path, written, article,
                               config)
            if problem:
                field = field_label("link" if attribute == "href" else "image")
                line = _line_of(config.site_dir / article.source, value)
                message, hint = problem
                errors.append(ContentError(article.source, line, f"{field}: {message}",
                                           hint or _hint(value)))
    return errors


def _problem(value: str, page_url: str, site_root, base_path: str, written: set[str],
             article: Article, config: SiteConfig) -> tuple[str, str] | None:
    """What is wrong with the address VALUE, and a hint ("": the usual one); None if nothing."""
    if not value or value.startswith("#"):
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() in IGNORED_SCHEMES:
        return None
    if parts.path.lower().endswith(".md") and not parts.scheme and not parts.netloc:
        target = source_target(value, article, config)
        if target is None:
            return _("{address} does not exist").format(address=value), ""
        return (_("{address} is not a published article (a draft, or not an article)").format(
            address=value), _("publish that article first (draft: false), or remove the link"))
    absolute = urlsplit(urljoin(page_url, value))
    if absolute.netloc != site_root.netloc or absolute.scheme not in {"http", "https"}:
        return None              # another website: not ours to check offline
    path = unquote(absolute.path)
    if not path.startswith(base_path):
        return _("{address} is outside the site (it does not start with {base})").format(
            address=value, base=base_path), ""
    relative = path[len(base_path):]
    if _exists(relative, written):
        return None
    return _("{address} does not exist on the site").format(address=value), ""


def _exists(relative: str, written: set[str]) -> bool:
    if relative == "" or relative.endswith("/"):
        return f"{relative}index.html" in written
    return relative in written or f"{relative}/index.html" in written


def _hint(value: str) -> str:
    if value.lower().split("#")[0].endswith(".md"):
        return _("link to another article by its file, relative to this one, e.g. "
                 "../2020/ten-bai.md")
    if value.startswith(("photos/", "anh/")) or value.lower().endswith(
            (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif")):
        return _("write images as ![mô tả](photos/…/anh.jpg); the path is relative to the "
                 "article or to content/")
    return _("copy the address from the page in the preview (make serve), or link the "
             "article's .md file")


def _line_of(path: Path, needle: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for candidate in (needle, html.escape(needle, quote=False)):
        index = text.find(candidate)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


def iter_outputs(pages: Iterable[str], site: Site, statics: Iterable[str],
                 images: ImageConfig) -> Iterator[str]:
    """Every file a build makes, relative to the output folder (the files of root/ are
    copied beside them: see check())."""
    yield from pages
    yield from (item.path for photo in site.photos for item in renditions(photo, images).all)
    yield from (path for path, _file in site.files)
    yield from statics
