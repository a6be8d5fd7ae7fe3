from phucdong_site.legacy.importer import (
    Outcome,
    default_documents_output,
    default_output,
    import_pages,
    outcome_lines,
    site_dir_for,
)

__all__ = ["Outcome", "default_documents_output", "default_output", "import_pages",
           "outcome_lines", "site_dir_for"]
