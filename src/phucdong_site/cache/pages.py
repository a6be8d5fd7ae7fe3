"""Which pages need rendering: each page's inputs hashed, compared with the last build's.

A page is a pure function of its template files, the build's template globals (config,
static file names, categories, scheduled articles, the generator's code) and its context
(articles, listing page, breadcrumbs). Its key hashes all of them; when the key equals the
one recorded for the file the current output holds, and that file still has the recorded
bytes (sha256), the file is published again as it is instead of being rendered.

Articles, and the categories, tags and months that list them, enter a key by their own
digest (made once per build), not pickled again on every page that shows them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
from collections.abc import Callable
from pathlib import Path

from phucdong_site.cache.digests import config_digest, generator_digest
from phucdong_site.config import SiteConfig
from phucdong_site.files import MAGIC, FileStamp, read_checked, write_checked
from phucdong_site.models import Article, Body, ListingPage, OfficialDocument, Photo
from phucdong_site.pages import Category, CategoryLink, Crumb, Month, Tag
from phucdong_site.render import template_dirs

FILE = "pages.pickle"     # under the site's .cache/: {page path: (key, sha256 of bytes, stamp)}


Known = tuple[str, str, FileStamp]


class PageCache:
    def __init__(self, config: SiteConfig, statics: dict, globals_: dict, closed_over: object,
                 article_digest: Callable[[Article], bytes | None] = lambda article: None):
        """CLOSED_OVER: the data the template globals' functions read beyond the config
        (the scheduled articles' URLs). ARTICLE_DIGEST: a digest standing for an article
        (the build cache's, from what made it), or None to digest its pickle."""
        self._article_digest = article_digest
        self.file = config.cache_dir / FILE
        previous = read_checked(self.file)
        self.previous: dict[str, Known] = previous if isinstance(previous, dict) else {}
        self.current: dict[str, Known] = {}
        # id -> digest of each SHARED object digested so far, which _kept keeps alive: an
        # id stays its object's own for as long as the object lives.
        self._shared: dict[int, bytes] = {}
        self._kept: list[object] = []
        digest = hashlib.sha256(MAGIC)
        digest.update(generator_digest().encode())
        digest.update(config_digest(config).encode() + repr(config.output_dir.name).encode())
        digest.update(repr(sorted((n, s.output_path) for n, s in statics.items())).encode())
        for folder in template_dirs(config.site_dir):
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    digest.update(file.relative_to(folder).as_posix().encode() + b"\0")
                    digest.update(file.read_bytes() + b"\0")
        # Template globals that are data, not functions of the config: hashed once.
        data = {name: value for name, value in globals_.items() if not callable(value)}
        # The config as the pages see it: not where the site is, as the command line
        # spelled it, nor how many workers ran (every page was rendered again when one
        # build said --jobs and the next did not).
        data = {name: _as_pages_see_it(value) if value is config else value
                for name, value in data.items()}
        digest.update(self._pickle(data))
        digest.update(self._pickle(closed_over))
        self.globals_digest = digest.digest()

    def key(self, path: str, template: str, context: dict) -> str:
        digest = hashlib.sha256(self.globals_digest)
        digest.update(f"{path}\0{template}\0".encode())
        digest.update(self._pickle(context))
        return digest.hexdigest()

    def unchanged(self, path: str, key: str) -> Known | None:
        """What PATH was when last built from KEY (key, sha256 of its bytes, file stamp),
        else None."""
        known = self.previous.get(path)
        return known if known is not None and known[0] == key else None

    def record(self, path: str, key: str, data_sha256: str, stamp: FileStamp) -> None:
        self.current[path] = (key, data_sha256, stamp)

    def save(self) -> None:
        write_checked(self.file, self.current)

    def _pickle(self, value: object) -> bytes:
        buffer = io.BytesIO()
        _KeyPickler(buffer, self._shared, self._digest).dump(value)
        return buffer.getvalue()

    def _digest(self, value: object) -> bytes:
        """The digest of a SHARED object not digested yet."""
        digest = self._article_digest(value) if type(value) is Article else None
        if digest is None:
            if type(value) is Article:
                data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            else:                # its fields, the articles in them by their digests
                data = self._pickle((type(value).__name__, *(
                    getattr(value, field.name) for field in dataclasses.fields(value))))
            digest = hashlib.sha256(data).digest()
        self._shared[id(value)] = digest
        self._kept.append(value)
        return digest


SHARED = {Article, OfficialDocument, Category, Tag, Month}     # each shown by many pages


def _as_pages_see_it(config: SiteConfig) -> SiteConfig:
    return dataclasses.replace(config, site_dir=Path(), output_dir=Path(config.output_dir.name),
                               jobs=None)


def _shared(digest: bytes) -> bytes:
    """What a SHARED object pickles as, in a key: a call of this with its digest."""
    return digest


class _KeyPickler(pickle.Pickler):
    """Pickles a page's context for its key: SHARED objects as their digests.

    Through reducer_override, not persistent_id: the pickler asks it only about objects
    that are not str, int, tuple, list, dict and the like, a tenth of the calls.
    """

    def __init__(self, file: io.BytesIO, known: dict[int, bytes],
                 digest: Callable[[object], bytes]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.known, self.digest = known, digest

    def reducer_override(self, value: object):
        known = self.known.get(id(value))
        if known is not None:
            return _shared, (known,)
        kind = type(value)
        if kind in SHARED:
            return _shared, (self.digest(value),)
        reducer = _REDUCERS.get(kind)
        return NotImplemented if reducer is None else reducer(value)


def _by_fields(kind: type) -> Callable[[object], tuple]:
    """A reducer for pickling a frozen dataclass as its class and field values: the
    default one asks dataclasses.fields() on every object, which was a quarter of the
    time spent on page keys (71,000 breadcrumbs, listing pages and links at 10,000)."""
    values = operator.attrgetter(*(field.name for field in dataclasses.fields(kind)))
    if len(dataclasses.fields(kind)) == 1:
        return lambda value: (kind, (values(value),))
    return lambda value: (kind, values(value))


def _body(body: Body) -> tuple:
    """A body by its text's digest: its pickle names where the build cache keeps it, a file
    renamed whenever its shard is written again."""
    return _shared, (hashlib.sha256(body.html.encode()).digest(),)


# The dataclasses that page contexts hold, besides SHARED ones.
_REDUCERS = {kind: _by_fields(kind) for kind in (Crumb, ListingPage, CategoryLink, Photo)}
_REDUCERS[Body] = _body
