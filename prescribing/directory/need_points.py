"""Where each need is met: one row per (need, service, venue) with the venue's coordinates.

Nearby search by need ("walking within 5 miles") is the directory's busiest query. Joining
tags to services to venues costs three index look-ups per tagged service, anywhere in the
country; this table, keyed by (need, latitude, longitude), turns it into one index range
read of the need's venues in the latitude band, with no joins. Search uses it only as an
index: everything it shows still comes from the directory tables.

Database triggers keep it in step with service_taxonomy, service_at_location and location
on every write path (ORM, importer, bulk SQL); `refresh_need_points` rebuilds rows written
while the triggers were absent. It is created with the tables under `db.create_all()` and
by `prescribing.directory.search_index.create_search_index` in a migration. Venues without
coordinates have no row (search finds them another way: see `APPROXIMATE_VENUE`).
"""

from sqlalchemy import DDL, MetaData, bindparam, column, event, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.types import Boolean

POINTS = table(
    "service_need_point",
    column("taxonomy_term_id"),
    column("latitude"),
    column("longitude"),
    column("service_id"),
    column("location_id"),
)

SQLITE_CREATE = [
    # WITHOUT ROWID: the primary key is the table, so the range read needs nothing else.
    """CREATE TABLE IF NOT EXISTS service_need_point (
        taxonomy_term_id VARCHAR(36) NOT NULL,
        latitude FLOAT NOT NULL,
        longitude FLOAT NOT NULL,
        service_id VARCHAR(36) NOT NULL,
        location_id VARCHAR(36) NOT NULL,
        PRIMARY KEY (taxonomy_term_id, latitude, longitude, service_id, location_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS ix_service_need_point_service ON service_need_point (service_id)",
    "CREATE INDEX IF NOT EXISTS ix_service_need_point_location ON service_need_point (location_id)",
    """CREATE TRIGGER IF NOT EXISTS service_need_point_tag_ai AFTER INSERT ON service_taxonomy BEGIN
        INSERT OR IGNORE INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
        SELECT new.taxonomy_term_id, l.latitude, l.longitude, new.service_id, l.id
        FROM service_at_location sal JOIN location l ON l.id = sal.location_id
        WHERE sal.service_id = new.service_id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_need_point_tag_ad AFTER DELETE ON service_taxonomy BEGIN
        DELETE FROM service_need_point
        WHERE service_id = old.service_id AND taxonomy_term_id = old.taxonomy_term_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_need_point_link_ai AFTER INSERT ON service_at_location BEGIN
        INSERT OR IGNORE INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
        SELECT st.taxonomy_term_id, l.latitude, l.longitude, new.service_id, l.id
        FROM service_taxonomy st JOIN location l ON l.id = new.location_id
        WHERE st.service_id = new.service_id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_need_point_link_ad AFTER DELETE ON service_at_location BEGIN
        DELETE FROM service_need_point WHERE service_id = old.service_id AND location_id = old.location_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_need_point_link_au
    AFTER UPDATE OF service_id, location_id ON service_at_location BEGIN
        DELETE FROM service_need_point WHERE service_id = old.service_id AND location_id = old.location_id;
        INSERT OR IGNORE INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
        SELECT st.taxonomy_term_id, l.latitude, l.longitude, new.service_id, l.id
        FROM service_taxonomy st JOIN location l ON l.id = new.location_id
        WHERE st.service_id = new.service_id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL;
    END""",
    """CREATE TRIGGER IF NOT EXISTS service_need_point_location_au
    AFTER UPDATE OF latitude, longitude ON location BEGIN
        DELETE FROM service_need_point WHERE location_id = old.id;
        INSERT OR IGNORE INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
        SELECT st.taxonomy_term_id, new.latitude, new.longitude, sal.service_id, new.id
        FROM service_at_location sal JOIN service_taxonomy st ON st.service_id = sal.service_id
        WHERE sal.location_id = new.id AND new.latitude IS NOT NULL AND new.longitude IS NOT NULL;
    END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS service_need_point_tag_ai",
    "DROP TRIGGER IF EXISTS service_need_point_tag_ad",
    "DROP TRIGGER IF EXISTS service_need_point_link_ai",
    "DROP TRIGGER IF EXISTS service_need_point_link_ad",
    "DROP TRIGGER IF EXISTS service_need_point_link_au",
    "DROP TRIGGER IF EXISTS service_need_point_location_au",
    "DROP TABLE IF EXISTS service_need_point",
]

