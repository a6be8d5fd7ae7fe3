"""One article file → a validated, frozen Article, or every problem in it.

The article kind's field table (KNOWN_KEYS) and the validators only articles have live here;
those every kind shares are in fields.py."""

from __future__ import annotations

import re
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.content.fields import (
    FileProblems,
    aliases_field,
    date_field,
    flag_field,
    illustrated_body,
    misplaced_photo_keys,
    read_source,
    show,
    text_field,
    unknown_keys,
)
from phucdong_site.content.markup import shorten
from phucdong_site.errors import ErrorList, did_you_mean
from phucdong_site.language import _
from phucdong_site.models import Article, Body, article_url
from phucdong_site.photos import PhotoFile, PhotoProblem, SourceIndex
from phucdong_site.text import is_slug, slugify

KNOWN_KEYS = ("title", "date", "views", "photos", "category", "tags", "featured",
              "summary", "draft", "slug", "expires", "aliases",
              "attachments")
# Tags a reader looks for: a few per article. Many more are a mistake (a pasted word list),
# and each makes a tag page; related articles cost grows with them too.
MAX_TAGS = 50


def parse_article(path: Path, config: SiteConfig,
                  photo_files: dict[Path, PhotoFile | PhotoProblem] | None = None,
                  sources: SourceIndex | None = None) -> Article:
    """One article file → Article, or an ErrorList of every problem in it."""
    shown, parts = read_source(path, config)
    meta = parts.metadata
    problems = FileProblems(shown, parts.lines, default_line=2)
    misplaced_photo_keys(meta, problems)
    unknown_keys(meta, KNOWN_KEYS, problems)

    title = text_field(meta, "title", problems, required=_("missing; every article needs one"))
    published = date_field(meta, "date", config, problems)
    expires = date_field(meta, "expires", config, problems, required=False)
    if expires is not None and "date" in meta and expires <= published:
        problems.add("expires", _("{expires} is not after the article's date, {date}").format(
            expires=f"{expires:%d/%m/%Y %H:%M}", date=f"{published:%d/%m/%Y %H:%M}"),
            hint=_("an article expires after it is published; remove expires: or move it "
                   "later"))
    views = _views(meta.get("views", 0), problems)
    category = _category(meta.get("category", config.default_category), config, problems)
    tags = _tags(meta.get("tags"), problems)
    featured = flag_field(meta, "featured", problems)
    draft = flag_field(meta, "draft", problems)
    summary = text_field(meta, "summary", problems)
    slug = _slug(meta, title, problems)
    aliases, alias_lines = aliases_field(meta, problems)
    body = illustrated_body(meta, parts, shown, config, problems, photo_files, sources,
                            url=article_url(published, slug))

    if problems.errors:
        raise ErrorList(problems.errors)
    return Article(source=shown, title=title, published=published, slug=slug,
                   category=category, views=views, photos=body.photos, tags=tags,
                   featured=featured, draft=draft,
                   summary=summary or shorten(body.first_paragraph),
                   body=Body(body.html),
                   extra=tuple((str(k), v) for k, v in meta.items() if k not in KNOWN_KEYS),
                   images=body.images,
                   url_line=parts.lines.get("slug") or parts.lines.get("title") or 1,
                   expires=expires, aliases=aliases, alias_lines=alias_lines,
                   attachments=body.attachments,
                   notes=tuple(problems.notes))


def _views(value: object, problems: FileProblems) -> int:
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add("views", _("{value} is not a whole number").format(value=show(value)))
        return 0
    if value < 0:
        problems.add("views", _("{value} is negative; a view count is 0 or more").format(
            value=value))
        return 0
    return value


def _category(value: object, config: SiteConfig, problems: FileProblems) -> str:
    if not isinstance(value, str) or not slugify(value):
        problems.add("category", _("{value} is not a category name").format(value=show(value)))
        return config.default_category
    slug = value if is_slug(value) else slugify(value)
    known = [known_slug for known_slug, _ in config.categories]
    if known and slug not in known:
        problems.add("category", _("{value} is not one of the categories in site.toml").format(
            value=show(value)), hint=did_you_mean(slug, known) or _("choose one of: {names}").format(
                names=", ".join(known)))
    return slug


def _tags(value: object, problems: FileProblems) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list):
        problems.add("tags", _("expected a list, e.g. tags: [xây dựng Đảng, năm 2021]"))
        return ()
    if len(value) > MAX_TAGS:
        problems.add("tags", _("{count} tags; an article has at most {limit}").format(
            count=len(value), limit=MAX_TAGS),
            hint=_("keep the few tags a reader would look for; the other words belong in "
                   "the text"))
        return ()
    tags: dict[str, str] = {}
    for index, tag in enumerate(value):
        if isinstance(tag, bool) or not isinstance(tag, (str, int)) or not slugify(str(tag)):
            problems.add(f"tags[{index}]", _("{value} is not a tag").format(value=show(tag)))
            continue
        text = re.sub(r"\s+", " ", str(tag)).strip()
        tags.setdefault(slugify(text), text)
    return tuple(tags.values())


def _slug(meta: dict, title: str, problems: FileProblems) -> str:
    value = meta.get("slug")
    if value is None:
        slug = slugify(title)
        if title and not slug:
            problems.add("title", _("has no letters or digits to make a URL from"),
                         hint=_("add slug: with a few words in plain a-z letters"))
        return slug or "bai-viet"
    if not isinstance(value, str) or not is_slug(value):
        problems.add("slug", _("{value} may use only a-z, 0-9 and single hyphens").format(
            value=show(value)), hint=_('e.g. slug: "{slug}"').format(
                slug=slugify(str(value)) or "bai-viet"))
        return slugify(str(value)) or "bai-viet"
    return value


