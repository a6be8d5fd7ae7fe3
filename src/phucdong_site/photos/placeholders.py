"""Grey placeholders that `import` puts where a page's photo was not saved.

They carry a mark in their JPEG comment, so a build can tell an editor which ones are still
published in place of the real photos, whatever the file is called and wherever it is.
"""

from __future__ import annotations

from pathlib import Path

PLACEHOLDER_MARK = b"phucdong-site placeholder"
HEAD_BYTES = 4096                # the JPEG comment comes before the image data


def is_placeholder(path: Path) -> bool:
    """True if PATH is a placeholder made by import and not yet replaced by the photo."""
    try:
        with path.open("rb") as file:
            return PLACEHOLDER_MARK in file.read(HEAD_BYTES)
    except OSError:
        return False
