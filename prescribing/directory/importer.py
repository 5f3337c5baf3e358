"""Importing listings from the directory CSV format (see seed/README.md, "Import CSV format").

Rows for the same `service_ref` describe one service at several venues. Each row is
checked before anything is written; a bad row is reported with its line number and
reason. Re-importing the same file updates listings in place, never duplicates them.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from prescribing import geography
from prescribing.clock import utcnow
from prescribing.directory.models import (
    Accepting,
    CostOption,
    GeoPrecision,
    ListingRevision,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    TaxonomyTerm,
)
from prescribing.directory.schedules import ScheduleError, parse_sessions
from prescribing.extensions import db

REQUIRED_COLUMNS = ["service_ref", "organisation_name", "service_name", "description", "needs", "delivery"]
DELIVERY = {"venue", "online", "phone", "home"}
ROUTES = {"self", "link_worker", "gp"}
ACCESS = set(Location.ACCESS_FEATURES)
MAX_CELL = 5000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, missing columns)."""


@dataclass
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ParsedRow:
    line: int
    raw: dict
    sessions: list
    place: geography.Place | None
    postcode: str | None
    needs: list[str]
    delivery: set[str]


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def read_rows(source: str | Path | io.IOBase) -> list[tuple[int, dict]]:
    """Read the CSV, checking encoding and columns; returns (line number, row) pairs."""
    try:
        if isinstance(source, str | Path):
            text = Path(source).read_bytes().decode("utf-8-sig")
        else:
            data = source.read()
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise ImportFileError("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.") from error
    except OSError as error:
        raise ImportFileError(f"The file could not be read: {error.strerror}") from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportFileError(f"The file is missing these columns: {', '.join(missing)}")
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    return rows


def check_row(line: int, row: dict, known_needs: set[str]) -> ParsedRow:
    """Check one row; raise ValueError with a plain reason."""
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise ValueError(f"{column} is empty")
    too_long = [k for k, v in row.items() if v and len(v) > MAX_CELL]
    if too_long:
        raise ValueError(f"{too_long[0]} is longer than {MAX_CELL} characters")
    needs = _split(row["needs"])
    unknown = [n for n in needs if n not in known_needs]
    if unknown:
        raise ValueError(f"unknown need '{unknown[0]}' (see seed/taxonomy.csv for the codes)")
    delivery = set(_split(row["delivery"]))
    if not delivery or delivery - DELIVERY:
        raise ValueError("delivery must be any of venue, online, phone, home")
    if set(_split(row.get("referral_routes"))) - ROUTES:
        raise ValueError("referral_routes must be any of self, link_worker, gp")
    if row.get("accepting_referrals") and row["accepting_referrals"] not in {a.value for a in Accepting}:
        raise ValueError("accepting_referrals must be yes, no or waiting_list")
    if set(_split(row.get("accessibility"))) - ACCESS:
        raise ValueError(f"accessibility must be any of {', '.join(sorted(ACCESS))}")
    for column in ("min_age", "max_age"):
        if row.get(column) and not row[column].isdigit():
            raise ValueError(f"{column} must be a whole number")
    if row.get("cost") and row["cost"].lower() != "free":
        try:
            if float(row["cost"].lstrip("£")) < 0:
                raise ValueError
        except ValueError:
            raise ValueError("cost must be 'free' or an amount such as 3.50") from None
    for outcode in _split(row.get("service_area")):
        if geography.normalise_outcode(outcode) is None:
            raise ValueError(f"service_area '{outcode}' is not a postcode district")
    try:
        sessions = parse_sessions(row.get("schedule"))
    except ScheduleError as error:
        raise ValueError(str(error)) from None
    postcode = place = None
    if "venue" in delivery:
        if not row.get("postcode"):
            raise ValueError("postcode is empty for a service at a venue")
        postcode = geography.normalise_postcode(row["postcode"])
        if postcode is None:
            raise ValueError(f"postcode '{row['postcode']}' is not a real UK postcode")
        place = geography.geocode_offline(postcode)
        if place is None:
            raise ValueError(f"postcode '{postcode}' is outside the area we hold locations for")
    return ParsedRow(line, row, sessions, place, postcode, needs, delivery)


