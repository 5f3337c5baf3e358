"""Full-text index over each service's name, organisation name and description.

SQLite: an FTS5 table (`service_search`, Porter stemming) whose content lives in
`service_search_doc`, a plain table with a stable integer key and the service id.
PostgreSQL: `service_search`, one weighted `tsvector` per service (name A, organisation B,
description C) with a GIN index, built with `to_tsvector('english', ...)`.

The organisation's name lives in another table, so a generated column or an expression
index on `service` cannot hold it; database triggers keep the index in step with every
write instead (ORM, importer, bulk SQL alike). `refresh_search_index` rebuilds entries
for rows written while the triggers were absent.

With it, need_points.py keeps a need-and-place index for nearby search by need.

Three ways the objects are created, all from the same statements:
- `db.create_all()` (tests, the bench): `attach(Service.__table__)` listens for the
  table's `after_create` with `DDL(...).execute_if(dialect=...)`;
- the Alembic migration: `create_search_index(op.get_bind())` (and `drop_search_index`
  in `downgrade`), which also fills the index from existing rows;
- `SEARCH_INDEX_TABLES` names what autogenerate should leave alone (`include_object`).

This module knows tables by name only, so the models can import it without a cycle.
"""

import re
from collections.abc import Iterable

from sqlalchemy import DDL, Table, bindparam, cast, column, event, func, literal_column, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select
from sqlalchemy.types import Boolean, Text

from prescribing.directory import need_points

# Everything the statements below create, for Alembic's `include_object` (FTS5 adds shadow tables).
SEARCH_INDEX_TABLES = frozenset(
    {
        "service_search",
        "service_search_doc",
        "service_search_data",
        "service_search_idx",
        "service_search_content",
        "service_search_docsize",
        "service_search_config",
        "service_need_point",
    }
)

# Column weights: a word in the name counts most, then the organisation, then the description.
# PostgreSQL's ts_rank weights A, B, C default to 1.0, 0.4, 0.2; SQLite's bm25 gets the same ratio.
SQLITE_BM25_WEIGHTS = (5.0, 2.0, 1.0)  # name, organisation, description

SQLITE_CREATE = [
    """CREATE TABLE IF NOT EXISTS service_search_doc (
        id INTEGER PRIMARY KEY,
        service_id VARCHAR(36) NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        organisation TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS service_search USING fts5(
        name, organisation, description,
        content='service_search_doc', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    # The documented external-content pattern: the FTS index follows service_search_doc.
    """CREATE TRIGGER IF NOT EXISTS service_search_doc_ai AFTER INSERT ON service_search_doc BEGIN
        INSERT INTO service_search (rowid, name, organisation, description)
        VALUES (new.id, new.name, new.organisation, new.description);
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_search_doc_ad AFTER DELETE ON service_search_doc BEGIN
        INSERT INTO service_search (service_search, rowid, name, organisation, description)
        VALUES ('delete', old.id, old.name, old.organisation, old.description);
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_search_doc_au AFTER UPDATE ON service_search_doc BEGIN
        INSERT INTO service_search (service_search, rowid, name, organisation, description)
        VALUES ('delete', old.id, old.name, old.organisation, old.description);
        INSERT INTO service_search (rowid, name, organisation, description)
        VALUES (new.id, new.name, new.organisation, new.description);
    END""",
    # service_search_doc follows service and organization. An upsert, never REPLACE: REPLACE's
    # implicit delete would skip the delete trigger above and leave the index out of step.
    """CREATE TRIGGER IF NOT EXISTS service_search_service_ai AFTER INSERT ON service BEGIN
        INSERT INTO service_search_doc (service_id, name, organisation, description)
        VALUES (new.id, new.name,
                coalesce((SELECT name FROM organization WHERE id = new.organization_id), ''),
                coalesce(new.description, ''))
        ON CONFLICT (service_id) DO UPDATE SET
            name = excluded.name, organisation = excluded.organisation, description = excluded.description;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_search_service_au
    AFTER UPDATE OF name, description, organization_id ON service BEGIN
        INSERT INTO service_search_doc (service_id, name, organisation, description)
        VALUES (new.id, new.name,
                coalesce((SELECT name FROM organization WHERE id = new.organization_id), ''),
                coalesce(new.description, ''))
        ON CONFLICT (service_id) DO UPDATE SET
            name = excluded.name, organisation = excluded.organisation, description = excluded.description;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_search_service_ad AFTER DELETE ON service BEGIN
        DELETE FROM service_search_doc WHERE service_id = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_search_organization_au AFTER UPDATE OF name ON organization BEGIN
        UPDATE service_search_doc SET organisation = new.name
        WHERE service_id IN (SELECT id FROM service WHERE organization_id = new.id);
    END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS service_search_organization_au",
    "DROP TRIGGER IF EXISTS service_search_service_ai",
    "DROP TRIGGER IF EXISTS service_search_service_au",
    "DROP TRIGGER IF EXISTS service_search_service_ad",
    "DROP TABLE IF EXISTS service_search",
    "DROP TABLE IF EXISTS service_search_doc",
]

