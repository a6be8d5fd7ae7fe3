"""Which loaded articles a build publishes: drafts and future-dated ones wait."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timezone

from phucdong_site.content.fields import MAX_YEAR
from phucdong_site.content.register import reference_index, resolve
from phucdong_site.errors import UsageError
from phucdong_site.language import _
from phucdong_site.models import (
    EXPIRED,
    IN_FORCE,
    NOT_YET,
    REPLACED,
    Article,
    LeftOut,
    OfficialDocument,
    Page,
    Site,
)


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention).

    The build time decides only which articles are public and which documents are in force;
    nothing else in the output depends on it, so two builds that publish the same articles
    with the same statuses are byte-identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc)
    if not epoch.isdigit():
        raise UsageError("SOURCE_DATE_EPOCH: " + _("expected seconds since 1970, got {value}")
                         .format(value=repr(epoch)))
    # Digits are checked before they become a number: a thousand of them would not.
    latest = datetime(MAX_YEAR, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    if len(epoch.lstrip("0")) > 12 or int(epoch) > latest.timestamp():
        raise UsageError("SOURCE_DATE_EPOCH: " + _(
            "{value} seconds since 1970 is after the year {year}; expected a moment of the "
            "build, such as the time of the last commit").format(
                value=epoch if len(epoch) <= 40 else epoch[:40] + "…", year=MAX_YEAR))
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def public_site(site: Site, now: datetime, drafts: bool) -> tuple[Site, LeftOut]:
    """SITE as visitors see it at NOW, and what it leaves out.

    Articles dated after NOW wait (with DRAFTS, they are kept, marked). Articles and pages
    past their expires: leave listings, feeds, search and the sitemap; their own page
    stays (public records are not deleted). Drafts themselves are already left out (or
    kept, with --drafts) by content.load_site.
    """
    waiting = [a for a in site.articles if a.published > now]
    articles = site.articles if drafts else tuple(a for a in site.articles if a.published <= now)
    expired = [item for item in (*articles, *site.pages) if _expired(item, now)]
    if expired:
        gone = {id(item) for item in expired}
        articles = tuple(a for a in articles if id(a) not in gone)
        pages = tuple(p for p in site.pages if id(p) not in gone)
    else:
        pages = site.pages
    register, changes = _register_at(site.register, now)
    expiring = [item.expires for item in (*articles, *pages) if item.expires is not None]
    left_out = LeftOut(drafts=site.drafts_left_out, scheduled=0 if drafts else len(waiting),
                       next_publication=min((a.published for a in waiting), default=None),
                       expired=tuple(item.source.as_posix() for item in expired),
                       next_expiry=min((*expiring, *changes), default=None))
    if len(articles) == len(site.articles) and not waiting and not expired:
        return replace(site, register=register), left_out
    shown = (*articles, *pages, *expired, *register)
    photos = tuple({(p.digest, p.source): p for item in shown for p in item.images}.values())
    return Site(articles, photos, pages, tuple(expired),
                frozenset(a.url for a in waiting) if drafts else frozenset(),
                site.drafts_left_out, register, site.views_as_of), left_out


def _register_at(documents: tuple[OfficialDocument, ...], now: datetime
                 ) -> tuple[tuple[OfficialDocument, ...], list[datetime]]:
    """Each document with its status at NOW and the documents around it, and the moments
    after NOW when a status changes (a build then must not be skipped as unchanged)."""
    index = reference_index(documents)
    changes: list[datetime] = []
    replacing: dict[int, OfficialDocument] = {}
    replaces: dict[int, list[str]] = defaultdict(list)
    related: dict[int, dict[str, OfficialDocument]] = defaultdict(dict)
    for document in documents:
        found = resolve(index, document.replaced_by) if document.replaced_by else None
        if isinstance(found, OfficialDocument) and found is not document:
            replacing[id(document)] = found
            replaces[id(found)].append(document.url)
        for number in document.related:
            other = resolve(index, number)
            if isinstance(other, OfficialDocument) and other is not document:
                related[id(document)][other.url] = other
                related[id(other)][document.url] = document
    dated = []
    for document in documents:
        successor = replacing.get(id(document))
        replaced_from = None if successor is None else successor.effective or successor.issued
        moments = [m for m in (document.effective, document.ends, replaced_from) if m]
        changes += [moment for moment in moments if moment > now]
        if replaced_from is not None and replaced_from <= now:
            status = REPLACED
        elif document.repealed or (document.ends is not None and document.ends <= now):
            status = EXPIRED
        elif document.effective is not None and document.effective > now:
            status = NOT_YET
        else:
            status = IN_FORCE
        around = sorted(related[id(document)].values(), key=lambda d: (d.issued, d.url),
                        reverse=True)
        dated.append(replace(document, status=status,
                             # named as issued, however the editor wrote it
                             replaced_by=successor.number if successor else document.replaced_by,
                             replaced_by_url=successor.url if successor else "",
                             replaces=tuple(replaces[id(document)]),
                             related_urls=tuple(d.url for d in around)))
    return tuple(dated), changes


def _expired(item: Article | Page, now: datetime) -> bool:
    return item.expires is not None and item.expires <= now
