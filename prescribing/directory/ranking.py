"""The SQL behind directory search: which services qualify, and the parts of their score.

The score and the rules are described in search.py; this module only builds the queries.
Three layers, all run by the database:

1. reach: every way a service can be reached — each venue in range (with its planar
   miles² from the searcher), each venue whose distance is only approximate, and remote use
   — then one row per service: the nearest, with its need fit (the best over its tags);
2. scored: those that pass every filter, with need fit, nearness, freshness and keyword rank;
3. a page: ordered by the score, with the total counted by the same query.
"""

from sqlalchemy import (
    Float,
    String,
    any_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from prescribing import geography
from prescribing.directory import nearby
from prescribing.directory.models import (
    APPROXIMATE_VENUE,
    STALE_AFTER,
    ListingStatus,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    service_taxonomy,
)
from prescribing.directory.need_points import POINTS
from prescribing.directory.search_index import keyword_matches

WEIGHTS = {"need": 0.35, "nearness": 0.30, "relevance": 0.20, "freshness": 0.15}
NEED_EXACT = 1.0
NEED_RELATED = 0.6
NEARNESS_HALF_MILES = 3.0
# Where there is no venue to measure: remote use counts as a venue 3 miles away (nearness 0.5);
# a venue without coordinates as one too far to count (nearness 0).
REMOTE_MILES_SQUARED = 9.0
REMOTE_NEARNESS = 1 / (1 + REMOTE_MILES_SQUARED / NEARNESS_HALF_MILES**2)
UNKNOWN_MILES_SQUARED = 1e12


class Need:
    """The need searched for: its own term and the related ones (parent and children)."""

    def __init__(self, term_id: str | None = None, related_ids: list[str] | None = None):
        self.term_id = term_id
        self.ids = [term_id, *(related_ids or [])] if term_id else []

    def fit(self, term_column):
        """SQL: how well a tag fits (1.0 the need itself, 0.6 a related one)."""
        return case((term_column == self.term_id, NEED_EXACT), else_=NEED_RELATED)

    def best_fit(self, service_id_column):
        """SQL: the best fit over a service's tags (NULL when none fits)."""
        return (
            select(func.max(self.fit(service_taxonomy.c.taxonomy_term_id)))
            .where(
                service_taxonomy.c.service_id == service_id_column,
                service_taxonomy.c.taxonomy_term_id.in_(self.ids),
            )
            .scalar_subquery()
        )

    def tagged(self, service_id_column):
        """SQL: the service has one of the needs' tags."""
        return exists().where(
            service_taxonomy.c.service_id == service_id_column, service_taxonomy.c.taxonomy_term_id.in_(self.ids)
        )


def one_of(dialect: str, column, values: list[str]):
    """SQL: `column` is one of `values`; on PostgreSQL one array parameter, however many values."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
    return column.in_(values)


def nearness(miles_squared):
    """SQL: 1 / (1 + (miles ÷ 3)²), from miles²; 0 for a venue without coordinates."""
    half = NEARNESS_HALF_MILES * NEARNESS_HALF_MILES
    return case(
        (miles_squared >= UNKNOWN_MILES_SQUARED, 0.0),
        else_=literal(1.0, Float) / (literal(1.0, Float) + miles_squared / half),
    )


# -- 1. Reach --------------------------------------------------------------------------------


def _venues(query, place: geography.Place, need: Need):
    """Each venue a service runs at, starting from the location table (for a box without a need,
    or for the few venues whose distance is approximate)."""
    miles_squared = func.coalesce(nearby.planar_miles_squared(place), UNKNOWN_MILES_SQUARED)
    rows = (
        select(
            ServiceAtLocation.service_id.label("service_id"),
            Location.id.label("location_id"),
            miles_squared.label("miles_squared"),
            (need.best_fit(ServiceAtLocation.service_id) if need.ids else literal(0.0, Float)).label("need"),
        )
        .select_from(ServiceAtLocation)
        .join(Location, Location.id == ServiceAtLocation.location_id)
    )
    if need.ids:
        rows = rows.where(need.tagged(ServiceAtLocation.service_id))
    if query.step_free:
        rows = rows.where(Location.step_free == true())
    return rows


def _need_points(query, place: geography.Place, need: Need):
    """Each venue of a service tagged with the need, read from the need-and-place index."""
    miles_squared = nearby.planar_miles_squared(place, POINTS.c.latitude, POINTS.c.longitude)
    rows = select(
        POINTS.c.service_id.label("service_id"),
        POINTS.c.location_id.label("location_id"),
        miles_squared.label("miles_squared"),
        need.fit(POINTS.c.taxonomy_term_id).label("need"),
    ).where(POINTS.c.taxonomy_term_id.in_(need.ids))
    if query.step_free:
        rows = rows.join(Location, Location.id == POINTS.c.location_id).where(Location.step_free == true())
    return rows


def _remote(need: Need):
    rows = select(
        Service.id.label("service_id"),
        cast(null(), String).label("location_id"),
        literal(REMOTE_MILES_SQUARED, Float).label("miles_squared"),
        (need.best_fit(Service.id) if need.ids else literal(0.0, Float)).label("need"),
    ).where(or_(Service.online == true(), Service.by_phone == true(), Service.at_home == true()))
    if need.ids:
        rows = rows.where(need.tagged(Service.id))
    return rows


def nearby_facts(
    session: Session, place: geography.Place, miles: float, need: Need
) -> tuple[list[str], list[str], list[str]]:
    """In one round trip: venues in the edge ring that are in range, and venues placed only
    approximately (with coordinates, and without).

    The ring is where planar and geodesic distance could disagree: a few venues in ten
    thousand, read from the need-and-place index (or the location index without a need);
    only those get a geodesic here. Approximate venues come from a partial index and are
    listed so the main query can fetch them by key on every database.
    """
    inner = miles * (1 - nearby.PLANAR_TOLERANCE)
    outer = miles * (1 + nearby.PLANAR_TOLERANCE)
    if need.ids:
        latitude, longitude, location_id = POINTS.c.latitude, POINTS.c.longitude, POINTS.c.location_id
        ring = select(literal("ring"), location_id, latitude, longitude).where(POINTS.c.taxonomy_term_id.in_(need.ids))
    else:
        latitude, longitude, location_id = Location.latitude, Location.longitude, Location.id
        ring = select(literal("ring"), location_id, latitude, longitude)
    ring = ring.where(
        *nearby.box(place, outer, latitude, longitude),
        nearby.planar_miles_squared(place, latitude, longitude).between(inner * inner, outer * outer),
    )
    ring = ring.add_columns(cast(null(), String), cast(null(), String), literal(True))
    rough = select(
        literal("rough"),
        Location.id,
        Location.latitude,
        Location.longitude,
        Location.geo_precision,
        Location.outcode,
        Location.address_published,
    ).where(APPROXIMATE_VENUE)
    edge, placed, unplaced = set(), [], []
    for kind, found, lat, lon, precision, outcode, published in session.execute(union_all(ring, rough)):
        if kind == "ring":
            if geography.distance_miles(place, geography.Point(lat, lon)) <= miles:
                edge.add(found)
        elif lat is None or lon is None:
            unplaced.append(found)
        elif rough_venue_in_reach(place, miles, geography.Point(lat, lon), precision, outcode, published):
            placed.append(found)
    return sorted(edge), placed, unplaced


def rough_venue_in_reach(
    place: geography.Place, miles: float, point: geography.Point, precision, outcode: str | None, published: bool
) -> bool:
    """Keep a venue placed only roughly while it could be within `miles`.

    A venue whose address is not published is judged from its district centre, like its
    shown distance, so the edge of a search never reveals where it is.
    """
    if not published:
        point = (geography.outcode_centre(outcode) if outcode else None) or point
        precision = "district"
    margin = geography.uncertainty_miles(str(precision or "postcode"), outcode)
    return geography.distance_miles(place, point) <= miles + margin


def reach(session: Session, query, place: geography.Place | None, need: Need):
    """One row per service that can be reached: service_id, location_id (None when remote or
    without a postcode), nearness and need fit."""
    dialect = session.get_bind().dialect.name
    if place is None:
        rows = select(
            Service.id.label("service_id"),
            cast(null(), String).label("location_id"),
            literal(0.0, Float).label("nearness"),
            (need.best_fit(Service.id) if need.ids else literal(0.0, Float)).label("need"),
        )
        if not query.include_remote:
            rows = rows.where(Service.at_venue == true())
        if need.ids:
            # Start from the need's tags (an index), not from every service.
            tagged = select(service_taxonomy.c.service_id).where(service_taxonomy.c.taxonomy_term_id.in_(need.ids))
            rows = rows.where(Service.id.in_(tagged))
        return rows.subquery("reach")

    branches = []
    # A searcher placed by sector or district may be that far from the centre we measure
    # from: the radius grows by the uncertainty, so nothing that could be in reach is left out.
    miles = float(query.miles) + place.uncertainty_miles
    inner = miles * (1 - nearby.PLANAR_TOLERANCE)
    outer = miles * (1 + nearby.PLANAR_TOLERANCE)
    edge, placed, unplaced = nearby_facts(session, place, miles, need)
    if need.ids:
        in_box = _need_points(query, place, need)
        latitude, longitude, location_id = POINTS.c.latitude, POINTS.c.longitude, POINTS.c.location_id
    else:
        in_box = _venues(query, place, need)
        latitude, longitude, location_id = Location.latitude, Location.longitude, Location.id
    close = nearby.planar_miles_squared(place, latitude, longitude) <= inner * inner
    branches.append(
        in_box.where(
            *nearby.box(place, outer, latitude, longitude),
            or_(close, one_of(dialect, location_id, edge)) if edge else close,
        )
    )
    # Venues placed only roughly are kept while they could be in reach: fetched by key.
    if need.ids and placed:
        branches.append(_need_points(query, place, need).where(one_of(dialect, POINTS.c.location_id, placed)))
    rest = unplaced if need.ids else placed + unplaced
    if rest:
        branches.append(_venues(query, place, need).where(one_of(dialect, ServiceAtLocation.location_id, rest)))
    if query.include_remote:
        branches.append(_remote(need))
    rows = union_all(*branches).subquery("reach_rows")
    by_service = {"partition_by": rows.c.service_id}
    picked = select(
        rows,
        func.row_number().over(**by_service, order_by=(rows.c.miles_squared, rows.c.location_id)).label("pick"),
        func.max(rows.c.need).over(**by_service).label("best_need"),
    ).subquery("picked")
    return (
        select(
            picked.c.service_id,
            picked.c.location_id,
            nearness(picked.c.miles_squared).label("nearness"),
            picked.c.best_need.label("need"),
        )
        .where(picked.c.pick == 1)
        .subquery("reach")
    )


# -- 2. Scored -------------------------------------------------------------------------------


def scored(session: Session, query, place: geography.Place | None, reached, words: list[str], now):
    """Each reachable service that passes every filter, with the parts of its score."""
    dialect = session.get_bind().dialect.name
    freshness = case((Service.last_verified_at >= now - STALE_AFTER, 1.0), else_=0.0)
    columns = [
        reached.c.service_id,
        reached.c.location_id,
        reached.c.nearness,
        reached.c.need,
        Service.name.label("name"),
        freshness.label("freshness"),
        func.count().over().label("total"),
    ]
    rows = select().select_from(reached).join(Service, Service.id == reached.c.service_id)
    if words:
        matches = keyword_matches(dialect, words).subquery("keyword_matches")
        rows = rows.join(matches, matches.c.service_id == Service.id)
        columns += [matches.c.rank.label("rank"), func.max(matches.c.rank).over().label("best_rank")]
    else:
        columns += [literal(0.0, Float).label("rank"), literal(0.0, Float).label("best_rank")]
    # Organisations that are not active are few: one look-up list instead of a join per service.
    rows = rows.add_columns(*columns).where(
        Service.status == ListingStatus.ACTIVE,
        Service.organization_id.not_in(select(Organization.id).where(Organization.status != ListingStatus.ACTIVE)),
    )
    if query.free_only:
        rows = rows.where(Service.is_free == true())
    if query.self_referral:
        rows = rows.where(Service.self_referral == true())
    if query.day is not None:
        rows = rows.where(exists().where(Schedule.service_id == Service.id, Schedule.byday_index == int(query.day)))
    if query.language:
        language = query.language.strip().lower()
        rows = rows.where(
            exists().where(ServiceLanguage.service_id == Service.id, func.lower(ServiceLanguage.name) == language)
        )
    if place is not None:
        # A service that names the districts it serves is only for people who live in one of them.
        outcode = geography.outcode_of(place.postcode)
        rows = rows.where(
            or_(
                Service.id.not_in(select(ServiceArea.service_id)),
                Service.id.in_(select(ServiceArea.service_id).where(ServiceArea.outcode == outcode)),
            )
        )
    return rows


# -- 3. A page -------------------------------------------------------------------------------


def _binary(dialect: str, column):
    """Order text by code point on both databases, so ties break the same way everywhere."""
    return column.collate("C") if dialect == "postgresql" else column


def page_of(session: Session, rows, page: int, per_page: int):
    """One page of services, best score first (ties by name, then id), each with the total."""
    dialect = session.get_bind().dialect.name
    s = rows.subquery("scored")
    relevance = case((s.c.best_rank > 0, cast(s.c.rank, Float) / cast(s.c.best_rank, Float)), else_=0.0)
    score = (
        WEIGHTS["need"] * s.c.need
        + WEIGHTS["nearness"] * s.c.nearness
        + WEIGHTS["relevance"] * relevance
        + WEIGHTS["freshness"] * s.c.freshness
    ).label("score")
    return (
        select(
            s.c.service_id,
            s.c.location_id,
            s.c.need,
            s.c.nearness,
            relevance.label("relevance"),
            s.c.freshness,
            score,
            s.c.total,
        )
        .order_by(score.desc(), _binary(dialect, s.c.name), _binary(dialect, s.c.service_id))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
