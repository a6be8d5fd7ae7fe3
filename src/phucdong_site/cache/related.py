"""Every article's related articles, kept in .cache/ while what they depend on is unchanged.

The related lists depend only on the site's order and each article's URL, category and
tags, which the most common edit (an article's text) leaves alone; finding them again
was most of planning a rebuild (0.23 s with them found again, 0.10 s read back, at 10,000
articles).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from phucdong_site.files import read_checked, write_checked
from phucdong_site.models import Article
from phucdong_site.pages import all_related, related_inputs

FILE = "related.pickle"          # under .cache/: (related_inputs, {url: [related urls]})


def related_lists(articles: Sequence[Article], limit: int,
                  cache_dir: Path) -> dict[str, list[Article]]:
    """all_related(ARTICLES, LIMIT): as the last build found them when their inputs are
    the same, else found again and remembered."""
    inputs = related_inputs(articles, limit)
    known = read_checked(cache_dir / FILE)
    if isinstance(known, tuple) and len(known) == 2 and known[0] == inputs:
        by_url = {article.url: article for article in articles}
        try:
            return {url: [by_url[other] for other in others] for url, others in known[1].items()}
        except (KeyError, TypeError, AttributeError):
            pass                 # not what it should be: found again below
    lists = all_related(articles, limit)
    write_checked(cache_dir / FILE, (inputs, {url: [article.url for article in found]
                                              for url, found in lists.items()}))
    return lists
