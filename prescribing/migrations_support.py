"""What Alembic's autogenerate should compare, shared by migrations/env.py and the tests."""

from prescribing.directory.search_index import SEARCH_INDEX_TABLES


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the full-text search index alone: it is raw DDL made by create_search_index()."""
    if type_ == "table" and name in SEARCH_INDEX_TABLES:
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and getattr(table, "name", None) in SEARCH_INDEX_TABLES)
