"""How directory listings read on the page: plain functions from models to words.

Templates print what these return; no formatting decisions live in the templates.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from prescribing import geography
from prescribing.directory import search, timetable
from prescribing.directory.models import Accepting, ListingStatus, Location, Schedule, Service
from prescribing.directory.schedules import ORDINALS
from prescribing.filters import format_date, format_miles, format_money, format_time

SHORT_DESCRIPTION = 200
STALE_TAG = "Listing may be out of date"
UNPUBLISHED_ADDRESS = "Address given when you contact the group"


# -- Small pieces -------------------------------------------------------------------------


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def time_range(opens_at, closes_at) -> str:
    return f"{format_time(opens_at)} to {format_time(closes_at)}"


def schedule_text(schedule: Schedule) -> str:
    """ "Every Tuesday, 10:00 to 12:00" or "First Thursday of the month, 18:30 to 20:00"."""
    if schedule.week_of_month:
        when = f"{ORDINALS[schedule.week_of_month]} {schedule.day_name} of the month"
    else:
        when = f"Every {schedule.day_name}"
    return f"{when}, {time_range(schedule.opens_at, schedule.closes_at)}"


def session_text(occurrence: timetable.Occurrence | None, today: date) -> str | None:
    """ "Today, 10:00 to 12:00", "Tomorrow, …" or "Tuesday 24 November, …"."""
    if occurrence is None:
        return None
    days = (occurrence.on - today).days
    if days == 0:
        when = "Today"
    elif days == 1:
        when = "Tomorrow"
    else:
        when = f"{occurrence.on:%A} {occurrence.on.day} {occurrence.on:%B}"
    return f"{when}, {time_range(occurrence.opens_at, occurrence.closes_at)}"


def cost_lines(service: Service) -> list[str]:
    """ "Free", or each amount with what it covers."""
    if service.is_free or not service.cost_options:
        return ["Free"] if service.is_free else ["Ask the group about cost"]
    lines = []
    for option in service.cost_options:
        amount = format_money(option.amount) if option.amount is not None else ""
        lines.append(" – ".join(part for part in (amount, option.option or "") if part) or "Ask the group about cost")
    return lines


def cost_summary(service: Service) -> str:
    return "; ".join(cost_lines(service))


def short_description(text: str | None, limit: int = SHORT_DESCRIPTION) -> str:
    """The first `limit` characters, cut at a word and marked with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–-")
    return cut + "…"


