"""`import-oruk`: load another directory's Open Referral UK 3.0 listings into ours.

- Every record is checked against the ORUK schemas in seed/oruk-schema (draft 2020-12,
  local references only) and our own limits; a record that fails is skipped with the reason.
- Records are matched by id and keep the source's ids, so importing again updates them.
  Two records with the same id are both skipped: we cannot tell which is right.
- Taxonomy terms are matched to ours by id, then code, then name; a term we do not know is
  added under the source's taxonomy.
- Locations without coordinates are placed from their postcode.
- A field changed here since the last import is never overwritten: the importer compares what
  the source says now, what we hold now and what it imported last time (`OrukImportRecord`),
  keeps ours and reports the conflict.
- Each record is written in its own savepoint: it is imported whole or not at all.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from prescribing import geography
from prescribing.api import schemas
from prescribing.api.models import OrukImportRecord
from prescribing.api.oruk_feed import Feed
from prescribing.api.oruk_mapping import (
    ORGANIZATION_FIELDS,
    Incoming,
    RecordError,
    current_state,
    parse_service,
)
from prescribing.api.oruk_terms import TermMapper
from prescribing.clock import utcnow
from prescribing.directory.models import (
    Accepting,
    Contact,
    CostOption,
    GeoPrecision,
    ListingRevision,
    ListingStatus,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
)
from prescribing.extensions import db

NESTED = {
    "service_at_locations": ServiceAtLocation,
    "schedules": Schedule,
    "cost_options": CostOption,
    "languages": ServiceLanguage,
    "service_areas": ServiceArea,
    "contacts": Contact,
}


@dataclass
class RecordOutcome:
    where: str
    service_id: str | None
    name: str | None
    outcome: str  # created, updated, unchanged, skipped
    reasons: list[str] = field(default_factory=list)

    def line(self) -> str:
        label = " ".join(p for p in [self.service_id, f"({self.name})" if self.name else None] if p) or "?"
        reasons = f": {'; '.join(self.reasons)}" if self.reasons else ""
        return f"{self.where}: {self.outcome} {label}{reasons}"


@dataclass
class ImportReport:
    source: str
    outcomes: list[RecordOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    terms_matched: int = 0
    terms_added: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def ok(self) -> bool:
        return self.count("skipped") == 0

    def summary(self) -> str:
        return (
            f"{len(self.outcomes)} records read: {self.count('created')} created, {self.count('updated')} updated, "
            f"{self.count('unchanged')} unchanged, {self.count('skipped')} skipped; "
            f"{self.terms_matched} taxonomy terms matched to ours, {self.terms_added} added."
        )


def content_hash(record) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def import_feed(feed: Feed, geocoder: geography.Geocoder | None = None, *, dry_run: bool = False) -> ImportReport:
    """Check every record of `feed`, then write the good ones, one savepoint each."""
    geocoder = geocoder or geography.Geocoder()
    report = ImportReport(feed.label, notes=list(feed.notes))
    checked = _check(feed, report, geocoder)
    terms = TermMapper(feed.label, report)
    _begin(db.session)
    # Terms read from the feed's own /taxonomy_terms are checked like services; a bad one is left out.
    listed = [t for t in feed.terms if not schemas.problems("taxonomy_term", t, strict=False)]
    taxonomies = [t for t in feed.taxonomies if not schemas.problems("taxonomy", t, strict=False)]
    if len(listed) < len(feed.terms):
        report.notes.append(f"{len(feed.terms) - len(listed)} taxonomy terms do not match the ORUK schema; left out")
    with db.session.begin_nested():
        terms.load(taxonomies, listed + [t for _, _, inc in checked for t in inc.term_records])
    for where, record, incoming in checked:
        try:
            with db.session.begin_nested():
                outcome = _write(incoming, record, feed.label, terms)
        except (RecordError, SQLAlchemyError) as error:
            reason = str(error) if isinstance(error, RecordError) else _database_problem(error)
            report.outcomes.append(RecordOutcome(where, incoming.service_id, record.get("name"), "skipped", [reason]))
            continue
        outcome.where = where
        outcome.reasons = incoming.notes + outcome.reasons
        report.outcomes.append(outcome)
    report.outcomes.sort(key=_reading_order(feed))
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


def _begin(session) -> None:
    """Start the database transaction now, so the savepoints below nest inside it.

    Python's sqlite3 driver only sends BEGIN before the first write; a SAVEPOINT sent before
    that starts a transaction of its own, and releasing it commits, which would break
    `--dry-run` and make each record final as soon as it is written.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def _database_problem(error: SQLAlchemyError) -> str:
    # The class name says what kind of problem (an integrity error, say) without echoing data.
    return f"it could not be saved ({type(getattr(error, 'orig', None) or error).__name__})"


