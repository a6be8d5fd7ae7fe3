"""The plan of every HTML page: which file, from which template, showing what."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError, ErrorList, field_label
from phucdong_site.language import _
from phucdong_site.models import Article, Page, Site
from phucdong_site.pages import urls
from phucdong_site.pages.indexes import SiteIndex
from phucdong_site.pages.listings import all_related, featured, most_viewed, neighbours, paginate
from phucdong_site.pages.menu import ENGLISH_HOME
from phucdong_site.pages.planned import HOME, PageOutput, Planned
from phucdong_site.pages.redirects import MAP_FILE, Alias, aliases, clashes
from phucdong_site.pages.register import FEED as REGISTER_FEED
from phucdong_site.pages.register import INDEX as REGISTER_INDEX_DIR
from phucdong_site.pages.register import register_pages
from phucdong_site.pages.structured_data import Crumb
from phucdong_site.pages.urls import file_of
from phucdong_site.search import INDEX_DIR

HOME_FEATURED = 5                # one large, the rest beside it
HOME_MOST_VIEWED = 5
RELATED_COUNT = 5


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
        pages.append(PageOutput(file_of(page.url), "listing.html",
                                {"page": page, "breadcrumbs": crumbs, "description": description,
                                 "feed": feed},
                                lastmod=_newest(page.articles) or lastmod,
                                # an empty listing (nothing ranks yet) is no page to index
                                in_sitemap=bool(articles)))
    return pages


def home_pages(s: Planned) -> list[PageOutput]:
    """The home page and the site-wide listings: all news, nổi bật, đọc nhiều."""
    articles, config = s.site.articles, s.config
    recent = config.views.popular_days > 0 and s.site.views_as_of is not None
    important, popular = featured(articles), most_viewed(articles, recent)
    pages = [PageOutput(file_of(urls.HOME), "home.html", {
        "featured": important[:HOME_FEATURED],
        "latest": articles[:config.per_page],
        "most_viewed": popular[:HOME_MOST_VIEWED],
        "breadcrumbs": (HOME,)}, lastmod=s.newest)]
    pages += _listing(articles, config, urls.NEWS, config.section_title, (),
                      f"Tất cả tin bài, mới nhất trước – {config.name}", s.newest, feed="rss.xml")
    pages += _listing(important, config, urls.FEATURED, "Tin nổi bật", (),
                      f"Tin nổi bật – {config.name}", s.newest)
    pages += _listing(popular, config, urls.MOST_VIEWED, "Tin đọc nhiều", (),
                      f"Tin được đọc nhiều nhất – {config.name}", s.newest)
    return pages


def category_pages(s: Planned) -> list[PageOutput]:
    """/chuyen-muc/ and each category's listing, with its feed."""
    crumb = Crumb("Chuyên mục", urls.CATEGORIES)
    pages = [PageOutput(file_of(urls.CATEGORIES), "categories.html",
                        {"categories": s.index.categories, "breadcrumbs": (HOME, crumb)},
                        lastmod=s.newest)]
    for category in s.index.categories:
        pages += _listing(category.articles, s.config, category.url, category.name, (crumb,),
                          f"Tin bài chuyên mục {category.name} – {s.config.name}", s.newest,
                          feed=f"{category.url}rss.xml")
    return pages


def tag_pages(s: Planned) -> list[PageOutput]:
    """/tag/ and each tag's listing."""
    crumb = Crumb("Từ khóa", urls.TAGS)
    pages = [PageOutput(file_of(urls.TAGS), "tags.html",
                        {"tags": s.index.tags, "breadcrumbs": (HOME, crumb)}, lastmod=s.newest)]
    for tag in s.index.tags:
        pages += _listing(tag.articles, s.config, tag.url, f"Từ khóa: {tag.name}", (crumb,),
                          f"Tin bài có từ khóa {tag.name} – {s.config.name}", s.newest)
    return pages


def archive_pages(s: Planned) -> list[PageOutput]:
    """/luu-tru/ and each month's listing."""
    crumb = Crumb("Lưu trữ", urls.ARCHIVE)
    pages = [PageOutput(file_of(urls.ARCHIVE), "archive.html",
                        {"years": _years(s.index), "breadcrumbs": (HOME, crumb)},
                        lastmod=s.newest)]
    for month in s.index.months:
        pages += _listing(month.articles, s.config, month.url, f"Lưu trữ {month.name.lower()}",
                          (crumb,), f"Tin bài {month.name.lower()} – {s.config.name}", s.newest)
    return pages


