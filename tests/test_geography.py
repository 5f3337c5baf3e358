"""Postcodes, offline geocoding, distances and the search box around a point."""

import pytest
from geopy.distance import geodesic

from prescribing import geography
from prescribing.geography import Point


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("ls61aa", "LS6 1AA"),
        ("LS6 1AA", "LS6 1AA"),
        ("m33 7xx", "M33 7XX"),
        ("  m33   7xx ", "M33 7XX"),
        ("sw1a1aa", "SW1A 1AA"),
        ("wa14 1pf", "WA14 1PF"),
        ("EC1A 1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised(raw, normal):
    assert geography.normalise_postcode(raw) == normal


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "M33",
        "M33 7XXX",
        "LS61AAAA",
        "12345",
        "M33 7CI",
        "M33 77X",
        "LS6-1AA",
        "ＬＳ６ １ＡＡ",
        "M33 7X",
    ],
)
def test_malformed_postcodes_are_refused(raw):
    assert geography.normalise_postcode(raw) is None


@pytest.mark.parametrize(
    ("raw", "outcode"), [("m33", "M33"), ("M33 7XX", "M33"), ("wa14", "WA14"), ("nonsense!", None)]
)
def test_outcodes_are_normalised(raw, outcode):
    assert geography.normalise_outcode(raw) == outcode


def test_a_known_postcode_is_located_exactly():
    place = geography.geocode_offline("WA14 1PF")
    assert place is not None
    assert place.precision == "postcode"
    assert place.is_approximate is False
    assert 53.3 < place.latitude < 53.5 and -2.5 < place.longitude < -2.2


def test_unknown_but_valid_postcode_falls_back_to_district():
    # M33 9ZZ does not exist, and nor does its sector (M33 9): the district centre is used.
    assert geography.geocode_offline("M33 9ZZ") is not None
    district = geography.geocode_offline("M33 9ZZ")
    assert district.precision == "district"
    assert district.is_approximate
    assert (district.latitude, district.longitude) == pytest.approx(
        (geography.outcode_centre("M33").latitude, geography.outcode_centre("M33").longitude)
    )
    # A terminated postcode whose sector is known falls back to the sector, still approximate.
    sector = geography.geocode_offline("M33 5SL")
    assert sector.precision == "sector"
    assert sector.is_approximate
    # Through the geocoder, from what someone typed.
    place = geography.Geocoder().geocode("m33 9zz")
    assert place.precision == "district" and place.postcode == "M33 9ZZ"


def test_a_postcode_nowhere_in_the_data_is_not_located():
    assert geography.geocode_offline("ZZ99 9ZZ") is None
    assert geography.Geocoder().geocode("not a postcode") is None


@pytest.mark.parametrize("postcode", ["BT1 1AA", "IM1 1AA", "JE2 3AB", "GY1 1AA"])
def test_northern_ireland_and_crown_dependencies_are_not_covered(postcode):
    normal = geography.normalise_postcode(postcode)
    assert normal is not None
    assert geography.is_covered(normal) is False


@pytest.mark.parametrize("postcode", ["M33 7XX", "LS6 1AA", "EH1 1YZ", "CF10 1AA"])
def test_great_britain_is_covered(postcode):
    assert geography.is_covered(postcode)


def test_distance_between_two_postcodes_matches_geopy():
    a = geography.geocode_offline("WA14 1PF")
    b = geography.geocode_offline("M33 3SA") or geography.geocode_offline("M33 7AB")
    expected = geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).miles
    assert geography.distance_miles(a, b) == pytest.approx(expected)
    assert geography.distance_miles(a, a) == 0
    assert 0.5 < geography.distance_miles(a, b) < 10


@pytest.mark.parametrize("centre", [Point(53.4237, -2.3226), Point(50.1, -5.5), Point(58.6, -3.1)])
@pytest.mark.parametrize("miles", [0.5, 3, 10, 40])
def test_bounding_box_contains_every_point_within_the_radius(centre, miles):
    min_lat, max_lat, min_lon, max_lon = geography.bounding_box(centre, miles)
    for bearing in range(0, 360, 15):
        edge = geodesic(miles=miles).destination((centre.latitude, centre.longitude), bearing)
        assert min_lat <= edge.latitude <= max_lat, bearing
        assert min_lon <= edge.longitude <= max_lon, bearing
    # ...and is not wildly bigger than the circle.
    assert geodesic((min_lat, centre.longitude), (max_lat, centre.longitude)).miles < 2 * miles * 1.05


def test_geocoder_from_config_is_offline_in_tests(app):
    geocoder = geography.geocoder_from_config(app.config)
    assert geocoder.mode == "offline"
    assert geocoder is geography.geocoder_from_config(app.config)


def test_a_rough_place_is_as_uncertain_as_its_district_reaches():
    """Every sector centre of a district lies within the district's uncertainty of its centre."""
    assert geography.uncertainty_miles("postcode", "M33") == 0
    assert geography.uncertainty_miles("sector", "M33") == geography.SECTOR_UNCERTAINTY_MILES
    for outcode in ("M33", "IV27", "TR20"):
        centre = geography.outcode_centre(outcode)
        margin = geography.uncertainty_miles("district", outcode)
        sectors = [s for s in geography._tables.sectors if s.split(" ")[0] == outcode]
        assert sectors
        for sector in sectors:
            point = geography.Point(*geography._tables.sectors[sector])
            assert geography.distance_miles(centre, point) + geography.SECTOR_UNCERTAINTY_MILES <= margin + 1e-9
    # A wide rural district is far less certain than a town one.
    assert geography.uncertainty_miles("district", "IV27") > 3 * geography.uncertainty_miles("district", "M33")
