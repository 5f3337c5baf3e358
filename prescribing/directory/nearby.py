"""Nearby search: a bounding box on indexed latitude/longitude in SQL, then exact
geodesic distance for the candidates only. Never a scan of every location in Python.

Inside the box the database also measures a planar distance on the WGS84 ellipsoid
(`planar_miles_squared`: local radii of curvature, linearised in latitude, so only
arithmetic and no trigonometry runs in SQL). Across a county it agrees with the geodesic
to about 1 part in 100,000, so it can rank candidates and settle everything but a thin
ring at the edge of the radius; geopy's geodesic (about 0.1 ms a call) settles that ring
and gives the distances people see.
"""

import math
from dataclasses import dataclass

from sqlalchemy import Select, select

from prescribing import geography
from prescribing.directory.models import Location, ServiceAtLocation

# How far the planar distance may be from the geodesic, as a fraction, with a wide margin
# (the largest seen over Great Britain at 35 miles is 2e-5).
PLANAR_TOLERANCE = 2e-4

_A = 6378137.0  # WGS84 semi-major axis, metres
_E2 = 0.00669437999014  # WGS84 first eccentricity squared
_RADIANS = math.pi / 180


@dataclass(frozen=True)
class NearbyLocation:
    location_id: str
    service_at_location_id: str
    service_id: str
    miles: float


def _miles_per_degree(latitude: float) -> tuple[float, float]:
    """(north-south, east-west) miles per degree at this latitude on the WGS84 ellipsoid."""
    sin = math.sin(latitude * _RADIANS)
    w = 1 - _E2 * sin * sin
    meridional = _A * (1 - _E2) / w**1.5
    prime_vertical = _A / math.sqrt(w)
    per_radian = _RADIANS / geography.METRES_PER_MILE
    return meridional * per_radian, prime_vertical * math.cos(latitude * _RADIANS) * per_radian


@dataclass(frozen=True)
class PlanarScale:
    """Miles per degree near a centre, as straight lines in latitude: `north_at + north_per * lat`.

    Taken at the mean latitude of the two ends, which is what keeps the error tiny; being
    linear in latitude, it needs no cosine in SQL and few operations per row.
    """

    latitude: float
    longitude: float
    north_at: float
    north_per: float
    east_at: float
    east_per: float

    @classmethod
    def around(cls, centre: geography.Point) -> "PlanarScale":
        step = 1e-3
        north, east = _miles_per_degree(centre.latitude)
        north_up, east_up = _miles_per_degree(centre.latitude + step)
        north_down, east_down = _miles_per_degree(centre.latitude - step)
        # At the mean latitude (lat0 + lat) / 2 the scale is scale(lat0) + slope × (lat − lat0) / 2.
        north_per = (north_up - north_down) / (2 * step) / 2
        east_per = (east_up - east_down) / (2 * step) / 2
        return cls(
            centre.latitude,
            centre.longitude,
            north - north_per * centre.latitude,
            north_per,
            east - east_per * centre.latitude,
            east_per,
        )

    def miles_squared(self, latitude, longitude):
        """Squared distance from the centre; works on floats and on SQL column expressions alike."""
        north = (self.north_at + self.north_per * latitude) * (latitude - self.latitude)
        east = (self.east_at + self.east_per * latitude) * (longitude - self.longitude)
        return north * north + east * east


def planar_miles_squared(centre: geography.Point, latitude=Location.latitude, longitude=Location.longitude):
    """SQL expression: squared planar miles from `centre` to a location (NULL without coordinates)."""
    return PlanarScale.around(centre).miles_squared(latitude, longitude)


def box(centre: geography.Point, miles: float, latitude=Location.latitude, longitude=Location.longitude) -> list:
    """SQL conditions: latitude and longitude inside the box around `centre` (index-friendly)."""
    min_lat, max_lat, min_lon, max_lon = geography.bounding_box(centre, miles)
    return [latitude.between(min_lat, max_lat), longitude.between(min_lon, max_lon)]


def within_box(query: Select, centre: geography.Point, miles: float) -> Select:
    """Limit a query that joins Location to the box around `centre` (uses ix_location_lat_lon)."""
    return query.where(*box(centre, miles))


def within_radius(query: Select, centre: geography.Point, miles: float, *, margin: float = PLANAR_TOLERANCE) -> Select:
    """Limit a query joining Location to the box, then to the planar circle widened by `margin`.

    Everything within `miles` by geodesic is kept; a thin ring just outside may remain for
    the caller to settle with `geography.distance_miles`.
    """
    outer = miles * (1 + margin)
    return within_box(query, centre, outer).where(planar_miles_squared(centre) <= outer * outer)


def service_locations_near(
    session, centre: geography.Point, miles: float, *, where: list | None = None
) -> list[NearbyLocation]:
    """Service-at-location rows within `miles` of `centre`, nearest first.

    `where` adds SQL conditions (on Service, Location, ...) so filtering stays in the database.
    """
    query = select(
        Location.id,
        ServiceAtLocation.id,
        ServiceAtLocation.service_id,
        Location.latitude,
        Location.longitude,
    ).join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
    query = within_radius(query, centre, miles)
    for condition in where or []:
        query = query.where(condition)
    found = []
    for location_id, sal_id, service_id, lat, lon in session.execute(query):
        distance = geography.distance_miles(centre, geography.Point(lat, lon))
        if distance <= miles:
            found.append(NearbyLocation(location_id, sal_id, service_id, distance))
    found.sort(key=lambda n: n.miles)
    return found
