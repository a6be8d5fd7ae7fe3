"""content/**/*.md → the loaded site: every article validated, every problem collected."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.content.fields import distinct_photos
from phucdong_site.content.page import PAGES_FOLDER, parse_page
from phucdong_site.content.parallel import Extra, KnownArticles, parse_files
from phucdong_site.content.register import (
    DOCUMENTS_FOLDER,
    parse_document,
    register_problems,
)
from phucdong_site.content.view_counts import counted_views, read_view_counts
from phucdong_site.errors import ContentError, ErrorList, did_you_mean, field_label
from phucdong_site.language import _
from phucdong_site.models import Article, OfficialDocument, Page, Site, ViewCounts
from phucdong_site.photos import SourceIndex
from phucdong_site.report import Progress
from phucdong_site.text import number_key


def discover(content_dir: Path, skip: tuple[str, ...] = (PAGES_FOLDER, DOCUMENTS_FOLDER),
             misnamed: list[Path] | None = None) -> list[Path]:
    """Every Markdown file under CONTENT_DIR, sorted as paths sort; hidden files and folders
    skipped, and the top folders SKIP (the pages' and the documents', when looking for
    articles). A file whose path under CONTENT_DIR is not UTF-8 is left out, and added to
    MISNAMED. Like Path.rglob, it does not follow linked folders, and passes over a folder
    it cannot list; a file listed that cannot be read is the parse's to report."""
    if not content_dir.is_dir():
        return []
    top = str(content_dir)
    found: list[str] = []
    # Every rebuild's first step. Directory entries say which are files without a stat of
    # each, and strings sort faster than Paths: 33-44 ms instead of 78-98 at 10,000
    # files (os.walk, os.path.isfile and sorted Paths); making the Paths is most of the rest.
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith((".", "_")):
                        continue
                    if _is_folder(entry):
                        if not (folder == top and name in skip):
                            folders.append(entry.path)
                    elif name.endswith(".md") and _is_file(entry):
                        found.append(entry.path)
        except OSError:
            continue
    kept = []
    for path in found:
        if _is_utf8(path[len(top):]):
            kept.append(path)
        elif misnamed is not None:
            misnamed.append(Path(path))
    # The order of Paths: part by part, folded as pathlib folds where the system ignores
    # capitals (str.lower, not Windows' own mapping, which normcase uses).
    fold = str.lower if os.path.normcase("Aa") != "Aa" else str
    kept.sort(key=lambda path: fold(path[len(top):]).split(os.sep))
    return [Path(path) for path in kept]


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    """A file, or a link to one (not a broken link, a folder, or a device)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_utf8(name: str) -> bool:
    """Whether NAME came from bytes that are UTF-8 (os.fsdecode keeps the others as lone
    surrogates, which no cache, page or message can hold)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def misnamed_files(paths: list[Path], site_dir: Path) -> list[ContentError]:
    """A problem for each file of PATHS whose name is not UTF-8 (shown escaped)."""
    return [ContentError(path.relative_to(site_dir), None, field_label("file") + ": " + _(
        "the name is not UTF-8 text (each byte that is not is shown as \\xNN)"),
        hint=_("rename the file, typing its name again; it was named by a program that "
               "does not write names as UTF-8"))
        for path in sorted(paths)]


def load_site(config: SiteConfig, progress: Progress = Progress(),
              known: KnownArticles | None = None, extra: Extra | None = None,
              sources: SourceIndex | None = None, jobs: int | None = None) -> Site:
    """Every published article, validated, newest first; raises ErrorList with all problems.

    KNOWN (the build cache, serve's memo) answers unchanged files without parsing them;
    EXTRA is more work to do on each article parsed in a worker, kept with it in KNOWN.
    SOURCES remembers photos inspected by earlier builds; by default it is read from the
    cache and not updated. JOBS: worker processes (None: config.jobs, else every core).
    """
    sources = SourceIndex.load(config.cache_dir) if sources is None else sources
    errors = ErrorList()
    articles: list[Article] = []
    misnamed: list[Path] = []
    paths = discover(config.content_dir, misnamed=misnamed)
    documents_paths = discover(config.content_dir / DOCUMENTS_FOLDER, skip=(),
                               misnamed=misnamed)
    progress.stage("parse", len(paths) + len(documents_paths))
    jobs = config.jobs if jobs is None else jobs
    for outcome in parse_files(paths, config, sources, progress, known, extra, jobs):
        if isinstance(outcome, Article):
            articles.append(outcome)
        else:
            errors.extend(outcome)
    documents, unparsed = [], set()
    for path, outcome in zip(documents_paths, parse_files(
            documents_paths, config, sources, progress, known, extra, jobs,
            parse=parse_document)):
        if isinstance(outcome, list):
            errors.extend(outcome)
            unparsed.update(_written_keys(path))
        else:
            documents.append(outcome)
    if known is not None:
        known.keep_only([*paths, *documents_paths])
    pages = _load_kind(parse_page, PAGES_FOLDER, config, errors, sources, misnamed)
    errors.extend(misnamed_files(misnamed, config.site_dir))
    published = [a for a in articles if config.drafts or not a.draft]
    public_pages = sorted((p for p in pages if config.drafts or not p.draft), key=_by_url)
    register = sorted((d for d in documents if config.drafts or not d.draft),
                      key=_newest_document)
    errors.extend(_duplicate_urls([*published, *public_pages]))
    errors.extend(_missing_translations(public_pages, config))
    errors.extend(register_problems(documents, unparsed))
    try:
        counts = read_view_counts(config.site_dir, config.tz)
    except ErrorList as problems:
        errors.extend(problems.errors)
        counts = ViewCounts()
    errors.raise_if_any()
    published = with_counted_views(published, counts, config.views.popular_days)
    published.sort(key=lambda a: (a.published, a.url), reverse=True)
    photos = distinct_photos(photo for item in (*published, *public_pages, *register)
                             for photo in item.images)
    left_out = (len(articles) - len(published) + len(pages) - len(public_pages)
                + len(documents) - len(register))
    return Site(articles=tuple(published), photos=photos, pages=tuple(public_pages),
                drafts_left_out=left_out, register=tuple(register), views_as_of=counts.as_of)


