from phucdong_site.content.frontmatter_yaml import FrontMatterProblem, split
from phucdong_site.content.links import broken_references, iter_outputs, link_sources
from phucdong_site.content.load import load_site
from phucdong_site.content.markup import caption_text
from phucdong_site.content.parallel import Extra, KnownArticles
from phucdong_site.content.publishing import build_time, public_site
from phucdong_site.content.scaffold import new_article

__all__ = [
    "Extra",
    "FrontMatterProblem",
    "KnownArticles",
    "broken_references",
    "build_time",
    "caption_text",
    "iter_outputs",
    "link_sources",
    "load_site",
    "new_article",
    "public_site",
    "split",
]
