"""The site's articles grouped by category, tag and month; built once, read by every page."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass

from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError
from phucdong_site.language import N_, Np_, deferred
from phucdong_site.models import Article, Site
from phucdong_site.pages.identity import Identity, site_identity
from phucdong_site.pages.menu import Menus, resolve_menus
from phucdong_site.pages.urls import category_url, month_url, tag_url
from phucdong_site.text import collation_key, slugify


@dataclass(frozen=True, slots=True)
class CategoryLink:
    """A category as the navigation and its articles' pages show it: a name and a link.

    Without its articles, so that those pages do not change, and are not rendered again,
    whenever one article of the category does."""

    slug: str
    name: str                    # display name from site.toml [categories]

    @property
    def url(self) -> str:
        return category_url(self.slug)


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    name: str
    articles: tuple[Article, ...]    # newest first

    @property
    def link(self) -> CategoryLink:
        return CategoryLink(self.slug, self.name)

    @property
    def url(self) -> str:
        return self.link.url


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str                    # the spelling most articles use
    articles: tuple[Article, ...]    # newest first

    @property
    def url(self) -> str:
        return tag_url(self.slug)


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    articles: tuple[Article, ...]    # newest first

    @property
    def url(self) -> str:
        return month_url(self.year, self.month)

    @property
    def name(self) -> str:
        return f"Tháng {self.month:02d}/{self.year:04d}"


@dataclass(frozen=True, slots=True)
class SiteIndex:
    categories: tuple[Category, ...]     # in the Vietnamese order of their names
    tags: tuple[Tag, ...]                # in the Vietnamese order of their names
    months: tuple[Month, ...]            # newest first
    category_by_slug: dict[str, Category]
    tag_by_slug: dict[str, Tag]
    warnings: tuple[ContentError, ...] = ()   # tags spelled differently in different articles
    menus: Menus = Menus((), ())         # the header's menu, Vietnamese and English
    identity: Identity = Identity()      # the logo, icons and manifest the pages link
    # The menu's and the logo's problems: planning reports them with its own, in one run.
    problems: tuple[ContentError, ...] = ()


@functools.lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """The URL name of a tag: the same Vietnamese fold as article slugs (remembered: a
    site has few tags, each named by thousands of articles)."""
    return slugify(name)


def build_index(site: Site, config: SiteConfig) -> SiteIndex:
    """Group SITE's articles (newest first) by category, tag and month."""
    by_category: dict[str, list[Article]] = {slug: [] for slug, _ in config.categories}
    by_tag: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    by_month: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in site.articles:
        by_category.setdefault(article.category, []).append(article)
        for name in article.tags:
            slug = tag_slug(name)
            by_tag[slug].append(article)
            spellings[slug][name] += 1
        by_month[(article.published.year, article.published.month)].append(article)

    categories = [Category(slug, config.category_name(slug), tuple(articles))
                  for slug, articles in by_category.items()]
    names = {slug: _chosen_spelling(counts) for slug, counts in spellings.items()}
    tags = [Tag(slug, names[slug], tuple(articles)) for slug, articles in by_tag.items()]
    months = [Month(year, month, tuple(articles))
              for (year, month), articles in sorted(by_month.items(), reverse=True)]
    categories.sort(key=lambda c: collation_key(c.name))
    tags.sort(key=lambda t: collation_key(t.name))
    # The menu and the logo are checked here, with the site: both fail a build (and check),
    # through plan_pages, which adds the problems of the pages' addresses.
    menus, problems = resolve_menus(site, config, {c.slug: c.name for c in categories})
    identity, logo_problems = site_identity(config)
    return SiteIndex(problems=(*logo_problems, *problems), categories=tuple(categories), tags=tuple(tags), months=tuple(months),
                     category_by_slug={c.slug: c for c in categories},
                     tag_by_slug={t.slug: t for t in tags},
                     warnings=tuple(_spelling_warnings(site, names, spellings)),
                     menus=menus, identity=identity)


def _chosen_spelling(counts: Counter[str]) -> str:
    # The majority spelling names the tag; a tie goes to the first in Vietnamese order,
    # so the choice never depends on the order files were read in.
    return min(counts, key=lambda name: (-counts[name], collation_key(name)))


def _spelling_warnings(site: Site, names: dict[str, str],
                       spellings: dict[str, Counter[str]]) -> list[ContentError]:
    """One warning per article that spells a tag differently from the tag's name."""
    warnings = []
    for article in site.articles:
        for name in article.tags:
            slug = tag_slug(name)
            chosen = names[slug]
            if name != chosen:
                others = spellings[slug][chosen]
                # Deferred: the freshness record replays these in a later run's language.
                used = deferred(Np_('"{name}" and "{chosen}" (used by {count} article) are '
                                    'one tag, /tag/{slug}/, shown as "{chosen}"',
                                    '"{name}" and "{chosen}" (used by {count} articles) are '
                                    'one tag, /tag/{slug}/, shown as "{chosen}"'),
                                "tags: ", count=others, chosen=chosen, name=name, slug=slug)
                warnings.append(ContentError(
                    article.source, None, used,
                    hint=deferred(N_('write "{chosen}" if they mean the same; otherwise reword '
                                     'one of them'), chosen=chosen)))
    return sorted(warnings, key=ContentError.sort_key)
