"""search_services: every filter, the one score, distances, remote services and pages."""

import math
from datetime import time, timedelta

import pytest
from geopy.distance import geodesic

from prescribing import geography
from prescribing.clock import utcnow
from prescribing.directory import search
from prescribing.directory.models import (
    GeoPrecision,
    ListingStatus,
    Location,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
)
from prescribing.directory.search import SearchQuery, UnknownNeed, UnknownPostcode, search_services
from prescribing.extensions import db
from tests.factories import make_organization, make_service, make_term

CENTRE = "M33 7XX"
# Real postcodes at known geodesic distances from CENTRE (miles, rounded).
HALF_MILE = "M33 6PH"  # 0.5
MILE_AND_HALF = "M32 8JD"  # 1.5
TWO_AND_HALF = "M21 0RW"  # 2.5
FOUR_MILES = "M15 4JF"  # 4.0
EIGHT_MILES = "M9 8GY"  # 8.0
TWELVE_MILES = "OL4 1DH"  # 12.0


@pytest.fixture
def needs(db):
    physical = make_term("physical-activity")
    return {
        "physical-activity": physical,
        "walking": make_term("walking", parent=physical),
        "swimming": make_term("swimming", parent=physical),
        "debt-advice": make_term("debt-advice"),
    }


def names(page) -> list[str]:
    return [result.service.name for result in page.results]


def find(**query) -> search.SearchPage:
    return search_services(db.session, SearchQuery(**query))


def test_without_a_postcode_a_need_search_covers_everywhere(needs):
    make_service(name="Far walk", postcode=TWELVE_MILES, terms=[needs["walking"]])
    make_service(name="Near walk", postcode=HALF_MILE, terms=[needs["walking"]])
    make_service(name="Debt clinic", postcode=HALF_MILE, terms=[needs["debt-advice"]])
    page = find(need="walking")
    assert sorted(names(page)) == ["Far walk", "Near walk"]
    assert all(result.miles is None for result in page.results)


# Each case: the query, a service it should find, and one it should not.
FILTER_CASES = {
    "need": ({"need": "debt-advice"}, {"terms": ["debt-advice"]}, {"terms": ["walking"]}),
    "within 3 miles": ({"miles": 3}, {"postcode": TWO_AND_HALF}, {"postcode": FOUR_MILES}),
    "within 1 mile": ({"miles": 1}, {"postcode": HALF_MILE}, {"postcode": MILE_AND_HALF}),
    "within 5 miles": ({"miles": 5}, {"postcode": FOUR_MILES}, {"postcode": EIGHT_MILES}),
    "within 10 miles": ({"miles": 10}, {"postcode": EIGHT_MILES}, {"postcode": TWELVE_MILES}),
    "day of week": ({"day": 1}, {"sessions": [(1, time(10), time(12))]}, {"sessions": [(3, time(10), time(12))]}),
    "day of week, no sessions": ({"day": 1}, {"sessions": [(1, time(10), time(12))]}, {}),
    "free only": ({"free_only": True}, {}, {"cost": 4.5}),
    "step-free access": ({"step_free": True}, {"location": {"step_free": True}}, {"location": {"step_free": False}}),
    "language": ({"language": "polish"}, {"languages": ["Polish"]}, {"languages": ["Urdu"]}),
    "self-referral": ({"self_referral": True}, {"self_referral": True}, {"self_referral": False}),
    "remote left out by default": ({}, {}, {"postcode": None, "online": True}),
    "inactive never shown": ({}, {}, {"status": ListingStatus.INACTIVE}),
    "archived never shown": ({"include_remote": True}, {}, {"status": ListingStatus.ARCHIVED}),
    "outside the service's area": ({}, {"areas": ["M33", "M32"]}, {"areas": ["M1"]}),
    "keywords": ({"keywords": "choir"}, {"description": "A community choir."}, {"description": "A walking group."}),
}


def _make(needs, name, **spec):
    spec = dict(spec)
    spec.setdefault("postcode", HALF_MILE)
    spec["terms"] = [needs[code] for code in spec.get("terms", ["walking"])]
    spec["languages"] = [ServiceLanguage(name=n) for n in spec.get("languages", [])]
    spec["areas"] = [ServiceArea(outcode=o) for o in spec.get("areas", [])]
    return make_service(name=name, **spec)


