"""Reading the query string of an API request into checked values.

Every problem raises `ParameterError` naming the parameter, which the view turns into a
400 JSON answer. Nothing here touches the database except the checks for ids that must
exist (taxonomy terms and taxonomies), which live in queries.py.
"""

import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from prescribing import geography

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
MAX_SEARCH = 200
# A radius much wider than Greater Manchester is a scan of the whole directory, not a search.
MAX_PROXIMITY_METRES = 200_000
MAX_AGE = 130
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


class ParameterError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = DEFAULT_PER_PAGE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass
class ServiceFilters:
    """What a /services or /service_at_locations request asks for."""

    search: str | None = None
    taxonomy_term_ids: list[str] = field(default_factory=list)
    taxonomy_id: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    day: int | None = None
    start_time: time | None = None
    end_time: time | None = None
    modified_after: datetime | None = None
    organization_id: str | None = None
    # Only on /service_at_locations.
    postcode: str | None = None
    place: geography.Point | None = None
    proximity_metres: float | None = None


def reject_unknown(args: Mapping, allowed: set[str]) -> None:
    """Unknown parameters are refused rather than silently ignored, so typos are noticed."""
    for name in args:
        if name not in allowed:
            raise ParameterError(name, f"{name} is not a parameter of this endpoint")


def single(args, name: str) -> str | None:
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ParameterError(name, f"Give {name} only once")
    return values[0].strip()


def whole_number(args, name: str, low: int, high: int, default: int) -> int:
    raw = single(args, name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[+-]?\d{1,9}", raw):
        raise ParameterError(name, f"{name} must be a whole number from {low} to {high}")
    value = int(raw)
    if not low <= value <= high:
        raise ParameterError(name, f"{name} must be a whole number from {low} to {high}")
    return value


def page_from(args) -> Page:
    return Page(
        number=whole_number(args, "page", 1, MAX_PAGE, 1),
        size=whole_number(args, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE),
    )


def number(args, name: str, low: float, high: float) -> float | None:
    raw = single(args, name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise ParameterError(name, f"{name} must be a number from {low:g} to {high:g}")
    return value


def boolean(args, name: str) -> bool | None:
    raw = single(args, name)
    if raw is None or raw == "":
        return None
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ParameterError(name, f"{name} must be true or false")


def identifier(raw: str, name: str) -> str:
    """A UUID in its canonical lower-case form; anything else is a malformed id."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise ParameterError(
            name, f"{name} must be an id in UUID form, such as 3f7b145d-84af-42d7-8fae-eaca714b02b2"
        ) from None


def is_identifier(raw: str) -> bool:
    try:
        uuid.UUID(raw)
    except ValueError:
        return False
    return len(raw) == 36


def identifiers(args, name: str) -> list[str]:
    """One id, or several separated by commas (any of them matches)."""
    raw = single(args, name)
    if raw is None or raw == "":
        return []
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) > 20:
        raise ParameterError(name, f"Give at most 20 values of {name}")
    return [identifier(part, name) for part in parts]


def day_of_week(args) -> int | None:
    raw = single(args, "day")
    if raw is None or raw == "":
        return None
    lowered = raw.lower()
    if raw.upper() in DAY_CODES:
        return DAY_CODES.index(raw.upper())
    if lowered in DAY_NAMES:
        return DAY_NAMES.index(lowered)
    raise ParameterError("day", "day must be a day of the week, such as TU or Tuesday")


def time_of_day(args, name: str) -> time | None:
    raw = single(args, name)
    if raw is None or raw == "":
        return None
    match = _TIME.match(raw)
    if not match:
        raise ParameterError(name, f"{name} must be a time on the 24-hour clock, such as 09:30")
    return time(int(match[1]), int(match[2]), int(match[3] or 0))


def moment(args, name: str) -> datetime | None:
    """An ISO 8601 date or date-time; with a zone it is converted to UTC, without one it is UTC."""
    raw = single(args, name)
    if raw is None or raw == "":
        return None
    text = raw.replace("Z", "+00:00")
    if "T" in text and " " in text:
        text = text.replace(" ", "+")  # an unencoded "+01:00" arrives as " 01:00"
    try:
        value = datetime.fromisoformat(text)
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise ParameterError(name, f"{name} must be a date or date and time, such as 2025-01-31T09:00:00Z") from None
    return value


def search_text(args) -> str | None:
    raw = single(args, "search")
    if raw is None or raw == "":
        return None
    if len(raw) > MAX_SEARCH:
        raise ParameterError("search", f"search must be {MAX_SEARCH} characters or fewer")
    if "\x00" in raw:
        raise ParameterError("search", "search must be plain text")
    return raw


def service_filters(args, *, with_place: bool, geocoder: geography.Geocoder | None = None) -> ServiceFilters:
    """Read every filter shared by /services and /service_at_locations."""
    filters = ServiceFilters(
        search=search_text(args),
        taxonomy_term_ids=identifiers(args, "taxonomy_term_id"),
        minimum_age=number(args, "minimum_age", 0, MAX_AGE),
        maximum_age=number(args, "maximum_age", 0, MAX_AGE),
        day=day_of_week(args),
        start_time=time_of_day(args, "start_time"),
        end_time=time_of_day(args, "end_time"),
        modified_after=moment(args, "modified_after"),
    )
    taxonomy = identifiers(args, "taxonomy_id")
    if len(taxonomy) > 1:
        raise ParameterError("taxonomy_id", "Give one taxonomy_id")
    filters.taxonomy_id = taxonomy[0] if taxonomy else None
    organization = identifiers(args, "organization_id")
    if len(organization) > 1:
        raise ParameterError("organization_id", "Give one organization_id")
    filters.organization_id = organization[0] if organization else None
    if filters.start_time and filters.end_time and filters.end_time <= filters.start_time:
        raise ParameterError("end_time", "end_time must be later than start_time")
    if with_place:
        _read_place(args, filters, geocoder or geography.Geocoder())
    return filters


def _read_place(args, filters: ServiceFilters, geocoder: geography.Geocoder) -> None:
    raw_postcode = single(args, "postcode")
    raw_proximity = single(args, "proximity")
    if raw_proximity:
        try:
            metres = float(raw_proximity)
        except ValueError:
            metres = math.nan
        if not math.isfinite(metres) or not 0 < metres <= MAX_PROXIMITY_METRES:
            raise ParameterError(
                "proximity", f"proximity must be a distance in metres, more than 0 and at most {MAX_PROXIMITY_METRES}"
            )
        if not raw_postcode:
            raise ParameterError("postcode", "Give a postcode to search by proximity")
        filters.proximity_metres = metres
    if not raw_postcode:
        return
    full = geography.normalise_postcode(raw_postcode)
    if full is not None:
        if not geography.is_covered(full):
            raise ParameterError("postcode", f"{full} is outside the area this directory covers")
        place = geocoder.geocode(full)
        filters.postcode = full
    else:
        outcode = geography.normalise_outcode(raw_postcode)
        if outcode is None or len(re.sub(r"\s", "", raw_postcode)) > 4:
            raise ParameterError(
                "postcode", "postcode must be a UK postcode, such as M33 7XX, or a district, such as M33"
            )
        if not geography.is_covered(outcode):
            raise ParameterError("postcode", f"{outcode} is outside the area this directory covers")
        place = geography.outcode_centre(outcode)
        filters.postcode = outcode
    if place is None:
        raise ParameterError("postcode", f"We could not find the postcode {filters.postcode}")
    filters.place = geography.Point(place.latitude, place.longitude)