def with_counted_views(articles: list[Article], counts: ViewCounts, popular_days: int
                       ) -> list[Article]:
    """ARTICLES with the views of data/luot-xem.csv added to their front matter's (the old
    portal's count stays the base) and those of the last POPULAR_DAYS counted days as
    recent_views. An article without counted views is kept as it is (the very object the
    cache holds); pages and documents are counted in the file too, but show no count."""
    if not counts.daily:
        return articles
    counted = counted_views(articles, counts, popular_days)
    return [replace(article, views=article.views + counted[article.url][0],
                    recent_views=counted[article.url][1])
            if article.url in counted else article for article in articles]


def _load_kind(parse, folder: str, config: SiteConfig, errors: ErrorList,
               sources: SourceIndex, misnamed: list[Path]) -> list:
    """The files of one kind under content/FOLDER/ (pages: a few dozen), each through
    PARSE, here and every time."""
    found, photo_files = [], {}
    for path in discover(config.content_dir / folder, skip=(), misnamed=misnamed):
        try:
            found.append(parse(path, config, photo_files, sources))
        except ErrorList as problems:
            errors.extend(problems.errors)
    return found


def _written_keys(path: Path) -> list[str]:
    """The number (and slug) a document file that could not be parsed writes, as references
    find them: its problems are told, references to it need not be told as unknown too."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as lines:
            head = [line for _, line in zip(range(200), lines)]
    except OSError:
        return []
    return [number_key(match.group(2).strip().strip("'\""))
            for line in head if (match := _NUMBER_LINE.match(line))]


_NUMBER_LINE = re.compile(r"(so_ky_hieu|slug):\s*(\S.{0,100})")


def _by_url(page: Page) -> str:
    return page.url


def _newest_document(document: OfficialDocument) -> tuple:
    """Newest first; of one day, the higher number first, as a register is read."""
    return (-document.issued.toordinal(), -_leading_number(document.number), document.url)


def _leading_number(number: str) -> int:
    digits = number[:len(number) - len(number.lstrip("0123456789"))]
    return int(digits) if digits else 0


def _line_of_key(path: Path, key: str) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, line in enumerate(lines, 1)
                 if line.startswith(f"{key}:")), None)


def _missing_translations(pages: list[Page], config: SiteConfig) -> list[ContentError]:
    urls = {page.url for page in pages}
    return [ContentError(page.source, _line_of_key(config.site_dir / page.source, "translation"),
                         "translation: " + _(
                "/{url} is not the address of a page").format(url=page.translation),
                hint=did_you_mean(page.translation, sorted(urls)) or "")
            for page in pages if page.translation and page.translation not in urls]


def _duplicate_urls(articles: Iterable[Article | Page]) -> list[ContentError]:
    """Two articles, two pages, or a page and an article on one URL: each is told the
    others' files. (Documents are the register's to tell: content.register.)"""
    by_url: dict[str, list[Article | Page]] = defaultdict(list)
    for article in articles:
        by_url[article.url].append(article)
    errors = []
    for url, same in by_url.items():
        if len(same) < 2:
            continue
        for article in same:
            others = ", ".join(o.source.as_posix() for o in same if o is not article)
            clash = _("/{url} is also the URL of {others}").format(url=url, others=others)
            if isinstance(article, Page):
                errors.append(ContentError(article.source, None, f"{field_label('file')}: "
                                           + clash, hint=_("rename or move one of the files")))
            else:
                errors.append(ContentError(article.source, article.url_line, "slug: " + clash,
                                           hint=_("give one of them a different title or a "
                                                  "slug: field")))
    return errors
