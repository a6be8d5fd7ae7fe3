"""Parsed articles (and the register's documents) kept in .cache/ between builds, so that an
unchanged file is not parsed.

An entry is used only when everything that produced it is unchanged: the file's bytes
(sha256), the config that parsing reads, the generator itself (its version and the bytes
of its modules, Markdown's and PyYAML's versions), and each photo file the article shows
and document it attaches (found again at the same path, with the same size, mtime and
inode: an attachment's size is in the article).

Stored as pickle, not JSON: an Article holds datetimes with time zones, Paths and nested
frozen dataclasses, and a JSON codec would have to be written and kept in step with every
field other modules add to the models; pickle round-trips them exactly and loads 10,000
articles in a fraction of a second. Each shard starts with a header and the sha256 of its
payload, so a truncated, corrupt or foreign shard is detected and dropped (its articles are
parsed again), never used. The cache is written by this tool into the site's own folder,
the same trust as the site's templates; it is safe to delete at any time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from phucdong_site.cache.bodies import BodiesFile
from phucdong_site.cache.digests import config_digest, generator_digest
from phucdong_site.config import SiteConfig
from phucdong_site.content import DocumentProblem, locate_document
from phucdong_site.errors import ContentError
from phucdong_site.files import FileStamp, read_checked, settled, write_atomically, write_checked
from phucdong_site.models import Article, OfficialDocument, Photo
from phucdong_site.photos import PhotoProblem, locate
from phucdong_site.search import ArticleTerms, SearchTerms, article_terms, text_digest

FOLDER = "articles"              # under the site's .cache/
SHARDS = 64                      # an edit rewrites one shard, not the whole cache
FRAGMENTS = "fragments"        # under .cache/: search fragment files, named by sha256


@dataclasses.dataclass(slots=True)
class Entry:
    stamp: FileStamp | None          # the article file's, when settled; None: always rehash
    digest: str                  # sha256 of the article file's bytes
    context: str                 # generator_digest() + config_digest() when parsed
    # (file, its stamp) of every image shown, then of every document attached
    photos: tuple[tuple[str, FileStamp], ...]
    article: Article
    search: SearchTerms          # its search index entries, made with it
    fragment: FileStamp              # the stamp its search fragment file had when written


class ArticleCache:
    """The parsed articles of earlier builds, keyed by file (relative to the site root)."""

    def __init__(self, config: SiteConfig):
        self.config = config
        self.folder = config.cache_dir / FOLDER
        self.fragments = config.cache_dir / FRAGMENTS
        site = str(config.site_dir)
        self._site_prefix = "" if site == "." else f"{site.rstrip('/')}/"
        self.context = generator_digest() + config_digest(config)
        self.entries: dict[str, Entry] = {}
        self.dirty: set[int] = set()
        self.stored = 0                  # articles parsed (not found here) this build
        # key -> (stamp, problems) of files whose parse just failed (serve's first look),
        # for this build only: a body cut short by the time bound is not run twice.
        self.failed: dict[str, tuple[FileStamp, list[ContentError]]] = {}
        for shard in range(SHARDS):
            self.entries.update(_read_shard(self.folder, shard))

    def _key(self, path: Path) -> str:
        """PATH (under the site folder) relative to it, as the entries are keyed; string
        slicing rather than Path.relative_to, called 30,000 times in a rebuild of 10,000."""
        text = str(path)
        if text.startswith(self._site_prefix):
            return text[len(self._site_prefix):]
        return path.relative_to(self.config.site_dir).as_posix()

    def lookup(self, path: Path) -> tuple[Article | list[ContentError] | None, str | None]:
        """The cached article for PATH if still valid (or the problems a parse of it as it
        is now just found), and the file's digest (for store)."""
        key = self._key(path)
        entry = self.entries.get(key)
        stamp = FileStamp.of(path)
        failed = self.failed.get(key)
        if failed is not None and failed[0] == stamp:
            return failed[1], None
        if entry is not None and entry.stamp == stamp:
            digest = entry.digest
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if (entry is not None and entry.digest == digest and entry.context == self.context
                and self._photos_unchanged(entry)):
            if entry.stamp != stamp and settled(stamp.mtime_ns):     # touched, same bytes
                entry.stamp = stamp
                self.dirty.add(_shard(key))
            return entry.article, digest
        return None, digest

    def _photos_unchanged(self, entry: Entry) -> bool:
        article = entry.article
        files = (*article.images, *article.attachments)
        if len(entry.photos) != len(files):
            return False
        site_dir = self.config.site_dir
        for file, (source, stamp) in zip(files, entry.photos):
            find = locate if isinstance(file, Photo) else locate_document
            try:
                # Found again where it was: a new file cannot now shadow it.
                if (find(file.src, article.source, site_dir).as_posix() != source
                        or FileStamp.of(site_dir / source) != stamp):
                    return False
            except (PhotoProblem, DocumentProblem, OSError):
                return False
        return True

    def article_digest(self, article: Article) -> bytes | None:
        """A digest that stands for ARTICLE if it is the very one this cache holds, or that
        one with counted views added (content.load): what it was made from (its file,
        bytes, generator, config and photo files) and its views, so that page keys need
        not pickle it; else None."""
        key = article.source.as_posix()
        entry = self.entries.get(key)
        if entry is None or not (entry.article is article
                                 or _with_views(entry.article, article)):
            return None
        return hashlib.sha256(repr((key, entry.digest, entry.context, entry.photos,
                                    article.views, article.recent_views)).encode()).digest()

    def search_entry(self, article: Article) -> tuple[Path | str, SearchTerms]:
        """ARTICLE's search fragment, as its file in the cache or else as text, and its
        index entries: the cached ones while what they are made of is the same (a published
        article may differ from the parsed one: its links resolved)."""
        key = article.source.as_posix()
        entry = self.entries.get(key)
        if entry is not None and (entry.article is article
                                  or _with_views(entry.article, article)
                                  or _shown(entry.article) == _shown(article)):
            file = self.fragments / f"{entry.search[0]}.json"
            try:
                if FileStamp.of(file) == entry.fragment:
                    return file, entry.search
            except OSError:
                pass            # gone
            try:    # gone or changed since written (the output links it: an edit there reaches it)
                entry.search, entry.fragment = save_fragment(self.fragments,
                                                             article_terms(article))
                self.dirty.add(_shard(key))
                return self.fragments / f"{entry.search[0]}.json", entry.search
            except OSError:
                pass
        shown, *terms = article_terms(article)
        return shown, (text_digest(shown), *terms)

    def store(self, path: Path, digest: str, article: Article,
              saved: tuple[SearchTerms, FileStamp] | None = None) -> None:
        """Keep ARTICLE, parsed from PATH whose bytes have DIGEST; SAVED: its search entries
        and fragment file when a worker made them (see search_fragment)."""
        self.stored += 1
        key = self._key(path)
        stamp = FileStamp.of(path)
        photos = []
        for photo in (*article.images, *article.attachments):
            photo_stamp = FileStamp.of(self.config.site_dir / photo.source)
            if not settled(photo_stamp.mtime_ns):
                self.entries.pop(key, None)      # may still be changing: parse it next time
                self.dirty.add(_shard(key))
                return
            photos.append((photo.source.as_posix(), photo_stamp))
        try:
            search, fragment = saved or save_fragment(self.fragments, article_terms(article))
        except OSError:
            self.entries.pop(key, None)          # not kept: parsed again next time
            self.dirty.add(_shard(key))
            return
        self.entries[key] = Entry(stamp if settled(stamp.mtime_ns) else None, digest, self.context,
                                  tuple(photos), article, search, fragment)
        self.dirty.add(_shard(key))

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Forget the entries of files that are gone."""
        present = {self._key(path) for path in paths}
        for key in [key for key in self.entries if key not in present]:
            del self.entries[key]
            self.dirty.add(_shard(key))

    def save(self) -> None:
        """Rewrite the shards that changed; a failure to write only costs a later parse."""
        shards: dict[int, dict[str, Entry]] = {shard: {} for shard in self.dirty}
        for key, entry in self.entries.items():
            if (shard := _shard(key)) in shards:
                shards[shard][key] = entry
        for shard, entries in shards.items():
            _write_shard(self.folder, shard, entries)
        if self.dirty:
            self._prune_fragments()
        self.dirty.clear()

    def _prune_fragments(self) -> None:
        """Remove the fragment files no entry names (and any a killed build half wrote)."""
        named = {f"{entry.search[0]}.json" for entry in self.entries.values()}
        try:
            with os.scandir(self.fragments) as files:
                for file in files:
                    if file.name not in named:
                        os.unlink(file.path)
        except OSError:
            pass             # a file that stays only takes room


def save_fragment(folder: Path, terms: ArticleTerms) -> tuple[SearchTerms, FileStamp]:
    """Write an article's search fragment (the text of ArticleTerms) to FOLDER under its
    sha256, whole or not at all; its search entries and the file's stamp.

    Written anew even when present: the output publishes it as a hard link, and a file
    edited there must not be trusted again. The new file replaces it, never changes it.
    """
    shown, keys, spellings, masks = terms
    digest = text_digest(shown)
    file = folder / f"{digest}.json"
    write_atomically(file, shown.encode())
    return (digest, keys, spellings, masks), FileStamp.of(file)


def search_fragment(folder: Path, article: Article) -> tuple[SearchTerms, FileStamp]:
    """ARTICLE's search fragment written to FOLDER, with its entries: the work a build
    hands to loading, so that workers do it beside the parse (see save_fragment)."""
    return save_fragment(folder, article_terms(article))


# Every field content.load's dataclasses.replace passes on as it is, when it adds counted views.
_KEPT_WITH_VIEWS = tuple(field.name for field in dataclasses.fields(Article)
                         if field.init and field.name not in ("views", "recent_views"))


def _with_views(cached: object, article: object) -> bool:
    """Whether ARTICLE is CACHED with only its views changed: every other field the very
    same object (a score of identity checks, not a comparison of bodies)."""
    return type(cached) is Article and type(article) is Article and all(
        getattr(cached, name) is getattr(article, name) for name in _KEPT_WITH_VIEWS)


def _shown(article: Article | OfficialDocument) -> tuple:
    """What an article's (a document's) search entries are made of."""
    moment = article.published if isinstance(article, Article) else article.issued
    return (article.url, moment, article.title, article.summary, article.body_html)


def _shard(key: str) -> int:
    return int.from_bytes(hashlib.blake2s(key.encode(), digest_size=2).digest()) % SHARDS


# A shard is two files: NN.pickle, the entries, whose articles' bodies are spans of the
# other, NN-<sha256 of its bytes>.bodies, the bodies as UTF-8, one after the other. The
# pickle names the bodies file and records its stamp; written first, under a new name,
# it never changes a file a loaded body may still read.

def _read_shard(folder: Path, shard: int) -> dict[str, Entry]:
    """A shard's entries; {} for a missing, truncated, corrupt or foreign one, or one whose
    bodies file is not the one it was written with."""
    stored = read_checked(folder / f"{shard:02d}.pickle")
    if not (isinstance(stored, tuple) and len(stored) == 3 and isinstance(stored[0], dict)
            and all(isinstance(entry, Entry)
                    and isinstance(entry.article, (Article, OfficialDocument))
                    for entry in stored[0].values())):
        return {}
    entries, name, stamp = stored
    if entries:
        try:
            bodies = BodiesFile(folder / name)
            if bodies.stamp() != stamp:
                return {}
        except OSError:
            return {}
        for entry in entries.values():
            entry.article.body.file = bodies
    return entries


def _write_shard(folder: Path, shard: int, entries: dict[str, Entry]) -> None:
    """Write a shard's entries and their bodies; a failure only costs a later parse."""
    keys = sorted(entries)
    texts = [entries[key].article.body_html.encode() for key in keys]   # before replacing
    data = b"".join(texts)
    name = f"{shard:02d}-{hashlib.sha256(data).hexdigest()}.bodies"
    try:
        write_atomically(folder / name, data)
        bodies = BodiesFile(folder / name)
    except OSError:
        return
    start = 0
    for key, text in zip(keys, texts):
        entries[key].article.body.store(bodies, start, len(text))
        start += len(text)
    stamp = bodies.stamp()
    write_checked(folder / f"{shard:02d}.pickle", (entries, name, stamp))
    try:
        for old in folder.glob(f"{shard:02d}-*.bodies"):
            if old.name != name:
                old.unlink()
    except OSError:
        pass             # a file that stays only takes room
