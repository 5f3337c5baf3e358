"""Tables the open API keeps for itself: request counts for the rate limit, and what each
imported listing looked like when it was last imported."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from prescribing.clock import utcnow
from prescribing.directory.models import Location, ServiceAtLocation
from prescribing.extensions import db


class ApiRateWindow(db.Model):
    """Requests from one client in one fixed window (when Redis is not configured)."""

    __tablename__ = "api_rate_window"

    # "api:<address>"; the address is kept for one or two minutes only, then pruned.
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True, index=True)
    count: Mapped[int] = mapped_column(default=0)


class OrukImportRecord(db.Model):
    """The state of a service as `import-oruk` last wrote it.

    `fields` holds our values as imported, so a later import can tell a field changed here
    (it differs from what we imported) from one changed at the source, and keep the local one.
    """

    __tablename__ = "oruk_import_record"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


# Indexes for proximity search on the directory's tables, declared here so the directory
# models stay as they are (the migration picks them up like any other index):
# - the box scan reads latitude, longitude, address_published and id from the index alone,
#   and the service_at_location rows for each location likewise (about three times faster
#   on SQLite than going to the tables);
# - the few locations whose address is not published are read on every request (they are
#   measured from their postcode district instead).
Index(
    "ix_location_nearby",
    Location.latitude,
    Location.longitude,
    Location.address_published,
    Location.id,
)
Index(
    "ix_service_at_location_nearby",
    ServiceAtLocation.location_id,
    ServiceAtLocation.id,
    ServiceAtLocation.service_id,
)
Index("ix_location_address_published", Location.address_published)
