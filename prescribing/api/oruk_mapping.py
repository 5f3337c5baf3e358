"""Open Referral UK 3.0 service records in our directory's terms, for `import-oruk`.

A record becomes a flat dictionary of *our* values (`incoming`), keyed like
`name`, `organization.email`, `location.<id>.postcode`, `schedules`. The same keys are read
back from the database (`current_state`), so the importer can compare three versions of
each field, what the source says now, what we hold now and what we imported last time, and
write only what nobody here has changed since.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time

from prescribing import geography
from prescribing.api.serializers import ALERTS, email_address, web_address
from prescribing.directory.models import (
    DAYS,
    Accepting,
    GeoPrecision,
    ListingStatus,
    Location,
    Service,
)

STATUS = {
    "active": ListingStatus.ACTIVE,
    "inactive": ListingStatus.INACTIVE,
    "temporarily closed": ListingStatus.INACTIVE,
    "defunct": ListingStatus.ARCHIVED,
}
SERVICE_FIELDS = [
    "name",
    "description",
    "status",
    "url",
    "email",
    "phone",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "how_to_join",
    "accepting",
    "capacity_note",
    "last_verified_at",
    "at_venue",
]
ORGANIZATION_FIELDS = ["name", "description", "email", "url", "charity_number"]
LOCATION_FIELDS = [
    "name",
    "address_1",
    "city",
    "postcode",
    "outcode",
    "latitude",
    "longitude",
    "geo_precision",
    "address_published",
    *Location.ACCESS_FEATURES,
]
COLLECTIONS = ["locations", "schedules", "cost_options", "languages", "areas", "contacts", "terms"]
# Derived ids for things a source may give as one row that we keep as several.
NAMESPACE = uuid.UUID("0d3e0e58-6a53-4f5e-9f25-5f0a2d1c7e44")
_ACCESS_BY_LABEL = {label.lower(): feature for feature, label in Location.ACCESS_FEATURES.items()}
_BYDAY = re.compile(r"^(?P<week>[+-]?[1-5])?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})")


class RecordError(ValueError):
    """This record cannot be imported, for the reason given."""


@dataclass
class Incoming:
    service_id: str
    organization_id: str
    values: dict
    # What the term attributes say, resolved against our taxonomy by the importer.
    term_records: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _text(value, limit: int | None = None, *, what: str = "", strict: bool = False) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if limit and len(text) > limit:
        if strict:
            raise RecordError(f"{what} is longer than {limit} characters")
        text = text[: limit - 1] + "…"
    return text


def _age(value, what: str) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= 130:
        raise RecordError(f"{what} must be from 0 to 130")
    return round(value)


def _clock(value) -> str | None:
    match = _TIME.match(str(value or ""))
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return f"{int(match[1]):02d}:{match[2]}"


def _assured(value) -> str | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return datetime.combine(day, time()).isoformat()


def _alert(text: str | None) -> tuple[str, str | None]:
    """Our `alert` back into accepting and capacity note; anyone else's alert is a note."""
    text = (text or "").strip()
    for accepting, prefix in ALERTS.items():
        if text.startswith(prefix):
            return accepting.value, _text(text[len(prefix) :], 300)
    return Accepting.YES.value, _text(text, 300)


