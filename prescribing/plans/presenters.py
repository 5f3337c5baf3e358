"""How a service reads on a person's plan and the matches page: where, when, how to join."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from prescribing.directory.models import Service, ServiceAtLocation
from prescribing.extensions import db
from prescribing.matching.words import money, session_words


@dataclass(frozen=True)
class ServiceSummary:
    id: str
    name: str
    organization: str
    where: list[str]
    when: list[str]
    cost: str
    how_to_join: str
    contact: list[str]
    remote: list[str]


def _where(service: Service) -> list[str]:
    places = []
    for at in service.locations_at:
        location = at.location
        if location.address_published:
            parts = [location.name, location.address_1, location.city, location.postcode]
            places.append(", ".join(p for p in parts if p))
        else:
            area = location.outcode or location.city or "the local area"
            places.append(f"In the {area} area: the address is given when you get in touch")
    return places


def _when(service: Service) -> list[str]:
    times = []
    for schedule in service.schedules:
        text = f"{session_words(schedule.byday_index, schedule.opens_at, schedule.week_of_month)}"
        text += f" to {schedule.closes_at.strftime('%H:%M')}"
        if schedule.note:
            text += f" ({schedule.note})"
        times.append(text[0].upper() + text[1:])
    return times or ["Times by arrangement: get in touch"]


def _cost(service: Service) -> str:
    if service.is_free:
        return "Free"
    amounts = [c.amount for c in service.cost_options if c.amount is not None]
    if amounts:
        return f"{money(min(amounts))} a session"
    return "There is a cost: ask the group"


def _contact(service: Service) -> list[str]:
    found = [c for c in (service.phone, service.email, service.url) if c]
    for contact in service.contacts:
        found.extend(c for c in (contact.phone, contact.email) if c and c not in found)
    return found


def summarise(service: Service) -> ServiceSummary:
    remote = [label for label, on in (("Online", service.online), ("By phone", service.by_phone)) if on]
    if service.at_home:
        remote.append("At home")
    return ServiceSummary(
        id=service.id,
        name=service.name,
        organization=service.organization.name,
        where=_where(service),
        when=_when(service),
        cost=_cost(service),
        how_to_join=service.how_to_join or "",
        contact=_contact(service),
        remote=remote,
    )


def summaries(service_ids: list[str]) -> dict[str, ServiceSummary]:
    """Summaries for a few services (a page's worth), loaded in a handful of queries."""
    if not service_ids:
        return {}
    found = db.session.scalars(
        select(Service)
        .where(Service.id.in_(service_ids))
        .options(
            selectinload(Service.organization),
            selectinload(Service.locations_at).selectinload(ServiceAtLocation.location),
            selectinload(Service.schedules),
            selectinload(Service.cost_options),
            selectinload(Service.contacts),
        )
    )
    return {s.id: summarise(s) for s in found}
