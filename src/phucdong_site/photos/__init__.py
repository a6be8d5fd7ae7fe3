from phucdong_site.photos.covers import CoverImage, cover_image
from phucdong_site.photos.icons import (
    ENORMOUS,
    LOGO_MAX_BYTES,
    LOGO_MAX_SIDE,
    header_logo_size,
    icon_files,
    image_size,
)
from phucdong_site.photos.pictures import picture, picture_html, renditions
from phucdong_site.photos.placeholders import PLACEHOLDER_MARK, is_placeholder
from phucdong_site.photos.publish import publish_photos
from phucdong_site.photos.sources import (
    IMAGE_SUFFIXES,
    MAX_PHOTO_BYTES,
    PhotoFile,
    PhotoProblem,
    SourceIndex,
    inspect,
    locate,
    make_photo,
)

__all__ = [
    "CoverImage",
    "ENORMOUS",
    "IMAGE_SUFFIXES",
    "LOGO_MAX_BYTES",
    "LOGO_MAX_SIDE",
    "MAX_PHOTO_BYTES",
    "PLACEHOLDER_MARK",
    "PhotoFile",
    "PhotoProblem",
    "SourceIndex",
    "cover_image",
    "header_logo_size",
    "icon_files",
    "image_size",
    "inspect",
    "is_placeholder",
    "locate",
    "make_photo",
    "picture",
    "picture_html",
    "publish_photos",
    "renditions",
]