def _reading_order(feed: Feed):
    order = {where: n for n, (where, _, _) in enumerate(feed.records)}
    return lambda outcome: order.get(outcome.where, 0)


def _check(feed: Feed, report: ImportReport, geocoder: geography.Geocoder) -> list[tuple[str, dict, Incoming]]:
    """Schema, duplicates and our limits; skipped records go straight into the report."""
    ids = Counter(r.get("id") for _, r, _ in feed.records if isinstance(r, dict))
    nested = Counter(
        (kind, item.get("id"))
        for _, r, _ in feed.records
        if isinstance(r, dict)
        for kind in NESTED
        for item in (r.get(kind) or [])
        if isinstance(item, dict)
    )
    good = []
    for where, record, problem in feed.records:
        name = record.get("name") if isinstance(record, dict) else None
        service_id = record.get("id") if isinstance(record, dict) and isinstance(record.get("id"), str) else None

        def skip(*reasons, where=where, service_id=service_id, name=name):
            report.outcomes.append(RecordOutcome(where, service_id, name, "skipped", list(reasons)))

        if problem:
            skip(problem)
            continue
        if not isinstance(record, dict):
            skip("it is not a JSON object")
            continue
        problems = schemas.problems("compiled/service", record, strict=False)
        if problems:
            skip(*(f"does not match the ORUK service schema at {p}" for p in problems))
            continue
        if ids[service_id] > 1:
            skip(f"{ids[service_id]} records in the feed have this id; none of them imported")
            continue
        repeated = [
            f"{kind} id {item['id']}"
            for kind in NESTED
            for item in record.get(kind) or []
            if nested[(kind, item.get("id"))] > 1
        ]
        if repeated:
            skip(f"{repeated[0]} is used more than once in the feed")
            continue
        try:
            incoming = parse_service(record, geocoder)
        except RecordError as error:
            skip(str(error))
            continue
        good.append((where, record, incoming))
    return good


# Writing one record -------------------------------------------------------------------------


def _write(incoming: Incoming, record: dict, source: str, terms: TermMapper) -> RecordOutcome:
    session = db.session
    incoming.values["terms"] = terms.our_ids(incoming.term_records)
    service = session.get(Service, incoming.service_id)
    organization = session.get(Organization, incoming.organization_id)
    location_ids = {key.split(".")[1] for key in incoming.values if key.startswith("location.")}
    locations = {lid: loc for lid in location_ids if (loc := session.get(Location, lid)) is not None}
    _check_ownership(incoming)
    previous = session.get(OrukImportRecord, incoming.service_id)
    snapshot = previous.fields if previous else {}
    now = current_state(service, organization, locations)

    changes, conflicts = {}, []
    for key, value in incoming.values.items():
        exists = _exists(key, service, organization, locations)
        here = now.get(key)
        if not exists or here == value:
            if not exists:
                changes[key] = value
            continue
        if key in snapshot and snapshot[key] == here:
            changes[key] = value  # changed at the source, not here
        else:
            conflicts.append(key)
    created = service is None
    if changes:
        service = _apply(incoming, changes, service, organization, locations, source)
        session.add(
            ListingRevision(
                object_type="service",
                object_id=service.id,
                service_id=service.id,
                action="imported" if created else "reimported",
                changes={k: [_short(now.get(k)), _short(v)] for k, v in changes.items()},
                object_version=service.version,
                at=utcnow(),
            )
        )
    if previous is None:
        previous = OrukImportRecord(service_id=incoming.service_id)
        session.add(previous)
    previous.source = source[:500]
    previous.content_hash = content_hash(record)
    previous.fields = dict(incoming.values)
    previous.imported_at = utcnow()
    reasons = [f"kept the change made here to {_describe(k)}" for k in conflicts]
    outcome = "created" if created else ("updated" if changes else "unchanged")
    return RecordOutcome("", incoming.service_id, incoming.values["name"], outcome, reasons)


def _describe(key: str) -> str:
    if key.startswith("location."):
        return f"location {key.split('.')[1]} {key.split('.', 2)[2]}"
    return key.replace(".", " ")


def _short(value):
    text = json.dumps(value, default=str)
    return value if len(text) <= 200 else text[:199] + "…"


def _exists(key: str, service, organization, locations) -> bool:
    if key.startswith("organization."):
        return organization is not None
    if key.startswith("location."):
        return key.split(".")[1] in locations
    return service is not None


