"""Directory records as Open Referral UK 3.0 JSON (the uk-profile schemas in seed/oruk-schema).

Shapes follow the ORUK compiled schemas: `service_list` for /services items,
`service` for /services/{id}, `service_at_location_list` and `service_at_location` for the
service-at-location endpoints. A few fields from the international HSDS 3.0 that the UK
profile leaves out are added where we hold the data (`eligibility_description`,
`application_process`, `phones`, a language's `name`, a contact's `email`, a term's `code`);
the schemas allow extra fields.

What is never here: anything about people, referrals, users or moderation; `assurer_email`
(the person who last confirmed a listing is an editor, and their e-mail is theirs); the street
address, postcode or coordinates of a location whose address is not published.

Objects we hold as columns rather than rows (a location's address, its access features, a
service's phone, the link to a taxonomy term) get stable ids derived from their owner's id.
"""

import re
import uuid
from datetime import datetime

from prescribing.directory.models import (
    DAYS,
    Accepting,
    Contact,
    ListingStatus,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from prescribing.directory.schedules import ORDINALS

# Fixed namespace for ids derived from our own ids (uuid5), so they never change between requests.
ID_NAMESPACE = uuid.UUID("6b0f6a52-3a8e-4b65-9a7e-0c6f1f3b9d21")
STATUS = {
    ListingStatus.ACTIVE: "active",
    ListingStatus.INACTIVE: "temporarily closed",
    ListingStatus.ARCHIVED: "defunct",
}
ALERTS = {
    Accepting.NO: "Not taking new referrals at the moment.",
    Accepting.WAITING_LIST: "New referrals join a waiting list.",
}
UNPUBLISHED_NAME = "Address not published"
UNPUBLISHED_DESCRIPTION = (
    "The address of this location is not published, to keep the people who use it safe. "
    "Contact the service to find out where it meets."
)
DAY_WORDS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Postcode areas wholly or mostly in Scotland or Wales; every other area counts as England.
SCOTLAND = {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"}
WALES = {"CF", "LD", "LL", "NP", "SA"}


def derived_id(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, ":".join(parts)))


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as ORUK asks: 2023-03-15T10:30:45.123Z."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def web_address(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    raw = raw.strip()
    if re.match(r"^https?://\S+$", raw, re.IGNORECASE):
        return raw
    if re.match(r"^[\w-]+(\.[\w-]+)+(/\S*)?$", raw):
        return "https://" + raw
    return None


def email_address(raw: str | None) -> str | None:
    if raw and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", raw.strip()):
        return raw.strip()
    return None


def nation(outcode: str | None) -> str:
    area = re.match(r"^[A-Z]+", outcode or "")
    area = area.group(0) if area else ""
    if area in SCOTLAND:
        return "Scotland"
    if area in WALES:
        return "Wales"
    return "England"


def _put(target: dict, key: str, value) -> None:
    if value is not None and value != "":
        target[key] = value


# Taxonomies ---------------------------------------------------------------------------------


def taxonomy_term(term: TaxonomyTerm) -> dict:
    data = {
        "id": term.id,
        "name": term.name,
        "description": term.description or "",
        "code": term.code,
        "term": term.name,
    }
    _put(data, "parent_id", term.parent_id)
    _put(data, "taxonomy_id", term.taxonomy_id)
    if term.taxonomy is not None:
        data["taxonomy"] = term.taxonomy.name
    return data


def taxonomy(item: Taxonomy, *, with_terms: bool = False) -> dict:
    data = {"id": item.id, "name": item.name, "description": item.description or ""}
    _put(data, "uri", web_address(item.uri))
    _put(data, "version", item.version)
    if with_terms:
        data["taxonomy_terms"] = [taxonomy_term(t) for t in sorted(item.terms, key=lambda t: (t.name, t.id))]
    return data


# Organisations and locations ----------------------------------------------------------------


def organization(org: Organization, *, full: bool = False) -> dict:
    data = {"id": org.id, "name": org.name, "description": org.description or ""}
    _put(data, "email", email_address(org.email))
    _put(data, "website", web_address(org.url))
    if full:
        data["organization_identifiers"] = (
            [
                {
                    "id": derived_id(org.id, "charity"),
                    "organization_id": org.id,
                    "identifier_scheme": "GB-CHC",
                    "identifier_type": "Charity number",
                    "identifier": org.charity_number,
                }
            ]
            if org.charity_number
            else []
        )
    return data


def location(loc: Location, *, full: bool = False) -> dict:
    """A location; one whose address is not published shows its postcode district only."""
    published = loc.address_published
    data = {"id": loc.id, "location_type": "physical"}
    if published:
        data["name"] = loc.name
        _put(data, "latitude", loc.latitude)
        _put(data, "longitude", loc.longitude)
    else:
        data["name"] = UNPUBLISHED_NAME
        data["description"] = UNPUBLISHED_DESCRIPTION
    if not full:
        return data
    address = {
        "id": derived_id(loc.id, "address"),
        "location_id": loc.id,
        "address_1": loc.address_1 if published else "",
        "city": loc.city or "",
        "state_province": nation(loc.outcode),
        "postal_code": (loc.postcode or loc.outcode or "") if published else (loc.outcode or ""),
        "country": "GB",
        "address_type": "physical",
    }
    data["addresses"] = [address]
    data["accessibility"] = [
        {
            "id": derived_id(loc.id, "access", feature),
            "location_id": loc.id,
            "description": label,
            "accessibility": label,
        }
        for feature, label in Location.ACCESS_FEATURES.items()
        if getattr(loc, feature)
    ]
    return data


# Services ----------------------------------------------------------------------------------


def alert(service: Service) -> str | None:
    parts = [ALERTS.get(service.accepting), service.capacity_note]
    text = " ".join(p.strip() for p in parts if p and p.strip())
    return text or None


def service_summary(service: Service, modified: datetime) -> dict:
    """The one-to-one fields of a service, and its organisation (ORUK `service_list`)."""
    data = {
        "id": service.id,
        "organization_id": service.organization_id,
        "name": service.name,
        "description": service.description or "",
        "status": STATUS[service.status],
    }
    _put(data, "url", web_address(service.url))
    _put(data, "email", email_address(service.email))
    _put(data, "minimum_age", service.minimum_age)
    _put(data, "maximum_age", service.maximum_age)
    _put(data, "eligibility_description", service.eligibility_description)
    _put(data, "application_process", service.how_to_join)
    _put(data, "alert", alert(service))
    if service.last_verified_at is not None:
        data["assured_date"] = service.last_verified_at.date().isoformat()
    data["last_modified"] = timestamp(modified)
    data["organization"] = organization(service.organization)
    return data


def schedule(item: Schedule) -> dict:
    day = DAYS[item.byday_index]
    monthly = item.week_of_month is not None
    opens, closes = f"{item.opens_at:%H:%M}", f"{item.closes_at:%H:%M}"
    if monthly:
        when = f"{ORDINALS.get(item.week_of_month, '')} {DAY_WORDS[item.byday_index]} of the month"
    else:
        when = f"Every {DAY_WORDS[item.byday_index]}"
    data = {
        "id": item.id,
        "service_id": item.service_id,
        "freq": "MONTHLY" if monthly else "WEEKLY",
        "interval": 1,
        "byday": f"{item.week_of_month}{day}" if monthly else day,
        "opens_at": opens,
        "closes_at": closes,
        "description": f"{when.strip()}, {opens} to {closes}",
    }
    _put(data, "service_at_location_id", item.service_at_location_id)
    _put(data, "notes", item.note)
    return data


def contact(item: Contact) -> dict:
    data = {"id": item.id, "service_id": item.service_id}
    _put(data, "name", item.name)
    _put(data, "email", email_address(item.email))
    data["phones"] = (
        [{"id": derived_id(item.id, "phone"), "contact_id": item.id, "number": item.phone}] if item.phone else []
    )
    return data


def service_at_location_summary(sal: ServiceAtLocation, modified: datetime) -> dict:
    """ORUK `service_at_location_list`: the link, its location and its service's one-to-one fields."""
    return {
        "id": sal.id,
        "service_id": sal.service_id,
        "location_id": sal.location_id,
        "location": location(sal.location),
        "service": service_summary(sal.service, modified),
    }


def service_full(service: Service, modified: datetime, *, with_locations: bool = True) -> dict:
    """ORUK `service`: fully nested."""
    data = service_summary(service, modified)
    data["organization"] = organization(service.organization, full=True)
    data["schedules"] = [schedule(s) for s in service.schedules]
    data["service_areas"] = [
        {
            "id": area.id,
            "service_id": service.id,
            "name": area.outcode,
            "service_area": f"Postcode district {area.outcode}",
            "extent_type": "text",
        }
        for area in sorted(service.areas, key=lambda a: (a.outcode, a.id))
    ]
    if with_locations:
        data["service_at_locations"] = [
            {
                "id": sal.id,
                "service_id": service.id,
                "location_id": sal.location_id,
                "location": location(sal.location, full=True),
            }
            for sal in sorted(service.locations_at, key=lambda s: s.id)
        ]
    data["languages"] = [
        {"id": lang.id, "service_id": service.id, "name": lang.name}
        for lang in sorted(service.languages, key=lambda x: (x.name, x.id))
    ]
    data["funding"] = []
    data["cost_options"] = [
        _cost_option(option) for option in sorted(service.cost_options, key=lambda c: (c.amount or 0, c.id))
    ]
    data["contacts"] = [contact(c) for c in sorted(service.contacts, key=lambda c: c.id)]
    data["phones"] = (
        [{"id": derived_id(service.id, "phone"), "service_id": service.id, "number": service.phone}]
        if service.phone
        else []
    )
    data["attributes"] = [
        {
            "id": derived_id(service.id, "term", term.id),
            "link_id": service.id,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": term.id,
            "taxonomy_term": taxonomy_term(term),
        }
        for term in sorted(service.terms, key=lambda t: (t.name, t.id))
    ]
    return data


def _cost_option(option) -> dict:
    data = {"id": option.id, "service_id": option.service_id}
    _put(data, "amount", option.amount)
    _put(data, "currency", option.currency)
    _put(data, "option", option.option)
    return data


def service_at_location_full(sal: ServiceAtLocation, modified: datetime) -> dict:
    """ORUK `service_at_location`, plus the service's `name` and `status` at the top level:
    the published ORUK document checks `/service_at_locations/{id}` against the service schema."""
    service = sal.service
    return {
        "id": sal.id,
        "service_id": sal.service_id,
        "location_id": sal.location_id,
        "name": service.name,
        "status": STATUS[service.status],
        "location": location(sal.location, full=True),
        "service": service_full(service, modified, with_locations=False),
    }


def page(found_total: int, number: int, size: int, contents: list) -> dict:
    """The ORUK paginated envelope."""
    total_pages = -(-found_total // size) if found_total else 0
    return {
        "total_items": found_total,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
