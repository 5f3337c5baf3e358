"""Public directory search: postcode, need and keywords to one ranked, paginated list.

Plain Python (no Flask): the public pages, the API and matching call `search_services`.

How results are ordered — one score, highest first (ties by name, then id):

    score = 0.35 × need fit + 0.30 × nearness + 0.20 × keyword relevance + 0.15 × freshness

- need fit: 1.0 when the service is tagged with the need searched for; 0.6 when it is tagged
  only with that need's parent or one of its children. 0 for everyone when no need is chosen.
- nearness: 1 / (1 + (miles ÷ 3)²) for the service's nearest qualifying venue: 1 at the door,
  0.5 at 3 miles, 0.26 at 5 miles, 0.08 at 10 miles. A service used online, by phone or at
  home (when those are included) counts 0.5, as near as a venue 3 miles away; a venue
  without coordinates counts 0. 0 for everyone without a postcode.
- keyword relevance: the database's full-text rank for the words typed (PostgreSQL ts_rank,
  SQLite −bm25; the name weighs more than the organisation's name, which weighs more than
  the description), divided by the best rank among the results, so 0 to 1. 0 for everyone
  without keywords.
- freshness: 1 when the listing was confirmed in the last 180 days, 0 when it is stale.

Filtering and scoring happen in SQL (ranking.py builds the queries): archived and inactive
services never appear, nor those of organisations that are not active, nor services whose
`service_area` leaves out the searcher's postcode district. With a postcode, a venue must be
within the chosen miles: a bounding box on indexed latitude/longitude (for a need, on the
need-and-place index, need_points.py), then a planar distance on the WGS84 ellipsoid that
agrees with the geodesic to about 1 part in 100,000 (and is the one the nearness uses), then
geopy's geodesic for the few venues in the thin ring where the two could disagree (nearby.py).
Distances from an approximate point — a venue known only to its sector or district, a venue
whose address is not published (measured from its district), or a searcher's postcode found
only by sector or district — are shown as "about", and the radius is widened by how far such
a point can be from the real place (3 miles for a sector; for a district, its farthest sector
centre plus 3: geography.uncertainty_miles), so nothing that could be in reach is left out. Services used
online, by phone or at home are never excluded by distance when they are included. Only the
page of results is loaded as objects; only those get a geodesic distance for display.

Nothing about the searcher is stored or logged.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from prescribing import clock, geography
from prescribing.directory import ranking, timetable
from prescribing.directory.models import GeoPrecision, Location, Service, TaxonomyTerm
from prescribing.directory.ranking import (  # noqa: F401 - the documented score's numbers, for callers
    NEARNESS_HALF_MILES,
    NEED_EXACT,
    NEED_RELATED,
    REMOTE_NEARNESS,
    WEIGHTS,
)
from prescribing.directory.search_index import keyword_terms

MILES_CHOICES = (1, 3, 5, 10, 20)
DEFAULT_MILES = 5
PER_PAGE = 20
MAX_PAGE = 500


class SearchError(ValueError):
    """The search cannot run as asked; the message is fit to show."""


class UnknownPostcode(SearchError):
    pass


class UnknownNeed(SearchError):
    pass


@dataclass(frozen=True)
class SearchQuery:
    postcode: str | None = None
    need: str | None = None  # a taxonomy term code
    keywords: str = ""
    miles: float = DEFAULT_MILES
    day: int | None = None  # 0 = Monday
    free_only: bool = False
    step_free: bool = False
    language: str | None = None
    self_referral: bool = False
    include_remote: bool = False  # online, by phone or at home
    page: int = 1
    per_page: int = PER_PAGE
    place: geography.Place | None = None  # where `postcode` is, when the caller has geocoded it


@dataclass(frozen=True)
class ServiceResult:
    service: Service
    miles: float | None
    approximate: bool
    next_session: timetable.Occurrence | None
    score: float
    score_parts: dict[str, float]
    location: Location | None = None  # the nearest qualifying venue, when reached at one
    remote: bool = False  # reached online, by phone or at home rather than at a venue


@dataclass(frozen=True)
class SearchPage:
    results: list[ServiceResult]
    total: int
    page: int
    per_page: int
    place: geography.Place | None = None
    need: TaxonomyTerm | None = None
    keywords: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        """1-based position of the first result on this page (0 when there are none)."""
        return (self.page - 1) * self.per_page + 1 if self.results else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.results)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def locate(postcode: str, geocoder: geography.Geocoder | None = None) -> geography.Place:
    """Where a postcode is (offline unless a geocoder is given); UnknownPostcode when we cannot say."""
    normal = geography.normalise_postcode(postcode)
    if normal is None:
        raise UnknownPostcode("Enter a real postcode, like LS6 1AA")
    place = geocoder.geocode(normal) if geocoder else geography.geocode_offline(normal)
    if place is None:
        raise UnknownPostcode(f"We do not have a location for {normal}. Check the postcode, or search without one.")
    return place


def search_services(
    session: Session,
    query: SearchQuery,
    *,
    geocoder: geography.Geocoder | None = None,
    now: datetime | None = None,
) -> SearchPage:
    """Find active services for a query and return one page of them, best first."""
    now = now or clock.utcnow()
    place = query.place
    if query.postcode and place is None:
        place = locate(query.postcode, geocoder)
    term, need = _need(session, query.need)
    words = keyword_terms(query.keywords)
    page = min(max(1, query.page), MAX_PAGE)
    per_page = min(max(1, query.per_page), 100)

    reached = ranking.reach(session, query, place, need)
    scored = ranking.scored(session, query, place, reached, words, now)
    rows = session.execute(ranking.page_of(session, scored, page, per_page)).all()
    if rows:
        total = rows[0].total
    else:
        total = session.scalar(select(func.count()).select_from(scored.subquery())) or 0
        last_page = max(1, math.ceil(total / per_page))
        if total and page > last_page:
            page = last_page
            rows = session.execute(ranking.page_of(session, scored, page, per_page)).all()
    results = _results(session, rows, place, now)
    return SearchPage(results, total, page, per_page, place, term, words)


def _need(session: Session, code: str | None) -> tuple[TaxonomyTerm | None, ranking.Need]:
    """The term searched for, with its parent and children (which fit less well)."""
    if not code:
        return None, ranking.Need()
    term = session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == code))
    if term is None:
        raise UnknownNeed("Select a need from the list")
    children = session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id == term.id)).all()
    return term, ranking.Need(term.id, [*([term.parent_id] if term.parent_id else []), *children])


# -- Turning rows into results --------------------------------------------------------------


def _results(session: Session, rows, place: geography.Place | None, now: datetime) -> list[ServiceResult]:
    if not rows:
        return []
    ids = [row.service_id for row in rows]
    services = {
        s.id: s
        for s in session.scalars(
            select(Service)
            .where(Service.id.in_(ids))
            # One round trip: a page holds 20 services with a few sessions and prices each.
            .options(joinedload(Service.organization), joinedload(Service.schedules), joinedload(Service.cost_options))
        ).unique()
    }
    location_ids = [row.location_id for row in rows if row.location_id]
    locations = (
        {loc.id: loc for loc in session.scalars(select(Location).where(Location.id.in_(location_ids)))}
        if location_ids
        else {}
    )
    local = timetable.local_now(now)
    results = []
    for row in rows:
        service = services[row.service_id]
        location = locations.get(row.location_id)
        miles = _display_miles(place, location)
        parts = {
            "need": float(row.need or 0),
            "nearness": float(row.nearness or 0),
            "relevance": float(row.relevance or 0),
            "freshness": float(row.freshness or 0),
        }
        results.append(
            ServiceResult(
                service=service,
                miles=miles,
                approximate=miles is not None and (place.is_approximate or is_approximate(location)),
                next_session=timetable.next_session(service.schedules, local),
                score=float(row.score),
                score_parts=parts,
                location=location,
                remote=place is not None and location is None,
            )
        )
    return results


def is_approximate(location: Location) -> bool:
    """A venue known only to its sector or district, or measured from its district to keep it private."""
    return location.geo_precision != GeoPrecision.POSTCODE or not location.address_published


def _display_miles(place: geography.Place | None, location: Location | None) -> float | None:
    """Geodesic miles to the venue; to its district's centre when its address is not published."""
    if place is None or location is None or location.latitude is None:
        return None
    point = geography.Point(location.latitude, location.longitude)
    if not location.address_published and location.outcode:
        point = geography.outcode_centre(location.outcode) or point
    return geography.distance_miles(place, point)