def article_pages(s: Planned) -> list[PageOutput]:
    """The article kind's pages: one per article, with its category, related articles and
    the articles before and after it. An expired article keeps its page, marked, alone."""
    around = neighbours(s.site.articles)
    pages = []
    expired = [item for item in s.site.expired if isinstance(item, Article)]
    gone = {id(article) for article in expired}
    for article in (*s.site.articles, *expired):
        # an expired article's category may list nothing now: it is under the news then
        category = s.index.category_by_slug.get(article.category)
        section = (Crumb(category.name, category.url) if category else
                   Crumb(s.config.section_title, urls.NEWS))
        older, newer = around.get(article.url, (None, None))
        pages.append(PageOutput(file_of(article.url), "article.html", {
            "article": article,
            "category": category.link if category else None,
            "breadcrumbs": (HOME, section, Crumb(article.title, article.url)),
            "related": s.related.get(article.url, ()),
            "older": older, "newer": newer,
            "expired": id(article) in gone,
        }, article.source, lastmod=article.published, in_sitemap=id(article) not in gone))
    return pages


def retitled(page: PageOutput, old: Article, new: Article,
             edited: Mapping[int, Article]) -> PageOutput | None:
    """PAGE, one of OLD's own as planned (its page, or an old address's redirect page), as
    it would be planned for NEW: the same article at the same address, its title or body
    edited. EDITED: each article edited with it, by the id of the one planned (OLD among
    them), so that neighbours and related articles edited too are shown new. Its category
    and the order of articles are the plan's still; its breadcrumb and the redirect's title
    follow the title. None for a page of a kind planned here otherwise."""
    def edited_in(value: object) -> object:
        if type(value) in (list, tuple):         # related articles, breadcrumbs
            return type(value)(edited.get(id(item), item) for item in value)
        return edited.get(id(value), value)

    context = {name: edited_in(value) for name, value in page.context.items()}
    if page.template == "article.html" and context.get("article") is new:
        *above, own = context["breadcrumbs"]
        if own != Crumb(old.title, old.url):
            return None
        context["breadcrumbs"] = (*above, Crumb(new.title, new.url))
    elif page.template == "redirect.html" and context.get("title") == old.title:
        context["title"] = new.title
    else:
        return None
    return replace(page, context=context)


def content_pages(s: Planned) -> list[PageOutput]:
    """The page kind's pages: each at its URL, under the pages above it in its path, with
    its translation and the pages below it."""
    expired = [item for item in s.site.expired if isinstance(item, Page)]
    gone = {id(page) for page in expired}
    every = (*s.site.pages, *expired)
    by_url = {page.url: page for page in every}
    translated_by = {page.translation: page for page in every if page.translation}
    children: dict[str, list[Page]] = {}
    for page in s.site.pages:
        if up := _ancestors(page.url):
            children.setdefault(up[-1], []).append(page)
    planned = []
    for page in every:
        home = HOME if page.lang == "vi" else Crumb(
            "Home", ENGLISH_HOME if ENGLISH_HOME in by_url else urls.HOME)
        above = [by_url[url] for url in _ancestors(page.url) if url in by_url]
        below = children.get(page.url, [])
        planned.append(PageOutput(file_of(page.url), "page.html", {
            "page": page,
            "lang": page.lang,
            "breadcrumbs": (home, *(Crumb(a.title, a.url) for a in above),
                            Crumb(page.title, page.url)),
            "translation": by_url.get(page.translation) or translated_by.get(page.url),
            "children": below,
            "expired": id(page) in gone,
        }, page.source, lastmod=page.updated, in_sitemap=id(page) not in gone))
    return planned


def _ancestors(url: str) -> list[str]:
    """gioi-thieu/co-cau/ → [gioi-thieu/]: the URLs above URL, outermost first."""
    parts = url.strip("/").split("/")
    return ["".join(f"{part}/" for part in parts[:end]) for end in range(1, len(parts))]


