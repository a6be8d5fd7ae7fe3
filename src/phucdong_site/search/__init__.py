from phucdong_site.search.index import (
    INDEX_DIR,
    ArticleTerms,
    SearchTerms,
    article_terms,
    fragment_path,
    postings_files,
    text_digest,
)

__all__ = [
    "INDEX_DIR",
    "ArticleTerms",
    "SearchTerms",
    "article_terms",
    "fragment_path",
    "postings_files",
    "text_digest",
]