@pytest.mark.parametrize(("query", "wanted", "unwanted"), FILTER_CASES.values(), ids=FILTER_CASES.keys())
def test_each_filter_keeps_what_fits_and_leaves_out_what_does_not(needs, query, wanted, unwanted):
    _make(needs, "Wanted", **wanted)
    _make(needs, "Unwanted", **unwanted)
    assert names(find(postcode=CENTRE, **query)) == ["Wanted"]


def test_archived_organisation_takes_its_services_out_of_search(needs):
    organization = make_organization(status=ListingStatus.ARCHIVED)
    _make(needs, "Gone", organization=organization)
    _make(needs, "Here")
    assert names(find(postcode=CENTRE)) == ["Here"]


def test_a_service_for_named_districts_shows_without_a_postcode(needs):
    _make(needs, "Only M1", areas=["M1"])
    assert names(find(need="walking")) == ["Only M1"]


def test_nearer_beats_farther_all_else_equal(needs):
    _make(needs, "Farther", postcode=TWO_AND_HALF)
    _make(needs, "Nearer", postcode=MILE_AND_HALF)
    assert names(find(postcode=CENTRE, need="walking")) == ["Nearer", "Farther"]


def test_stale_listing_ranks_below_an_identical_fresh_one(needs):
    _make(needs, "A stale", last_verified_at=utcnow() - timedelta(days=181))
    _make(needs, "B fresh")
    page = find(postcode=CENTRE, need="walking")
    assert names(page) == ["B fresh", "A stale"]
    assert [r.score_parts["freshness"] for r in page.results] == [1.0, 0.0]


def test_exact_need_beats_a_parent_only_match(needs):
    _make(needs, "A parent only", terms=["physical-activity"])
    _make(needs, "B exact", terms=["walking"])
    page = find(postcode=CENTRE, need="walking")
    assert names(page) == ["B exact", "A parent only"]
    assert [r.score_parts["need"] for r in page.results] == [1.0, 0.6]


def test_a_broad_need_finds_its_narrower_needs_but_ranks_them_lower(needs):
    _make(needs, "A swimming", terms=["swimming"])
    _make(needs, "B physical", terms=["physical-activity"])
    _make(needs, "C debt", terms=["debt-advice"])
    page = find(postcode=CENTRE, need="physical-activity")
    assert names(page) == ["B physical", "A swimming"]


def test_sibling_needs_do_not_match(needs):
    _make(needs, "Swimming", terms=["swimming"])
    assert names(find(postcode=CENTRE, need="walking")) == []


def test_score_is_the_documented_weighted_sum(needs):
    _make(needs, "Walk", postcode=TWO_AND_HALF, description="Walking for health")
    result = find(postcode=CENTRE, need="walking", keywords="walking").results[0]
    parts = result.score_parts
    assert parts["need"] == 1.0
    assert parts["relevance"] == pytest.approx(1.0)
    assert parts["freshness"] == 1.0
    assert parts["nearness"] == pytest.approx(1 / (1 + (result.miles / 3) ** 2), rel=1e-4)
    assert result.score == pytest.approx(sum(search.WEIGHTS[k] * v for k, v in parts.items()))


def test_distances_are_geodesic(needs):
    for postcode in (HALF_MILE, TWO_AND_HALF, FOUR_MILES):
        _make(needs, postcode, postcode=postcode)
    centre = geography.geocode_offline(CENTRE)
    page = find(postcode=CENTRE, miles=5)
    assert len(page.results) == 3
    for result in page.results:
        venue = geography.geocode_offline(result.service.name)
        expected = geodesic((centre.latitude, centre.longitude), (venue.latitude, venue.longitude)).miles
        assert result.miles == pytest.approx(expected, rel=1e-9)
        assert result.approximate is False


@pytest.mark.parametrize("bearing", [0, 60, 135, 200, 290])
def test_the_radius_is_measured_by_geodesic_at_its_edge(needs, bearing):
    centre = geography.geocode_offline(CENTRE)
    for name, miles in (("Just inside", 5 * (1 - 2e-5)), ("Just outside", 5 * (1 + 2e-5))):
        point = geodesic(miles=miles).destination((centre.latitude, centre.longitude), bearing)
        service = _make(needs, name)
        location = service.locations_at[0].location
        location.latitude, location.longitude = point.latitude, point.longitude
    db.session.commit()
    page = find(postcode=CENTRE, miles=5)
    assert names(page) == ["Just inside"]
    assert page.results[0].miles <= 5


