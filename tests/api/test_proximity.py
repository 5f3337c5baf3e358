"""`postcode` + `proximity`: within the radius by geodesic distance, nearest first, as geopy measures it."""

import csv
import random

import pytest
from geopy.distance import geodesic
from sqlalchemy import insert

from prescribing import geography
from prescribing.api.proximity import LocalMetric, slack
from prescribing.directory.models import GeoPrecision, ListingStatus, Location, Organization, Service, ServiceAtLocation
from prescribing.extensions import db
from prescribing.ids import new_id
from tests.api.conftest import get_json
from tests.factories import make_service

CENTRES = ["M33 7XA", "M1 1AE", "OL1 1AA"]


def _places(n: int, seed: int) -> list[tuple[str, float, float]]:
    with (geography.SEED / "postcodes.csv").open(newline="", encoding="utf-8") as f:
        rows = [(r["postcode"], float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)]
    rng = random.Random(seed)
    picked = rng.sample(rows, n)
    # Some venues share a postcode, so equal distances (ties) are tested too.
    return picked + picked[:10]


@pytest.fixture
def many_listings():
    """About 400 listings at random Greater Manchester postcodes, written in bulk."""
    org = new_id()
    db.session.execute(insert(Organization), [{"id": org, "name": "Bulk", "description": ""}])
    services, locations, links, where = [], [], [], {}
    for n, (postcode, lat, lon) in enumerate(_places(390, seed=11)):
        sid, lid, sal = new_id(), new_id(), new_id()
        services.append({"id": sid, "organization_id": org, "name": f"Group {n}", "status": ListingStatus.ACTIVE})
        locations.append(
            {
                "id": lid,
                "organization_id": org,
                "name": f"Venue {n}",
                "postcode": postcode,
                "outcode": postcode.split()[0],
                "latitude": lat,
                "longitude": lon,
                "geo_precision": GeoPrecision.POSTCODE,
            }
        )
        links.append({"id": sal, "service_id": sid, "location_id": lid})
        where[sal] = (lat, lon)
    db.session.execute(insert(Service), services)
    db.session.execute(insert(Location), locations)
    db.session.execute(insert(ServiceAtLocation), links)
    db.session.commit()
    return where


def _centre(postcode: str) -> tuple[float, float]:
    place = geography.geocode_offline(postcode)
    return place.latitude, place.longitude


@pytest.mark.parametrize("centre", CENTRES)
@pytest.mark.parametrize("metres", [1500, 5000, 12000])
def test_results_are_everything_within_the_radius_nearest_first(client, many_listings, centre, metres):
    origin = _centre(centre)
    distance = {sal: geodesic(origin, point).meters for sal, point in many_listings.items()}
    expected = sorted((d, sal) for sal, d in distance.items() if d <= metres)
    got = []
    page = 1
    while True:
        body = get_json(client, f"/service_at_locations?postcode={centre}&proximity={metres}&per_page=7&page={page}")
        assert body["total_items"] == len(expected)
        got += [item["id"] for item in body["contents"]]
        if body["last_page"]:
            break
        page += 1
    assert got == [sal for _, sal in expected]
    for item in get_json(client, f"/service_at_locations?postcode={centre}&proximity={metres}&per_page=200")[
        "contents"
    ]:
        location = item["location"]
        assert geodesic(origin, (location["latitude"], location["longitude"])).meters <= metres


def test_the_edge_of_the_radius_is_decided_by_geodesic_distance(client, many_listings):
    origin = _centre("M1 1AE")
    distance = sorted(geodesic(origin, point).meters for point in many_listings.values())
    # A radius a few centimetres either side of a real listing.
    edge = distance[len(distance) // 3]
    inside = get_json(client, f"/service_at_locations?postcode=M1 1AE&proximity={edge + 0.02}")["total_items"]
    outside = get_json(client, f"/service_at_locations?postcode=M1 1AE&proximity={edge - 0.02}")["total_items"]
    assert inside == sum(1 for d in distance if d <= edge + 0.02)
    assert outside == sum(1 for d in distance if d <= edge - 0.02)
    assert inside > outside


def test_listing_at_an_unpublished_address_is_measured_from_its_district(client):
    refuge = make_service(postcode="M33 7XA", location={"address_published": False})
    centre = geography.outcode_centre("M33")
    to_district = geodesic(_centre("M32 0AA"), (centre.latitude, centre.longitude)).meters
    to_venue = geodesic(_centre("M32 0AA"), _centre("M33 7XA")).meters
    assert to_venue < to_district  # so the test tells the two apart
    between = (to_venue + to_district) / 2
    assert get_json(client, f"/service_at_locations?postcode=M32 0AA&proximity={between}")["total_items"] == 0
    body = get_json(client, f"/service_at_locations?postcode=M32 0AA&proximity={to_district + 1}")
    assert [item["service"]["id"] for item in body["contents"]] == [refuge.id]


def test_unpublished_listings_take_their_place_in_the_order(client):
    near = make_service(name="Near", postcode="M33 2AA")
    hidden = make_service(name="Hidden", postcode="M33 7XA", location={"address_published": False})
    far = make_service(name="Far", postcode="M1 1AE")
    body = get_json(client, "/service_at_locations?postcode=M33 2AA&proximity=20000")
    assert [item["service"]["id"] for item in body["contents"]] == [near.id, hidden.id, far.id]


def test_local_distance_stays_well_inside_its_allowance():
    """The approximation behind the fast search, against geopy across Great Britain."""
    rng = random.Random(3)
    worst = 0.0
    for _ in range(3000):
        centre = geography.Point(rng.uniform(49.9, 60.8), rng.uniform(-7.5, 1.7))
        metres = rng.choice([300, 3000, 8000, 50000, 200000]) * rng.random()
        bearing = rng.uniform(0, 360)
        point = geodesic(meters=metres).destination((centre.latitude, centre.longitude), bearing)
        true = geodesic((centre.latitude, centre.longitude), (point.latitude, point.longitude)).meters
        approx = LocalMetric(centre).metres(point.latitude, point.longitude)
        worst = max(worst, abs(approx - true) / slack(true))
    assert worst < 0.5


@pytest.mark.parametrize("ring_room", [2, 100])
def test_crowds_at_one_postcode_and_at_the_edge_are_counted_and_ordered(client, monkeypatch, ring_room):
    """Many venues at one postcode make the nearest-first cut and the edge of the radius
    fall inside a crowd of equal distances: the paths that read more than the first query."""
    from prescribing.api import proximity

    monkeypatch.setattr(proximity, "RING_ROOM", ring_room)
    origin = _centre("M33 2AA")
    crowd_at = _centre("M33 7XA")
    edge = geodesic(origin, crowd_at).meters
    crowd = {make_service(postcode="M33 7XA", name=f"Crowd {n}").locations_at[0].id for n in range(8)}
    nearer = {make_service(postcode="M33 2AB", name=f"Near {n}").locations_at[0].id for n in range(3)}
    for radius, expected in [(edge + 0.01, nearer | crowd), (edge - 0.01, nearer)]:
        got, page = [], 1
        while True:
            body = get_json(client, f"/service_at_locations?postcode=M33 2AA&proximity={radius}&per_page=2&page={page}")
            assert body["total_items"] == len(expected)
            got += [item["id"] for item in body["contents"]]
            if body["last_page"]:
                break
            page += 1
        assert set(got) == expected and len(got) == len(expected)
        assert got[: len(nearer)] == sorted(nearer, key=lambda s: (geodesic(origin, _centre("M33 2AB")).meters, s))
        assert got[len(nearer) :] == sorted(got[len(nearer) :])  # equal distances: by id
