"""The public search page at /services: the form, its messages, the results and pages."""

from datetime import time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from prescribing.audit.models import AuditEvent
from prescribing.clock import utcnow
from prescribing.directory.models import ServiceLanguage
from prescribing.extensions import db
from tests.conftest import page
from tests.factories import make_organization, make_service, make_term

CENTRE = "M33 7XX"


@pytest.fixture
def walking(db):
    return make_term("walking", parent=make_term("physical-activity"))


def error_summary(response) -> list[str]:
    summary = page(response).select_one(".nhsuk-error-summary")
    return [li.get_text(strip=True) for li in summary.select("li")] if summary else []


def result_names(response) -> list[str]:
    return [h.get_text(strip=True) for h in page(response).select(".app-result h3")]


def test_the_empty_form_needs_no_sign_in(client):
    response = client.get("/services")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Find a community group or service"
    form = soup.select_one("form.app-search-form")
    assert form["method"] == "get"
    assert form.find("input", {"name": "csrf_token"}) is None
    assert soup.select(".app-result") == []


@pytest.mark.parametrize("postcode", ["M33", "not a postcode", "M33 7X", "12345", "M33 7XXX", "<script>", "X" * 300])
def test_a_bad_postcode_gets_the_nhs_error_summary_and_400(client, postcode):
    response = client.get("/services", query_string={"postcode": postcode})
    assert response.status_code == 400
    assert error_summary(response) == ["Enter a real postcode, like LS6 1AA"]
    assert page(response).title.get_text().startswith("Error: ")
    assert page(response).select_one(".nhsuk-error-summary a")["href"] == "#postcode"


def test_a_postcode_outside_great_britain_is_explained(client):
    response = client.get("/services", query_string={"postcode": "BT1 1AA"})
    assert response.status_code == 400
    assert error_summary(response) == ["Enter a postcode in England, Scotland or Wales"]


def test_a_valid_postcode_we_hold_no_location_for_is_explained(client):
    response = client.get("/services", query_string={"postcode": "zz99zz"})
    assert response.status_code == 400
    assert error_summary(response) == [
        "We do not have a location for ZZ9 9ZZ. Check the postcode, or search without one."
    ]


@pytest.mark.parametrize("typed", ["m337xx", " M33  7XX ", "m33 7xx"])
def test_a_postcode_in_any_case_and_spacing_works(client, walking, typed):
    make_service(name="Sale walkers", terms=[walking])
    response = client.get("/services", query_string={"postcode": typed})
    assert response.status_code == 200
    assert page(response).find("input", {"name": "postcode"})["value"] == CENTRE
    assert result_names(response) == ["Sale walkers"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("need", "no-such-need", "Select a need from the list"),
        ("miles", "7", "Select a distance from the list"),
        ("miles", "lots", "Select a distance from the list"),
        ("day", "9", "Select a day from the list"),
        ("language", "Klingon", "Select a language from the list"),
        ("keywords", "x" * 101, "Keywords must be 100 characters or fewer"),
    ],
)
def test_values_not_on_the_form_get_a_clear_message(client, walking, field, value, message):
    response = client.get("/services", query_string={field: value})
    assert response.status_code == 400
    assert error_summary(response) == [message]


def test_the_need_list_has_each_need_with_its_narrower_ones(client, walking):
    make_term("debt-advice", name="Debt advice")
    options = [o.get_text(strip=True) for o in page(client.get("/services")).select("select[name=need] option")]
    assert options == ["Any need", "Debt advice", "Physical activity", "Walking (physical activity)"]


def test_a_result_shows_what_a_person_needs_to_choose(client, walking):
    make_service(
        name="Sale walkers",
        organization=make_organization(name="Trafford Strollers"),
        postcode="M33 6PH",
        terms=[walking],
        description="Gentle walks. " * 30,
        sessions=[(1, time(10), time(12))],
        cost=3.5,
    )
    response = client.get("/services", query_string={"postcode": CENTRE, "need": "walking"})
    assert response.status_code == 200
    result = page(response).select_one(".app-result")
    text = result.get_text(" ", strip=True)
    assert result.h3.a["href"].startswith("/services/")
    assert "Trafford Strollers" in text
    assert "0.5 miles" in text
    assert "about" not in result.select_one(".app-result__distance").get_text()
    assert "Next session:" in text and "10:00 to 12:00" in text
    assert "Cost: £3.50" in text
    assert result.select_one(".app-result__description").get_text().endswith("…")
    assert "Listing may be out of date" not in text