def test_a_venue_known_only_approximately_is_kept_while_it_could_be_in_reach(needs):
    service = _make(needs, "District only", postcode=TWELVE_MILES)
    service.locations_at[0].location.geo_precision = GeoPrecision.DISTRICT
    _make(needs, "Exact but far", postcode=TWELVE_MILES)
    db.session.commit()
    # 12 miles away, placed by its district: kept while 12 is within the chosen miles plus how
    # far a district's places can be from its centre.
    margin = geography.uncertainty_miles("district", "OL4")
    page = find(postcode=CENTRE, miles=math.ceil(12 - margin) + 1)
    assert names(page) == ["District only"]
    assert page.results[0].approximate is True
    assert page.results[0].miles == pytest.approx(12, abs=0.1)
    # But not within 1 mile plus that: the uncertainty widens the reach, it does not remove it.
    assert 1 + margin < 12
    assert names(find(postcode=CENTRE, miles=1)) == []


@pytest.mark.parametrize("need", [None, "walking"])
def test_a_searcher_postcode_found_only_by_district_widens_the_distance_by_its_uncertainty(needs, need):
    _make(needs, "Far", postcode=TWELVE_MILES)  # 12.3 miles from the M33 district centre
    _make(needs, "Debt", postcode=TWELVE_MILES, terms=["debt-advice"])
    _make(needs, "Leeds", postcode="LS6 1AA")  # about 40 miles: never within reach
    nowhere = _make(needs, "Unplaced")
    location = nowhere.locations_at[0].location
    location.latitude = location.longitude = None
    location.geo_precision = GeoPrecision.NONE
    db.session.commit()
    # Not in the full postcode table: measured from the M33 centre, widened by the district's reach.
    margin = geography.uncertainty_miles("district", "M33")
    page = find(postcode="M33 9ZZ", miles=math.ceil(12.4 - margin) + 1, need=need)
    assert page.place.precision == "district"
    assert names(page) == (["Far", "Unplaced"] if need else ["Debt", "Far", "Unplaced"])
    assert [r.approximate for r in page.results][0] is True
    assert page.results[-1].miles is None
    assert 1 + margin < 12.4
    assert "Far" not in names(find(postcode="M33 9ZZ", miles=1, need=need))


def test_a_venue_with_an_unpublished_address_is_measured_from_its_district(needs):
    service = _make(needs, "Refuge", postcode=TWELVE_MILES, location={"address_published": False})
    # Judged from its district centre (13.1 miles away) with a district's uncertainty, so the
    # edge of a search cannot reveal the real postcode (12 miles): in reach at 10 miles plus the
    # district's reach, not at 1 mile plus it.
    assert names(find(postcode=CENTRE, miles=1)) == []
    page = find(postcode=CENTRE, miles=10)
    assert names(page) == ["Refuge"]
    result = page.results[0]
    location = service.locations_at[0].location
    district = geography.outcode_centre(location.outcode)
    centre = geography.geocode_offline(CENTRE)
    assert result.approximate is True
    assert result.miles == pytest.approx(geography.distance_miles(centre, district))


@pytest.mark.parametrize("way", ["online", "by_phone", "at_home"])
def test_remote_services_are_included_whatever_the_distance_only_when_asked(needs, way):
    _make(needs, "Remote", postcode=None, **{way: True})
    _make(needs, "Near")
    assert names(find(postcode=CENTRE, miles=1)) == ["Near"]
    page = find(postcode=CENTRE, miles=1, include_remote=True)
    assert sorted(names(page)) == ["Near", "Remote"]
    remote = next(r for r in page.results if r.service.name == "Remote")
    assert remote.remote is True and remote.miles is None
    assert remote.score_parts["nearness"] == search.REMOTE_NEARNESS


