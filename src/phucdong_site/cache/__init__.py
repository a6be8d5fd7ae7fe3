from phucdong_site.cache.articles import ArticleCache, search_fragment
from phucdong_site.cache.files import publish_files
from phucdong_site.cache.folder import usable_cache
from phucdong_site.cache.freshness import remember_build, scan_inputs, unchanged_build
from phucdong_site.cache.pages import PageCache
from phucdong_site.cache.postings import kept_postings_files
from phucdong_site.cache.related import related_lists

__all__ = [
    "ArticleCache",
    "PageCache",
    "kept_postings_files",
    "publish_files",
    "related_lists",
    "remember_build",
    "scan_inputs",
    "search_fragment",
    "unchanged_build",
    "usable_cache",
]
