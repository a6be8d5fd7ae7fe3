"""The header's menu: site.toml's [[menu]] entries (or, without them, the news, its
categories and the archive), with the pages that place themselves by their menu: field;
an English one for English pages. Every entry that leads nowhere is reported."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from phucdong_site.config import CONFIG_NAME, MenuEntry, SiteConfig, setting_line
from phucdong_site.errors import ContentError, did_you_mean
from phucdong_site.language import _
from phucdong_site.models import Page, Site
from phucdong_site.pages import urls

# The menu's own words for the site's listings, when an entry gives no title.
LISTING_TITLES = {urls.FEATURED: "Tin nổi bật", urls.MOST_VIEWED: "Tin đọc nhiều",
                  urls.CATEGORIES: "Chuyên mục", urls.TAGS: "Từ khóa", urls.ARCHIVE: "Lưu trữ",
                  urls.SEARCH: "Tìm kiếm", urls.REGISTER: "Văn bản"}
ENGLISH_HOME = "en/"


@dataclass(frozen=True, slots=True)
class MenuLink:
    """One entry of the menu: a link, and the entries under it."""

    title: str
    url: str | None = None       # under the site root ("" is home); None: a group's heading
    external: bool = False       # url is an address on another site
    items: tuple[MenuLink, ...] = ()
    lang: str = ""               # the language of what it leads to, when not the menu's

    def current(self, path: str, trail: Sequence[str] = (), items: bool = True) -> str | None:
        """aria-current for the page at PATH, whose breadcrumbs lead through TRAIL: "page"
        on its own entry, "true" on the section that holds it (or, unless not ITEMS, one of
        its items), else None."""
        if not self.external and self.url is not None and self.url == path:
            return "page"
        if items and any(item.current(path, trail) for item in self.items):
            return "true"
        if (not self.external and self.url and self.url != ENGLISH_HOME
                and (path.startswith(self.url) or self.url in trail)):
            return "true"        # a home is the current page only: every page is under it
        return None


@dataclass(frozen=True, slots=True)
class Menus:
    vi: tuple[MenuLink, ...]
    en: tuple[MenuLink, ...]

    def of(self, lang: str) -> tuple[MenuLink, ...]:
        return self.en if lang == "en" else self.vi


def resolve_menus(site: Site, config: SiteConfig,
                  categories: dict[str, str]) -> tuple[Menus, list[ContentError]]:
    """The Vietnamese and English menus, and every problem of their entries. CATEGORIES:
    the site's categories, slug → name."""
    errors: list[ContentError] = []
    pages = {page.url: page for page in (*site.pages, *site.expired) if isinstance(page, Page)}
    if config.menu is None:
        top = _default_menu(config, categories, bool(site.register))
    else:
        top = [link for entry in config.menu
               if (link := _link(entry, config, pages, categories, errors)) is not None]
    vi = _with_pages([MenuLink("Trang chủ", urls.HOME), *top], site.pages, "vi", config,
                     errors)
    english = [MenuLink("Home", ENGLISH_HOME)] if ENGLISH_HOME in pages else []
    en = _with_pages(english, site.pages, "en", config, errors)
    en.append(MenuLink("Tiếng Việt", urls.HOME, lang="vi"))
    return Menus(tuple(vi), tuple(en)), errors


def _default_menu(config: SiteConfig, categories: dict[str, str],
                  register: bool) -> list[MenuLink]:
    """The news, each category (but one named like the news: the same link text twice),
    the register of documents when there is one, the archive."""
    return [MenuLink(config.section_title, urls.NEWS),
            *(MenuLink(name, urls.category_url(slug)) for slug, name in categories.items()
              if name.lower() != config.section_title.lower()),
            *([MenuLink(LISTING_TITLES[urls.REGISTER], urls.REGISTER)] if register else []),
            MenuLink("Lưu trữ", urls.ARCHIVE)]


