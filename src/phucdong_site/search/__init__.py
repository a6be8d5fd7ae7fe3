from phucdong_site.search.index import (
    INDEX_DIR,
    ArticleTerms,
    Postings,
    SearchTerms,
    article_terms,
    fragment_path,
    postings_files,
    text_digest,
)
from phucdong_site.search.words import search_key, word_keys

__all__ = [
    "INDEX_DIR",
    "ArticleTerms",
    "Postings",
    "SearchTerms",
    "article_terms",
    "fragment_path",
    "postings_files",
    "search_key",
    "text_digest",
    "word_keys",
]