POSTGRES_CREATE = [
    # The foreign keys let TRUNCATE ... CASCADE and deletes take the rows with them.
    """CREATE TABLE IF NOT EXISTS service_need_point (
        taxonomy_term_id VARCHAR(36) NOT NULL,
        service_id VARCHAR(36) NOT NULL REFERENCES service (id) ON DELETE CASCADE,
        location_id VARCHAR(36) NOT NULL REFERENCES location (id) ON DELETE CASCADE,
        latitude DOUBLE PRECISION NOT NULL,
        longitude DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (taxonomy_term_id, service_id, location_id)
    )""",
    """CREATE INDEX IF NOT EXISTS ix_service_need_point_box
    ON service_need_point (taxonomy_term_id, latitude, longitude) INCLUDE (service_id, location_id)""",
    "CREATE INDEX IF NOT EXISTS ix_service_need_point_service ON service_need_point (service_id)",
    "CREATE INDEX IF NOT EXISTS ix_service_need_point_location ON service_need_point (location_id)",
    """CREATE OR REPLACE FUNCTION service_need_point_from_tag() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM service_need_point
            WHERE service_id = OLD.service_id AND taxonomy_term_id = OLD.taxonomy_term_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
            SELECT NEW.taxonomy_term_id, l.latitude, l.longitude, NEW.service_id, l.id
            FROM service_at_location sal JOIN location l ON l.id = sal.location_id
            WHERE sal.service_id = NEW.service_id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION service_need_point_from_link() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM service_need_point WHERE service_id = OLD.service_id AND location_id = OLD.location_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
            SELECT st.taxonomy_term_id, l.latitude, l.longitude, NEW.service_id, l.id
            FROM service_taxonomy st JOIN location l ON l.id = NEW.location_id
            WHERE st.service_id = NEW.service_id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION service_need_point_from_location() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM service_need_point WHERE location_id = OLD.id;
        INSERT INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
        SELECT st.taxonomy_term_id, NEW.latitude, NEW.longitude, sal.service_id, NEW.id
        FROM service_at_location sal JOIN service_taxonomy st ON st.service_id = sal.service_id
        WHERE sal.location_id = NEW.id AND NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS service_need_point_tag ON service_taxonomy",
    """CREATE TRIGGER service_need_point_tag AFTER INSERT OR UPDATE OR DELETE ON service_taxonomy
    FOR EACH ROW EXECUTE FUNCTION service_need_point_from_tag()""",
    "DROP TRIGGER IF EXISTS service_need_point_link ON service_at_location",
    """CREATE TRIGGER service_need_point_link AFTER INSERT OR UPDATE OF service_id, location_id OR DELETE
    ON service_at_location FOR EACH ROW EXECUTE FUNCTION service_need_point_from_link()""",
    "DROP TRIGGER IF EXISTS service_need_point_location ON location",
    """CREATE TRIGGER service_need_point_location AFTER UPDATE OF latitude, longitude ON location
    FOR EACH ROW EXECUTE FUNCTION service_need_point_from_location()""",
]

POSTGRES_DROP = [
    "DROP TABLE IF EXISTS service_need_point",
    # CASCADE takes the triggers that call them with them.
    "DROP FUNCTION IF EXISTS service_need_point_from_tag() CASCADE",
    "DROP FUNCTION IF EXISTS service_need_point_from_link() CASCADE",
    "DROP FUNCTION IF EXISTS service_need_point_from_location() CASCADE",
]

_CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}
_DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}

_REFRESH = {
    "sqlite": [
        "DELETE FROM service_need_point WHERE :all OR service_id IN :ids",
        """INSERT OR IGNORE INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
        SELECT st.taxonomy_term_id, l.latitude, l.longitude, st.service_id, l.id
        FROM service_taxonomy st
        JOIN service_at_location sal ON sal.service_id = st.service_id
        JOIN location l ON l.id = sal.location_id
        WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL AND (:all OR st.service_id IN :ids)""",
    ],
    "postgresql": [
        "DELETE FROM service_need_point WHERE :all OR service_id IN :ids",
        """INSERT INTO service_need_point (taxonomy_term_id, latitude, longitude, service_id, location_id)
        SELECT st.taxonomy_term_id, l.latitude, l.longitude, st.service_id, l.id
        FROM service_taxonomy st
        JOIN service_at_location sal ON sal.service_id = st.service_id
        JOIN location l ON l.id = sal.location_id
        WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL AND (:all OR st.service_id IN :ids)
        ON CONFLICT DO NOTHING""",
    ],
}


FOLLOWS = {"service", "location", "service_at_location", "service_taxonomy"}


def _with_directory(ddl, target, bind, tables=None, **kw) -> bool:
    """Only when the tables it follows are part of this create_all / drop_all."""
    return tables is None or {t.name for t in tables} >= FOLLOWS


def attach(metadata: MetaData) -> None:
    """Create the table after all the tables it follows, and drop it before any of them."""
    for dialect, statements in _CREATE.items():
        for statement in statements:
            ddl = DDL(statement).execute_if(dialect=dialect, callable_=_with_directory)
            event.listen(metadata, "after_create", ddl)
    for dialect, statements in _DROP.items():
        for statement in statements:
            ddl = DDL(statement).execute_if(dialect=dialect, callable_=_with_directory)
            event.listen(metadata, "before_drop", ddl)


def create_need_points(connection: Connection) -> None:
    """Create the table and its triggers, and fill it from existing rows (idempotent)."""
    for statement in _CREATE.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)
    refresh_need_points(connection, None)


def drop_need_points(connection: Connection) -> None:
    for statement in _DROP.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


def refresh_need_points(connection: Connection, service_ids: list[str] | None) -> None:
    """Rebuild the rows of these services (all when None)."""
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
