"""Organisations keep their own listings up to date: edit, confirm, archive.

Each function owns its transaction, its revision, its audit entry and its log line. An edit
carries the version the editor started from: if someone else has since changed the same
fields, `EditConflict` says what changed and nothing is saved.
"""

import logging
from dataclasses import dataclass, field
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from prescribing import clock, geography
from prescribing.audit.services import record_audit
from prescribing.auth.models import AppUser
from prescribing.directory.models import (
    Accepting,
    CostOption,
    GeoPrecision,
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
from prescribing.ids import new_id
from prescribing.listings.fields import (
    DELIVERY,
    ROUTES,
    SERVICE_FORM_KEYS,
    SESSION_FORM_KEYS,
    venue_form_keys,
)
from prescribing.listings.revisions import (
    ChangesSince,
    changes_since,
    diff,
    organization_snapshot,
    record_revision,
    service_snapshot,
)

log = logging.getLogger("prescribing.listings")


class EditConflict(Exception):
    """Someone else saved the same fields after this editor opened the form."""

    def __init__(self, since: ChangesSince, current_version: int):
        super().__init__("listing changed since the form was opened")
        self.since = since
        self.current_version = current_version


class ListingError(ValueError):
    """A change that cannot be made; the message says why."""


@dataclass
class ServiceDetails:
    name: str
    description: str
    status: str
    email: str | None
    phone: str | None
    url: str | None
    delivery: list[str]
    referral_routes: list[str]
    how_to_join: str
    accepting: str
    capacity_note: str | None
    is_free: bool
    cost_amount: float | None
    cost_description: str | None
    minimum_age: int | None
    maximum_age: int | None
    eligibility: str | None
    languages: list[str]
    service_area: list[str]
    need_ids: list[str]


@dataclass
class VenueDetails:
    name: str
    address: str
    town: str
    postcode: str
    place: geography.Place
    address_published: bool
    access: list[str] = field(default_factory=list)


@dataclass
class SessionDetails:
    day_index: int
    opens_at: time
    closes_at: time
    week_of_month: int | None
    service_at_location_id: str | None
    note: str | None


# Saving -----------------------------------------------------------------------------------------


def _check_no_conflict(object_type: str, object_id: str, started_at: int, current: int, keys) -> None:
    if started_at == current:
        return
    since = changes_since(object_type, object_id, started_at)
    relevant = {key: change for key, change in since.changes.items() if key in keys}
    if relevant:
        raise EditConflict(ChangesSince(relevant, since.editors, since.revisions), current)


def _conflict_after_race(model, object_type: str, object_id: str, started_at: int) -> EditConflict:
    db.session.rollback()
    current = db.session.get(model, object_id)
    return EditConflict(changes_since(object_type, object_id, started_at), current.version)


def _save_service(service: Service, before: dict, *, user: AppUser, action: str, started_at: int) -> bool:
    """Write the change as a revision, or nothing when nothing changed."""
    changes = diff(before, service_snapshot(service))
    if not changes and action == "updated":
        db.session.rollback()
        return False
    _write_revision(
        service, "service", changes, user=user, action=action, audit_action=f"listing_{action}", started_at=started_at
    )
    return True


def _write_revision(
    obj, object_type: str, changes: dict, *, user: AppUser, action: str, audit_action: str, started_at: int
) -> None:
    """Save a listing's change with its revision and audit entry, in one transaction."""
    obj.updated_at = clock.utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        # Someone saved between our check and our write: the version column caught it.
        raise _conflict_after_race(type(obj), object_type, obj.id, started_at) from None
    record_revision(
        object_type=object_type,
        object_id=obj.id,
        service_id=obj.id if object_type == "service" else None,
        user=user,
        action=action,
        changes=changes,
        object_version=obj.version,
    )
    record_audit(audit_action, user=user, object_type=object_type, object_id=obj.id)
    db.session.commit()
    log.info("listing %s %s=%s fields=%d user=%s", action, object_type, obj.id, len(changes), user.id)


def _apply_details(service: Service, details: ServiceDetails) -> None:
    service.name = details.name
    service.description = details.description
    service.status = ListingStatus(details.status)
    service.email, service.phone, service.url = details.email, details.phone, details.url
    for code, _, attribute in DELIVERY:
        setattr(service, attribute, code in details.delivery)
    for code, _, attribute in ROUTES:
        setattr(service, attribute, code in details.referral_routes)
    service.how_to_join = details.how_to_join or ""
    service.accepting = Accepting(details.accepting)
    service.capacity_note = details.capacity_note
    service.is_free = details.is_free
    if details.is_free:
        service.cost_options = []
    else:
        option = service.cost_options[0] if service.cost_options else CostOption()
        option.amount, option.option = details.cost_amount, details.cost_description
        service.cost_options = [option]
    service.minimum_age, service.maximum_age = details.minimum_age, details.maximum_age
    service.eligibility_description = details.eligibility
    if [language.name for language in service.languages] != details.languages:
        service.languages = [ServiceLanguage(name=name) for name in details.languages]
    if sorted(area.outcode for area in service.areas) != sorted(details.service_area):
        service.areas = [ServiceArea(outcode=outcode) for outcode in details.service_area]
    terms = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(details.need_ids))).all()
    if {term.id for term in service.terms} != {term.id for term in terms}:
        service.terms = list(terms)