POSTGRES_CREATE = [
    """CREATE TABLE IF NOT EXISTS service_search (
        service_id VARCHAR(36) PRIMARY KEY REFERENCES service (id) ON DELETE CASCADE,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS ix_service_search_document ON service_search USING gin (document)",
    """CREATE OR REPLACE FUNCTION service_search_from_service() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO service_search (service_id, document)
        SELECT s.id, setweight(to_tsvector('english', coalesce(s.name, '')), 'A')
            || setweight(to_tsvector('english', coalesce(o.name, '')), 'B')
            || setweight(to_tsvector('english', coalesce(s.description, '')), 'C')
        FROM service s LEFT JOIN organization o ON o.id = s.organization_id WHERE s.id = NEW.id
        ON CONFLICT (service_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION service_search_from_organization() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO service_search (service_id, document)
        SELECT s.id, setweight(to_tsvector('english', coalesce(s.name, '')), 'A')
            || setweight(to_tsvector('english', coalesce(o.name, '')), 'B')
            || setweight(to_tsvector('english', coalesce(s.description, '')), 'C')
        FROM service s JOIN organization o ON o.id = s.organization_id WHERE s.organization_id = NEW.id
        ON CONFLICT (service_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS service_search_service ON service",
    """CREATE TRIGGER service_search_service AFTER INSERT OR UPDATE OF name, description, organization_id
    ON service FOR EACH ROW EXECUTE FUNCTION service_search_from_service()""",
    "DROP TRIGGER IF EXISTS service_search_organization ON organization",
    """CREATE TRIGGER service_search_organization AFTER UPDATE OF name ON organization
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION service_search_from_organization()""",
]

POSTGRES_DROP = [
    "DROP TABLE IF EXISTS service_search",
    # CASCADE takes the triggers that call them with them.
    "DROP FUNCTION IF EXISTS service_search_from_service() CASCADE",
    "DROP FUNCTION IF EXISTS service_search_from_organization() CASCADE",
]

_CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
_DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}


def attach(service_table: Table) -> None:
    """Create the index with the `service` table under `create_all`, and drop it before the table.

    Also the need-and-place index (need_points.py), after all the tables it follows.
    """
    need_points.attach(service_table.metadata)
    for dialect, statements in _CREATE.items():
        for statement in statements:
            event.listen(service_table, "after_create", DDL(statement).execute_if(dialect=dialect))
    for dialect, statements in _DROP.items():
        for statement in statements:
            event.listen(service_table, "before_drop", DDL(statement).execute_if(dialect=dialect))


def create_search_index(connection: Connection) -> None:
    """Create the full-text index, its triggers, and fill it from existing services (idempotent).

    For the Alembic migration: `create_search_index(op.get_bind())`.
    """
    for statement in _CREATE.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)
    _refresh(connection, None)
    need_points.create_need_points(connection)


