from phucdong_site.search.index import (
    ArticleTerms,
    SearchTerms,
    article_terms,
    fragment_path,
    postings_files,
    text_digest,
)

__all__ = [
    "ArticleTerms",
    "SearchTerms",
    "article_terms",
    "fragment_path",
    "postings_files",
    "text_digest",
]