def import_rows(
    rows: Iterable[tuple[int, dict]],
    *,
    strict: bool = False,
    user=None,
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row, then write good ones in batches (one transaction per batch)."""
    report = ImportReport()
    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    parsed: dict[str, list[ParsedRow]] = {}
    for line, row in rows:
        report.rows += 1
        try:
            parsed.setdefault(row.get("service_ref", ""), []).append(check_row(line, row, set(terms)))
        except ValueError as error:
            report.problems.append(RowProblem(line, str(error)))
    if strict and report.problems:
        return report
    done = 0
    for ref, service_rows in parsed.items():
        created = _upsert_service(ref, service_rows, terms, user)
        report.created += created
        report.updated += not created
        done += len(service_rows)
        if done % batch_size < len(service_rows):
            db.session.commit()
        if progress:
            progress(done)
    db.session.commit()
    return report


def _organization(row: dict) -> Organization:
    name = row["organisation_name"]
    found = db.session.scalar(select(Organization).where(func.lower(Organization.name) == name.lower()))
    if found is None:
        found = Organization(name=name)
        db.session.add(found)
    found.description = row.get("organisation_description") or found.description or ""
    found.url = row.get("organisation_url") or found.url
    found.charity_number = row.get("charity_number") or found.charity_number
    return found


def _location(organization: Organization, parsed: ParsedRow) -> Location:
    row = parsed.raw
    name = row.get("location_name") or row.get("address") or parsed.postcode
    found = db.session.scalar(
        select(Location).where(
            Location.organization_id == organization.id, Location.postcode == parsed.postcode, Location.name == name
        )
    )
    if found is None:
        found = Location(organization=organization, name=name, postcode=parsed.postcode)
        db.session.add(found)
    found.address_1 = row.get("address", "")
    found.city = row.get("town", "")
    found.outcode = geography.outcode_of(parsed.postcode)
    found.latitude, found.longitude = parsed.place.latitude, parsed.place.longitude
    found.geo_precision = GeoPrecision(parsed.place.precision)
    found.address_published = row.get("address_published", "yes").lower() != "no"
    features = set(_split(row.get("accessibility")))
    for feature in ACCESS:
        setattr(found, feature, feature in features)
    return found


def _upsert_service(ref: str, rows: list[ParsedRow], terms: dict, user) -> bool:
    first = rows[0].raw
    organization = _organization(first)
    db.session.flush()
    service = db.session.scalar(select(Service).where(Service.source_ref == ref))
    created = service is None
    if created:
        service = Service(source_ref=ref, organization=organization)
        db.session.add(service)
    routes = set(_split(first.get("referral_routes")) or ["self", "link_worker"])
    delivery = rows[0].delivery
    cost = (first.get("cost") or "free").lower()
    service.organization = organization
    service.name = first["service_name"]
    service.description = first["description"]
    service.email = first.get("email") or None
    service.phone = first.get("phone") or None
    service.url = first.get("url") or None
    service.at_venue, service.online = "venue" in delivery, "online" in delivery
    service.by_phone, service.at_home = "phone" in delivery, "home" in delivery
    service.self_referral = "self" in routes
    service.link_worker_referral = "link_worker" in routes
    service.gp_referral = "gp" in routes
    service.accepting = Accepting(first.get("accepting_referrals") or "yes")
    service.capacity_note = first.get("capacity_note") or None
    service.is_free = cost == "free"
    service.minimum_age = int(first["min_age"]) if first.get("min_age") else None
    service.maximum_age = int(first["max_age"]) if first.get("max_age") else None
    service.eligibility_description = first.get("eligibility") or None
    service.source = first.get("source") or None
    service.terms = [terms[code] for code in rows[0].needs]
    service.last_verified_at = service.last_verified_at or utcnow()
    db.session.flush()
    service.cost_options = (
        []
        if service.is_free
        else [CostOption(amount=float(cost.lstrip("£")), option=first.get("cost_description") or None)]
    )
    service.languages = [ServiceLanguage(name=name) for name in _split(first.get("languages"))]
    service.areas = [ServiceArea(outcode=geography.normalise_outcode(o)) for o in _split(first.get("service_area"))]
    service.schedules = []
    for parsed in rows:
        if not parsed.postcode:
            schedule_target = None
        else:
            location = _location(organization, parsed)
            db.session.flush()
            schedule_target = db.session.scalar(
                select(ServiceAtLocation).where(
                    ServiceAtLocation.service_id == service.id, ServiceAtLocation.location_id == location.id
                )
            )
            if schedule_target is None:
                schedule_target = ServiceAtLocation(service=service, location=location)
                db.session.add(schedule_target)
                db.session.flush()
        for session in parsed.sessions:
            db.session.add(
                Schedule(
                    service=service,
                    service_at_location_id=schedule_target.id if schedule_target else None,
                    byday_index=session.day_index,
                    opens_at=session.opens_at,
                    closes_at=session.closes_at,
                    week_of_month=session.week_of_month,
                    note=parsed.raw.get("schedule_note") or None,
                )
            )
    db.session.add(
        ListingRevision(
            object_type="service",
            object_id=service.id,
            service_id=service.id,
            user_id=getattr(user, "id", None),
            action="imported" if created else "reimported",
            changes={},
        )
    )
    return created