def utility_pages(s: Planned) -> list[PageOutput]:
    """The search page and 404.html: no content of their own to index, and no date."""
    return [PageOutput(file_of(urls.SEARCH), "search.html",
                       {"breadcrumbs": (HOME, Crumb("Tìm kiếm", urls.SEARCH))}, in_sitemap=False),
            PageOutput(urls.NOT_FOUND, "404.html", {"breadcrumbs": ()}, in_sitemap=False)]


def alias_pages(s: Planned) -> list[PageOutput]:
    """A redirect page at each old address of an article or a page (its aliases:), except
    those with a query, which only the web server's map can tell apart, and those that
    clash with another alias (alias_clashes reports them)."""
    every = aliases(s.site.documents)
    _errors, dropped = clashes(every, s.config.base_path)
    by_url = {document.url: document for document in s.site.documents}
    return [PageOutput(alias.file, "redirect.html", {
        "alias": alias, "title": by_url[alias.target].title,
        "lang": getattr(by_url[alias.target], "lang", "vi")}, alias.source, in_sitemap=False)
        for alias in every if alias.file is not None and alias not in dropped]


def alias_clashes(site: Site, config: SiteConfig) -> list[ContentError]:
    """Aliases that are one address for the web server: each reported with its line."""
    return clashes(aliases(site.documents), config.base_path)[0]


# What a build writes besides its pages, which an old address may not take either: files at
# the root (feeds, sitemap, robots, the nginx map, the logo's icons and manifest), and the
# folders of the theme's static files, of photo renditions and of the search index.
SITE_FILES = ("rss.xml", "atom.xml", "sitemap.xml", "robots.txt", MAP_FILE, "favicon.ico",
              "apple-touch-icon.png", "icon-192.png", "icon-512.png", "manifest.webmanifest")
SITE_FOLDERS = ("static/", "anh/", INDEX_DIR, REGISTER_INDEX_DIR)


def alias_collisions(pages: Sequence[PageOutput], site: Site,
                     index: SiteIndex) -> list[ContentError]:
    """Aliases whose redirect page would be, or sit inside, or hold, a file the build writes
    or another alias's page: written anyway, it would replace a page by a folder, or be
    replaced by one. Compared without capitals: nginx's map does not tell them apart, nor
    does a Windows or macOS disk. The same file exactly is one_file_each's to report, and
    two aliases on one address clashes'."""
    redirects = [page for page in pages if isinstance(page.context.get("alias"), Alias)]
    if not redirects:
        return []                # most sites: no page to check, none of the work below
    # lower-case file -> what writes it: a page, told by its source only if it clashes
    owners: dict[str, PageOutput | str] = {}
    for page in pages:
        if page.template != "redirect.html":
            owners.setdefault(page.path.lower(), page)
    feeds = (*(f"{category.url}rss.xml" for category in index.categories),
             *([REGISTER_FEED] if site.register else []))
    for path in (*SITE_FILES, *feeds,
                 *(path for path, _attachment in site.files)):
        owners.setdefault(path.lower(), _("{path}, a file the build makes").format(path=path))
    exact = {page.path for page in pages if page.template != "redirect.html"}
    aliased: dict[str, PageOutput] = {}
    for page in redirects:
        aliased.setdefault(page.path.lower(), page)
    written = sorted((*owners, *aliased))
    errors = []
    for page in redirects:
        alias, file = page.context["alias"], page.path.lower()
        if page.path in exact:
            continue                     # one_file_each reports it, naming the page
        clash = _owner(owners.get(file))
        for folder in _folders(file):
            inside = folder.rstrip("/")
            if clash is None and inside in owners:
                clash = _owner(owners[inside])
            elif clash is None and inside in aliased:
                other = aliased[inside].context["alias"]
                clash = _("an old address in {path} ({field})").format(
                    path=other.source.as_posix(), field=other.field)
        if clash is None and (_holds(written, f"{file}/") or file.startswith(SITE_FOLDERS)):
            clash = _("a folder of files the build makes")
        if clash is not None:
            errors.append(alias.error(_("/{alias} is the address of {others}").format(
                alias=alias.path, others=clash), _(
                    "an old address must be one no page has now: remove it from aliases:")))
    return errors


