"""The site's identity on every page: its logo in the header, and the icons and web manifest
made from it; without a logo, the root's own favicon.ico, or no icon request at all."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from phucdong_site.config import CONFIG_NAME, SiteConfig, setting_line
from phucdong_site.errors import ContentError
from phucdong_site.files import leaves
from phucdong_site.language import _, decimal
from phucdong_site.photos import (
    ENORMOUS,
    LOGO_MAX_BYTES,
    LOGO_MAX_SIDE,
    header_logo_size,
    icon_files,
    image_size,
)

ROOT_FAVICON = Path("root") / "favicon.ico"   # a site's own, published as it is at the root
MANIFEST = "manifest.webmanifest"


@dataclass(frozen=True, slots=True)
class Identity:
    """What the head and the header link: paths under the site root."""

    favicon: str = ""            # "": none; the head says so (href="data:,"), no request
    icons: bool = False          # touch icons and the web manifest, made from the logo
    logo: str = ""               # the header's copy of the logo, fingerprinted
    logo_width: int = 0          # its size on the page, in CSS pixels
    logo_height: int = 0


def site_identity(config: SiteConfig) -> tuple[Identity, list[ContentError]]:
    """The site's Identity, and what is wrong with its logo (at its site.toml line)."""
    if not config.logo:
        root = (config.site_dir / ROOT_FAVICON).is_file()
        return Identity(favicon="favicon.ico" if root else ""), []
    path = config.site_dir / config.logo
    size, problem, hint = None, "", ""
    square = _("a square PNG of 512×512 pixels or more, with a transparent background, makes "
               "the sharpest icons")
    if leaves(path, config.site_dir):
        problem = _("{path} is a link to a file outside the site; copy the image into the "
                    "site").format(path=config.logo)
    elif not path.is_file():
        problem = _("{path} does not exist").format(path=config.logo)
        hint = _("the path is relative to the site's folder, the one that holds site.toml")
    elif path.stat().st_size > LOGO_MAX_BYTES:
        problem = _("{path} is {size} MB, more than the {most} MB a logo may be").format(
            path=config.logo, size=decimal(path.stat().st_size / 2**20, 1),
            most=LOGO_MAX_BYTES // 2**20)
        hint = square
    elif (size := image_size(path)) is None:
        problem = _("{path} is not an image that can be read (PNG, JPEG, WebP or GIF)").format(
            path=config.logo)
        hint = _("save the logo as PNG (an SVG cannot be used)")
    elif size == ENORMOUS or max(size) > LOGO_MAX_SIDE:
        problem = (_("{path} has more pixels than an image may have") if size == ENORMOUS
                   else _("{path} is {width}×{height} pixels")).format(
            path=config.logo, width=size[0], height=size[1]) + "; " + _(
            "a logo may have at most {most}×{most}").format(most=LOGO_MAX_SIDE)
        hint = square
    if problem:
        return Identity(), [ContentError(Path(CONFIG_NAME), setting_line(config.site_dir, "logo"),
                                         "logo: " + problem, hint=hint)]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    width, height = header_logo_size(size)
    return Identity(favicon="favicon.ico", icons=True, logo=f"static/logo.{digest}.png",
                    logo_width=width, logo_height=height), []


def identity_files(identity: Identity, config: SiteConfig) -> list[tuple[str, str | bytes]]:
    """The icons and the web manifest made from the logo: (path, bytes or text)."""
    if not identity.icons:
        return []
    files: list[tuple[str, str | bytes]] = list(icon_files(config.site_dir / config.logo,
                                                           identity.logo))
    base = config.base_path
    manifest = {
        "name": config.name,
        "short_name": config.short_name or config.name,
        "lang": "vi",
        "start_url": base,
        "scope": base,
        "display": "browser",
        "theme_color": config.theme_color,
        "background_color": "#ffffff",
        "icons": [{"src": f"{base}icon-{size}.png", "sizes": f"{size}x{size}",
                   "type": "image/png"} for size in (192, 512)],
    }
    files.append((MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"))
    return files
