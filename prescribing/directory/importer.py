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
from prescribing.directory.import_progress import format_duration
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
from prescribing.listings.revisions import diff, service_snapshot

REQUIRED_COLUMNS = ["service_ref", "organisation_name", "service_name", "description", "needs", "delivery"]
DELIVERY = {"venue", "online", "phone", "home"}
ROUTES = {"self", "link_worker", "gp"}
ACCESS = set(Location.ACCESS_FEATURES)
MAX_CELL = 5000
# Columns stored in shorter database fields.
COLUMN_LIMITS = {
    "service_ref": 200,
    "organisation_name": 250,
    "organisation_url": 500,
    "charity_number": 20,
    "service_name": 250,
    "email": 254,
    "phone": 40,
    "url": 500,
    "location_name": 250,
    "address": 250,
    "town": 100,
    "schedule_note": 300,
    "cost_description": 300,
    "capacity_note": 300,
}
# Where a listing came from is attribution, not something a person acts on: a long note is
# shortened to fit its column rather than rejected.
SOURCE_LIMIT = 1000


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
    unchanged: int = 0  # of `updated`, listings the file left as they were
    rows_imported: int = 0  # rows written and committed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_skipped(self) -> int:
        return len({problem.line for problem in self.problems})

    def summary_lines(self, seconds: float) -> list[str]:
        """A one-screen summary for the terminal."""
        unchanged = f" ({self.unchanged:,} unchanged)" if self.unchanged else ""
        return [
            f"Import finished in {format_duration(seconds)}.",
            f"  Rows read:          {self.rows:>7,}",
            f"  Rows imported:      {self.rows_imported:>7,}",
            f"  Rows skipped:       {self.rows_skipped:>7,}" + ("  (listed above)" if self.problems else ""),
            f"  Services created:   {self.created:>7,}",
            f"  Services updated:   {self.updated:>7,}{unchanged}",
        ]


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
    if not text.strip():
        raise ImportFileError("The file is empty. Start from the template in seed/directory-template.csv.")
    reader = csv.DictReader(io.StringIO(text))
    try:
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFileError(f"The file is missing these columns: {', '.join(missing)}")
        rows = []
        for row in reader:
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num}: the file is not valid CSV ({error})") from None
    if not rows:
        raise ImportFileError("The file has a header row but no listings under it.")
    return rows


def check_row(line: int, row: dict, known_needs: set[str]) -> ParsedRow:
    """Check one row; raise ValueError with a plain reason."""
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise ValueError(f"{column} is empty")
    too_long = [k for k, v in row.items() if v and len(v) > COLUMN_LIMITS.get(k, MAX_CELL)]
    if too_long:
        raise ValueError(f"{too_long[0]} is longer than {COLUMN_LIMITS.get(too_long[0], MAX_CELL)} characters")
    long_language = next((name for name in _split(row.get("languages")) if len(name) > 60), None)
    if long_language:
        raise ValueError("each language in languages must be 60 characters or fewer")
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
        if row.get(column) and (not row[column].isdigit() or int(row[column]) > 120):
            raise ValueError(f"{column} must be a whole number from 0 to 120")
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
    """Check every row, then write good ones in batches (one transaction per batch).

    `progress(done)` is called with the number of rows handled (imported or skipped) each
    time a batch is committed, so a count it has reported is never lost to an interruption.
    """
    report = ImportReport()
    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    known = set(terms)
    parsed: dict[str, list[ParsedRow]] = {}
    for line, row in rows:
        report.rows += 1
        try:
            checked = check_row(line, row, known)
        except ValueError as error:
            report.problems.append(RowProblem(line, str(error)))
        else:
            parsed.setdefault(row.get("service_ref", ""), []).append(checked)
    for ref in list(parsed):
        parsed[ref] = _without_conflicts(ref, parsed[ref], report)
        if not parsed[ref]:
            del parsed[ref]
    report.problems.sort(key=lambda problem: problem.line)
    if strict and report.problems:
        return report
    done = report.rows_skipped
    if progress:
        progress(done)
    pending = 0
    for ref, service_rows in parsed.items():
        outcome = _upsert_service(ref, service_rows, terms, user)
        report.created += outcome == "created"
        report.updated += outcome != "created"
        report.unchanged += outcome == "unchanged"
        pending += len(service_rows)
        if pending >= batch_size:
            db.session.commit()
            done, report.rows_imported, pending = done + pending, report.rows_imported + pending, 0
            if progress:
                progress(done)
    db.session.commit()
    report.rows_imported += pending
    if progress and pending:
        progress(done + pending)
    return report


# Columns that describe one venue of a service; every other column must agree between rows
# that share a service_ref.
VENUE_COLUMNS = {
    "location_name",
    "address",
    "town",
    "postcode",
    "address_published",
    "accessibility",
    "schedule",
    "schedule_note",
}


def _without_conflicts(ref: str, rows: list[ParsedRow], report: ImportReport) -> list[ParsedRow]:
    """Rows for one service_ref, or none when they disagree about the service itself."""
    first = rows[0]
    kept = [first]
    conflicts = []
    for other in rows[1:]:
        if other.raw == first.raw or any(other.raw == k.raw for k in kept):
            twin = next(k for k in kept if k.raw == other.raw)
            report.problems.append(RowProblem(other.line, f"repeats line {twin.line} exactly"))
            continue
        differs = sorted(
            column
            for column in set(first.raw) | set(other.raw)
            if column not in VENUE_COLUMNS and first.raw.get(column, "") != other.raw.get(column, "")
        )
        if differs:
            conflicts.append(other)
            report.problems.append(
                RowProblem(
                    other.line,
                    f"service_ref '{ref}' is also on line {first.line} with a different {differs[0]}",
                )
            )
        else:
            kept.append(other)
    if conflicts:
        lines = ", ".join(str(row.line) for row in conflicts)
        for row in kept:
            report.problems.append(
                RowProblem(row.line, f"service_ref '{ref}' has rows that disagree (see line {lines}); none imported")
            )
        return []
    return kept


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


def _upsert_service(ref: str, rows: list[ParsedRow], terms: dict, user) -> str:
    """Create or update one service; returns "created", "updated" or "unchanged"."""
    first = rows[0].raw
    organization = _organization(first)
    db.session.flush()
    service = db.session.scalar(select(Service).where(Service.source_ref == ref))
    created = service is None
    before = {} if created else service_snapshot(service)
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
    source = first.get("source") or None
    service.source = source if not source or len(source) <= SOURCE_LIMIT else source[: SOURCE_LIMIT - 1] + "…"
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
    db.session.flush()
    db.session.expire(service, ["locations_at"])
    changes = diff(before, service_snapshot(service))
    if created:
        changes = {key: change for key, change in changes.items() if change[1] not in (None, [], "")}
    elif not changes:
        return "unchanged"
    if not created:
        service.updated_at = utcnow()  # a changed listing gets a new version, so open edit forms see it
        db.session.flush()
    db.session.add(
        ListingRevision(
            object_type="service",
            object_id=service.id,
            service_id=service.id,
            user_id=getattr(user, "id", None),
            action="imported" if created else "reimported",
            changes=changes,
            object_version=service.version,
            at=utcnow(),
        )
    )
    return "created" if created else "updated"
