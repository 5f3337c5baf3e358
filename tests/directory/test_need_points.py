"""The need-and-place index behind nearby search by need stays in step with every write."""

import pytest
from sqlalchemy import select, text

from prescribing import geography
from prescribing.directory.models import GeoPrecision, Location, ServiceAtLocation, service_taxonomy
from prescribing.directory.need_points import POINTS, refresh_need_points
from prescribing.directory.search import SearchQuery, search_services
from prescribing.directory.search_index import create_search_index, refresh_search_index
from prescribing.extensions import db
from tests.factories import make_service, make_term


def indexed() -> set[tuple]:
    rows = db.session.execute(
        select(POINTS.c.taxonomy_term_id, POINTS.c.service_id, POINTS.c.location_id, POINTS.c.latitude)
    )
    return {tuple(row) for row in rows}


def expected() -> set[tuple]:
    """What the index should hold, worked out from the directory tables."""
    rows = db.session.execute(
        select(
            service_taxonomy.c.taxonomy_term_id,
            service_taxonomy.c.service_id,
            Location.id,
            Location.latitude,
        )
        .join(ServiceAtLocation, ServiceAtLocation.service_id == service_taxonomy.c.service_id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(Location.latitude.is_not(None), Location.longitude.is_not(None))
    )
    return {tuple(row) for row in rows}


@pytest.fixture
def terms(db):
    return make_term("walking"), make_term("swimming"), make_term("cooking")


def test_tags_and_venues_are_indexed_when_created(terms):
    make_service(terms=[terms[0], terms[1]])
    make_service(terms=[terms[2]], postcode=None, online=True)
    assert len(indexed()) == 2
    assert indexed() == expected()


def test_changing_tags_follows(terms):
    service = make_service(terms=[terms[0]])
    service.terms = [terms[1], terms[2]]
    db.session.commit()
    assert {row[0] for row in indexed()} == {terms[1].id, terms[2].id}
    assert indexed() == expected()


def test_adding_and_removing_a_venue_follows(terms):
    service = make_service(terms=[terms[0]])
    place = geography.geocode_offline("M15 4JF")
    venue = Location(
        organization=service.organization,
        name="Second venue",
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=GeoPrecision.POSTCODE,
    )
    link = ServiceAtLocation(service=service, location=venue)
    db.session.add(link)
    db.session.commit()
    assert len(indexed()) == 2 and indexed() == expected()
    db.session.delete(link)
    db.session.commit()
    assert len(indexed()) == 1 and indexed() == expected()


def test_moving_a_venue_follows_and_search_sees_it(terms):
    service = make_service(terms=[terms[0]], postcode="OL4 1DH")  # 12 miles from M33 7XX
    assert search_services(db.session, SearchQuery(postcode="M33 7XX", need="walking")).total == 0
    location = service.locations_at[0].location
    place = geography.geocode_offline("M33 6PH")
    location.latitude, location.longitude = place.latitude, place.longitude
    db.session.commit()
    assert indexed() == expected()
    found = search_services(db.session, SearchQuery(postcode="M33 7XX", need="walking"))
    assert [r.service.id for r in found.results] == [service.id]


def test_a_venue_that_loses_its_coordinates_leaves_the_index(terms):
    service = make_service(terms=[terms[0]])
    location = service.locations_at[0].location
    location.latitude = location.longitude = None
    location.geo_precision = GeoPrecision.NONE
    db.session.commit()
    assert indexed() == set() == expected()
    # Still found (its distance is unknown, so it is not dropped by distance).
    found = search_services(db.session, SearchQuery(postcode="M33 7XX", need="walking"))
    assert [r.service.id for r in found.results] == [service.id]
    assert found.results[0].miles is None


def test_refresh_repairs_rows_written_without_the_triggers(terms):
    service = make_service(terms=[terms[0]])
    db.session.execute(text("DELETE FROM service_need_point"))
    assert indexed() == set()
    refresh_need_points(db.session.connection(), [service.id])
    assert indexed() == expected()
    db.session.execute(text("DELETE FROM service_need_point"))
    refresh_search_index(db.session)
    db.session.commit()
    assert indexed() == expected() != set()


def test_create_search_index_again_keeps_one_row_each(terms):
    make_service(terms=[terms[0], terms[1]])
    with db.engine.begin() as connection:
        create_search_index(connection)
    assert len(indexed()) == 2 and indexed() == expected()
