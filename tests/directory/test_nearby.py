"""Nearby search helpers: bounding box, planar distance in SQL, geodesic for the candidates."""

import random

import pytest
from geopy.distance import geodesic
from sqlalchemy import select

from prescribing import geography
from prescribing.directory import nearby
from prescribing.directory.models import Location, Service, ServiceAtLocation
from prescribing.extensions import db
from tests.factories import make_service

CENTRE = geography.geocode_offline("M33 7XX")


@pytest.mark.parametrize("seed", range(5))
def test_planar_distance_agrees_with_the_geodesic_well_within_the_tolerance(seed):
    rng = random.Random(seed)
    for _ in range(200):
        centre = geography.Point(rng.uniform(50, 58.5), rng.uniform(-6, 1.5))
        other = (centre.latitude + rng.uniform(-0.4, 0.4), centre.longitude + rng.uniform(-0.6, 0.6))
        exact = geodesic((centre.latitude, centre.longitude), other).miles
        planar = nearby.PlanarScale.around(centre).miles_squared(*other) ** 0.5
        assert planar == pytest.approx(exact, rel=nearby.PLANAR_TOLERANCE / 5)


def test_the_database_computes_the_same_planar_distance():
    service = make_service(postcode="M15 4JF")
    location = service.locations_at[0].location
    in_sql = db.session.scalar(select(nearby.planar_miles_squared(CENTRE)).where(Location.id == location.id))
    in_python = nearby.PlanarScale.around(CENTRE).miles_squared(location.latitude, location.longitude)
    assert in_sql == pytest.approx(in_python, rel=1e-12)
    assert in_sql**0.5 == pytest.approx(4.0, abs=0.05)


def test_service_locations_near_measures_by_geodesic_and_sorts_nearest_first():
    far = make_service(postcode="M15 4JF")  # 4 miles
    near = make_service(postcode="M33 6PH")  # 0.5 miles
    make_service(postcode="M9 8GY")  # 8 miles
    found = nearby.service_locations_near(db.session, CENTRE, 5)
    assert [n.service_id for n in found] == [near.id, far.id]
    for hit in found:
        location = db.session.get(Location, hit.location_id)
        expected = geodesic((CENTRE.latitude, CENTRE.longitude), (location.latitude, location.longitude)).miles
        assert hit.miles == pytest.approx(expected, rel=1e-9)


def test_service_locations_near_takes_extra_sql_conditions():
    make_service(postcode="M33 6PH", name="Keep")
    make_service(postcode="M33 6PH", name="Drop")
    found = nearby.service_locations_near(
        db.session,
        CENTRE,
        5,
        where=[ServiceAtLocation.service_id.in_(select(Service.id).where(Service.name == "Keep"))],
    )
    assert len(found) == 1


def test_within_box_keeps_the_box_only():
    inside = make_service(postcode="M33 6PH")
    make_service(postcode="OL4 1DH")
    query = nearby.within_box(
        select(ServiceAtLocation.service_id).join(Location, Location.id == ServiceAtLocation.location_id), CENTRE, 2
    )
    assert db.session.scalars(query).all() == [inside.id]