def parse_service(record: dict, geocoder: geography.Geocoder) -> Incoming:
    """Our values for one ORUK service record (already checked against the schema)."""
    organization = record.get("organization") or {}
    if not organization.get("id"):
        raise RecordError("it has no organization")
    if record.get("organization_id") and record["organization_id"] != organization["id"]:
        raise RecordError("organization_id and organization.id differ")
    notes: list[str] = []
    accepting, capacity_note = _alert(record.get("alert"))
    phones = [p.get("number") for p in record.get("phones") or [] if isinstance(p, dict) and p.get("number")]
    values = {
        "name": _text(record["name"], 250, what="name", strict=True),
        "description": _text(record.get("description")) or "",
        "status": STATUS[record["status"]].value,
        "url": _text(web_address(record.get("url")), 500),
        "email": email_address(record.get("email")) if len(record.get("email") or "") <= 254 else None,
        "phone": _text(phones[0], 40) if phones else None,
        "minimum_age": _age(record.get("minimum_age"), "minimum_age"),
        "maximum_age": _age(record.get("maximum_age"), "maximum_age"),
        "eligibility_description": _text(record.get("eligibility_description")),
        "how_to_join": _text(record.get("application_process")) or "",
        "accepting": accepting,
        "capacity_note": capacity_note,
        "last_verified_at": _assured(record.get("assured_date")),
    }
    if not values["name"]:
        raise RecordError("name is empty")
    low, high = values["minimum_age"], values["maximum_age"]
    if low is not None and high is not None and low > high:
        raise RecordError("minimum_age is more than maximum_age")
    org_name = _text(organization.get("name"), 250, what="organization name", strict=True)
    if not org_name:
        raise RecordError("organization name is empty")
    charity = next(
        (
            i.get("identifier")
            for i in organization.get("organization_identifiers") or []
            if "CHC" in str(i.get("identifier_scheme", "")).upper()
            or "charity" in str(i.get("identifier_type", "")).lower()
        ),
        None,
    )
    values.update(
        {
            "organization.name": org_name,
            "organization.description": _text(organization.get("description")) or "",
            "organization.email": email_address(organization.get("email")),
            "organization.url": _text(web_address(organization.get("website")), 500),
            "organization.charity_number": _text(charity, 20),
        }
    )
    links = []
    for sal in record.get("service_at_locations") or []:
        location = sal.get("location")
        if not location or location.get("location_type") == "virtual":
            continue
        values.update(_location(location, geocoder))
        links.append([sal["id"], location["id"]])
    values["locations"] = sorted(links)
    values["at_venue"] = bool(links)
    known_links = {sal_id for sal_id, _ in links}
    values["schedules"] = sorted(_schedules(record.get("schedules") or [], known_links, notes))
    values["cost_options"] = sorted(
        [
            c["id"],
            c.get("amount"),
            _text(c.get("currency"), 3) or "GBP",
            _text(c.get("option") or c.get("amount_description"), 300),
        ]
        for c in record.get("cost_options") or []
    )
    values["languages"] = sorted(
        [lang["id"], _text(lang.get("name") or lang.get("language") or lang.get("code"), 60)]
        for lang in record.get("languages") or []
        if lang.get("name") or lang.get("language") or lang.get("code")
    )
    areas = []
    for area in record.get("service_areas") or []:
        outcode = geography.normalise_outcode(area.get("name") or "") or geography.normalise_outcode(
            area.get("service_area") or ""
        )
        if outcode:
            areas.append([area["id"], outcode])
        else:
            notes.append(f"service area {area['id']} is not a postcode district; left out")
    values["areas"] = sorted(areas)
    values["contacts"] = sorted(_contact(c) for c in record.get("contacts") or [])
    term_records = []
    for attribute in record.get("attributes") or []:
        term = attribute.get("taxonomy_term") or (
            {"id": attribute["taxonomy_term_id"]} if attribute.get("taxonomy_term_id") else None
        )
        if term and term.get("id"):
            term_records.append(term)
    return Incoming(record["id"], organization["id"], values, term_records, notes)


def _location(location: dict, geocoder: geography.Geocoder) -> dict:
    addresses = location.get("addresses") or []
    address = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else {})
    raw_postcode = address.get("postal_code") or ""
    postcode = geography.normalise_postcode(raw_postcode)
    outcode = geography.outcode_of(postcode) if postcode else geography.normalise_outcode(raw_postcode)
    street = _text(address.get("address_1"), 250) or ""
    latitude, longitude = location.get("latitude"), location.get("longitude")
    has_point = latitude is not None and longitude is not None and -90 <= latitude <= 90 and -180 <= longitude <= 180
    # No street, no full postcode and no coordinates: a place whose address is kept private.
    published = bool(street or postcode or has_point)
    precision = GeoPrecision.POSTCODE.value if has_point else GeoPrecision.NONE.value
    if not has_point:
        latitude = longitude = None
        place = geocoder.geocode(postcode) if postcode else None
        if place is None and outcode:
            centre = geography.outcode_centre(outcode)
            place = centre and geography.Place(centre.latitude, centre.longitude, outcode, "district")
        if place is not None:
            latitude, longitude, precision = place.latitude, place.longitude, place.precision
    name = _text(location.get("name"), 250) or street or (outcode or "Venue")
    access = {feature: False for feature in Location.ACCESS_FEATURES}
    for item in location.get("accessibility") or []:
        for text in (item.get("accessibility"), item.get("description")):
            feature = _ACCESS_BY_LABEL.get(str(text or "").strip().lower())
            if feature:
                access[feature] = True
    prefix = f"location.{location['id']}."
    values = {
        "name": name,
        "address_1": street if published else "",
        "city": _text(address.get("city"), 100) or "",
        "postcode": postcode if published else None,
        "outcode": outcode,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": precision,
        "address_published": published,
        **access,
    }
    return {prefix + key: value for key, value in values.items()}


