"""One page file → a validated, frozen Page, or every problem in it.

The page kind's field table (PAGE_KEYS) and the validators only pages have. A page lives
under content/trang/ and is published at its path there: trang/gioi-thieu.md and
trang/gioi-thieu/index.md at /gioi-thieu/, trang/gioi-thieu/co-cau-to-chuc.md at
/gioi-thieu/co-cau-to-chuc/; English pages (lang: en) under /en/."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from phucdong_site.config import SiteConfig
from phucdong_site.content.fields import (
    FileProblems,
    aliases_field,
    date_field,
    flag_field,
    illustrated_body,
    kind,
    misplaced_photo_keys,
    read_source,
    show,
    text_field,
    unknown_keys,
)
from phucdong_site.content.markup import shorten
from phucdong_site.errors import ContentError, ErrorList, field_label
from phucdong_site.language import _
from phucdong_site.models import Body, MenuPlace, Page
from phucdong_site.photos import PhotoFile, PhotoProblem, SourceIndex
from phucdong_site.text import is_slug, slugify

PAGES_FOLDER = "trang"           # under content/
PAGE_KEYS = ("title", "updated", "summary", "photos", "menu", "lang", "translation",
             "draft", "expires", "aliases", "attachments")
MENU_KEYS = ("parent", "title", "order")
LANGUAGES = ("vi", "en")
ENGLISH = "en"


def page_url(relative: PurePosixPath, lang: str) -> str:
    """The URL path of the page at RELATIVE under content/trang/: its folders and name,
    index.md standing for its folder; English pages under en/."""
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "index":
        parts.pop()
    if lang == ENGLISH and parts[:1] != [ENGLISH]:
        parts.insert(0, ENGLISH)
    return "".join(f"{part}/" for part in parts)


def parse_page(path: Path, config: SiteConfig,
               photo_files: dict[Path, PhotoFile | PhotoProblem] | None = None,
               sources: SourceIndex | None = None) -> Page:
    """One page file → Page, or an ErrorList of every problem in it."""
    shown, parts = read_source(path, config)
    meta = parts.metadata
    problems = FileProblems(shown, parts.lines, default_line=2)
    misplaced_photo_keys(meta, problems)
    unknown_keys(meta, PAGE_KEYS, problems)

    title = text_field(meta, "title", problems, required=_("missing; every page needs one"))
    updated = date_field(meta, "updated", config, problems, required=False)
    expires = date_field(meta, "expires", config, problems, required=False)
    summary = text_field(meta, "summary", problems)
    draft = flag_field(meta, "draft", problems)
    lang = _lang(meta, path, config, problems)
    menu = _menu(meta.get("menu"), problems)
    translation = _translation(meta.get("translation"), problems)
    aliases, alias_lines = aliases_field(meta, problems)
    relative = PurePosixPath(path.relative_to(config.content_dir / PAGES_FOLDER).as_posix())
    _check_path(relative, problems)
    body = illustrated_body(meta, parts, shown, config, problems, photo_files, sources,
                            url=page_url(relative, lang), lang=lang)

    if problems.errors:
        raise ErrorList(problems.errors)
    return Page(source=shown, title=title, url=page_url(relative, lang), lang=lang,
                updated=updated, summary=summary or shorten(body.first_paragraph),
                photos=body.photos, body=Body(body.html),
                extra=tuple((str(k), v) for k, v in meta.items() if k not in PAGE_KEYS),
                images=body.images, menu=menu, translation=translation, draft=draft,
                expires=expires, attachments=body.attachments,
                url_line=parts.lines.get("title") or 1,
                aliases=aliases, alias_lines=alias_lines, notes=tuple(problems.notes))


def _lang(meta: dict, path: Path, config: SiteConfig, problems: FileProblems) -> str:
    """vi, or en: said by lang:, or by the page's place under trang/en/."""
    under_english = path.relative_to(config.content_dir / PAGES_FOLDER).parts[0] == ENGLISH
    value = meta.get("lang", ENGLISH if under_english else "vi")
    if value not in LANGUAGES:
        problems.add("lang", _("{value} is not a language of the site").format(
            value=show(value)), hint=_("write lang: vi (Vietnamese, the default) or lang: en"))
        return "vi"
    return value


def _menu(value: object, problems: FileProblems) -> MenuPlace | None:
    """menu: true (a top-level entry), the title or URL of the entry to go under, or a
    group with parent:, title: and order:."""
    if value is None or value is False:
        return None
    if value is True:
        return MenuPlace()
    if isinstance(value, str) and value.strip():
        return MenuPlace(parent=value.strip())
    if not isinstance(value, dict):
        problems.add("menu", _("expected true, the menu entry to go under, or parent:, "
                               "title: and order:"), hint=_('e.g. menu: "Giới thiệu"'))
        return None
    for key in value:
        if key not in MENU_KEYS:
            problems.add(f"menu.{key}", _("unknown field"),
                         hint=_("a menu: group has parent:, title: and order:"))
    parent, title, order = value.get("parent", ""), value.get("title", ""), value.get("order", 0)
    for key, text in (("parent", parent), ("title", title)):
        if not isinstance(text, str):
            problems.add(f"menu.{key}", _("expected text, got {kind}").format(kind=kind(text)))
    if isinstance(order, bool) or not isinstance(order, int):
        problems.add("menu.order", _("{value} is not a whole number").format(value=show(order)))
        order = 0
    return MenuPlace(parent=str(parent).strip(), title=str(title).strip(), order=order)


def _translation(value: object, problems: FileProblems) -> str:
    """The URL path of the page's translation, as /en/contact/ or en/contact."""
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip("/ "):
        problems.add("translation", _("expected the address of the translated page, e.g. "
                                      "/en/contact/"))
        return ""
    return value.strip().strip("/") + "/"


def _check_path(relative: PurePosixPath, problems: FileProblems) -> None:
    """Each folder and name of the page's path becomes part of its URL: plain a-z words."""
    names = [*relative.parent.parts, relative.stem]
    bad = [name for name in names if not is_slug(name)]
    if bad:
        suggestion = "/".join(slugify(name) or "trang" for name in names)
        problems.errors.append(ContentError(problems.source, None, field_label("file") + ": " + _(
            "{name} cannot be part of an address: names of pages and their folders use only "
            "a-z, 0-9 and hyphens").format(name=show(bad[0])),
            hint=_("rename it, e.g. content/{path}/{suggestion}.md").format(
                path=PAGES_FOLDER, suggestion=suggestion)))