def _owner(owner: PageOutput | str | None) -> str | None:
    """What writes a file, in an alias's problem: a page's source, or what the site makes."""
    if isinstance(owner, PageOutput):
        return owner.source.as_posix() if owner.source else _("a page the site makes")
    return owner


def _holds(written: list[str], folder: str) -> bool:
    """Some path of WRITTEN (sorted) is inside FOLDER: the first at or after it says."""
    at = bisect_left(written, folder)
    return at < len(written) and written[at].startswith(folder)


def _folders(path: str) -> list[str]:
    """a/b/c.html → [a/, a/b/]."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:end]) + "/" for end in range(1, len(parts) + 1)]


# Every page type's planner, in the order the site's pages are listed (the sitemap's order).
PLANNERS: tuple[Callable[[Planned], list[PageOutput]], ...] = (
    home_pages, category_pages, tag_pages, archive_pages, article_pages, content_pages,
    register_pages, utility_pages, alias_pages)


def plan_pages(site: Site, config: SiteConfig, index: SiteIndex,
               related_lists: Mapping[str, Sequence[Article]] | None = None
               ) -> list[PageOutput]:
    """Every HTML page of the site, in a fixed order. RELATED_LISTS: all_related() of the
    site, when known already."""
    if related_lists is None:
        related_lists = all_related(site.articles, RELATED_COUNT)
    planned = Planned(site, config, index, related_lists, _newest(site.articles))
    pages = [page for planner in PLANNERS for page in planner(planned)]
    one_file_each(pages, (*index.problems, *alias_clashes(site, config),
                          *alias_collisions(pages, site, index)))
    return pages


def one_file_each(pages: Sequence[PageOutput], known: Sequence[ContentError] = ()) -> None:
    """Raises ErrorList, with the KNOWN problems, when two planned pages would be one file:
    content (a page, an article, an alias) on the address of a page the site makes, or of
    other content. An alias on a page's address is the alias's problem, not the page's."""
    by_path: dict[str, list[PageOutput]] = {}
    for page in pages:
        by_path.setdefault(page.path, []).append(page)
    errors = ErrorList(list(known))
    for path, same in by_path.items():
        if len(same) < 2:
            continue
        for page in same:
            if page.source is None:
                continue
            alias = page.context.get("alias") if page.template == "redirect.html" else None
            if isinstance(alias, Alias):
                errors.append(_alias_clash(alias, page, same))
                continue
            if all(isinstance(other.context.get("alias"), Alias)
                   for other in same if other is not page):
                continue         # the aliases are told
            others = ", ".join(other.source.as_posix() if other.source else
                               _("the page the site makes there")
                               for other in same if other is not page
                               and not isinstance(other.context.get("alias"), Alias))
            document = page.context.get("document")
            where, field = ((document.url_line, "so_ky_hieu") if page.template == "document.html"
                            else (None, field_label("file")))
            errors.append(ContentError(page.source, where, field + ": " + _(
                "/{url} is also the address of {others}").format(url=page.url, others=others),
                hint=_("rename or move the file; these addresses belong to the site: "
                       "tin-tuc/, chuyen-muc/, tag/, luu-tru/, tim-kiem/, noi-bat/, doc-nhieu/, "
                       "van-ban/")))
    errors.raise_if_any()


def _alias_clash(alias: Alias, page: PageOutput, same: Sequence[PageOutput]) -> ContentError:
    """An alias whose redirect page would be the file of SAME's other pages."""
    others = []
    for other in same:
        if other is page:
            continue
        known = other.context.get("alias")
        if isinstance(known, Alias):
            others.append(_("an old address in {path} ({field})").format(
                path=known.source.as_posix(), field=known.field))
        else:
            others.append(other.source.as_posix() if other.source else
                          _("a page the site makes"))
    return alias.error(_("/{alias} is the address of {others}").format(
        alias=alias.path, others=", ".join(others)), _(
            "an old address must be one no page has now: remove it from aliases:"))


def _years(index: SiteIndex) -> list[tuple[int, list]]:
    """The archive's months grouped by year, newest first."""
    years: dict[int, list] = {}
    for month in index.months:
        years.setdefault(month.year, []).append(month)
    return list(years.items())
