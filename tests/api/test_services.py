"""What /services, /service_at_locations and the taxonomy endpoints publish, checked against the ORUK schemas."""

import json
from datetime import datetime

import pytest

from prescribing.auth.models import Role
from prescribing.directory.models import ListingStatus
from prescribing.extensions import db
from tests.api.conftest import API, assert_valid, assert_valid_page, get_json
from tests.factories import make_organization, make_service, make_term, make_user


def test_root_says_which_standard_and_where_the_document_is(client):
    body = get_json(client, "/")
    assert body["version"] == "HSDS-UK-3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"].endswith("/api/v1/openapi.json")


def test_service_list_items_match_the_oruk_list_schema(client, full_service):
    make_service(postcode=None, name="Phone befriending")
    body = get_json(client, "/services")
    assert_valid_page("compiled/service_list", body)
    assert {s["name"] for s in body["contents"]} == {"Sale Striders walking group", "Phone befriending"}


def test_full_service_is_nested_and_matches_the_oruk_service_schema(client, full_service):
    body = get_json(client, f"/services/{full_service.id}")
    assert_valid("compiled/service", body)
    assert body["id"] == full_service.id
    assert body["status"] == "active"
    assert body["organization"]["website"] == "https://walkers.example.org"
    assert body["organization"]["organization_identifiers"][0]["identifier"] == "1234567"
    assert body["url"] == "https://walkers.example.org/striders"
    assert (body["minimum_age"], body["maximum_age"]) == (18, 99)
    assert body["eligibility_description"] == "Adults who can walk a mile."
    assert body["application_process"] == "Just turn up."
    location = body["service_at_locations"][0]["location"]
    address = location["addresses"][0]
    assert (address["postal_code"], address["city"], address["country"]) == ("M33 7XA", "Sale", "GB")
    assert address["state_province"] == "England"
    assert {a["accessibility"] for a in location["accessibility"]} == {"Step-free access", "Hearing loop"}
    assert body["cost_options"][0]["amount"] == 2.5
    assert body["languages"][0]["name"] == "Urdu"
    assert body["service_areas"][0]["name"] == "M33"
    assert body["contacts"][0]["phones"][0]["number"] == "0161 496 0456"
    assert body["phones"][0]["number"] == "0161 496 0123"
    term = body["attributes"][0]["taxonomy_term"]
    assert (term["code"], term["name"], term["taxonomy"]) == ("walking", "Walking", "Social prescribing needs")
    assert term["parent_id"]
    assert body["attributes"][0]["taxonomy_term_id"] == term["id"]


def test_schedules_are_rrule_days_weekly_and_first_of_the_month(client, full_service):
    schedules = get_json(client, f"/services/{full_service.id}")["schedules"]
    weekly = next(s for s in schedules if s["freq"] == "WEEKLY")
    monthly = next(s for s in schedules if s["freq"] == "MONTHLY")
    assert (weekly["byday"], weekly["opens_at"], weekly["closes_at"]) == ("TU", "10:00", "12:00")
    assert (monthly["byday"], monthly["opens_at"], monthly["closes_at"]) == ("1TH", "18:30", "20:00")
    assert monthly["description"] == "First Thursday of the month, 18:30 to 20:00"


def test_service_at_location_carries_the_service_name_and_status(client, full_service):
    sal = full_service.locations_at[0]
    body = get_json(client, f"/service_at_locations/{sal.id}")
    # The published ORUK document checks this endpoint against the service schema...
    assert_valid("compiled/service", body)
    # ...and it is a proper service_at_location too.
    assert_valid("compiled/service_at_location", body)
    assert (body["name"], body["status"]) == ("Sale Striders walking group", "active")
    assert body["location_id"] == sal.location_id
    assert body["service"]["id"] == full_service.id


def test_service_at_location_list_matches_the_oruk_list_schema(client, full_service):
    body = get_json(client, "/service_at_locations")
    assert_valid_page("compiled/service_at_location_list", body)
    assert body["contents"][0]["service"]["name"] == "Sale Striders walking group"


def test_taxonomies_and_terms_match_their_schemas(client, full_service):
    taxonomies = get_json(client, "/taxonomies")
    assert_valid_page("taxonomy", taxonomies)
    taxonomy = get_json(client, f"/taxonomies/{taxonomies['contents'][0]['id']}")
    assert_valid("taxonomy", taxonomy)
    assert {t["code"] for t in taxonomy["taxonomy_terms"]} == {"physical-activity", "walking"}
    terms = get_json(client, "/taxonomy_terms")
    assert_valid_page("taxonomy_term", terms)
    term = get_json(client, f"/taxonomy_terms/{terms['contents'][0]['id']}")
    assert_valid("taxonomy_term", term)


