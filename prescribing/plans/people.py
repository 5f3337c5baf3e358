"""People: NHS numbers, possible duplicates, recording and changing a person, and the
profile the matching engine reads."""

import logging
import re
from dataclasses import dataclass
from datetime import date

import nhs_number
from sqlalchemy import func, or_, select

from prescribing import geography
from prescribing.audit.services import record_audit
from prescribing.clock import utcnow
from prescribing.directory.models import DAY_NAMES
from prescribing.extensions import db
from prescribing.matching import Profile
from prescribing.outcomes.models import PersonContact, WellbeingMeasure
from prescribing.plans.models import ACCESS_NEEDS, PARTS_OF_DAY, Person
from prescribing.practices.models import Practice
from prescribing.referrals.models import GpCoding, Referral

log = logging.getLogger("prescribing.plans")

# Fields a link worker can set on a person (the form's names), everything but scope and audit.
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "practice_id",
    "postcode",
    "phone",
    "email",
    "contact_preference",
    "language",
    "needs_interpreter",
    "access_needs",
    "free_slots",
    "travel_miles",
    "travel_modes",
    "max_cost",
    "wants_company",
    "sex",
    "ethnic_category",
)


class NhsNumberError(ValueError):
    pass


def normalise_nhs_number(raw: str | None) -> str | None:
    """`943 476 5919` → `9434765919`; None when empty. Raises NhsNumberError with the message to show."""
    compact = re.sub(r"[\s-]+", "", raw or "")
    if not compact:
        return None
    if not re.fullmatch(r"\d{10}", compact):
        raise NhsNumberError("NHS number must be 10 digits")
    if not nhs_number.is_valid(compact):
        raise NhsNumberError("Enter a real NHS number")
    return compact


def format_nhs_number(value: str | None) -> str:
    """The 3-3-4 grouping NHS services display."""
    if not value:
        return ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"


@dataclass(frozen=True)
class PossibleDuplicate:
    person: Person
    why: str  # "same NHS number" or "same name and date of birth"


def possible_duplicates(
    *,
    pcn_id: int,
    nhs: str | None,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    exclude_id: str | None = None,
) -> list[PossibleDuplicate]:
    """People in the PCN with the same NHS number, or the same name and date of birth."""
    conditions = []
    if nhs:
        conditions.append(Person.nhs_number == nhs)
    if date_of_birth and given_name and family_name:
        conditions.append(
            (func.lower(Person.given_name) == given_name.strip().lower())
            & (func.lower(Person.family_name) == family_name.strip().lower())
            & (Person.date_of_birth == date_of_birth)
        )
    if not conditions:
        return []
    query = select(Person).where(Person.pcn_id == pcn_id, Person.merged_into_id.is_(None), or_(*conditions))
    if exclude_id:
        query = query.where(Person.id != exclude_id)
    found = []
    for person in db.session.scalars(query.order_by(Person.family_name, Person.given_name)):
        why = "same NHS number" if nhs and person.nhs_number == nhs else "same name and date of birth"
        found.append(PossibleDuplicate(person, why))
    return found


def _clean(data: dict) -> dict:
    """Tidy what the form gave: strip text, drop unknown keys, turn blanks into None."""
    cleaned = {}
    for key in PERSON_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, str):
            value = value.strip()
            if key not in ("given_name", "family_name", "language") and value == "":
                value = None
        cleaned[key] = value
    if "access_needs" in cleaned:
        cleaned["access_needs"] = [n for n in ACCESS_NEEDS if n in (cleaned["access_needs"] or [])]
    if "free_slots" in cleaned:
        cleaned["free_slots"] = sorted(set(cleaned["free_slots"] or []))
    if "language" in cleaned:
        cleaned["language"] = cleaned["language"] or "English"
    return cleaned


def _locate(person: Person, geocoder: geography.Geocoder | None) -> None:
    place = geocoder.geocode(person.postcode) if (geocoder and person.postcode) else None
    person.latitude = place.latitude if place else None
    person.longitude = place.longitude if place else None
    person.geo_precision = place.precision if place else None


def create_person(*, user, data: dict, geocoder: geography.Geocoder | None = None) -> Person:
    """Record a new person in the link worker's PCN, locate their postcode, audit, commit."""
    fields = _clean(data)
    practice = db.session.get(Practice, fields.get("practice_id"))
    if practice is None or practice.pcn_id != user.pcn_id:
        raise ValueError("practice outside the link worker's PCN")
    person = Person(pcn_id=user.pcn_id, created_by_id=user.id, **fields)
    _locate(person, geocoder)
    db.session.add(person)
    db.session.flush()
    record_audit("person_created", user=user, object_type="person", object_id=person.id, pcn_id=person.pcn_id)
    db.session.commit()
    log.info("person %s created by user %s", person.id, user.id)
    return person