def paragraphs(text: str | None) -> list[str]:
    """Split a description at blank lines (each paragraph is escaped when printed)."""
    blocks = [" ".join(block.split()) for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def delivery_text(service: Service) -> str:
    ways = [
        label
        for flag, label in (
            (service.at_venue, "at a venue"),
            (service.online, "online"),
            (service.by_phone, "by phone"),
            (service.at_home, "at home"),
        )
        if flag
    ]
    if not ways:
        return ""
    text = ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + " and " + ways[-1]
    return text[0].upper() + text[1:]


def remote_text(service: Service) -> str:
    ways = [
        label
        for flag, label in ((service.online, "online"), (service.by_phone, "by phone"), (service.at_home, "at home"))
        if flag
    ]
    text = " or ".join(ways) if ways else "remotely"
    return text[0].upper() + text[1:]


def join_routes(service: Service) -> list[str]:
    routes = []
    if service.self_referral:
        routes.append("Contact the group yourself – you do not need a referral")
    if service.link_worker_referral:
        routes.append("Ask a social prescribing link worker at your GP surgery to refer you")
    if service.gp_referral:
        routes.append("Ask your GP or practice team to refer you")
    return routes


def accepting_text(service: Service) -> str:
    return {
        Accepting.YES: "Taking new people",
        Accepting.NO: "Not taking new people at the moment",
        Accepting.WAITING_LIST: "Waiting list",
    }[service.accepting]


def age_range(minimum: int | None, maximum: int | None) -> str | None:
    if minimum is None and maximum is None:
        return None
    if minimum is not None and maximum is not None:
        return f"Ages {minimum} to {maximum}"
    if minimum is not None:
        return f"Ages {minimum} and over"
    return f"Ages {maximum} and under"


def areas_text(service: Service) -> str | None:
    outcodes = sorted({area.outcode for area in service.areas})
    if not outcodes:
        return None
    listed = outcodes[0] if len(outcodes) == 1 else ", ".join(outcodes[:-1]) + " or " + outcodes[-1]
    return f"Only for people who live in the {listed} postcode {'area' if len(outcodes) == 1 else 'areas'}"


def how_long_ago(then: datetime, now: datetime) -> str:
    days = max(0, (now - then).days)
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{plural(days // 7, 'week')} ago"
    if days < 365:
        return f"{plural(days // 30, 'month')} ago"
    return f"{plural(days // 365, 'year')} ago"


def confirmed_text(service: Service, now: datetime) -> str:
    if service.last_verified_at is None:
        return "Never confirmed by the organisation"
    return f"Confirmed accurate {how_long_ago(service.last_verified_at, now)}"


def stale_warning(service: Service, now: datetime) -> str | None:
    if not service.is_stale(now):
        return None
    if service.last_verified_at is None:
        return "The organisation has not confirmed these details. Check with them before you go."
    return (
        f"The organisation last confirmed these details {how_long_ago(service.last_verified_at, now)}. "
        "Check with them before you go."
    )


def safe_url(url: str | None) -> str | None:
    """Only web addresses become links (never `javascript:` and the like)."""
    if not url:
        return None
    url = url.strip()
    if "://" not in url and "." in url and " " not in url:
        url = "https://" + url
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def distance_text(result: search.ServiceResult) -> str | None:
    if result.miles is not None:
        return format_miles(result.miles, approximate=result.approximate)
    if result.remote:
        return remote_text(result.service)
    if result.location is not None:
        return "Distance not known"
    return None


def area_name(location: Location) -> str:
    outcode = location.outcode or (geography.outcode_of(location.postcode) if location.postcode else None)
    return f"{outcode} area" if outcode else "Area not known"


def place_text(location: Location | None) -> str | None:
    """One line for a results list: the venue and postcode, or only its area when the address is private."""
    if location is None:
        return None
    if not location.address_published:
        return area_name(location)
    return ", ".join(part for part in (location.name, location.postcode) if part)


# -- A search result and a service page ------------------------------------------------------


@dataclass(frozen=True)
class ResultCard:
    id: str
    name: str
    organisation: str
    distance: str | None
    place: str | None
    next_session: str | None
    cost: str
    description: str
    stale: bool


def result_card(result: search.ServiceResult, now: datetime) -> ResultCard:
    service = result.service
    return ResultCard(
        id=service.id,
        name=service.name,
        organisation=service.organization.name,
        distance=distance_text(result),
        place=place_text(result.location),
        next_session=session_text(result.next_session, timetable.local_now(now).date()),
        cost=cost_summary(service),
        description=short_description(service.description),
        stale=service.is_stale(now),
    )


def results_heading(page: search.SearchPage) -> str:
    if page.total == 0:
        return "No results"
    if page.pages == 1:
        return f"{plural(page.total, 'result')}"
    return f"Showing {page.first} to {page.last} of {page.total} results"


def place_note(page: search.SearchPage) -> str | None:
    """Say so when the searcher's postcode was found only approximately."""
    place = page.place
    if place is None or not place.is_approximate:
        return None
    area = geography.sector_of(place.postcode) if place.precision == "sector" else geography.outcode_of(place.postcode)
    return (
        f"We could not find {place.postcode} exactly, so distances are measured from the middle of the "
        f"{area} area. They are approximate, so we also show groups up to "
        f"{place.uncertainty_miles:.0f} miles beyond the distance you chose."
    )


def pagination(page: search.SearchPage, href: Callable[[int], str], window: int = 2) -> dict | None:
    """Parameters for the NHS.UK pagination macro: numbered pages with ellipses."""
    if page.pages <= 1:
        return None
    shown = sorted({1, page.pages, *range(max(1, page.page - window), min(page.pages, page.page + window) + 1)})
    items, previous = [], 0
    for number in shown:
        if number - previous == 2:  # an ellipsis would hide only one page: show it
            items.append({"number": previous + 1, "href": href(previous + 1), "current": False})
        elif number - previous > 2:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.page})
        previous = number
    return {
        "previous": {"href": href(page.page - 1)} if page.has_previous else None,
        "next": {"href": href(page.page + 1)} if page.has_next else None,
        "items": items,
    }


def ordering_explained() -> list[str]:
    """The score in words, from the same numbers search.py uses."""
    w = search.WEIGHTS
    return [
        f"How well it fits the need you chose ({w['need']:.0%}): a group listed under that need counts fully; "
        "one listed under a broader or narrower need counts a little over half.",
        f"How near it is ({w['nearness']:.0%}): nearer groups come first; a group 3 miles away counts half as "
        "much as one at your door. Groups you can join online, by phone or at home count as if 3 miles away.",
        f"How well it matches your keywords ({w['relevance']:.0%}): words in the group's name count more than "
        "words in its description.",
        f"Whether the listing is up to date ({w['freshness']:.0%}): listings not confirmed by the organisation "
        "for 6 months come lower and are marked as possibly out of date.",
    ]


@dataclass(frozen=True)
class Contact:
    label: str
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Venue:
    heading: str
    address_lines: list[str]
    published: bool
    access: list[str]


@dataclass
class ServicePage:
    name: str
    organisation: str
    paragraphs: list[str]
    running: bool
    delivery: str
    needs: list[str]
    venues: list[Venue]
    sessions: list[str]
    session_notes: list[str]
    cost: list[str]
    join_routes: list[str]
    how_to_join: list[str]
    accepting: str
    capacity_note: str | None
    ages: str | None
    eligibility: list[str]
    areas: str | None
    languages: list[str]
    contacts: list[Contact] = field(default_factory=list)
    confirmed: str = ""
    confirmed_on: str = ""
    stale: bool = False
    stale_warning: str | None = None
    source: str | None = None


def venue(location: Location) -> Venue:
    if not location.address_published:
        return Venue(f"Venue in the {area_name(location)}", [UNPUBLISHED_ADDRESS], False, location.access_features())
    lines = [part for part in (location.address_1, location.city, location.postcode) if part]
    if location.name and location.name not in lines:
        return Venue(location.name, lines, True, location.access_features())
    return Venue(lines[0] if lines else "Venue", lines[1:], True, location.access_features())


def _tel(phone: str) -> str:
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def contacts(service: Service) -> list[Contact]:
    found = []
    if service.phone:
        found.append(Contact("Phone", service.phone, _tel(service.phone)))
    if service.email:
        found.append(Contact("Email", service.email, "mailto:" + service.email))
    url = safe_url(service.url)
    if url:
        found.append(Contact("Website", service.url, url))
    for contact in service.contacts:
        label = contact.name or "Contact"
        if contact.phone:
            found.append(Contact(f"{label} (phone)", contact.phone, _tel(contact.phone)))
        if contact.email:
            found.append(Contact(f"{label} (email)", contact.email, "mailto:" + contact.email))
    organisation = service.organization
    if not found:
        if organisation.phone:
            found.append(Contact("Phone", organisation.phone, _tel(organisation.phone)))
        if organisation.email:
            found.append(Contact("Email", organisation.email, "mailto:" + organisation.email))
        url = safe_url(organisation.url)
        if url:
            found.append(Contact("Website", organisation.url, url))
    return found


def service_page(service: Service, now: datetime) -> ServicePage:
    notes = list(dict.fromkeys(s.note for s in service.schedules if s.note))
    return ServicePage(
        name=service.name,
        organisation=service.organization.name,
        paragraphs=paragraphs(service.description),
        running=service.status == ListingStatus.ACTIVE,
        delivery=delivery_text(service),
        needs=[term.name for term in service.terms],
        venues=[venue(sal.location) for sal in service.locations_at],
        sessions=[schedule_text(s) for s in service.schedules],
        session_notes=notes,
        cost=cost_lines(service),
        join_routes=join_routes(service),
        how_to_join=paragraphs(service.how_to_join),
        accepting=accepting_text(service),
        capacity_note=service.capacity_note,
        ages=age_range(service.minimum_age, service.maximum_age),
        eligibility=paragraphs(service.eligibility_description),
        areas=areas_text(service),
        languages=sorted({language.name for language in service.languages}),
        contacts=contacts(service),
        confirmed=confirmed_text(service, now),
        confirmed_on=format_date(service.last_verified_at),
        stale=service.is_stale(now),
        stale_warning=stale_warning(service, now),
        source=service.source,
    )
