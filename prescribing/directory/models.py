"""The community directory, shaped after Open Referral UK / HSDS 3.0.

Ids are UUID strings because the open API publishes them.
"""

import enum
from datetime import datetime, time, timedelta

from sqlalchemy import (
    JSON,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    literal_column,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.directory import search_index
from prescribing.extensions import db
from prescribing.ids import new_id

STALE_AFTER = timedelta(days=180)


class ListingStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # temporarily not running
    ARCHIVED = "archived"  # gone from search, kept for history and reports


class Accepting(enum.StrEnum):
    YES = "yes"
    NO = "no"
    WAITING_LIST = "waiting_list"


class Taxonomy(db.Model):
    __tablename__ = "taxonomy"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(40))

    terms: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="taxonomy")


class TaxonomyTerm(db.Model):
    """A need, such as "physical activity"; terms form a tree through `parent`."""

    __tablename__ = "taxonomy_term"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    taxonomy_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy.id"), index=True)

    parent: Mapped["TaxonomyTerm | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="parent", order_by="TaxonomyTerm.name")
    taxonomy: Mapped[Taxonomy | None] = relationship(back_populates="terms")

    def __repr__(self) -> str:
        return f"<TaxonomyTerm {self.code}>"


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(250), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(500))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ListingStatus] = mapped_column(
        Enum(ListingStatus, native_enum=False, length=20), default=ListingStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    services: Mapped[list["Service"]] = relationship(back_populates="organization", order_by="Service.name")
    locations: Mapped[list["Location"]] = relationship(back_populates="organization")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Organization {self.name!r}>"


service_taxonomy = db.Table(
    "service_taxonomy",
    db.Column("service_id", ForeignKey("service.id"), primary_key=True),
    db.Column("taxonomy_term_id", ForeignKey("taxonomy_term.id"), primary_key=True),
    # Matching and search start from a need: this index answers "services under these terms" alone.
    Index("ix_service_taxonomy_term_service", "taxonomy_term_id", "service_id"),
)


class Service(db.Model):
    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("source_ref", name="uq_service_source_ref"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    # The id this listing has in the file or feed it was imported from, so re-imports update it.
    source_ref: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(1000))  # attribution of where the listing came from
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ListingStatus] = mapped_column(
        Enum(ListingStatus, native_enum=False, length=20), default=ListingStatus.ACTIVE, index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(500))
    # How it is delivered.
    at_venue: Mapped[bool] = mapped_column(default=True)
    online: Mapped[bool] = mapped_column(default=False)
    by_phone: Mapped[bool] = mapped_column(default=False)
    at_home: Mapped[bool] = mapped_column(default=False)
    # How to join.
    self_referral: Mapped[bool] = mapped_column(default=True)
    link_worker_referral: Mapped[bool] = mapped_column(default=True)
    gp_referral: Mapped[bool] = mapped_column(default=False)
    how_to_join: Mapped[str] = mapped_column(Text, default="")
    accepting: Mapped[Accepting] = mapped_column(Enum(Accepting, native_enum=False, length=20), default=Accepting.YES)
    capacity_note: Mapped[str | None] = mapped_column(String(300))
    # Takes referrals the link worker tracks alone (no inbox, no expiry).
    signpost_only: Mapped[bool] = mapped_column(default=False)
    is_free: Mapped[bool] = mapped_column(default=True, index=True)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_verified_at: Mapped[datetime | None] = mapped_column(index=True)
    last_verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship(back_populates="services")
    locations_at: Mapped[list["ServiceAtLocation"]] = relationship(back_populates="service")
    # Parts of a listing that are replaced as a whole when it is edited; history keeps the old.
    schedules: Mapped[list["Schedule"]] = relationship(
        back_populates="service", order_by="(Schedule.byday_index, Schedule.opens_at)", cascade="all, delete-orphan"
    )
    cost_options: Mapped[list["CostOption"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    languages: Mapped[list["ServiceLanguage"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    areas: Mapped[list["ServiceArea"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    contacts: Mapped[list["Contact"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    terms: Mapped[list[TaxonomyTerm]] = relationship(secondary=service_taxonomy)
    last_verified_by = relationship("AppUser")

    __mapper_args__ = {"version_id_col": version}

    def is_stale(self, now: datetime | None = None) -> bool:
        """Unconfirmed for 180 days (or never confirmed)."""
        now = now or utcnow()
        return self.last_verified_at is None or now - self.last_verified_at > STALE_AFTER

    @property
    def is_remote(self) -> bool:
        return not self.at_venue

    def __repr__(self) -> str:
        return f"<Service {self.name!r}>"


# The full-text index over name, organisation and description is created and dropped with this table.
search_index.attach(Service.__table__)


class GeoPrecision(enum.StrEnum):
    POSTCODE = "postcode"
    SECTOR = "sector"
    DISTRICT = "district"
    NONE = "none"


class Location(db.Model):
    __tablename__ = "location"
    # Nearby search narrows by a bounding box on these two columns before measuring.
    __table_args__ = (Index("ix_location_lat_lon", "latitude", "longitude"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(250))
    address_1: Mapped[str] = mapped_column(String(250), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str | None] = mapped_column(String(8))
    outcode: Mapped[str | None] = mapped_column(String(4), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    geo_precision: Mapped[GeoPrecision] = mapped_column(
        Enum(GeoPrecision, native_enum=False, length=10), default=GeoPrecision.NONE
    )
    # Refuges and survivor groups: only the area and how to get in touch are public.
    address_published: Mapped[bool] = mapped_column(default=True)
    step_free: Mapped[bool] = mapped_column(default=False)
    accessible_toilet: Mapped[bool] = mapped_column(default=False)
    hearing_loop: Mapped[bool] = mapped_column(default=False)
    bsl: Mapped[bool] = mapped_column(default=False)
    parking: Mapped[bool] = mapped_column(default=False)
    public_transport: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    organization: Mapped[Organization] = relationship(back_populates="locations")

    __mapper_args__ = {"version_id_col": version}

    ACCESS_FEATURES = {
        "step_free": "Step-free access",
        "accessible_toilet": "Accessible toilet",
        "hearing_loop": "Hearing loop",
        "bsl": "British Sign Language",
        "parking": "Parking",
        "public_transport": "Near public transport",
    }

    def access_features(self) -> list[str]:
        return [label for field, label in self.ACCESS_FEATURES.items() if getattr(self, field)]


# Venues whose distance from a searcher can only be approximate: placed by sector or district,
# or with an address kept private (measured from their district). Search never drops them by
# distance and reads them on every query; this partial index holds only them (a few in
# thousands), with a literal in its condition so both databases match it to the query's.
APPROXIMATE_VENUE = or_(Location.geo_precision != literal_column("'POSTCODE'"), Location.address_published == false())
Index(
    "ix_location_approximate",
    Location.latitude,
    Location.longitude,
    Location.id,
    sqlite_where=APPROXIMATE_VENUE,
    postgresql_where=APPROXIMATE_VENUE,
)


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("service_id", "location_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"), index=True)

    service: Mapped[Service] = relationship(back_populates="locations_at")
    location: Mapped[Location] = relationship()


DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Schedule(db.Model):
    """A weekly session, or a monthly one ("first Tuesday") when week_of_month is set."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    service_at_location_id: Mapped[str | None] = mapped_column(ForeignKey("service_at_location.id"))
    byday_index: Mapped[int] = mapped_column(index=True)  # 0 = Monday
    opens_at: Mapped[time]
    closes_at: Mapped[time]
    # 1..4 for "first".."fourth", -1 for "last"; empty for every week.
    week_of_month: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(String(300))

    service: Mapped[Service] = relationship(back_populates="schedules")

    @property
    def byday(self) -> str:
        return DAYS[self.byday_index]

    @property
    def day_name(self) -> str:
        return DAY_NAMES[self.byday_index]


class CostOption(db.Model):
    __tablename__ = "cost_option"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    amount: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False))
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    option: Mapped[str | None] = mapped_column(String(300))  # what it covers, concessions

    service: Mapped[Service] = relationship(back_populates="cost_options")


class ServiceLanguage(db.Model):
    __tablename__ = "service_language"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(60), index=True)

    service: Mapped[Service] = relationship(back_populates="languages")


class ServiceArea(db.Model):
    """A postcode district a service serves; a service with none serves everyone."""

    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    outcode: Mapped[str] = mapped_column(String(4), index=True)

    service: Mapped[Service] = relationship(back_populates="areas")


class Contact(db.Model):
    __tablename__ = "contact"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))  # a role, e.g. "Enquiries"
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))

    service: Mapped[Service] = relationship(back_populates="contacts")


class ListingRevision(db.Model):
    """One saved change to a listing: who, when and which fields changed (old → new)."""

    __tablename__ = "listing_revision"
    __table_args__ = (Index("ix_listing_revision_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(36))
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(40))  # created, updated, confirmed, archived, imported
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    # The object's version after this change, so an editor's stale form can be told what changed since.
    object_version: Mapped[int | None]

    user = relationship("AppUser")
