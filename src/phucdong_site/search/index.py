"""The search index of /tim-kiem/: sharded JSON files that static/js/search.js reads.

A visitor's phone should download only what one query needs, so the index is split:

    tim-kiem/chi-muc/meta.json          what exists: vocabulary files, shard files, a version
    tim-kiem/chi-muc/v/<hex>.json       vocabulary of the folded terms starting with one
                                        character: term -> [shard number, document count]
    tim-kiem/chi-muc/s/<n>.json         postings of a range of folded terms, ~SHARD_BYTES each:
                                        folded term -> lower-case spelling -> postings
    tim-kiem/chi-muc/f/<id>.json        one article: url, title, date, summary, body text

Terms (words.py) are folded like text.fold (tones, marks and "đ" removed) and lower-cased, so
"phuc dong", "Phúc Đồng" and "PHÚC ĐỒNG" meet on "phuc dong"; each spelling keeps its own
postings so that a query typed with accents can rank exact spellings first.

A posting is one integer per article: (id - previous id) * 8 + field mask (title 1,
summary 2, body 4). Ids follow the site's order, newest first, so a smaller id is more
recent and recency needs no other data. Output is a pure function of the articles:
sorted keys, no timestamps, byte-identical from build to build.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from phucdong_site.models import Article, OfficialDocument, Page
from phucdong_site.search.words import MAX_TERM_LENGTH, plain_text, search_key, words

INDEX_DIR = "tim-kiem/chi-muc/"
SHARD_BYTES = 24_000             # target size of one postings shard, before compression
FRAGMENT_BODY_CHARS = 20_000     # body text kept for snippets; the index covers all of it
TITLE, SUMMARY, BODY = 1, 2, 4


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _postings(values: Sequence[int]) -> list[int]:
    """Postings as the index stores them, from ascending doc id * 8 + field mask values:
    each the difference from the previous one's doc id * 8 (a comprehension: the common
    words' postings are 10,000 long, and serve makes them again on every save)."""
    previous = [0, *(value & ~7 for value in values)]
    return [value - before for value, before in zip(values, previous)]


# The label a result shows for each kind of document other than an article.
KIND_LABELS = {Page: "Trang", OfficialDocument: "Văn bản"}


def fragment(document: Article | Page | OfficialDocument, body: str) -> dict[str, str]:
    """What a result shows: an article's date; another kind's label, and its date if any."""
    shown = {"u": document.url, "t": document.title, "s": document.summary,
             "b": body[:FRAGMENT_BODY_CHARS]}
    moment = (document.published if isinstance(document, Article) else
              document.issued if isinstance(document, OfficialDocument) else document.updated)
    if moment is not None:
        shown.update(d=f"{moment:%d/%m/%Y}", i=moment.isoformat())
    if type(document) in KIND_LABELS:
        shown["k"] = KIND_LABELS[type(document)]
    return shown


# What one article adds to the index: its fragment file's text (what a result shows),
# and each (search key, spelling) with the mask of the fields it occurs in, as the keys
# and the spellings each joined by newlines, and one byte of mask per pair. Kept in this
# shape, not a dict of tuples, because the build cache holds one per article: 10,000 dicts
# of a few hundred tuples were 400 MB in memory and most of the cache's loading time.
ArticleTerms = tuple[str, str, str, bytes]


def article_terms(article: Article | Page | OfficialDocument) -> ArticleTerms:
    """The index entries of one article; a pure function of its URL, date, title, summary
    and body, so a build cache may keep them beside the parsed article."""
    body = plain_text(article.body_html)
    terms: dict[tuple[str, str], int] = {}
    for field, text in ((TITLE, article.title), (SUMMARY, article.summary), (BODY, body)):
        for word in dict.fromkeys(words(text)):     # each word once, in order
            key = search_key(word)
            if len(key) > MAX_TERM_LENGTH:
                continue
            spelling = (key, word.lower())
            terms[spelling] = terms.get(spelling, 0) | field
    return (_dump(fragment(article, body)), "\n".join(key for key, _ in terms),
            "\n".join(spelling for _, spelling in terms), bytes(terms.values()))


def fragment_path(doc_id: int) -> str:
    return f"{INDEX_DIR}f/{doc_id}.json"


