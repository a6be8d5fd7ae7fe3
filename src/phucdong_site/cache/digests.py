"""What the caches' entries were made with: the generator's code and the config."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import markdown
import yaml

from phucdong_site import __version__
from phucdong_site.config import SiteConfig

PACKAGE = Path(__file__).resolve().parents[1]     # src/phucdong_site/


def generator_digest() -> str:
    """Changes whenever the code could: the bytes of every module of every wing (by its
    path in the package), and the versions of the libraries that parse."""
    digest = hashlib.sha256(f"{__version__} {markdown.__version__} {yaml.__version__}".encode())
    for module in sorted(PACKAGE.rglob("*.py")):
        digest.update(module.relative_to(PACKAGE).as_posix().encode() + module.read_bytes())
    return digest.hexdigest()


def config_digest(config: SiteConfig) -> str:
    """The config as parsing sees it: where the site and its output are (articles hold
    paths relative to the site), how many workers run, and the site's host (bodies link
    by path: serve's http://127.0.0.1:PORT/ parses as build's https://phucdong.gov.vn/)
    do not change a parsed article."""
    relevant = dataclasses.replace(config, site_dir=Path(), output_dir=Path(), jobs=None,
                                   drafts=False, base_url=config.base_path)
    return hashlib.sha256(repr(relevant).encode()).hexdigest()
