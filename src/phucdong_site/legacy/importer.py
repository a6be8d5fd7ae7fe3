"""`phucdong-site import`: legacy portal pages → article files under content/imported/.

Safe to run again and again: a page whose title and date are already in the site is
skipped, an existing file is never replaced without --force, and a page that cannot be read
fully is reported by name and reason while the others are still imported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.content import DOCUMENTS_FOLDER, FrontMatterProblem, parse_article, split
from phucdong_site.errors import ContentError, ErrorList, escaped, field_label, os_reason
from phucdong_site.language import N_, _, decimal, ngettext
from phucdong_site.legacy.decode import ImportProblem, decode_page
from phucdong_site.legacy.documents import DocumentIndex, import_list
from phucdong_site.legacy.html_page import parse_html_page
from phucdong_site.legacy.markdown_text import article_text
from phucdong_site.legacy.page import LegacyPage, parse_text_page
from phucdong_site.legacy.photos import write_atomic, write_photos
from phucdong_site.text import fold, slugify

PAGE_SUFFIXES = {".txt", ".htm", ".html"}
MAX_PAGE_BYTES = 20 * 2**20      # a saved portal page is tens of KB, with its markup a few MB
# An outcome's status stays these English words; the editor reads them translated.
STATUS_LABELS = {"imported": N_("imported"), "skipped": N_("skipped"), "failed": N_("failed")}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one legacy page."""

    source: str                  # as shown to the editor
    status: str                  # "imported", "skipped" or "failed"
    message: str                 # target file, or the reason
    notes: tuple[str, ...] = ()  # missing photos, guesses made
    error: ContentError | None = None
    kind: str = "page"           # "page"; "document" (a row of a CSV list); "list" (a whole list)
    more: tuple[ContentError, ...] = ()   # a failure's further problems, each on its line


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    def line(self) -> str:
        pages = [outcome for outcome in self.outcomes if outcome.kind == "page"]
        documents = [outcome for outcome in self.outcomes if outcome.kind == "document"]
        lists = sum(1 for outcome in self.outcomes if outcome.kind == "list")
        parts = []
        if pages or not (documents or lists):
            parts.append(_counts(ngettext("{count} page", "{count} pages", len(pages)), pages))
        if documents or lists:
            parts.append(_counts(ngettext("{count} document", "{count} documents",
                                          len(documents)), documents))
        if lists:
            parts.append(ngettext("{count} document list not read",
                                  "{count} document lists not read", lists).format(count=lists))
        return "; ".join(parts)


def _counts(noun: str, outcomes: list[Outcome]) -> str:
    def count(status: str) -> int:
        return sum(1 for outcome in outcomes if outcome.status == status)
    return noun.format(count=len(outcomes)) + ": " + _(
        "{imported} imported, {skipped} skipped, {failed} failed").format(
            imported=count("imported"), skipped=count("skipped"), failed=count("failed"))


def shown(path: Path) -> str:
    """PATH relative to the current folder when it lies inside it, else as given."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def find_pages(inputs: Iterable[Path], out_dir: Path) -> tuple[list[Path], list[Outcome]]:
    """Legacy pages named by INPUTS (files, or folders searched recursively), in order."""
    pages: list[Path] = []
    missing: list[Outcome] = []
    out = out_dir.resolve()
    for given in inputs:
        if given.is_file():
            pages.append(given)
        elif given.is_dir():
            for path in sorted(given.rglob("*")):
                relative = path.relative_to(given)
                if (path.suffix.lower() in PAGE_SUFFIXES and path.is_file()
                        and not any(part.startswith(".") for part in relative.parts)
                        and not path.resolve().is_relative_to(out)):
                    pages.append(path)
        else:
            error = ContentError(shown(given), None, _("no such file or folder"))
            missing.append(Outcome(shown(given), "failed", error.message, error=error))
    unique = list(dict.fromkeys(pages))
    return unique, missing


def read_page(path: Path) -> LegacyPage:
    """One legacy page, text or HTML; raises ImportProblem."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:                # refused before it is read whole
        raise ImportProblem(field_label("file") + ": " + _(
            "{size} MB is too large for a page of the old portal (the limit is {limit} MB)")
            .format(size=decimal(size / 2**20, 1), limit=MAX_PAGE_BYTES // 2**20))
    data = path.read_bytes()
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    is_html = path.suffix.lower() in {".htm", ".html"} or head.startswith((b"<!doctype", b"<html"))
    decoded = decode_page(data)
    if is_html:
        return parse_html_page(path, decoded.text, decoded.encoding)
    return parse_text_page(path, decoded.text, decoded.encoding)


def category_for(section: str, config: SiteConfig) -> tuple[str, str]:
    """The category slug for a page's section line, and a note when it had to be guessed."""
    key = _loose(section)
    if not key:
        return config.default_category, ""
    names = {_loose(name): slug for slug, name in config.categories}
    names.update({_loose(slug): slug for slug, _name in config.categories})
    if key in names:
        return names[key], ""
    if key == _loose(config.section_title):
        return config.default_category, ""
    # "tin tức - sự kiện nổi bật" → "Tin tức - sự kiện": the longest name the section starts with.
    for name in sorted(names, key=len, reverse=True):
        if key.startswith(f"{name} "):
            return names[name], ""
    return config.default_category, _("section \"{section}\" is not a category in site.toml; "
                                      "used {category}").format(
                                          section=section, category=config.default_category)


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text).lower()).strip()


