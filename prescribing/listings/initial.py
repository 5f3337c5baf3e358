"""What each edit form shows when it is first opened: the listing as it is now."""

from prescribing.listings.fields import ACCESS_FEATURES, DELIVERY, ROUTES


def service_initial(service) -> dict:
    option = service.cost_options[0] if service.cost_options else None
    return {
        "version": str(service.version),
        "name": service.name,
        "description": service.description,
        "status": service.status.value,
        "email": service.email,
        "phone": service.phone,
        "url": service.url,
        "delivery": [code for code, _, attribute in DELIVERY if getattr(service, attribute)],
        "referral_routes": [code for code, _, attribute in ROUTES if getattr(service, attribute)],
        "how_to_join": service.how_to_join,
        "accepting": service.accepting.value,
        "capacity_note": service.capacity_note,
        "cost": "free" if service.is_free else "paid",
        "cost_amount": f"{option.amount:.2f}" if option and option.amount is not None else "",
        "cost_description": option.option if option else "",
        "minimum_age": "" if service.minimum_age is None else str(service.minimum_age),
        "maximum_age": "" if service.maximum_age is None else str(service.maximum_age),
        "eligibility": service.eligibility_description,
        "languages": ", ".join(language.name for language in service.languages),
        "service_area": ", ".join(area.outcode for area in service.areas),
        "needs": [term.id for term in service.terms],
    }


def new_service_initial() -> dict:
    return {"version": "0", "status": "active", "accepting": "yes", "cost": "free", "delivery": ["venue"]}


def venue_initial(location, version: int) -> dict:
    return {
        "version": str(version),
        "name": location.name,
        "address": location.address_1,
        "town": location.city,
        "postcode": location.postcode,
        "address_published": "yes" if location.address_published else "no",
        "access": [feature for feature, _ in ACCESS_FEATURES if getattr(location, feature)],
    }


def sessions_initial(service) -> dict:
    data = {"version": str(service.version)}
    ordered = sorted(service.schedules, key=lambda s: (s.byday_index, s.opens_at, s.week_of_month or 0))
    for i, schedule in enumerate(ordered):
        data.update(
            {
                f"day_{i}": str(schedule.byday_index),
                f"opens_{i}": f"{schedule.opens_at:%H:%M}",
                f"closes_{i}": f"{schedule.closes_at:%H:%M}",
                f"week_{i}": "" if schedule.week_of_month is None else str(schedule.week_of_month),
                f"venue_{i}": schedule.service_at_location_id or "",
                f"note_{i}": schedule.note or "",
            }
        )
    return data


def organization_initial(organization) -> dict:
    return {
        "version": str(organization.version),
        "name": organization.name,
        "description": organization.description,
        "email": organization.email,
        "phone": organization.phone,
        "url": organization.url,
        "charity_number": organization.charity_number,
    }