def update_person(*, user, person: Person, data: dict, geocoder: geography.Geocoder | None = None) -> list[str]:
    """Change a person's details; return the names of the fields that changed (audited, never their values)."""
    fields = _clean(data)
    if "practice_id" in fields:
        practice = db.session.get(Practice, fields["practice_id"])
        if practice is None or practice.pcn_id != person.pcn_id:
            raise ValueError("practice outside the person's PCN")
    changed = [key for key, value in fields.items() if getattr(person, key) != value]
    for key in changed:
        setattr(person, key, fields[key])
    if "postcode" in changed:
        _locate(person, geocoder)
    if changed:
        person.updated_at = utcnow()
        record_audit(
            "person_updated",
            user=user,
            object_type="person",
            object_id=person.id,
            detail="fields=" + ",".join(changed),
            pcn_id=person.pcn_id,
        )
    db.session.commit()
    return changed


class MergeError(ValueError):
    """A merge that cannot be made; the message says why."""


# Details the kept record takes from the duplicate when it has none of its own.
MERGE_FILLS = ("nhs_number", "date_of_birth", "postcode", "phone", "email")


def merge_people(*, user, keep: Person, duplicate: Person, geocoder: geography.Geocoder | None = None) -> None:
    """Merge a duplicate into the record to keep: its episodes (with their plans, goals and history)
    and referrals move across; the duplicate stays, read-only, pointing at the kept record."""
    if keep.id == duplicate.id:
        raise MergeError("Choose a different record to merge")
    if keep.pcn_id != duplicate.pcn_id or keep.is_merged or duplicate.is_merged:
        raise MergeError("These records cannot be merged")
    if keep.open_episode() is not None and duplicate.open_episode() is not None:
        raise MergeError("Both records have open support: close one episode before merging")
    if keep.nhs_number and duplicate.nhs_number and keep.nhs_number != duplicate.nhs_number:
        raise MergeError("These records have different NHS numbers, so they are different people")
    for episode in list(duplicate.episodes):
        episode.person = keep
    for referral in db.session.scalars(select(Referral).where(Referral.person_id == duplicate.id)):
        referral.person_id = keep.id
    # Contacts, wellbeing measures and GP codings follow their episodes; codings go to the kept record's practice.
    for model in (PersonContact, WellbeingMeasure, GpCoding):
        for row in db.session.scalars(select(model).where(model.person_id == duplicate.id)):
            row.person_id = keep.id
            if model is GpCoding:
                row.practice_id = keep.practice_id
    filled = [f for f in MERGE_FILLS if not getattr(keep, f) and getattr(duplicate, f)]
    for field in filled:
        setattr(keep, field, getattr(duplicate, field))
    if "postcode" in filled:
        _locate(keep, geocoder)
    duplicate.merged_into_id, duplicate.merged_at, duplicate.merged_by_id = keep.id, utcnow(), user.id
    detail = f"merged={duplicate.id}" + (" filled=" + ",".join(filled) if filled else "")
    record_audit("person_merged", user=user, object_type="person", object_id=keep.id, detail=detail, pcn_id=keep.pcn_id)
    record_audit(
        "person_merged_into",
        user=user,
        object_type="person",
        object_id=duplicate.id,
        detail=f"kept={keep.id}",
        pcn_id=duplicate.pcn_id,
    )
    db.session.commit()
    log.info("person %s merged into %s by user %s", duplicate.id, keep.id, user.id)


def free_slot_labels(person: Person) -> list[str]:
    """`["Tuesday mornings", ...]` for showing when the person is free."""
    labels = []
    for slot in person.free_slots or []:
        day, part = slot.split("-")
        labels.append(f"{DAY_NAMES[int(day)]} {PARTS_OF_DAY[part]}")
    return labels


def profile_for(person: Person, today: date) -> Profile:
    """What the matching engine needs to know about a person, and nothing else.

    Without a postcode, distances are measured from their practice, and counted as approximate.
    """
    latitude, longitude, precise = person.latitude, person.longitude, person.geo_precision == "postcode"
    outcode = geography.outcode_of(person.postcode) if person.postcode else None
    origin = "home"
    if latitude is None and person.practice and person.practice.postcode:
        place = geography.geocode_offline(person.practice.postcode)
        if place:
            latitude, longitude, precise, origin = place.latitude, place.longitude, False, "practice"
            outcode = outcode or geography.outcode_of(person.practice.postcode)
    slots = set()
    for slot in person.free_slots or []:
        day, part = slot.split("-")
        slots.add((int(day), part))
    return Profile(
        latitude=latitude,
        longitude=longitude,
        precise=precise,
        origin=origin,
        outcode=outcode,
        age=person.age_on(today),
        travel_miles=person.travel_miles,
        access_needs=frozenset(person.access_needs or []),
        language=person.language or "English",
        needs_interpreter=person.needs_interpreter,
        free_slots=frozenset(slots),
        max_cost=person.max_cost,
    )
