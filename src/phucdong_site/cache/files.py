"""Files published as they are (attachments): each copied once into .cache/files/, named by
its sha256, and linked into the output from there, as photo renditions are.

The output never links an editor's own file: a document edited in place in content/ would
change the published copy behind the build's back (its size label left stale), and the
output's copy would share that file's permissions. A copy in the cache is never changed in
place (written whole under a new name), so an unchanged rebuild publishes it again as the
same file, with no byte read or written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from phucdong_site.config import SiteConfig
from phucdong_site.errors import ContentError, ErrorList, field_label
from phucdong_site.files import write_atomically
from phucdong_site.language import _
from phucdong_site.models import Attachment

FOLDER = "files"                 # under the site's .cache/

Link = Callable[[str, Path, Path], None]     # (output path, file, source): Staging.link


def publish_files(files: Iterable[tuple[str, Attachment]], config: SiteConfig,
                  link: Link) -> int:
    """Publish each (output path, file) through LINK from its copy in the cache, made if
    missing; forget the copies no file uses any more. Returns how many were copied."""
    root = config.cache_dir / FOLDER
    used: set[str] = set()
    copied = 0
    errors = ErrorList()
    for path, attachment in files:
        stored = root / attachment.digest[:2] / attachment.digest
        used.add(attachment.digest)
        if not _intact(stored, attachment.size):
            data = (config.site_dir / attachment.source).read_bytes()
            if hashlib.sha256(data).hexdigest() != attachment.digest:
                # Changed since it was read, its size shown: publish neither half.
                errors.append(ContentError(attachment.source, None, field_label("file") + ": "
                                           + _("changed during the build"),
                                           hint=_("build again once it is saved")))
                continue
            write_atomically(stored, data)
            copied += 1
        link(path, stored, attachment.source)
    errors.raise_if_any()
    _forget_unused(root, used)
    return copied


def _intact(stored: Path, size: int) -> bool:
    """Whether the copy is there whole (its name is its digest; a damaged one is rare, and
    its size is checked, as photo renditions' are)."""
    try:
        return stored.stat().st_size == size
    except OSError:
        return False


def _forget_unused(root: Path, used: set[str]) -> None:
    if not root.is_dir():
        return
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name not in used:
                path.unlink(missing_ok=True)    # unused, or a killed run's temporary file
        if not any(folder.iterdir()):
            folder.rmdir()