def index_files(articles: Iterable[Article],
                terms_of: Callable[[Article], ArticleTerms] = article_terms) -> dict[str, str]:
    """Every file of the search index, by path relative to the output folder."""
    files: dict[str, str] = {}
    terms: list[SearchTerms] = []
    for doc_id, article in enumerate(articles):
        shown, *article_search_terms = terms_of(article)
        files[fragment_path(doc_id)] = shown
        terms.append((text_digest(shown), *article_search_terms))
    files.update(postings_files(terms))
    return files


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# An article's entry once its fragment is a file: the sha256 of the fragment's text, and
# the keys, spellings and masks of ArticleTerms.
SearchTerms = tuple[str, str, str, bytes]


def _print(entry: SearchTerms) -> bytes:
    """What an article's postings are made of, in 16 bytes: its keys, spellings and masks."""
    _, keys, spellings, masks = entry
    return hashlib.blake2b(f"{keys}\0{spellings}\0".encode() + masks, digest_size=16).digest()


def postings_files(terms: Sequence[SearchTerms]) -> dict[str, str]:
    """The index's files other than the fragments: postings shards, vocabularies and
    meta.json, from each article's terms in site order (its doc id)."""
    return Postings().files(terms)


class Postings:
    """The postings of every term, kept from one index to the next and brought up to date
    article by article (a save changes one), not made again from all the articles: in
    memory by serve, in the build cache by build (it pickles whole, without the articles'
    entries: a digest of each stands for it).

    Each term's postings are an array of doc id * 8 + field mask, ascending, per spelling
    (arrays, not dicts of ints: the 1.9 million postings of 10,000 articles grew the process
    by 63 MB as dicts, 22 MB so), and its member of a shard's JSON is kept beside them.
    """

    # Past this share of articles changed (or any added or removed: every later doc id
    # moves), the postings are made again from all of them.
    MOST_CHANGED = 0.25
    # Up to this many changed articles, each is looked up in every term's postings; more,
    # and every posting is looked at once. At 10,000 articles a whole update took 0.15 s
    # the first way and 0.26 s the other for one article, 0.25 s and 0.30 s for 64.
    LOOKED_UP = 64

    def __init__(self) -> None:
        self._prints: list[bytes] = []             # doc id -> digest of its entries
        self._entries: Sequence[SearchTerms] = ()  # what they digest (in memory only)
        self._postings: dict[str, dict[str, array]] = {}
        self._members: dict[str, str] = {}        # term -> '"term":{spelling: postings}'
        self._holders: dict[str, int] = {}        # term -> articles holding it
        self._sizes: dict[str, int] = {}          # term -> bytes of {member}

    def files(self, terms: Sequence[SearchTerms]) -> dict[str, str]:
        """The index's files but the fragments for TERMS, each article's in site order."""
        # serve's entries are the same objects from one build to the next: not digested
        # again (10,000 of them, 70 ms).
        known = self._entries if len(self._entries) == len(self._prints) == len(terms) else ()
        prints = [self._prints[doc_id] if doc_id < len(known) and known[doc_id] is entry
                  else _print(entry) for doc_id, entry in enumerate(terms)]
        changed = self._changed(prints)
        try:
            if changed is None:
                self._postings, self._members, self._holders, self._sizes = {}, {}, {}, {}
                dirty = self._add(enumerate(terms))
            elif changed:
                gone = self._remove(changed)
                dirty = self._add(((doc_id, terms[doc_id]) for doc_id in changed), gone)
                dirty.update(key for key, _spelling, _doc_id in gone)   # not put back
            else:
                dirty = set()
            for term in dirty:
                self._describe(term)
        except BaseException:
            self._prints = []    # cut short (Ctrl+C): the next index is made from all
            raise
        self._prints, self._entries = prints, terms
        return self._index_files(terms)

    def __getstate__(self) -> dict:
        state = {name: getattr(self, name) for name in self.__dict__}
        state["_entries"] = ()   # the digests stand for them in a file
        return state

    def _describe(self, term: str) -> None:
        """TERM's member of a shard, its articles and size, from its postings."""
        spellings = self._postings.get(term)
        if spellings is None:
            for known in (self._members, self._holders, self._sizes):
                known.pop(term, None)
            return
        member = self._members[term] = _dump({term: {
            spelling: _postings(values) for spelling, values in spellings.items()}})[1:-1]
        self._sizes[term] = len(member.encode()) + 2
        self._holders[term] = len({value >> 3 for values in spellings.values()
                                   for value in values})

    def _changed(self, prints: list[bytes]) -> list[int] | None:
        """The doc ids whose entries differ from the last index's; None: make them all."""
        if len(prints) != len(self._prints) or not prints:
            return None
        changed = [doc_id for doc_id, (old, new) in enumerate(zip(self._prints, prints))
                   if old != new]
        return changed if len(changed) <= len(prints) * self.MOST_CHANGED else None

    def _add(self, entries: Iterable[tuple[int, SearchTerms]],
             gone: dict[tuple[str, str, int], int] | None = None) -> set[str]:
        """The postings of ENTRIES put in; returns the terms whose postings changed: not
        those where each posting put back is the one GONE says was taken out (an edit
        leaves most of an article's words as they were, and the common words' postings
        are the longest to encode again). What is put back is taken off GONE."""
        dirty = set()
        postings = self._postings
        gone = {} if gone is None else gone
        for doc_id, (_, keys, spellings, masks) in entries:
            for key, spelling, mask in zip(keys.split("\n"), spellings.split("\n"), masks):
                of_key = postings.get(key)
                if of_key is None:
                    of_key = postings[key] = {}
                values = of_key.get(spelling)
                if values is None:
                    values = of_key[spelling] = array("L")
                value = doc_id * 8 + mask
                if not values or values[-1] < value:
                    values.append(value)
                else:
                    values.insert(bisect_left(values, value), value)
                if gone.pop((key, spelling, doc_id), None) != value:
                    dirty.add(key)
        return dirty

    def _remove(self, doc_ids: list[int]) -> dict[tuple[str, str, int], int]:
        """Every posting of DOC_IDS, found in the postings themselves (the entries they
        were made from are not kept); returns them by (term, spelling, doc id)."""
        gone: dict[tuple[str, str, int], int] = {}
        removed = set(doc_ids)
        for key, of_key in list(self._postings.items()):
            for spelling, values in list(of_key.items()):
                if len(doc_ids) <= self.LOOKED_UP:
                    for doc_id in doc_ids:
                        at = bisect_left(values, doc_id * 8)
                        if at < len(values) and values[at] >> 3 == doc_id:
                            gone[key, spelling, doc_id] = values.pop(at)
                else:
                    kept = array("L", [value for value in values if value >> 3 not in removed])
                    if len(kept) != len(values):
                        gone.update(((key, spelling, value >> 3), value) for value in values
                                    if value >> 3 in removed)
                    values = of_key[spelling] = kept
                if not values:
                    del of_key[spelling]
            if not of_key:
                del self._postings[key]
        return gone

    def _index_files(self, terms: Sequence[SearchTerms]) -> dict[str, str]:
        """Shards of consecutive sorted terms, each about SHARD_BYTES when serialised, the
        vocabularies, and meta.json."""
        files: dict[str, str] = {}
        vocabulary: dict[str, dict[str, list[int]]] = defaultdict(dict)
        shard: list[str] = []
        size = 0

        def close() -> None:
            number = len(files)          # only shards are written so far
            files[f"{INDEX_DIR}s/{number}.json"] = "{" + ",".join(
                self._members[term] for term in shard) + "}"
            for term in shard:
                vocabulary[f"{ord(term[0]):x}"][term] = [number, self._holders[term]]
            shard.clear()

        for term in sorted(self._members):
            cost = self._sizes[term]
            if shard and size + cost > SHARD_BYTES:
                close()
                size = 0
            shard.append(term)
            size += cost
        if shard:
            close()
        for key, vocabulary_terms in vocabulary.items():
            files[f"{INDEX_DIR}v/{key}.json"] = _dump(vocabulary_terms)

        # The version changes whenever any index file does; the script adds it to each
        # request so that a browser never mixes files of two builds. Fragments count by
        # their digests.
        digest = hashlib.sha256()
        for doc_id, (fragment_digest, *_) in enumerate(terms):
            digest.update(f"{fragment_path(doc_id)}\0{fragment_digest}\0".encode())
        for path in sorted(files):
            digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
        meta = {"version": digest.hexdigest()[:16], "documents": len(terms),
                "vocabulary": sorted(vocabulary)}
        files[f"{INDEX_DIR}meta.json"] = _dump(meta)
        return files
