"""The search postings, kept in .cache/ from one build to the next.

Made afresh, the postings of 10,000 articles took 3.3 s of a forked child's time, and a
build that changed one article's body waited 1.4 s for them; brought up to date from the
last build's, they take a few hundredths. What is kept describes itself (a digest of each
article's entries beside the postings), so it is right whatever build left it, even one
that failed after saving it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from phucdong_site.cache.digests import generator_digest
from phucdong_site.files import read_checked, write_checked
from phucdong_site.search import Postings, SearchTerms

FILE = "postings.pickle"         # under .cache/: (generator_digest(), Postings)


def kept_postings_files(cache_dir: Path, terms: Sequence[SearchTerms]) -> dict[str, str]:
    """postings_files(TERMS), from the postings the last build kept in CACHE_DIR where
    the same code made them; kept again for the next."""
    made_by = generator_digest()
    known = read_checked(cache_dir / FILE)
    postings = (known[1] if isinstance(known, tuple) and len(known) == 2
                and known[0] == made_by and isinstance(known[1], Postings) else Postings())
    files = postings.files(terms)
    write_checked(cache_dir / FILE, (made_by, postings))
    return files
