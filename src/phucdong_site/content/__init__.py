"""Content: files → frozen models. The article kind's field table and validators, front
matter with lines, Markdown bodies, loading (known articles answered without parsing, the
rest over every core), drafts and scheduled articles, .md links, and `new`."""

from phucdong_site.content.article import parse_article
from phucdong_site.content.attachments import (
    MAX_ATTACHMENT_BYTES,
    DocumentProblem,
    document_kind,
    locate_document,
)
from phucdong_site.content.fields import AliasProblem, alias_path
from phucdong_site.content.frontmatter_yaml import FrontMatterProblem, split
from phucdong_site.content.links import (
    IGNORED_SCHEMES,
    link_sources,
    references,
    source_target,
)
from phucdong_site.content.load import load_site
from phucdong_site.content.parallel import Extra, KnownArticles
from phucdong_site.content.publishing import build_time, public_site
from phucdong_site.content.register import DOCUMENTS_FOLDER, parse_document
from phucdong_site.content.scaffold import new_article
from phucdong_site.content.view_counts import (
    VIEWS_FILE,
    counted_views,
    merge_counts,
    read_view_counts,
    write_view_counts,
)

__all__ = [
    "AliasProblem", "alias_path", "DOCUMENTS_FOLDER", "MAX_ATTACHMENT_BYTES", "document_kind",
    "parse_article", "parse_document",
    "DocumentProblem", "Extra", "FrontMatterProblem", "IGNORED_SCHEMES",
    "KnownArticles", "build_time", "link_sources", "load_site", "locate_document",
    "new_article", "VIEWS_FILE", "counted_views", "merge_counts", "read_view_counts",
    "write_view_counts",
    "public_site", "references", "source_target", "split",
]
