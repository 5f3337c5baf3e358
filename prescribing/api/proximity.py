"""Nearest-first paging for `/service_at_locations?postcode=…&proximity=…`, fast on 50,000 listings.

`prescribing.directory.nearby.service_locations_near` measures every candidate in the
bounding box with geopy's geodesic (about 90 µs each); around central Manchester an 8 km
box holds some 15,000 of 50,000 listings, which is over a second. Here the database does the
narrowing, counting and ordering with a local ellipsoidal distance that needs only arithmetic
(so it runs the same on SQLite and PostgreSQL), and the exact geodesic is worked out only
where it can change the answer:

- listings whose approximate distance is within `slack` of the radius (a ring well under a
  metre wide at 8 km) are measured exactly to decide whether they are in;
- listings whose approximate distances are within `2 × slack` of each other are measured
  exactly to put them in geodesic order; farther apart, the approximate order is the exact one.

So the order and the count are the geodesic ones, as if every listing had been measured.

Locations whose address is not published are measured from the centre of their postcode
district instead of their real position, so neither the order nor the count reveals where
they are.
"""

import math
from dataclasses import dataclass

from sqlalchemy import case, func, select

from prescribing import geography
from prescribing.directory.models import Location, Organization, Service, ServiceAtLocation

_A = 6378137.0  # WGS84 semi-major axis, metres
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
# Rows kept for the ring at the edge of the radius in the main query; more than this and the
# ring is read on its own.
RING_ROOM = 100


@dataclass(frozen=True)
class LocalMetric:
    """Distances near `centre`: y = M·Δφ, x = N·cos(φm)·Δλ, with cos(φm) to first order."""

    centre: geography.Point

    @property
    def _terms(self) -> tuple[float, float, float]:
        phi = math.radians(self.centre.latitude)
        sin0, cos0 = math.sin(phi), math.cos(phi)
        w = math.sqrt(1 - _E2 * sin0 * sin0)
        n, m = _A / w, _A * (1 - _E2) / w**3
        deg = math.pi / 180
        # x = (a − b·Δlat°)·Δlon°, y = c·Δlat°
        return n * deg * cos0, n * deg * sin0 * deg / 2, m * deg

    def squared_sql(self, latitude, longitude):
        a, b, c = self._terms
        dlat = latitude - self.centre.latitude
        x = (a - dlat * b) * (longitude - self.centre.longitude)
        y = dlat * c
        return x * x + y * y

    def metres(self, latitude: float, longitude: float) -> float:
        a, b, c = self._terms
        dlat = latitude - self.centre.latitude
        return math.hypot((a - dlat * b) * (longitude - self.centre.longitude), dlat * c)


def slack(metres: float) -> float:
    """A bound on |approximate − geodesic| at this distance, with a wide margin.

    Measured against geographiclib for 90,000 pairs with one end anywhere in Great Britain
    and the other up to 200 km away: the error grows with the square of the distance, at most
    0.05 m at 8 km and 44 m at 200 km. This allows about four times that.
    """
    return 4e-9 * metres * metres + 0.05


def exact_metres(centre: geography.Point, latitude: float, longitude: float) -> float:
    return geography.distance_miles(centre, geography.Point(latitude, longitude)) * geography.METRES_PER_MILE


@dataclass(frozen=True)
class Nearby:
    total: int
    ids: list[str]  # service_at_location ids, nearest first


@dataclass
class _Candidate:
    sal_id: str
    key: float  # approximate metres; exact for listings measured already
    latitude: float
    longitude: float
    exact: float | None = None


def _box(centre: geography.Point, metres: float) -> list:
    min_lat, max_lat, min_lon, max_lon = geography.bounding_box(centre, metres / geography.METRES_PER_MILE)
    return [Location.latitude.between(min_lat, max_lat), Location.longitude.between(min_lon, max_lon)]


def _in_box(centre: geography.Point, metres: float, keep: list):
    return (
        select(ServiceAtLocation.id, Location.latitude, Location.longitude)
        .select_from(Location)
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
        .where(Location.address_published.is_(True), *_box(centre, metres), *keep)
    )