def _check_ownership(incoming: Incoming) -> None:
    """Nested ids that belong to another service here would be taken from it: refuse."""
    for key, model in (
        ("locations", ServiceAtLocation),
        ("schedules", Schedule),
        ("cost_options", CostOption),
        ("languages", ServiceLanguage),
        ("areas", ServiceArea),
        ("contacts", Contact),
    ):
        for row in incoming.values[key]:
            found = db.session.get(model, row[0])
            if found is not None and found.service_id != incoming.service_id:
                raise RecordError(f"{model.__tablename__} id {row[0]} belongs to another service here")


def _apply(incoming: Incoming, changes: dict, service, organization, locations, source: str) -> Service:
    session = db.session
    values = incoming.values
    if organization is None:
        organization = Organization(id=incoming.organization_id, name=values["organization.name"])
        session.add(organization)
    for name in ORGANIZATION_FIELDS:
        if f"organization.{name}" in changes:
            setattr(organization, name, changes[f"organization.{name}"])
    if service is None:
        service = Service(
            id=incoming.service_id,
            organization=organization,
            name=values["name"],
            source=source[:300],
            source_ref=f"oruk:{incoming.service_id}",
            self_referral=True,
        )
        session.add(service)
    for key, value in changes.items():
        if "." in key or key in ("locations", "schedules", "cost_options", "languages", "areas", "contacts", "terms"):
            continue
        if key == "status":
            value = ListingStatus(value)
            if value == ListingStatus.ARCHIVED and service.archived_at is None:
                service.archived_at = utcnow()
        elif key == "accepting":
            value = Accepting(value)
        elif key == "last_verified_at":
            value = datetime.fromisoformat(value) if value else None
        setattr(service, key, value)
    for location_id in {k.split(".")[1] for k in changes if k.startswith("location.")}:
        location = locations.get(location_id)
        if location is None:
            location = Location(id=location_id, organization_id=organization.id, name="")
            session.add(location)
            locations[location_id] = location
        for key, value in changes.items():
            if key.startswith(f"location.{location_id}."):
                name = key.split(".", 2)[2]
                setattr(location, name, GeoPrecision(value) if name == "geo_precision" else value)
    session.flush()
    removed_links = []
    if "locations" in changes:
        have = {sal.id: sal for sal in service.locations_at}
        wanted = {sal_id: location_id for sal_id, location_id in changes["locations"]}
        for sal_id, location_id in wanted.items():
            if sal_id not in have:
                session.add(ServiceAtLocation(id=sal_id, service=service, location_id=location_id))
        removed_links = [sal for sal_id, sal in have.items() if sal_id not in wanted]
        session.flush()
    if "schedules" in changes:
        service.schedules = _rows(
            service.schedules,
            changes["schedules"],
            Schedule,
            lambda s, r: _set(
                s,
                byday_index=r[1],
                opens_at=_time(r[2]),
                closes_at=_time(r[3]),
                week_of_month=r[4],
                note=r[5],
                service_at_location_id=r[6],
            ),
        )
    if "cost_options" in changes:
        service.cost_options = _rows(
            service.cost_options,
            changes["cost_options"],
            CostOption,
            lambda c, r: _set(c, amount=r[1], currency=r[2], option=r[3]),
        )
        service.is_free = not any((row[1] or 0) > 0 for row in changes["cost_options"])
    if "languages" in changes:
        service.languages = _rows(
            service.languages, changes["languages"], ServiceLanguage, lambda x, r: _set(x, name=r[1])
        )
    if "areas" in changes:
        service.areas = _rows(service.areas, changes["areas"], ServiceArea, lambda a, r: _set(a, outcode=r[1]))
    if "contacts" in changes:
        service.contacts = _rows(
            service.contacts, changes["contacts"], Contact, lambda c, r: _set(c, name=r[1], email=r[2], phone=r[3])
        )
    if "terms" in changes:
        service.terms = list(session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(changes["terms"]))))
    session.flush()
    for sal in removed_links:
        session.delete(sal)
    service.updated_at = utcnow()  # a changed listing gets a new version, so open edit forms see it
    session.flush()
    return service


def _rows(existing: list, rows: list[list], model, fill) -> list:
    by_id = {item.id: item for item in existing}
    result = []
    for row in rows:
        item = by_id.get(row[0]) or model(id=row[0])
        fill(item, row)
        result.append(item)
    return result


def _set(item, **values):
    for name, value in values.items():
        setattr(item, name, value)


def _time(text: str):
    return datetime.strptime(text, "%H:%M").time()
