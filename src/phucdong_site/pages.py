"""The plan of every HTML page: which file, from which template, showing what."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.covers import cover_image
from phucdong_site.indexes import SiteIndex, tag_slug
from phucdong_site.listings import all_related, featured, most_viewed, neighbours, paginate
from phucdong_site.models import Article, Photo, Site
from phucdong_site.structured_data import Crumb, breadcrumb_list, news_article, script_json

LISTING_BASE = "tin-tuc/"
FEATURED_BASE = "noi-bat/"
MOST_VIEWED_BASE = "doc-nhieu/"
CATEGORIES_BASE = "chuyen-muc/"
TAGS_BASE = "tag/"
ARCHIVE_BASE = "luu-tru/"

HOME_FEATURED = 5                # one large, the rest beside it
HOME_MOST_VIEWED = 5
RELATED_COUNT = 5
HOME = Crumb("Trang chủ", "")


@dataclass(frozen=True, slots=True)
class PageOutput:
    """One HTML file to write: where, from which template, with what."""

    path: str                    # relative to the output folder
    template: str
    context: dict
    source: Path | None = None   # the article it shows, for error messages
    lastmod: datetime | None = field(default=None)   # newest article shown, for sitemap.xml

    @property
    def url(self) -> str:
        """The page's URL path under the site root: "", "tin-tuc/", "404.html"."""
        return self.path.removesuffix("index.html")


def _newest(articles: Sequence[Article]) -> datetime | None:
    return max((a.published for a in articles), default=None)


def _listing(articles: Sequence[Article], config: SiteConfig, base: str, title: str,
             trail: tuple[Crumb, ...], description: str, lastmod: datetime | None,
             feed: str | None = None) -> list[PageOutput]:
    """The pages of one paginated listing, each with its breadcrumbs.

    A page's lastmod is its newest article; an empty listing's is LASTMOD (the site's newest).
    """
    pages = []
    for page in paginate(articles, config.per_page, base, title):
        crumbs = (HOME, *trail, Crumb(title, base))
        if page.number > 1:
            crumbs += (Crumb(f"Trang {page.number}", page.url),)
        pages.append(PageOutput(f"{page.url}index.html", "listing.html",
                                {"page": page, "breadcrumbs": crumbs, "description": description,
                                 "feed": feed},
                                lastmod=_newest(page.articles) or lastmod))
    return pages


def plan_pages(site: Site, config: SiteConfig, index: SiteIndex,
               related_lists: Mapping[str, Sequence[Article]] | None = None
               ) -> list[PageOutput]:
    """Every HTML page of the site, in a fixed order. RELATED_LISTS: all_related() of the
    site, when known already."""
    articles = site.articles
    newest = _newest(articles)
    important = featured(articles)
    popular = most_viewed(articles)

    pages = [PageOutput("index.html", "home.html", {
        "featured": important[:HOME_FEATURED],
        "latest": articles[:config.per_page],
        "most_viewed": popular[:HOME_MOST_VIEWED],
        "breadcrumbs": (HOME,)}, lastmod=newest)]
    pages += _listing(articles, config, LISTING_BASE, config.section_title, (),
                      f"Tất cả tin bài, mới nhất trước – {config.name}", newest, feed="rss.xml")
    pages += _listing(important, config, FEATURED_BASE, "Tin nổi bật", (),
                      f"Tin nổi bật – {config.name}", newest)
    pages += _listing(popular, config, MOST_VIEWED_BASE, "Tin đọc nhiều", (),
                      f"Tin được đọc nhiều nhất – {config.name}", newest)

    categories = Crumb("Chuyên mục", CATEGORIES_BASE)
    pages.append(PageOutput(f"{CATEGORIES_BASE}index.html", "categories.html",
                            {"categories": index.categories, "breadcrumbs": (HOME, categories)},
                            lastmod=newest))
    for category in index.categories:
        pages += _listing(category.articles, config, category.url, category.name, (categories,),
                          f"Tin bài chuyên mục {category.name} – {config.name}", newest,
                          feed=f"{category.url}rss.xml")

    tags = Crumb("Từ khóa", TAGS_BASE)
    pages.append(PageOutput(f"{TAGS_BASE}index.html", "tags.html",
                            {"tags": index.tags, "breadcrumbs": (HOME, tags)}, lastmod=newest))
    for tag in index.tags:
        pages += _listing(tag.articles, config, tag.url, f"Từ khóa: {tag.name}", (tags,),
                          f"Tin bài có từ khóa {tag.name} – {config.name}", newest)

    archive = Crumb("Lưu trữ", ARCHIVE_BASE)
    pages.append(PageOutput(f"{ARCHIVE_BASE}index.html", "archive.html",
                            {"years": _years(index), "breadcrumbs": (HOME, archive)},
                            lastmod=newest))
    for month in index.months:
        pages += _listing(month.articles, config, month.url, f"Lưu trữ {month.name.lower()}",
                          (archive,), f"Tin bài {month.name.lower()} – {config.name}", newest)

    around = neighbours(articles)
    if related_lists is None:
        related_lists = all_related(articles, RELATED_COUNT)
    for article in articles:
        category = index.category_by_slug[article.category]
        older, newer = around[article.url]
        pages.append(PageOutput(f"{article.url}index.html", "article.html", {
            "article": article,
            "category": category.link,
            "breadcrumbs": (HOME, Crumb(category.name, category.url),
                            Crumb(article.title, article.url)),
            "related": related_lists[article.url],
            "older": older, "newer": newer,
        }, article.source, lastmod=article.published))
    pages.append(PageOutput("tim-kiem/index.html", "search.html",
                            {"breadcrumbs": (HOME, Crumb("Tìm kiếm", "tim-kiem/"))}))
    pages.append(PageOutput("404.html", "404.html", {"breadcrumbs": ()}))
    return pages


def _years(index: SiteIndex) -> list[tuple[int, list]]:
    """The archive's months grouped by year, newest first."""
    years: dict[int, list] = {}
    for month in index.months:
        years.setdefault(month.year, []).append(month)
    return list(years.items())


def template_globals(site: Site, config: SiteConfig, index: SiteIndex, absolute_url) -> dict:
    """Functions and data the theme's templates use on every page."""

    def cover(photo: Photo):
        return cover_image(photo, config.images)

    def breadcrumb_json(crumbs: Sequence[Crumb]):
        return script_json(breadcrumb_list(crumbs, absolute_url))

    def article_json(article: Article):
        return script_json(news_article(article, config, cover(article.cover)
                                        if article.cover else None, absolute_url))

    def is_scheduled(article: Article) -> bool:
        return article.url in site.scheduled

    return {"cover": cover, "breadcrumb_json": breadcrumb_json, "article_json": article_json,
            "is_scheduled": is_scheduled,
            "nav_categories": tuple(category.link for category in index.categories),
            "category_name": config.category_name,
            "tag_url": lambda name: f"{TAGS_BASE}{tag_slug(name)}/"}
