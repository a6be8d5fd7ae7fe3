"""Every article's related articles, kept in .cache/ while what they depend on is unchanged.

The related lists depend only on the site's order and each article's category and tags,
which the most common edits (an article's text, its title and so its URL) leave alone;
finding them again was most of planning a rebuild (0.23 s with them found again, 0.10 s
read back, at 10,000 articles). They are kept as places in that order, not URLs: a title
edit that moves an article to a new URL finds them the same (0.5 s of 1.6 s at 10,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from phucdong_site.files import read_checked, write_checked
from phucdong_site.models import Article
from phucdong_site.pages import all_related, related_inputs

FILE = "related.pickle"          # under .cache/: (related_inputs, [[related places]])


def related_lists(articles: Sequence[Article], limit: int,
                  cache_dir: Path) -> dict[str, list[Article]]:
    """all_related(ARTICLES, LIMIT): as the last build found them when their inputs are
    the same, else found again and remembered."""
    inputs = related_inputs(articles, limit)
    known = read_checked(cache_dir / FILE)
    if isinstance(known, tuple) and len(known) == 2 and known[0] == inputs:
        try:
            return {article.url: [articles[place] for place in places]
                    for article, places in zip(articles, known[1], strict=True)}
        except (IndexError, TypeError, ValueError):
            pass                 # not what it should be: found again below
    lists = all_related(articles, limit)
    place = {id(article): n for n, article in enumerate(articles)}
    write_checked(cache_dir / FILE, (inputs, [[place[id(other)] for other in lists[article.url]]
                                              for article in articles]))
    return lists
