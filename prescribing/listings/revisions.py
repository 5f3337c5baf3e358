"""Every saved change to a listing is a revision: who, when and which fields changed (old → new).

A snapshot is a flat dict of plain values (strings, numbers, lists) so that two snapshots can
be compared field by field and the difference stored as JSON.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from prescribing import clock
from prescribing.directory.models import ListingRevision, Organization, Service
from prescribing.directory.schedules import ORDINALS
from prescribing.extensions import db
from prescribing.listings.fields import DELIVERY, ROUTES, venue_key

Snapshot = dict[str, object]
Changes = dict[str, list]


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def describe_session(schedule, venue_names: dict[str, str]) -> str:
    """`Every Tuesday 10:00–11:30 at Sale Library (not on bank holidays)`."""
    when = (
        f"{ORDINALS[schedule.week_of_month]} {schedule.day_name} of the month"
        if schedule.week_of_month
        else f"Every {schedule.day_name}"
    )
    text = f"{when} {schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
    venue = venue_names.get(schedule.service_at_location_id or "")
    if venue:
        text += f" at {venue}"
    if schedule.note:
        text += f" ({schedule.note})"
    return text


def venue_snapshot(location) -> Snapshot:
    return {
        venue_key(location.id, "name"): location.name,
        venue_key(location.id, "address"): _text(location.address_1),
        venue_key(location.id, "town"): _text(location.city),
        venue_key(location.id, "postcode"): location.postcode,
        venue_key(location.id, "address_published"): bool(location.address_published),
        venue_key(location.id, "access"): location.access_features(),
    }


def service_snapshot(service: Service) -> Snapshot:
    """The editable parts of a service as plain values."""
    cost = None
    if service.is_free:
        cost, cost_description = "Free", None
    else:
        option = service.cost_options[0] if service.cost_options else None
        cost = f"£{option.amount:.2f}" if option and option.amount is not None else "Not free"
        cost_description = _text(option.option) if option else None
    venue_names = {sal.id: sal.location.name for sal in service.locations_at if sal.id}
    snapshot: Snapshot = {
        "name": service.name,
        "description": _text(service.description),
        "status": str(service.status.value if service.status else ""),
        "email": _text(service.email),
        "phone": _text(service.phone),
        "url": _text(service.url),
        "delivery": [label for _, label, attribute in DELIVERY if getattr(service, attribute)],
        "referral_routes": [label for _, label, attribute in ROUTES if getattr(service, attribute)],
        "how_to_join": _text(service.how_to_join),
        "accepting": str(service.accepting.value if service.accepting else ""),
        "capacity_note": _text(service.capacity_note),
        "cost": cost,
        "cost_description": cost_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility": _text(service.eligibility_description),
        "languages": [language.name for language in service.languages],
        "service_area": sorted(area.outcode for area in service.areas),
        "needs": sorted(term.name for term in service.terms),
        "sessions": [describe_session(s, venue_names) for s in _ordered(service.schedules)],
        "venues": sorted(f"{sal.location.name} ({sal.location.postcode})" for sal in service.locations_at),
    }
    for sal in service.locations_at:
        snapshot.update(venue_snapshot(sal.location))
    return snapshot


def _ordered(schedules) -> list:
    return sorted(schedules, key=lambda s: (s.byday_index, s.opens_at, s.week_of_month or 0))


def organization_snapshot(organization: Organization) -> Snapshot:
    return {
        "name": organization.name,
        "description": _text(organization.description),
        "email": _text(organization.email),
        "phone": _text(organization.phone),
        "url": _text(organization.url),
        "charity_number": _text(organization.charity_number),
    }


def diff(before: Snapshot, after: Snapshot) -> Changes:
    """{field: [old, new]} for each field whose value differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_revision(
    *,
    object_type: str,
    object_id: str,
    service_id: str | None,
    user,
    action: str,
    changes: Changes,
    object_version: int | None,
    at: datetime | None = None,
) -> ListingRevision:
    """Add a revision to the current transaction; the caller commits."""
    revision = ListingRevision(
        object_type=object_type,
        object_id=object_id,
        service_id=service_id,
        user_id=getattr(user, "id", None),
        action=action,
        changes=changes,
        object_version=object_version,
        at=at or clock.utcnow(),
    )
    db.session.add(revision)
    return revision


@dataclass
class ChangesSince:
    """What others saved after a form was opened: merged field changes, and by whom."""

    changes: Changes
    editors: list[str]
    revisions: list[ListingRevision]


def changes_since(object_type: str, object_id: str, version: int) -> ChangesSince:
    """Merge the revisions saved after `version` into one {field: [then, now]}."""
    revisions = list(
        db.session.scalars(
            select(ListingRevision)
            .where(
                ListingRevision.object_type == object_type,
                ListingRevision.object_id == object_id,
                ListingRevision.object_version > version,
            )
            .order_by(ListingRevision.id)
        )
    )
    merged: Changes = {}
    editors: list[str] = []
    for revision in revisions:
        for key, (old, new) in (revision.changes or {}).items():
            if key in merged:
                merged[key][1] = new
            else:
                merged[key] = [old, new]
        name = revision.user.name if revision.user else "An import"
        if name not in editors:
            editors.append(name)
    return ChangesSince({k: v for k, v in merged.items() if v[0] != v[1]}, editors, revisions)


def revisions_of(service: Service) -> list[ListingRevision]:
    """A service's history, newest first."""
    return list(
        db.session.scalars(
            select(ListingRevision)
            .where(ListingRevision.service_id == service.id)
            .order_by(ListingRevision.at.desc(), ListingRevision.id.desc())
        )
    )