def test_a_far_venue_that_also_runs_online_shows_only_when_remote_is_included(needs):
    _make(needs, "Hybrid", postcode=TWELVE_MILES, online=True)
    assert names(find(postcode=CENTRE, miles=5)) == []
    assert names(find(postcode=CENTRE, miles=5, include_remote=True)) == ["Hybrid"]


def test_remote_services_outside_their_area_stay_hidden(needs):
    _make(needs, "Bolton helpline", postcode=None, by_phone=True, areas=["BL1"])
    assert names(find(postcode=CENTRE, include_remote=True)) == []


def test_a_service_at_several_venues_appears_once_at_its_nearest(needs):
    service = _make(needs, "Two venues", postcode=FOUR_MILES)
    place = geography.geocode_offline(HALF_MILE)
    near = Location(
        organization=service.organization,
        name="Near hall",
        postcode=HALF_MILE,
        outcode="M33",
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=GeoPrecision.POSTCODE,
    )
    db.session.add(ServiceAtLocation(service=service, location=near))
    db.session.commit()
    page = find(postcode=CENTRE, miles=5)
    assert names(page) == ["Two venues"]
    assert page.total == 1
    assert page.results[0].location.name == "Near hall"
    assert page.results[0].miles == pytest.approx(0.5, abs=0.05)


def test_step_free_filter_looks_at_the_venue_it_measures(needs):
    service = _make(needs, "Mixed", postcode=HALF_MILE, location={"step_free": False})
    place = geography.geocode_offline(TWO_AND_HALF)
    accessible = Location(
        organization=service.organization,
        name="Accessible hall",
        postcode=TWO_AND_HALF,
        outcode="M21",
        latitude=place.latitude,
        longitude=place.longitude,
        geo_precision=GeoPrecision.POSTCODE,
        step_free=True,
    )
    db.session.add(ServiceAtLocation(service=service, location=accessible))
    db.session.commit()
    page = find(postcode=CENTRE, step_free=True)
    assert page.results[0].location.name == "Accessible hall"


def test_next_session_comes_with_each_result(needs):
    _make(needs, "Tuesdays", sessions=[(1, time(10), time(12))])
    result = find(postcode=CENTRE).results[0]
    assert result.next_session.on.weekday() == 1
    assert result.next_session.opens_at == time(10)


@pytest.mark.parametrize(
    ("count", "wanted", "expected_len", "first", "last", "pages"),
    [
        (45, 1, 20, 1, 20, 3),
        (45, 2, 20, 21, 40, 3),
        (45, 3, 5, 41, 45, 3),
        (45, 9, 5, 41, 45, 3),
        (20, 1, 20, 1, 20, 1),
    ],
)
def test_pages_of_twenty(needs, count, wanted, expected_len, first, last, pages):
    for n in range(count):
        _make(needs, f"Group {n:02d}")
    found = find(postcode=CENTRE, page=wanted)
    assert len(found.results) == expected_len
    assert (found.total, found.first, found.last, found.pages) == (count, first, last, pages)
    assert found.has_previous == (found.page > 1)
    assert found.has_next == (found.page < pages)


def test_pages_do_not_repeat_or_skip_tied_results(needs):
    for n in range(25):
        _make(needs, f"Same {n:02d}")
    seen = names(find(postcode=CENTRE, page=1)) + names(find(postcode=CENTRE, page=2))
    assert sorted(seen) == [f"Same {n:02d}" for n in range(25)]
    assert len(set(seen)) == 25


def test_empty_results_have_no_pages(needs):
    found = find(postcode=CENTRE, need="debt-advice")
    assert (found.results, found.total, found.pages, found.first, found.last) == ([], 0, 1, 0, 0)


def test_an_unknown_need_code_is_refused(needs):
    with pytest.raises(UnknownNeed):
        find(need="no-such-need")


@pytest.mark.parametrize("postcode", ["ZZ9 9ZZ", "not a postcode"])
def test_an_unknown_postcode_is_refused_with_a_message(postcode):
    with pytest.raises(UnknownPostcode) as error:
        find(postcode=postcode)
    assert "postcode" in str(error.value).lower()


def test_a_geocoded_place_can_be_passed_in(needs):
    _make(needs, "Near")
    place = geography.geocode_offline(CENTRE)
    page = search_services(db.session, SearchQuery(postcode=CENTRE, place=place))
    assert page.place is place and names(page) == ["Near"]
