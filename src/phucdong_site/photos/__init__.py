from phucdong_site.photos.covers import CoverImage, cover_image
from phucdong_site.photos.pictures import picture, picture_html, renditions
from phucdong_site.photos.placeholders import PLACEHOLDER_MARK, is_placeholder
from phucdong_site.photos.publish import publish_photos
from phucdong_site.photos.sources import (
    IMAGE_SUFFIXES,
    PhotoFile,
    PhotoProblem,
    SourceIndex,
    inspect,
    locate,
    make_photo,
)

__all__ = [
    "CoverImage",
    "IMAGE_SUFFIXES",
    "PLACEHOLDER_MARK",
    "PhotoFile",
    "PhotoProblem",
    "SourceIndex",
    "cover_image",
    "inspect",
    "is_placeholder",
    "locate",
    "make_photo",
    "picture",
    "picture_html",
    "publish_photos",
    "renditions",
]
