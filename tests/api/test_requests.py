"""Paging, bad input and odd input: the envelope adds up, mistakes get a 400 naming the
parameter, and nothing anyone sends gets a 500 or an HTML page."""

import itertools
import math

import pytest

from tests.api.conftest import API, get_json
from tests.factories import make_service, make_term

LISTS = ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]


@pytest.mark.parametrize(("total", "per_page"), [(0, 5), (1, 5), (5, 5), (7, 3), (12, 5)])
def test_pages_add_up(client, total, per_page):
    for n in range(total):
        make_service(name=f"Group {n:02d}")
    pages = max(math.ceil(total / per_page), 0)
    seen = []
    for number in range(1, pages + 2):
        body = get_json(client, f"/services?page={number}&per_page={per_page}")
        expected_size = max(min(per_page, total - (number - 1) * per_page), 0)
        assert body["total_items"] == total
        assert body["total_pages"] == pages
        assert body["page_number"] == number
        assert body["size"] == len(body["contents"]) == expected_size
        assert body["first_page"] is (number == 1)
        assert body["last_page"] is (number >= pages)
        assert body["empty"] is (expected_size == 0)
        seen += [s["name"] for s in body["contents"]]
    assert seen == [f"Group {n:02d}" for n in range(total)]  # in name order, none twice, none missed


def test_default_page_size_is_50(client):
    for n in range(51):
        make_service(name=f"Group {n:02d}", postcode=None)
    body = get_json(client, "/services")
    assert (body["size"], body["total_pages"], body["last_page"]) == (50, 2, False)


BAD = [
    ("per_page=0", "per_page"),
    ("per_page=201", "per_page"),
    ("per_page=100000", "per_page"),
    ("per_page=-5", "per_page"),
    ("per_page=1.5", "per_page"),
    ("page=-1", "page"),
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page=1&page=2", "page"),
    ("page=99999999999", "page"),
    ("minimum_age=old", "minimum_age"),
    ("minimum_age=-1", "minimum_age"),
    ("maximum_age=nan", "maximum_age"),
    ("maximum_age=inf", "maximum_age"),
    ("day=Funday", "day"),
    ("start_time=25:00", "start_time"),
    ("start_time=noon", "start_time"),
    ("end_time=10:61", "end_time"),
    ("start_time=12:00&end_time=09:00", "end_time"),
    ("modified_after=yesterday", "modified_after"),
    ("modified_after=2025-13-01", "modified_after"),
    ("taxonomy_term_id=walking", "taxonomy_term_id"),
    ("taxonomy_term_id=3f7b145d-84af-42d7-8fae-eaca714b02b2", "taxonomy_term_id"),  # well formed, unknown
    ("taxonomy_id=12", "taxonomy_id"),
    ("taxonomy_id=3f7b145d-84af-42d7-8fae-eaca714b02b2", "taxonomy_id"),
    ("organization_id=x'; DROP TABLE service; --", "organization_id"),
    ("organization_id=3f7b145d-84af-42d7-8fae-eaca714b02b2", "organization_id"),
    ("search=" + "a" * 201, "search"),
    ("search=the", "search"),
    ("colour=blue", "colour"),
    ("full=true", "full"),
]
PLACE_BAD = [
    ("postcode=NOT A POSTCODE", "postcode"),
    ("postcode=M33 7XA&proximity=abc", "proximity"),
    ("postcode=M33 7XA&proximity=-100", "proximity"),
    ("postcode=M33 7XA&proximity=0", "proximity"),
    ("postcode=M33 7XA&proximity=nan", "proximity"),
    ("postcode=M33 7XA&proximity=10000000", "proximity"),
    ("proximity=8000", "postcode"),
    ("postcode=BT1 1AA", "postcode"),  # Northern Ireland: not in our data
    ("postcode=ZZ99 9ZZ", "postcode"),  # well formed, nowhere
]


@pytest.mark.parametrize(("query", "parameter"), BAD)
@pytest.mark.parametrize("endpoint", ["/services", "/service_at_locations"])
def test_bad_input_is_a_400_naming_the_parameter(client, endpoint, query, parameter):
    make_term("walking")
    body = get_json(client, f"{endpoint}?{query}", 400)
    assert body["parameter"] == parameter
    assert body["status"] == 400
    assert parameter in body["detail"]


@pytest.mark.parametrize(("query", "parameter"), PLACE_BAD)
def test_bad_place_is_a_400_naming_the_parameter(client, query, parameter):
    body = get_json(client, f"/service_at_locations?{query}", 400)
    assert body["parameter"] == parameter


@pytest.mark.parametrize("endpoint", ["/services", "/taxonomies", "/taxonomy_terms", "/"])
def test_place_filters_are_not_parameters_of_other_endpoints(client, endpoint):
    assert get_json(client, f"{endpoint}?postcode=M33 7XA", 400)["parameter"] == "postcode"


@pytest.mark.parametrize("endpoint", ["/taxonomies", "/taxonomy_terms"])
@pytest.mark.parametrize(
    ("query", "parameter"), [("per_page=0", "per_page"), ("page=x", "page"), ("search=a", "search")]
)
def test_taxonomy_lists_check_their_parameters(client, endpoint, query, parameter):
    assert get_json(client, f"{endpoint}?{query}", 400)["parameter"] == parameter


ODD_VALUES = [
    "",
    "0",
    "-1",
    "1e309",
    "9" * 30,
    "%00",
    "%F0%9F%98%80",
    "%C3%28",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "..%2F..%2Fetc%2Fpasswd",
    "M33 7XA",
    "2025-02-30",
    "TU,WE",
    "3f7b145d-84af-42d7-8fae-eaca714b02b2,",
    "a" * 300,
]
PARAMETERS = [
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
    "modified_after",
    "postcode",
    "proximity",
]


def test_odd_values_never_get_a_5xx_or_html(app, client):
    """A property-style sweep (schemathesis is not installed): every parameter, every odd value,
    alone and in pairs, on each list endpoint; the answer is JSON, 200 or 400, never a 5xx."""
    make_service(terms=[make_term("walking")])
    app.config["API_RATE_LIMIT"] = 0  # thousands of requests in one test
    try:
        queries = [f"{p}={v}" for p in PARAMETERS for v in ODD_VALUES]
        queries += [
            f"{a}={va}&{b}={vb}"
            for (a, b), (va, vb) in zip(
                itertools.combinations(PARAMETERS, 2),
                itertools.cycle(itertools.product(ODD_VALUES[:6], ODD_VALUES[6:])),
            )
        ]
        for endpoint in ["/services", "/service_at_locations", "/taxonomy_terms"]:
            for query in queries:
                response = client.get(f"{API}{endpoint}?{query}")
                assert response.status_code in (200, 400), (endpoint, query, response.status_code)
                assert response.mimetype == "application/json", (endpoint, query)
                body = response.get_json()
                if response.status_code == 400:
                    assert body["parameter"] and body["detail"], (endpoint, query)
                else:
                    assert isinstance(body["contents"], list)
    finally:
        app.config["API_RATE_LIMIT"] = 600


def test_odd_ids_never_get_a_5xx(client):
    for endpoint in ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]:
        for value in ODD_VALUES[1:] + ["%2e%2e", "null", "undefined"]:
            response = client.get(f"{API}{endpoint}/{value}")
            assert response.status_code == 404, (endpoint, value)
            assert response.mimetype == "application/json"