def _link(entry: MenuEntry, config: SiteConfig, pages: dict[str, Page],
          categories: dict[str, str], errors: list[ContentError]) -> MenuLink | None:
    """ENTRY as a link, or None when it leads nowhere (the problem in ERRORS)."""
    items = tuple(link for item in entry.items
                  if (link := _link(item, config, pages, categories, errors)) is not None)
    where, shown = setting_line(config.site_dir, f"{entry.key}.{entry.kind}"), Path(CONFIG_NAME)
    label = re.sub(r"\[\d+\]", "", f"{entry.key}.{entry.kind}") + ": "
    if entry.kind == "page":
        page = pages.get(entry.target)
        if page is None:
            known = [f"/{url}" for url in pages]
            errors.append(ContentError(shown, where, label + _(
                "/{url} is not a page of the site").format(url=entry.target),
                hint=did_you_mean(f"/{entry.target}", known) or (
                    _("the site's pages: {urls}").format(urls=", ".join(sorted(known)))
                    if known else _("pages are the files under content/trang/"))))
            return None
        return MenuLink(entry.title or page.title, page.url, items=items,
                        lang=page.lang if page.lang != "vi" else "")
    if entry.kind == "category":
        if entry.target not in categories:
            errors.append(ContentError(shown, where, label + _(
                "{slug} is not a category of the site").format(slug=entry.target),
                hint=did_you_mean(entry.target, categories) or _(
                    "categories are listed in site.toml [categories]")))
            return None
        return MenuLink(entry.title or categories[entry.target],
                        urls.category_url(entry.target), items=items)
    if entry.kind == "listing":
        title = entry.title or (config.section_title if entry.target == urls.NEWS
                                else LISTING_TITLES.get(entry.target, entry.target))
        return MenuLink(title, entry.target, items=items)
    if entry.kind == "url":
        return MenuLink(entry.title, entry.target, external=True, items=items)
    return MenuLink(entry.title, None, items=items)


def _with_pages(top: list[MenuLink], pages: tuple[Page, ...], lang: str,
                config: SiteConfig, errors: list[ContentError]) -> list[MenuLink]:
    """TOP with the LANG pages that place themselves (menu:), each level by order, then
    as written; a page the menu has already is not added again."""
    placed = [page for page in pages if page.menu is not None and page.lang == lang]
    present = {url for link in top for url in (link.url, *(item.url for item in link.items))}
    placed = sorted((page for page in placed if page.url not in present),
                    key=lambda page: page.menu.order)
    first, rest = top[:1], top[1:]
    rest += [MenuLink(page.menu.title or page.title, page.url) for page in placed
             if not page.menu.parent]
    rest = _ordered(rest, {page.url: page.menu.order for page in placed})
    for page in placed:
        parent = page.menu.parent
        if not parent:
            continue
        wanted = parent.strip("/") + "/"
        spot = next((n for n, link in enumerate(rest)
                     if link.title.casefold() == parent.casefold()
                     or (not link.external and link.url == wanted)), None)
        if spot is None:
            errors.append(ContentError(page.source, _menu_line(config.site_dir / page.source),
                                       "menu: " + _("no entry of the menu is called {parent}")
                                       .format(parent=f'"{parent}"'),
                                       hint=did_you_mean(parent, [link.title for link in rest])
                                       or (_("the menu's entries: {names}").format(
                                           names=", ".join(f'"{link.title}"' for link in rest))
                                           if rest else _("write menu: true to make the page "
                                                          "an entry of its own"))))
            continue
        link = rest[spot]
        rest[spot] = MenuLink(link.title, link.url, link.external, (*link.items, MenuLink(
            page.menu.title or page.title, page.url)), link.lang)
    return [*first, *rest]


def _ordered(links: list[MenuLink], orders: dict[str, int]) -> list[MenuLink]:
    """By each page's order (site.toml's entries: 0), stable: as written otherwise."""
    return sorted(links, key=lambda link: orders.get(link.url or "", 0) if not link.external
                  else 0)


def _menu_line(path: Path) -> int | None:
    """The line of menu: in the front matter of PATH (read again only for a problem)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, line in enumerate(lines, start=1)
                 if re.match(r"menu\s*:", line)), None)
