"""Postcodes, geocoding and distance. The only module that imports geopy.

The default geocoder works offline from data shipped in `seed/`: full postcodes for the
demo area, then postcode sector and district centres for everywhere in Great Britain.
A valid postcode the data does not hold falls back to its sector, then its district,
and the result says so: a distance from a district centre is approximate.
"""

import csv
import logging
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from geopy.distance import geodesic

SEED = Path(__file__).resolve().parent.parent / "seed"
log = logging.getLogger("prescribing.geography")

# The format rules from BS 7666: outward code (area + district) and inward code (sector + unit).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
_OUTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# Crown dependencies and Northern Ireland are outside the data we hold (and outside England).
NOT_COVERED = ("BT", "IM", "GY", "JE")
METRES_PER_MILE = 1609.344
# How far a point placed by its sector or district centre can be from the real place.
# Distances from such points are widened by this much before they exclude anything, so
# nothing that could be in reach is left out. A sector is at most a few miles across; a
# district reaches as far as its farthest sector centre plus that (see uncertainty_miles()).
SECTOR_UNCERTAINTY_MILES = 3.0


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place(Point):
    """Where a postcode is, and how precisely we know it."""

    postcode: str
    precision: str  # "postcode", "sector" or "district"

    @property
    def is_approximate(self) -> bool:
        return self.precision != "postcode"

    @property
    def uncertainty_miles(self) -> float:
        return uncertainty_miles(self.precision, outcode_of(self.postcode))


def normalise_postcode(raw: str | None) -> str | None:
    """`ls61aa` → `LS6 1AA`; None when it is not a UK postcode in form."""
    if not raw:
        return None
    compact = re.sub(r"\s+", "", raw).upper()
    if len(compact) > 7:
        return None
    match = _POSTCODE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def normalise_outcode(raw: str | None) -> str | None:
    """A postcode district such as `M33`, from a district or a full postcode."""
    if not raw:
        return None
    compact = re.sub(r"\s+", "", raw).upper()
    if _OUTCODE.match(compact):
        return compact
    full = normalise_postcode(raw)
    return outcode_of(full) if full else None


def outcode_of(postcode: str) -> str:
    return postcode.split(" ")[0]


def sector_of(postcode: str) -> str:
    outward, inward = postcode.split(" ")
    return f"{outward} {inward[0]}"


def is_covered(postcode: str) -> bool:
    """Great Britain only: Northern Ireland and the Crown dependencies are not in our data."""
    area = re.match(r"^[A-Z]+", postcode).group(0)
    return area not in NOT_COVERED


class _OfflineTables:
    """The shipped postcode tables, read once on first use."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()
        self._loaded = False
        self.postcodes: dict[str, tuple[float, float]] = {}
        self.sectors: dict[str, tuple[float, float]] = {}
        self.outcodes: dict[str, tuple[float, float]] = {}
        self._reach: dict[str | None, float] = {}

    def ensure_loaded(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            self.postcodes = self._read("postcodes.csv", "postcode")
            self.sectors = self._read("sectors.csv", "sector")
            self.outcodes = self._read("outcodes.csv", "outcode")
            self._loaded = True

    def district_reach(self, outcode: str | None) -> float:
        """Miles from a district's centre to its farthest sector centre (computed once per district)."""
        self.ensure_loaded()
        if outcode not in self._reach:
            centre = self.outcodes.get(outcode or "")
            sectors = [point for sector, point in self.sectors.items() if sector.split(" ")[0] == outcode]
            self._reach[outcode] = (
                max((distance_miles(Point(*centre), Point(*point)) for point in sectors), default=0.0)
                if centre
                else 0.0
            )
        return self._reach[outcode]

    def _read(self, name: str, key: str) -> dict[str, tuple[float, float]]:
        path = self.folder / name
        if not path.exists():
            log.warning("geocoder table %s is missing", path)
            return {}
        with path.open(newline="", encoding="utf-8") as f:
            return {row[key]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(f)}


_tables = _OfflineTables(SEED)


def geocode_offline(postcode: str) -> Place | None:
    """Locate a normalised postcode from the shipped tables, falling back to sector then district."""
    _tables.ensure_loaded()
    for precision, table, key in (
        ("postcode", _tables.postcodes, postcode),
        ("sector", _tables.sectors, sector_of(postcode)),
        ("district", _tables.outcodes, outcode_of(postcode)),
    ):
        if key in table:
            lat, lon = table[key]
            return Place(lat, lon, postcode, precision)
    return None


def uncertainty_miles(precision: str | None, outcode: str | None) -> float:
    """How far the real place can be from a point known only to this precision."""
    precision = (precision or "postcode").lower()
    if precision == "sector":
        return SECTOR_UNCERTAINTY_MILES
    if precision == "district":
        return _tables.district_reach(outcode) + SECTOR_UNCERTAINTY_MILES
    return 0.0


def outcode_centre(outcode: str) -> Point | None:
    _tables.ensure_loaded()
    found = _tables.outcodes.get(outcode)
    return Point(*found) if found else None


class Geocoder:
    """Offline by default; an online geocoder through geopy when configured, falling back offline."""

    def __init__(self, mode: str = "offline", timeout: float = 3, user_agent: str = "prescribing"):
        self.mode = mode
        self.timeout = timeout
        self.user_agent = user_agent
        self._online = None

    def geocode(self, raw_postcode: str) -> Place | None:
        postcode = normalise_postcode(raw_postcode)
        if postcode is None:
            return None
        offline = geocode_offline(postcode)
        if self.mode == "offline" or (offline and offline.precision == "postcode"):
            return offline
        online = self._geocode_online(postcode)
        return online or offline

    def _geocode_online(self, postcode: str) -> Place | None:
        try:
            if self._online is None:
                from geopy.geocoders import Nominatim

                self._online = Nominatim(user_agent=self.user_agent, timeout=self.timeout)
            found = self._online.geocode({"postalcode": postcode, "country": "United Kingdom"}, exactly_one=True)
        except Exception:  # any network or service failure: the offline answer stands
            log.warning("online geocoder failed; using offline data")
            return None
        if found is None:
            return None
        return Place(found.latitude, found.longitude, postcode, "postcode")


_geocoders: dict[tuple, Geocoder] = {}


def geocoder_from_config(config: Mapping) -> Geocoder:
    key = (config.get("GEOCODER", "offline"), config.get("GEOCODER_TIMEOUT", 3), config.get("GEOCODER_USER_AGENT"))
    if key not in _geocoders:
        _geocoders[key] = Geocoder(mode=key[0], timeout=key[1], user_agent=key[2] or "prescribing")
    return _geocoders[key]


def distance_miles(a: Point, b: Point) -> float:
    """Geodesic distance on the WGS84 ellipsoid."""
    return geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).miles


def bounding_box(centre: Point, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle of `miles` around `centre`.

    Slightly generous so that no point within the radius falls outside it; the exact
    geodesic distance is measured afterwards for the candidates inside the box.
    """
    lat_delta = miles / 68.7 * 1.01
    lon_delta = miles / (69.17 * max(math.cos(math.radians(centre.latitude)), 0.01)) * 1.01
    return (
        centre.latitude - lat_delta,
        centre.latitude + lat_delta,
        centre.longitude - lon_delta,
        centre.longitude + lon_delta,
    )