def _key(title: str, published: str) -> tuple[str, str]:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", title)).strip().casefold(), published


def _date_key(value: object, tz: tzinfo) -> str | None:
    """An article's date as "YYYY-MM-DD HH:MM" in the site's time zone, or None."""
    text = str(value).strip()
    if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})\s*\|?\s*(?:(\d{1,2}):(\d{2}))?", text):
        day, month, year, hour, minute = (int(x or 0) for x in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return f"{moment:%Y-%m-%d %H:%M}"


class ArticleIndex:
    """The articles already in the site, by title and date, to recognise a page seen before."""

    def __init__(self, roots: Iterable[Path], tz: tzinfo):
        self.tz = tz
        self.by_key: dict[tuple[str, str], Path] = {}
        for root in dict.fromkeys(root.resolve() for root in roots):
            for path in sorted(root.rglob("*.md")) if root.is_dir() else ():
                self._add_file(path)

    def _add_file(self, path: Path) -> None:
        try:
            text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
            meta = split(text.replace("\r\n", "\n")).metadata
        except (OSError, UnicodeDecodeError, FrontMatterProblem):
            return                   # `check` reports broken articles; here they match nothing
        date = _date_key(meta.get("date", ""), self.tz)
        if isinstance(meta.get("title"), str) and date:
            self.by_key.setdefault(_key(meta["title"], date), path)

    def find(self, page: LegacyPage) -> Path | None:
        return self.by_key.get(_key(page.title, f"{page.published:%Y-%m-%d %H:%M}"))

    def add(self, page: LegacyPage, path: Path) -> None:
        self.by_key[_key(page.title, f"{page.published:%Y-%m-%d %H:%M}")] = path.resolve()


def content_root(out_dir: Path) -> Path | None:
    """The content/ folder OUT_DIR lies in, whose articles a page may already be among."""
    for folder in (out_dir.resolve(), *out_dir.resolve().parents):
        if folder.name == "content":
            return folder
    return None


def import_pages(inputs: list[Path], out_dir: Path, config: SiteConfig, *, force: bool = False,
                 report: Callable[[Outcome], None] = lambda outcome: None,
                 documents_dir: Path | None = None) -> Summary:
    """Import every page of INPUTS into OUT_DIR, and every document list (.csv) into
    DOCUMENTS_DIR (default: the site's content/van-ban/), reporting each outcome."""
    summary = Summary()
    lists = [path for path in inputs if path.suffix.lower() == ".csv" and path.is_file()]
    pages, missing = find_pages([path for path in inputs if path not in lists], out_dir)
    for outcome in missing:
        summary.outcomes.append(outcome)
        report(outcome)
    roots = [out_dir] + [root for root in [content_root(out_dir)] if root is not None]
    index = ArticleIndex(roots, config.tz)
    for path in pages:
        outcome = _import_one(path, out_dir, config, index, force)
        summary.outcomes.append(outcome)
        report(outcome)
    if lists:
        _import_lists(lists, documents_dir or default_documents_output(config.site_dir), config,
                      force, summary, report)
    return summary


def _import_lists(lists: list[Path], out_dir: Path, config: SiteConfig, force: bool,
                  summary: Summary, report: Callable[[Outcome], None]) -> None:
    """Each document list's rows, as document files under OUT_DIR."""
    roots = [out_dir] + [root / DOCUMENTS_FOLDER for root in [content_root(out_dir)]
                         if root is not None]
    index = DocumentIndex(roots, config)
    for path in lists:
        name = shown(path)
        for row in import_list(path, name, out_dir, config, index, force):
            where = f"{name}:{row.line}" if row.line else name
            source = f"{where} ({row.number})" if row.number else where
            outcome = Outcome(source, row.status, row.message, row.notes,
                              row.errors[0] if row.errors else None,
                              "document" if row.line else "list", row.errors[1:])
            summary.outcomes.append(outcome)
            report(outcome)


def _import_one(path: Path, out_dir: Path, config: SiteConfig, index: ArticleIndex,
                force: bool) -> Outcome:
    name = escaped(shown(path))      # a name that is not UTF-8 is shown with \xNN
    if name != shown(path) and not _is_utf8(path.name):
        # The article keeps its page's name (imported_from:): refused before anything is made.
        error = ContentError(name, None, field_label("file") + ": " + _(
            "the name is not UTF-8 text (each byte that is not is shown as \\xNN)"),
            hint=_("rename the file, typing its name again, and import it again"))
        return Outcome(name, "failed", error.message, error=error)
    try:
        page = read_page(path)
    except ImportProblem as problem:
        error = ContentError(name, problem.line, problem.message)
        return Outcome(name, "failed", problem.message, error=error)
    except OSError as error:
        problem = ContentError(name, None, _("cannot read ({reason})").format(
            reason=os_reason(error)))
        return Outcome(name, "failed", problem.message, error=problem)
    existing = index.find(page)
    out = out_dir.resolve()
    if existing is not None and not (force and existing.is_relative_to(out)):
        why = (_("same title and date; outside the import folder, so not replaced even with "
                 "--force") if force else _("same title and date"))
        return Outcome(name, "skipped", _("already in the site as {path} ({why})").format(
            path=shown(existing), why=why))
    category, category_note = category_for(page.section, config)
    target = existing if existing is not None else _free_target(page, out_dir)
    created: list[Path] = []         # removed again if the page fails: no orphan photos
    try:
        # Photos first: an article file never names photos that are not there yet.
        photos, missing = write_photos(page, target, force, created)
        slug = target.stem if target.stem != slugify(page.title) else None
        tmp = target.with_name(f".{target.name}.tmp")
        write_atomic(tmp, article_text(page, category, photos, slug, path.name).encode())
        created.append(tmp)
        _read_back(tmp, out_dir, config)
        tmp.replace(target)
        created.remove(tmp)
    except ErrorList as problems:
        _remove(created, target.with_suffix(""))
        errors = [ContentError(name, None, error.message, error.hint)
                  for error in problems.errors]
        return Outcome(name, "failed", errors[0].message, error=errors[0],
                       more=tuple(errors[1:]))
    except OSError as error:
        _remove(created, target.with_suffix(""))
        where = shown(Path(error.filename)) if error.filename else shown(target)
        problem = ContentError(name, None, _("cannot write {path} ({reason})").format(
            path=where, reason=os_reason(error)))
        return Outcome(name, "failed", problem.message, error=problem)
    index.add(page, target)
    notes = [*page.warnings, *([category_note] if category_note else [])]
    notes += [_("photo {number} missing ({why}); placeholder {path} stands in: replace it with "
                "the original").format(number=number, why=why, path=shown(file))
              for number, file, why in missing]
    if page.encoding == "cp1258":
        notes.insert(0, _("read as Windows-1258 (legacy Vietnamese encoding)"))
    return Outcome(name, "imported", shown(target), tuple(notes))


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_back(tmp: Path, out_dir: Path, config: SiteConfig) -> None:
    """The article just written to TMP, read as the build reads it, when OUT_DIR is in the
    site's content/ (where the build will): raises ErrorList with what the build would
    refuse, so that import never leaves an article the build fails on."""
    site = config.site_dir.resolve()
    if not out_dir.resolve().is_relative_to(site / "content"):
        return
    parse_article(config.site_dir / tmp.resolve().relative_to(site), config)


def _remove(created: list[Path], folder: Path) -> None:
    """The files one page's import made, and its photo FOLDER if that is left empty."""
    for path in created:
        path.unlink(missing_ok=True)
    for empty in (folder, folder.parent):    # the photo folder, then the year's
        try:
            empty.rmdir()
        except OSError:
            return                   # not empty (an editor's photos), or never made


def _free_target(page: LegacyPage, out_dir: Path) -> Path:
    """OUT_DIR/YYYY/slug.md, numbered when another article already has that name."""
    base = slugify(page.title) or "bai-viet"
    folder = out_dir / f"{page.published:%Y}"
    number = 1
    while True:
        slug = base if number == 1 else f"{base}-{number}"
        if not (folder / f"{slug}.md").exists() and not (folder / slug).exists():
            return folder / f"{slug}.md"
        number += 1


def default_output(site_dir: Path) -> Path:
    return site_dir / "content" / "imported"


def default_documents_output(site_dir: Path) -> Path:
    return site_dir / "content" / DOCUMENTS_FOLDER


def site_dir_for(out_dir: Path, default: Path) -> Path:
    """The site an import folder belongs to: the one around its content/, else DEFAULT."""
    root = content_root(out_dir)
    if root is not None and (root.parent / "site.toml").is_file():
        return root.parent
    return default


def outcome_lines(outcome: Outcome) -> list[str]:
    """How one outcome is printed; failures print like every other error of the tool."""
    if outcome.error is not None:
        return [str(error) for error in (outcome.error, *outcome.more)]
    status = _(STATUS_LABELS[outcome.status])
    joint = " →" if outcome.status == "imported" else ":"
    note = _("note")
    return [f"{status}: {outcome.source}{joint} {outcome.message}",
            *(f"  {note}: {text}" for text in outcome.notes)]