def create_service(organization: Organization, details: ServiceDetails, *, user: AppUser) -> Service:
    """Add a new listing for an organisation; it counts as confirmed by whoever wrote it."""
    now = clock.utcnow()
    service = Service(id=new_id(), organization=organization, name=details.name, created_at=now, updated_at=now)
    service.last_verified_at, service.last_verified_by_id = now, user.id
    db.session.add(service)
    before = {key: None for key in SERVICE_FORM_KEYS}
    _apply_details(service, details)
    db.session.flush()
    changes = {key: change for key, change in diff(before, service_snapshot(service)).items() if change[1]}
    record_revision(
        object_type="service",
        object_id=service.id,
        service_id=service.id,
        user=user,
        action="created",
        changes=changes,
        object_version=service.version,
    )
    record_audit("listing_created", user=user, object_type="service", object_id=service.id)
    db.session.commit()
    log.info("listing created service=%s user=%s", service.id, user.id)
    return service


def update_service(service: Service, details: ServiceDetails, *, user: AppUser, started_at: int) -> bool:
    """Save a service's details; False when nothing changed."""
    _refuse_archived(service)
    _check_no_conflict("service", service.id, started_at, service.version, SERVICE_FORM_KEYS)
    before = service_snapshot(service)
    _apply_details(service, details)
    return _save_service(service, before, user=user, action="updated", started_at=started_at)


def _refuse_archived(service: Service) -> None:
    if service.status == ListingStatus.ARCHIVED:
        raise ListingError("This listing is archived. Ask your PCN coordinator if it should come back.")


def _apply_venue(location: Location, venue: VenueDetails) -> None:
    location.name = venue.name
    location.address_1 = venue.address
    location.city = venue.town
    location.postcode = venue.postcode
    location.outcode = geography.outcode_of(venue.postcode)
    location.latitude, location.longitude = venue.place.latitude, venue.place.longitude
    location.geo_precision = GeoPrecision(venue.place.precision)
    location.address_published = venue.address_published
    for feature in Location.ACCESS_FEATURES:
        setattr(location, feature, feature in venue.access)


def add_venue(service: Service, venue: VenueDetails, *, user: AppUser, started_at: int) -> Location:
    """Add a place where the service runs."""
    _refuse_archived(service)
    before = service_snapshot(service)
    location = Location(id=new_id(), organization_id=service.organization_id)
    _apply_venue(location, venue)
    db.session.add(location)
    service.locations_at.append(ServiceAtLocation(id=new_id(), location=location))
    _save_service(service, before, user=user, action="venue_added", started_at=started_at)
    return location


def update_venue(service: Service, location: Location, venue: VenueDetails, *, user: AppUser, started_at: int) -> bool:
    """Change a venue (for every listing of the organisation that meets there)."""
    _refuse_archived(service)
    keys = venue_form_keys(location.id)
    _check_no_conflict("service", service.id, started_at, service.version, keys)
    before = service_snapshot(service)
    _apply_venue(location, venue)
    return _save_service(service, before, user=user, action="updated", started_at=started_at)