def drop_search_index(connection: Connection) -> None:
    """Remove everything `create_search_index` made (for a migration's downgrade)."""
    need_points.drop_need_points(connection)
    for statement in _DROP.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


def refresh_search_index(session, service_ids: Iterable[str] | None = None) -> None:
    """Rebuild the index entries of these services (all when None), in the caller's transaction.

    The triggers keep the index current on every write; this repairs rows written while they
    were absent (for example by a restore that disabled triggers).
    """
    ids = None if service_ids is None else list(service_ids)
    _refresh(session.connection(), ids)
    need_points.refresh_need_points(session.connection(), ids)


_REFRESH = {
    "sqlite": [
        "DELETE FROM service_search_doc WHERE :all OR service_id IN :ids",
        """INSERT INTO service_search_doc (service_id, name, organisation, description)
        SELECT s.id, s.name, coalesce(o.name, ''), coalesce(s.description, '')
        FROM service s LEFT JOIN organization o ON o.id = s.organization_id
        WHERE :all OR s.id IN :ids""",
    ],
    "postgresql": [
        """INSERT INTO service_search (service_id, document)
        SELECT s.id, setweight(to_tsvector('english', coalesce(s.name, '')), 'A')
            || setweight(to_tsvector('english', coalesce(o.name, '')), 'B')
            || setweight(to_tsvector('english', coalesce(s.description, '')), 'C')
        FROM service s LEFT JOIN organization o ON o.id = s.organization_id
        WHERE :all OR s.id IN :ids
        ON CONFLICT (service_id) DO UPDATE SET document = EXCLUDED.document""",
    ],
}


def _refresh(connection: Connection, service_ids: list[str] | None) -> None:
    if service_ids is not None and not service_ids:
        return
    for statement in _REFRESH.get(connection.dialect.name, []):
        connection.execute(
            text(statement).bindparams(
                bindparam("all", service_ids is None, type_=Boolean),
                # An IN list cannot be empty on every database; the dummy id matches nothing.
                bindparam("ids", service_ids or [""], expanding=True),
            )
        )


# Words that carry no meaning in a search box. PostgreSQL's english configuration drops these
# (and more) itself; dropping them here too keeps SQLite's answers the same.
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "near",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    }
)
MAX_KEYWORDS = 10
_WORD = re.compile(r"[^\W_]+")


def keyword_terms(raw: str | None) -> list[str]:
    """The searchable words in what someone typed: letters and digits only, no operators.

    Quotes, brackets, `AND (`, `NEAR(`, `*` and the like cannot reach the full-text engine,
    so nothing a person types can cause a syntax error.
    """
    words = [w for w in _WORD.findall((raw or "").lower()) if w not in STOP_WORDS]
    return list(dict.fromkeys(words))[:MAX_KEYWORDS]


def keyword_matches(dialect: str, terms: list[str]) -> Select:
    """(service_id, rank) for services matching every term; a higher rank is a better match."""
    if dialect == "postgresql":
        doc = table("service_search", column("service_id"), column("document"))
        query = func.plainto_tsquery(literal_column("'english'"), cast(bindparam("fts_words", " ".join(terms)), Text))
        return select(
            doc.c.service_id.label("service_id"),
            func.ts_rank(doc.c.document, query).label("rank"),
        ).where(doc.c.document.op("@@")(query))
    fts = table("service_search", column("rowid"))
    doc = table("service_search_doc", column("id"), column("service_id"))
    match = " ".join(f'"{term}"' for term in terms)  # each a quoted phrase: no operators survive
    fts_name = literal_column("service_search")
    return (
        select(
            doc.c.service_id.label("service_id"),
            (-func.bm25(fts_name, *SQLITE_BM25_WEIGHTS)).label("rank"),
        )
        .select_from(fts.join(doc, doc.c.id == fts.c.rowid))
        .where(fts_name.op("MATCH")(bindparam("fts_match", match)))
    )
