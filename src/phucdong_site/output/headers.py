"""The HTTP headers each published file is served with: one fixed table that the nginx
config (`phucdong-site nginx`) and the deploy's object metadata both read, so that a web
server and a bucket say the same thing, and two machines agree (never the machine's
mimetypes, which reads /etc/mime.types or Windows' registry)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from phucdong_site.models import MEDIA_TYPES

# Content types by extension; text types get "; charset=utf-8" (TEXT_TYPES).
CONTENT_TYPES = {
    "html": "text/html", "css": "text/css", "js": "text/javascript", "mjs": "text/javascript",
    "xml": "application/xml", "json": "application/json", "txt": "text/plain",
    "svg": "image/svg+xml", "webmanifest": "application/manifest+json", "map": "text/plain",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
    "gif": "image/gif", "avif": "image/avif", "ico": "image/x-icon",
    "woff2": "font/woff2", "woff": "font/woff",
    **{kind.lower(): media for kind, media in MEDIA_TYPES.items()},
    "gz": "application/gzip", "br": "application/octet-stream",
}
TEXT_TYPES = frozenset({"text/html", "text/css", "text/javascript", "application/xml",
                        "application/json", "text/plain", "image/svg+xml",
                        "application/manifest+json"})
DEFAULT_TYPE = "application/octet-stream"

# The extensions build writes a .gz and .br copy beside (output/compress.py).
COMPRESSIBLE = frozenset({"html", "css", "js", "mjs", "xml", "json", "svg", "webmanifest"})
ENCODINGS = {"gz": "gzip", "br": "br"}

IMMUTABLE = "public, max-age=31536000, immutable"   # its name changes with its bytes
SHORT = "public, max-age=300"        # pages, feeds, sitemap, search index: new within minutes
MEDIUM = "public, max-age=3600"      # same name, rarely replaced: attachments, icons, others

# Names that carry a hash of their bytes: theme files (render/theme.py: css/site.<10 hex>.css,
# the logo's static/logo.<10 hex>.png) and photo renditions (photos/pictures.py, covers:
# anh/<stem>-<label><width>w-<12 hex>.<ext>).
FINGERPRINTED = (re.compile(r"static/(?:.+/)?[^/]*\.[0-9a-f]{10}(?:\.[A-Za-z0-9]+)?"),
                 re.compile(r"anh/[^/]+-[0-9a-f]{12}\.[A-Za-z0-9]+"))

# Short: what changes with every build's content, whatever its extension.
SHORT_EXTENSIONS = frozenset({"html", "xml", "json", "txt", "webmanifest", "js", "css",
                              "mjs", "svg", "map"})


def headers_for(path: str) -> dict[str, str]:
    """Content-Type, Cache-Control and, for a precompressed copy (x.html.gz, x.css.br),
    Content-Encoding, of the published file PATH (relative to the site root, "/" allowed
    in front): the copy gets the type and caching of the file it compresses."""
    path = path.lstrip("/")
    name = PurePosixPath(path).name
    stem, dot, extension = name.rpartition(".")
    extension = extension.lower() if dot else ""
    headers: dict[str, str] = {}
    if extension in ENCODINGS and stem.rpartition(".")[2].lower() in COMPRESSIBLE and "." in stem:
        headers = headers_for(path[: -len(extension) - 1])
        headers["Content-Encoding"] = ENCODINGS[extension]
        return headers
    kind = CONTENT_TYPES.get(extension, DEFAULT_TYPE)
    headers["Content-Type"] = f"{kind}; charset=utf-8" if kind in TEXT_TYPES else kind
    headers["Cache-Control"] = cache_control(path, extension)
    return headers


def cache_control(path: str, extension: str) -> str:
    if any(pattern.fullmatch(path) for pattern in FINGERPRINTED):
        return IMMUTABLE
    if extension in SHORT_EXTENSIONS or not extension:
        return SHORT
    return MEDIUM


def is_compressible(path: str) -> bool:
    """A file build precompresses (by kind; compress.py also weighs its size)."""
    name = path.rpartition("/")[2]
    return "." in name and name.rpartition(".")[2].lower() in COMPRESSIBLE