def test_a_stale_result_is_tagged(client, walking):
    make_service(name="Old listing", terms=[walking], last_verified_at=utcnow() - timedelta(days=200))
    response = client.get("/services", query_string={"postcode": CENTRE})
    assert page(response).select_one(".app-result .nhsuk-tag").get_text(strip=True) == "Listing may be out of date"


def test_an_approximate_distance_says_about(client, walking):
    make_service(name="Somewhere in M33", terms=[walking])
    response = client.get("/services", query_string={"postcode": "M33 9ZZ"})
    soup = page(response)
    assert soup.select_one(".app-result__distance").get_text(strip=True).startswith("about ")
    assert "distances are measured from the middle of the M33 area" in soup.select_one(".nhsuk-inset-text").get_text()


def test_an_unpublished_address_shows_only_its_area_in_results(client, walking):
    service = make_service(
        name="Safe space", postcode="M33 6PH", terms=[walking], location={"address_published": False}
    )
    response = client.get("/services", query_string={"postcode": CENTRE})
    body = response.get_data(as_text=True)
    assert result_names(response) == ["Safe space"]
    assert service.locations_at[0].location.address_1 not in body
    assert service.locations_at[0].location.name not in body
    assert "M33 6PH" not in body and "M336PH" not in body
    assert "(M33 area)" in page(response).select_one(".app-result").get_text(" ", strip=True)


def test_remote_services_show_how_they_are_used(client, walking):
    make_service(name="Phone buddies", postcode=None, by_phone=True, terms=[walking])
    response = client.get("/services", query_string={"postcode": CENTRE, "include_remote": "y"})
    assert page(response).select_one(".app-result__distance").get_text(strip=True) == "By phone"


def test_languages_offered_are_choices(client, walking):
    make_service(name="Polish club", terms=[walking], languages=[ServiceLanguage(name="Polish")])
    options = [o["value"] for o in page(client.get("/services")).select("select[name=language] option")]
    assert options == ["", "Polish"]
    response = client.get("/services", query_string={"language": "Polish"})
    assert result_names(response) == ["Polish club"]


def test_no_results_suggests_what_to_change(client, walking):
    response = client.get("/services", query_string={"postcode": CENTRE, "need": "walking"})
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one("#results").get_text(strip=True) == "No results"
    assert "search a wider distance" in soup.get_text()


def test_results_come_twenty_to_a_page_with_nhs_pagination(client, walking):
    for n in range(23):
        make_service(name=f"Group {n:02d}", terms=[walking])
    response = client.get("/services", query_string={"postcode": "m337xx", "need": "walking", "miles": "3"})
    soup = page(response)
    assert len(soup.select(".app-result")) == 20
    assert soup.select_one("#results").get_text(strip=True) == "Showing 1 to 20 of 23 results"
    nav = soup.select_one("nav.nhsuk-pagination")
    assert [a.get_text(strip=True) for a in nav.select(".nhsuk-pagination__item a")] == ["1", "2"]
    next_href = nav.select_one("a[rel=next]")["href"]
    assert parse_qs(urlsplit(next_href).query) == {
        "postcode": ["M33 7XX"],
        "need": ["walking"],
        "miles": ["3"],
        "page": ["2"],
    }
    second = page(client.get(next_href))
    assert len(second.select(".app-result")) == 3
    assert second.select_one("#results").get_text(strip=True) == "Showing 21 to 23 of 23 results"


@pytest.mark.parametrize("value", ["abc", "-3", "0", "99999"])
def test_a_strange_page_number_still_shows_results(client, walking, value):
    make_service(name="Only one", terms=[walking])
    response = client.get("/services", query_string={"postcode": CENTRE, "page": value})
    assert response.status_code == 200
    assert result_names(response) == ["Only one"]


def test_how_results_are_ordered_is_explained(client):
    details = page(client.get("/services")).select_one("details")
    assert details.summary.get_text(strip=True) == "How results are ordered"
    assert "35%" in details.get_text() and "6 months" in details.get_text()


@pytest.mark.parametrize("keywords", ['"', "AND (", "yoga*", "NEAR(", "name:yoga", "'; --"])
def test_search_syntax_in_keywords_is_harmless(client, walking, keywords):
    make_service(name="Chair yoga", terms=[walking])
    response = client.get("/services", query_string={"keywords": keywords, "postcode": CENTRE})
    assert response.status_code == 200


def test_searching_keeps_nothing_about_the_searcher(client, walking):
    make_service(name="Sale walkers", terms=[walking])
    response = client.get("/services", query_string={"postcode": CENTRE, "need": "walking"})
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