@pytest.mark.parametrize(
    "query",
    ["", "?search=walking", "?day=TU", "?minimum_age=18", "?postcode=M33 7XA&proximity=3000", "?page=2&per_page=1"],
)
def test_filtered_lists_still_match_the_schemas(client, full_service, query):
    make_service(postcode="M33 2AA", name="Walking football")
    assert_valid_page("compiled/service_at_location_list", get_json(client, "/service_at_locations" + query))
    services_query = query.split("&proximity")[0].replace("?postcode=M33 7XA", "")
    assert_valid_page("compiled/service_list", get_json(client, "/services" + services_query))


@pytest.mark.parametrize("status", [ListingStatus.ARCHIVED, ListingStatus.INACTIVE])
def test_only_active_listings_appear(client, status):
    hidden = make_service(status=status, name="Closed group")
    shown = make_service(name="Open group")
    assert [s["id"] for s in get_json(client, "/services")["contents"]] == [shown.id]
    assert [s["service"]["id"] for s in get_json(client, "/service_at_locations")["contents"]] == [shown.id]
    get_json(client, f"/services/{hidden.id}", 404)
    get_json(client, f"/service_at_locations/{hidden.locations_at[0].id}", 404)


def test_listings_of_an_archived_organisation_do_not_appear(client):
    gone = make_organization(status=ListingStatus.ARCHIVED)
    hidden = make_service(organization=gone)
    assert get_json(client, "/services")["contents"] == []
    get_json(client, f"/services/{hidden.id}", 404)


def test_unpublished_address_shows_only_its_district(client):
    refuge = make_service(name="Women's refuge drop-in", postcode="M33 7XA", location={"address_published": False})
    sal = refuge.locations_at[0]
    responses = [
        get_json(client, f"/services/{refuge.id}"),
        get_json(client, f"/service_at_locations/{sal.id}"),
        get_json(client, "/service_at_locations"),
        get_json(client, "/service_at_locations?postcode=M33 7XA&proximity=2000"),
    ]
    for body in responses:
        text = json.dumps(body)
        assert "7XA" not in text
        assert "High Street" not in text
        assert str(sal.location.latitude) not in text and str(sal.location.longitude) not in text
        assert "latitude" not in text and "longitude" not in text
    address = responses[1]["location"]["addresses"][0]
    assert (address["postal_code"], address["address_1"]) == ("M33", "")
    assert responses[3]["total_items"] == 1  # still found near its district


def test_no_personal_email_or_editor_data_ever_appears(client, full_service):
    editor = make_user(Role.ORG_EDITOR, organization=full_service.organization, email="omar.personal@example.net")
    full_service.last_verified_by_id = editor.id
    full_service.last_verified_at = datetime(2025, 1, 2, 9, 30)
    db.session.commit()
    for path in ["/services", f"/services/{full_service.id}", "/service_at_locations"]:
        text = json.dumps(get_json(client, path))
        assert "assurer_email" not in text
        assert "omar.personal" not in text and editor.name not in text
    assert get_json(client, f"/services/{full_service.id}")["assured_date"] == "2025-01-02"


def test_stale_listing_carries_its_old_assured_date(client):
    old = make_service(last_verified_at=datetime(2023, 5, 6, 12, 0))
    never = make_service()
    never.last_verified_at = None
    db.session.commit()
    assert get_json(client, f"/services/{old.id}")["assured_date"] == "2023-05-06"
    assert "assured_date" not in get_json(client, f"/services/{never.id}")


def test_last_modified_follows_changes_to_the_venue(client, full_service):
    before = get_json(client, f"/services/{full_service.id}")["last_modified"]
    location = full_service.locations_at[0].location
    location.updated_at = datetime(2099, 1, 1, 12, 0, 0, 250000)
    db.session.commit()
    after = get_json(client, f"/services/{full_service.id}")["last_modified"]
    assert before != after == "2099-01-01T12:00:00.250Z"


def test_term_without_a_taxonomy_is_still_valid(client):
    term = make_term("gardening")
    make_service(terms=[term])
    body = get_json(client, f"/taxonomy_terms/{term.id}")
    assert_valid("taxonomy_term", body)
    assert "taxonomy_id" not in body


def test_unknown_and_malformed_ids_are_404_json(client, full_service):
    for path in ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]:
        for bad in ["3f7b145d-84af-42d7-8fae-eaca714b02b2", "not-an-id", "1' OR '1'='1"]:
            response = client.get(f"{API}{path}/{bad}")
            assert response.status_code == 404
            assert response.get_json()["status"] == 404


def test_unknown_path_under_the_api_is_json(client):
    response = client.get(API + "/organizations")
    assert response.status_code == 404
    assert response.mimetype == "application/json"


def test_other_methods_are_refused_as_json(client):
    response = client.post(API + "/services")
    assert response.status_code in (400, 405)
    assert response.mimetype == "application/json"
