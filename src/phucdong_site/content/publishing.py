"""Which loaded articles a build publishes: drafts and future-dated ones wait."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from phucdong_site.errors import UsageError
from phucdong_site.language import _
from phucdong_site.models import Site


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention).

    The build time decides only which articles are public; nothing else in the output
    depends on it, so two builds that publish the same articles are byte-identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc)
    if not epoch.isdigit():
        raise UsageError("SOURCE_DATE_EPOCH: " + _("expected seconds since 1970, got {value}")
                         .format(value=repr(epoch)))
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def public_site(site: Site, now: datetime, drafts: bool) -> Site:
    """SITE without the articles dated after NOW; with DRAFTS, all of them, the future marked.

    Drafts themselves are already left out (or kept, with --drafts) by content.load_site.
    """
    future = [a for a in site.articles if a.published > now]
    if not future:
        return site
    if drafts:
        return Site(site.articles, site.photos, frozenset(a.url for a in future),
                    site.drafts_left_out)
    articles = tuple(a for a in site.articles if a.published <= now)
    photos = tuple({(p.digest, p.source): p for a in articles for p in a.images}.values())
    return Site(articles, photos, drafts_left_out=site.drafts_left_out)
