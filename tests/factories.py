"""Plain factory functions with sensible defaults; override what a test cares about."""

import itertools
from datetime import time

from prescribing import geography
from prescribing.auth.models import AppUser, Role
from prescribing.auth.passwords import hash_password
from prescribing.clock import utcnow
from prescribing.directory.models import (
    CostOption,
    GeoPrecision,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from prescribing.extensions import db
from prescribing.practices.models import Pcn, Practice

_n = itertools.count(1)
PASSWORD = "correct horse battery staple"
_password_hash = None


def _commit(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def make_pcn(**overrides) -> Pcn:
    n = next(_n)
    return _commit(Pcn(**{"ods_code": f"U{n:05d}", "name": f"Test PCN {n}", **overrides}))


def make_practice(pcn: Pcn | None = None, **overrides) -> Practice:
    n = next(_n)
    pcn = pcn or make_pcn()
    return _commit(Practice(**{"ods_code": f"P{n:05d}", "name": f"Test Practice {n}", "pcn_id": pcn.id, **overrides}))


def make_organization(**overrides) -> Organization:
    n = next(_n)
    return _commit(Organization(**{"name": f"Test Organisation {n}", "description": "Helps people.", **overrides}))


def make_user(role: Role = Role.LINK_WORKER, **overrides) -> AppUser:
    """A user of the given role with a scope that fits it and a known password."""
    global _password_hash
    _password_hash = _password_hash or hash_password(PASSWORD)
    n = next(_n)
    fields = {
        "email": f"user{n}@example.org",
        "name": f"Test User {n}",
        "role": role,
        "password_hash": _password_hash,
    }
    if role.scope == "pcn" and "pcn_id" not in overrides:
        fields["pcn_id"] = (overrides.pop("pcn", None) or make_pcn()).id
    if role.scope == "practice" and "practice_id" not in overrides:
        fields["practice_id"] = (overrides.pop("practice", None) or make_practice()).id
    if role.scope == "organization" and "organization_id" not in overrides:
        fields["organization_id"] = (overrides.pop("organization", None) or make_organization()).id
    overrides.pop("pcn", None)
    overrides.pop("practice", None)
    overrides.pop("organization", None)
    return _commit(AppUser(**{**fields, **overrides}))


def make_term(code: str | None = None, parent: TaxonomyTerm | None = None, **overrides) -> TaxonomyTerm:
    code = code or f"need-{next(_n)}"
    return _commit(
        TaxonomyTerm(**{"code": code, "name": code.replace("-", " ").capitalize(), "parent": parent, **overrides})
    )


def make_service(
    *,
    organization: Organization | None = None,
    postcode: str | None = "M33 7XX",
    terms: list[TaxonomyTerm] | None = None,
    sessions: list[tuple[int, time, time]] | None = None,
    cost: float | None = None,
    location: dict | None = None,
    **overrides,
) -> Service:
    """A confirmed, active service at a venue (or remote when postcode is None)."""
    organization = organization or make_organization()
    n = next(_n)
    service = Service(
        **{
            "name": f"Test Group {n}",
            "description": "A friendly group.",
            "organization": organization,
            "last_verified_at": utcnow(),
            "at_venue": postcode is not None,
            "is_free": cost is None,
            **overrides,
        }
    )
    service.terms = terms or []
    if cost is not None:
        service.cost_options = [CostOption(amount=cost)]
    db.session.add(service)
    if postcode is not None:
        normal = geography.normalise_postcode(postcode)
        place = geography.geocode_offline(normal)
        loc = Location(
            organization=organization,
            name=f"Venue {n}",
            address_1=f"{n} High Street",
            postcode=normal,
            outcode=geography.outcode_of(normal),
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            geo_precision=GeoPrecision(place.precision) if place else GeoPrecision.NONE,
            **(location or {}),
        )
        db.session.add(ServiceAtLocation(service=service, location=loc))
    for day, opens, closes in sessions or []:
        service.schedules.append(Schedule(byday_index=day, opens_at=opens, closes_at=closes))
    db.session.commit()
    return service