def nearest_page(
    session, centre: geography.Point, metres: float, *, keep: list, where: list, offset: int, limit: int
) -> Nearby:
    """One page of the service-at-locations within `metres` of `centre`, nearest first.

    `keep` holds conditions on `ServiceAtLocation.service_id` only (IN / NOT IN subqueries),
    so the scan of the box reads no more than the location and service_at_location indexes.
    `where` says the same with conditions on Service and Organization, for the few listings
    at unpublished addresses.
    """
    metric = LocalMetric(centre)
    d2 = metric.squared_sql(Location.latitude, Location.longitude)
    ring_slack = slack(metres)
    outer = (metres + ring_slack) ** 2
    inner = max(metres - ring_slack, 0) ** 2
    wanted = offset + limit

    # One pass over the box: how many, the ring at the edge of the radius first, then the
    # first `wanted` in approximate order.
    in_ring = case((d2 > inner, 0), else_=1)
    query = (
        _in_box(centre, metres + ring_slack, keep)
        .add_columns(in_ring, func.count().over())
        .where(d2 <= outer)
        .order_by(in_ring, d2, ServiceAtLocation.id)
        .limit(wanted + RING_ROOM)
    )
    counted, ring, nearest = 0, [], []
    for sal_id, lat, lon, not_ring, n in session.execute(query):
        counted = n
        (nearest if not_ring else ring).append(_Candidate(sal_id, metric.metres(lat, lon), lat, lon))
    if not nearest and len(ring) == wanted + RING_ROOM:
        # The ring filled the whole answer, so some of it may be missing: read it whole, and the
        # nearest on their own.
        ring = _read(session, _in_box(centre, metres + ring_slack, keep).where(d2 > inner, d2 <= outer), metric)
        nearest = _read(
            session,
            _in_box(centre, metres + ring_slack, keep)
            .where(d2 <= inner)
            .order_by(d2, ServiceAtLocation.id)
            .limit(wanted),
            metric,
        )
    for candidate in ring:
        candidate.exact = exact_metres(centre, candidate.latitude, candidate.longitude)
    outside = {c.sal_id for c in ring if c.exact > metres}
    unpublished = [
        _Candidate(sal_id, exact, 0.0, 0.0, exact)
        for sal_id, exact in _unpublished_within(session, centre, metres, where)
    ]
    total = counted - len(outside) + len(unpublished)
    if offset >= total or limit <= 0:
        return Nearby(total, [])

    # Everything nearer than `covered` has been read (1 m allows for rounding in the database).
    inner_count = counted - len(ring)
    covered = nearest[-1].key - 1.0 if inner_count > len(nearest) and nearest else math.inf
    merged = [c for c in nearest + ring if c.sal_id not in outside] + unpublished
    merged.sort(key=lambda c: (c.key, c.sal_id))
    last_key = merged[min(wanted, len(merged)) - 1].key
    reach = last_key + 2 * slack(last_key + 1)
    if reach > covered:
        # Listings just beyond the last one read may come before it in the exact order.
        seen = {c.sal_id for c in merged}
        more = _in_box(centre, reach, keep).where(d2 >= max(covered, 0.0) ** 2, d2 <= min(reach**2, inner))
        merged += [c for c in _read(session, more, metric) if c.sal_id not in seen]
        merged.sort(key=lambda c: (c.key, c.sal_id))
    return Nearby(total, [c.sal_id for c in _exact_order(centre, merged, offset, wanted)])


def _read(session, query, metric: LocalMetric) -> list[_Candidate]:
    return [_Candidate(sal_id, metric.metres(lat, lon), lat, lon) for sal_id, lat, lon, *_ in session.execute(query)]


def _exact_order(centre: geography.Point, ordered: list[_Candidate], start: int, stop: int) -> list[_Candidate]:
    """Items start..stop-1 of `ordered` (sorted by approximate distance) in geodesic order.

    Neighbours more than 2 × slack apart keep their order; runs of closer neighbours are
    measured exactly and sorted (ties by id), which is all the exact order can change.
    """
    result, position, i = [], 0, 0
    measured: dict[tuple[float, float], float] = {}
    while i < len(ordered) and position < stop:
        j = i + 1
        while j < len(ordered) and ordered[j].key - ordered[j - 1].key <= 2 * slack(ordered[j].key):
            j += 1
        run = ordered[i:j]
        if position + len(run) > start and len(run) > 1:
            for c in run:
                if c.exact is None:
                    point = (c.latitude, c.longitude)
                    if point not in measured:
                        measured[point] = exact_metres(centre, *point)
                    c.exact = measured[point]
            run = sorted(run, key=lambda c: (c.exact, c.sal_id))
        for c in run:
            if start <= position < stop:
                result.append(c)
            position += 1
        i = j
    return result


def _unpublished_within(session, centre: geography.Point, metres: float, where: list) -> list[tuple[str, float]]:
    """Listings at unpublished addresses, measured from their postcode district's centre.

    Two small queries: the unpublished locations (through their index), then which of their
    services pass the filters. One query joining everything lets SQLite start from the service
    table and read all of it.
    """
    rows = session.execute(
        select(ServiceAtLocation.id, ServiceAtLocation.service_id, Location.outcode)
        .select_from(Location)
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
        .where(Location.address_published.is_(False), Location.outcode.is_not(None))
    ).all()
    if not rows:
        return []
    shown = set(
        session.scalars(
            select(Service.id)
            .join(Organization, Organization.id == Service.organization_id)
            .where(Service.id.in_({service_id for _, service_id, _ in rows}), *where)
        )
    )
    metric = LocalMetric(centre)
    found = []
    for sal_id, service_id, outcode in rows:
        point = geography.outcode_centre(outcode) if service_id in shown else None
        if point is None or metric.metres(point.latitude, point.longitude) > metres + slack(metres):
            continue
        distance = exact_metres(centre, point.latitude, point.longitude)
        if distance <= metres:
            found.append((sal_id, distance))
    return found