def remove_venue(service: Service, location: Location, *, user: AppUser, started_at: int) -> None:
    """Stop listing the service at a venue; the venue and the history stay."""
    _refuse_archived(service)
    keys = venue_form_keys(location.id)
    _check_no_conflict("service", service.id, started_at, service.version, keys)
    before = service_snapshot(service)
    link = next(sal for sal in service.locations_at if sal.location_id == location.id)
    for schedule in service.schedules:
        if schedule.service_at_location_id == link.id:
            schedule.service_at_location_id = None
    service.locations_at.remove(link)
    db.session.delete(link)
    _save_service(service, before, user=user, action="venue_removed", started_at=started_at)


def replace_sessions(service: Service, sessions: list[SessionDetails], *, user: AppUser, started_at: int) -> bool:
    """Replace the weekly or monthly sessions; the old ones stay in the history."""
    _refuse_archived(service)
    _check_no_conflict("service", service.id, started_at, service.version, SESSION_FORM_KEYS)
    before = service_snapshot(service)
    valid_links = {sal.id for sal in service.locations_at}
    service.schedules = [
        Schedule(
            id=new_id(),
            byday_index=s.day_index,
            opens_at=s.opens_at,
            closes_at=s.closes_at,
            week_of_month=s.week_of_month,
            service_at_location_id=s.service_at_location_id if s.service_at_location_id in valid_links else None,
            note=s.note,
        )
        for s in sessions
    ]
    return _save_service(service, before, user=user, action="updated", started_at=started_at)


@dataclass
class OrganizationDetails:
    name: str
    description: str
    email: str | None
    phone: str | None
    url: str | None
    charity_number: str | None


def update_organization(
    organization: Organization, details: OrganizationDetails, *, user: AppUser, started_at: int
) -> bool:
    """Save an organisation's own details; False when nothing changed."""
    keys = frozenset(organization_snapshot(organization))
    _check_no_conflict("organization", organization.id, started_at, organization.version, keys)
    before = organization_snapshot(organization)
    organization.name, organization.description = details.name, details.description
    organization.email, organization.phone, organization.url = details.email, details.phone, details.url
    organization.charity_number = details.charity_number
    changes = diff(before, organization_snapshot(organization))
    if not changes:
        db.session.rollback()
        return False
    _write_revision(
        organization,
        "organization",
        changes,
        user=user,
        action="updated",
        audit_action="organization_updated",
        started_at=started_at,
    )
    return True


def confirm_listing(service: Service, *, user: AppUser) -> None:
    """Record that the listing is still accurate, as of now, by this user."""
    _refuse_archived(service)
    now = clock.utcnow()
    before = service.last_verified_at
    service.last_verified_at, service.last_verified_by_id = now, user.id
    db.session.flush()
    record_revision(
        object_type="service",
        object_id=service.id,
        service_id=service.id,
        user=user,
        action="confirmed",
        changes={"last_verified_at": [before.isoformat() if before else None, now.isoformat()]},
        object_version=service.version,
        at=now,
    )
    record_audit("listing_confirmed", user=user, object_type="service", object_id=service.id)
    db.session.commit()
    log.info("listing confirmed service=%s user=%s", service.id, user.id)


def archive_service(service: Service, *, user: AppUser, reason: str | None) -> None:
    """Take a listing out of search for good; it is kept, with its history, never deleted."""
    _refuse_archived(service)
    now = clock.utcnow()
    before = service.status.value
    service.status, service.archived_at = ListingStatus.ARCHIVED, now
    db.session.flush()
    changes = {"status": [before, ListingStatus.ARCHIVED.value], "archived_at": [None, now.isoformat()]}
    if reason:
        changes["archive_reason"] = [None, reason]
    record_revision(
        object_type="service",
        object_id=service.id,
        service_id=service.id,
        user=user,
        action="archived",
        changes=changes,
        object_version=service.version,
        at=now,
    )
    record_audit("listing_archived", user=user, object_type="service", object_id=service.id)
    db.session.commit()
    log.info("listing archived service=%s user=%s", service.id, user.id)