def _schedules(items: list[dict], known_links: set[str], notes: list[str]) -> list[list]:
    found = []
    for item in items:
        opens, closes = _clock(item.get("opens_at")), _clock(item.get("closes_at"))
        days = [part.strip().upper() for part in str(item.get("byday") or "").split(",") if part.strip()]
        if not opens or not closes or not days or closes <= opens:
            notes.append(f"schedule {item['id']} has no day, or no opening and closing time; left out")
            continue
        note = _text(item.get("notes"), 300)
        if (item.get("interval") or 1) not in (1, 1.0) or item.get("bymonthday"):
            note = _text(" ".join(p for p in [item.get("description"), note] if p), 300)
        sal_id = item.get("service_at_location_id") if item.get("service_at_location_id") in known_links else None
        for position, part in enumerate(days):
            match = _BYDAY.match(part)
            if not match:
                notes.append(f"schedule {item['id']} has a day we cannot read ({part}); left out")
                continue
            week = int(match["week"]) if match["week"] and item.get("freq") == "MONTHLY" else None
            if week is not None and week not in (1, 2, 3, 4, -1):
                notes.append(f"schedule {item['id']} repeats on week {week} of the month; left out")
                continue
            schedule_id = item["id"] if position == 0 else str(uuid.uuid5(NAMESPACE, f"{item['id']}:{part}"))
            found.append([schedule_id, DAYS.index(match["day"]), opens, closes, week, note, sal_id])
    return found


def _contact(item: dict) -> list:
    phones = [p.get("number") for p in item.get("phones") or [] if isinstance(p, dict) and p.get("number")]
    return [
        item["id"],
        _text(item.get("name") or item.get("title"), 120),
        email_address(item.get("email")),
        _text(phones[0], 40) if phones else None,
    ]


# What we hold now, in the same shape ----------------------------------------------------------


def current_state(service: Service | None, organization, locations: dict[str, Location]) -> dict:
    """Our values now, keyed as `parse_service` keys them (missing objects give no keys)."""
    state: dict = {}
    if service is not None:
        state.update(
            {
                "name": service.name,
                "description": service.description or "",
                "status": service.status.value,
                "url": service.url,
                "email": service.email,
                "phone": service.phone,
                "minimum_age": service.minimum_age,
                "maximum_age": service.maximum_age,
                "eligibility_description": service.eligibility_description,
                "how_to_join": service.how_to_join or "",
                "accepting": service.accepting.value,
                "capacity_note": service.capacity_note,
                "last_verified_at": service.last_verified_at.isoformat() if service.last_verified_at else None,
                "at_venue": service.at_venue,
                "locations": sorted([sal.id, sal.location_id] for sal in service.locations_at),
                "schedules": sorted(
                    [
                        s.id,
                        s.byday_index,
                        f"{s.opens_at:%H:%M}",
                        f"{s.closes_at:%H:%M}",
                        s.week_of_month,
                        s.note,
                        s.service_at_location_id,
                    ]
                    for s in service.schedules
                ),
                "cost_options": sorted([c.id, c.amount, c.currency, c.option] for c in service.cost_options),
                "languages": sorted([lang.id, lang.name] for lang in service.languages),
                "areas": sorted([a.id, a.outcode] for a in service.areas),
                "contacts": sorted([c.id, c.name, c.email, c.phone] for c in service.contacts),
                "terms": sorted(t.id for t in service.terms),
            }
        )
    if organization is not None:
        for name in ORGANIZATION_FIELDS:
            state[f"organization.{name}"] = getattr(organization, name)
    for location_id, location in locations.items():
        for name in LOCATION_FIELDS:
            value = getattr(location, name)
            state[f"location.{location_id}.{name}"] = value.value if name == "geo_precision" else value
    return state
