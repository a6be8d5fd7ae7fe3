"""Photos of imported articles: the page's saved images copied, or placeholders made."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from phucdong_site.legacy.markdown_text import PlacedPhoto
from phucdong_site.legacy.page import Figure, LegacyPage
from phucdong_site.photos import IMAGE_SUFFIXES, PLACEHOLDER_MARK, is_placeholder
from phucdong_site.text import slugify

PLACEHOLDER_SIZE = (800, 533)


Missing = tuple[int, Path, str]      # photo number, its placeholder file, why it is missing


def write_photos(page: LegacyPage, target: Path, force: bool,
                 created: list[Path] | None = None) -> tuple[list[PlacedPhoto], list[Missing]]:
    """Copy each figure's image into TARGET's photo folder, or make a placeholder for it;
    CREATED gets each file that was not there before."""
    created = [] if created is None else created
    folder = target.with_suffix("")
    photos: list[PlacedPhoto] = []
    missing: list[Missing] = []
    used: set[str] = set()
    figures = [block for block in page.blocks if isinstance(block, Figure)]
    for number, figure in enumerate(figures, start=1):
        if figure.image is not None:
            stem = slugify(figure.image.stem) or f"anh-{number}"
            suffix = figure.image.suffix.lower()
            suffix = suffix if suffix in IMAGE_SUFFIXES else ".jpg"
            name = f"{stem}{suffix}"
            name = f"{stem}-{number}{suffix}" if name in used else name
            new = not (folder / name).exists()
            _copy_image(figure.image, folder / name, force)
        else:
            name = f"anh-thieu-{number}.jpg"
            new = not (folder / name).exists()
            # Labelled by its place in the output, so no two placeholders have the same bytes.
            _write_placeholder(folder / name, f"{folder.parent.name}/{folder.name}/{name}", force)
            missing.append((number, folder / name, figure.missing))
        if new:
            created.append(folder / name)
        used.add(name)
        photos.append(PlacedPhoto(f"{folder.name}/{name}", figure.caption, figure.image is None))
    return photos, missing


def _copy_image(source: Path, dest: Path, force: bool) -> None:
    if dest.exists() and not force:
        return                       # an editor may have replaced it; never overwrite
    if source.suffix.lower() in IMAGE_SUFFIXES:
        write_atomic(dest, source.read_bytes())
        return
    with Image.open(source) as image:       # e.g. .bmp from very old pages → JPEG
        dest.parent.mkdir(parents=True, exist_ok=True)
        image.convert("RGB").save(dest, "JPEG", quality=85)


def _write_placeholder(dest: Path, label: str, force: bool) -> None:
    """A plain grey picture with a photo pictogram; the label makes each file distinct."""
    if dest.exists() and not (force and is_placeholder(dest)):
        return                       # an editor put the original photo there: keep it, always
    width, height = PLACEHOLDER_SIZE
    image = Image.new("RGB", PLACEHOLDER_SIZE, (228, 228, 228))
    draw = ImageDraw.Draw(image)
    cx, cy = width // 2, height // 2
    draw.rectangle((cx - 90, cy - 60, cx + 90, cy + 60), outline=(170, 170, 170), width=6)
    draw.polygon([(cx - 75, cy + 48), (cx - 20, cy - 10), (cx + 20, cy + 30), (cx + 40, cy + 10),
                  (cx + 75, cy + 48)], fill=(170, 170, 170))
    draw.ellipse((cx + 30, cy - 45, cx + 60, cy - 15), fill=(170, 170, 170))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    # The label makes each placeholder's bytes distinct: the build names photos by content.
    image.save(tmp, "JPEG", quality=80, comment=PLACEHOLDER_MARK + f": {label}".encode())
    tmp.replace(dest)


def write_atomic(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(dest)
