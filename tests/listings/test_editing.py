"""Organisation editors change their own listings, and only theirs; every save is a revision."""

from datetime import time

import pytest
from sqlalchemy import func, select

from prescribing.auth.models import Role
from prescribing.directory.models import GeoPrecision, ListingRevision, ListingStatus, Location, Organization, Service
from prescribing.extensions import db
from tests.conftest import page, post_form, sign_in
from tests.factories import make_organization, make_service, make_user
from tests.listings.conftest import service_form_data


def errors(response) -> list[str]:
    summary = page(response).select_one(".nhsuk-error-summary")
    return [li.get_text(strip=True) for li in summary.select("li")] if summary else []


def test_editor_saves_a_change_and_it_is_recorded_as_a_revision(client, editor, service):
    sign_in(client, editor)
    response = post_form(
        client,
        f"/listings/services/{service.id}/edit",
        service_form_data(service, name="Walk and talk (Sale)", accepting="waiting_list", languages="English, Polish"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Service, service.id)
    assert saved.name == "Walk and talk (Sale)"
    assert [language.name for language in saved.languages] == ["English", "Polish"]
    revision = db.session.scalars(select(ListingRevision).where(ListingRevision.service_id == service.id)).one()
    assert revision.action == "updated"
    assert revision.user_id == editor.id
    assert revision.changes == {
        "name": ["Walk and talk", "Walk and talk (Sale)"],
        "accepting": ["yes", "waiting_list"],
        "languages": [[], ["English", "Polish"]],
    }


def test_history_page_shows_who_changed_what(client, editor, service):
    sign_in(client, editor)
    post_form(client, f"/listings/services/{service.id}/edit", service_form_data(service, name="Walk and talk (Sale)"))
    response = client.get(f"/listings/services/{service.id}/history")
    assert response.status_code == 200
    html = page(response)
    assert "Changed by Erin Editor" in html.select_one(".app-revision h2").get_text(" ", strip=True)
    cells = [td.get_text(strip=True) for td in html.select(".app-revision td")]
    assert cells == ["Name", "Walk and talk", "Walk and talk (Sale)"]


def test_saving_without_changes_records_nothing(client, editor, service):
    sign_in(client, editor)
    response = post_form(client, f"/listings/services/{service.id}/edit", service_form_data(service))
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ListingRevision)) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/listings/services/{id}",
        "/listings/services/{id}/edit",
        "/listings/services/{id}/sessions",
        "/listings/services/{id}/venues/new",
        "/listings/services/{id}/history",
    ],
)
def test_editor_of_another_organisation_gets_403(client, service, path):
    sign_in(client, make_user(Role.ORG_EDITOR, organization=make_organization()))
    assert client.get(path.format(id=service.id)).status_code == 403


def test_editor_cannot_change_another_organisations_listing_by_posting(client, service):
    sign_in(client, make_user(Role.ORG_EDITOR, organization=make_organization()))
    for url, data in [
        (f"/listings/services/{service.id}/edit", service_form_data(service, name="Hijacked")),
        (f"/listings/services/{service.id}/confirm", {}),
        (f"/listings/services/{service.id}/sessions", {"version": str(service.version), "row_count": "6"}),
    ]:
        assert post_form(client, url, data).status_code == 403
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Walk and talk"
    assert db.session.scalar(select(func.count()).select_from(ListingRevision)) == 0


def test_editor_cannot_change_another_organisations_details(client, editor):
    other = make_organization(name="Someone Else")
    sign_in(client, editor)
    assert client.get(f"/listings/organisations/{other.id}/edit").status_code == 403
    assert client.get(f"/listings/organisations/{other.id}/services/new").status_code == 403


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.CLINICIAN, Role.COMMISSIONER])
def test_other_roles_cannot_edit_listings(client, service, role):
    sign_in(client, make_user(role))
    assert client.get(f"/listings/services/{service.id}/edit").status_code == 403


def test_unknown_service_is_404(client, editor):
    sign_in(client, editor)
    assert client.get("/listings/services/no-such-id/edit").status_code == 404


def test_coordinator_may_edit_any_listing(client, coordinator, service):
    sign_in(client, coordinator)
    response = post_form(client, f"/listings/services/{service.id}/edit", service_form_data(service, name="Renamed"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Renamed"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the name of the service"),
        ({"name": "x" * 251}, "Name must be 250 characters or fewer"),
        ({"description": "x" * 5001}, "Description must be 5000 characters or fewer"),
        ({"delivery": []}, "Select how the service is delivered"),
        ({"needs": []}, "Select at least one need"),
        ({"needs": ["not-a-term"]}, "Choose only from the options shown"),
        ({"accepting": "maybe"}, "Not a valid choice."),
        ({"cost": "paid", "cost_amount": ""}, "Enter the cost in pounds, like 3.50"),
        ({"cost": "paid", "cost_amount": "lots"}, "Enter the cost in pounds, like 3.50"),
        ({"minimum_age": "ten"}, "Youngest age must be a whole number from 0 to 120"),
        ({"minimum_age": "30", "maximum_age": "18"}, "Oldest age must be the same as or more than the youngest age"),
        ({"service_area": "M33, NOTREAL"}, "'NOTREAL' is not a postcode district. Enter districts like M33, WA14"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.com"),
        ({"url": "example"}, "Enter a website address in the correct format, like https://example.org"),
        ({"version": ""}, "Reload the page and try again"),
    ],
)
def test_bad_service_form_is_400_with_a_clear_message_and_nothing_saved(client, editor, service, overrides, message):
    sign_in(client, editor)
    response = post_form(client, f"/listings/services/{service.id}/edit", service_form_data(service, **overrides))
    assert response.status_code == 400
    assert message in errors(response)
    assert page(response).title.get_text().startswith("Error: ")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ListingRevision)) == 0


def test_cost_and_area_are_saved(client, editor, service):
    sign_in(client, editor)
    post_form(
        client,
        f"/listings/services/{service.id}/edit",
        service_form_data(
            service, cost="paid", cost_amount="£3.50", cost_description="per session", service_area="m33 wa14, M33"
        ),
    )
    db.session.expire_all()
    saved = db.session.get(Service, service.id)
    assert not saved.is_free
    assert (saved.cost_options[0].amount, saved.cost_options[0].option) == (3.5, "per session")
    assert sorted(area.outcode for area in saved.areas) == ["M33", "WA14"]


def test_editor_adds_a_listing(client, editor, org, needs):
    sign_in(client, editor)
    data = {
        "version": "0",
        "name": "Art club",
        "description": "Painting together.",
        "status": "active",
        "delivery": ["online"],
        "referral_routes": ["self"],
        "accepting": "yes",
        "cost": "free",
        "needs": [needs["art"].id],
    }
    response = post_form(client, f"/listings/organisations/{org.id}/services/new", data)
    assert response.status_code == 302
    created = db.session.scalars(select(Service).where(Service.name == "Art club")).one()
    assert created.organization_id == org.id
    assert created.online and not created.at_venue
    assert created.last_verified_by_id == editor.id
    revision = db.session.scalars(select(ListingRevision).where(ListingRevision.service_id == created.id)).one()
    assert revision.action == "created"


def test_editor_adds_a_venue_and_it_is_geocoded(client, editor, service):
    sign_in(client, editor)
    data = {
        "version": str(service.version),
        "name": "Sale Library",
        "address": "Sale Waterside",
        "town": "Sale",
        "postcode": "m337xx",
        "address_published": "no",
        "access": ["step_free", "hearing_loop"],
    }
    response = post_form(client, f"/listings/services/{service.id}/venues/new", data)
    assert response.status_code == 302
    location = db.session.scalars(select(Location).where(Location.name == "Sale Library")).one()
    assert location.postcode == "M33 7XX"
    assert location.outcode == "M33"
    assert location.geo_precision == GeoPrecision.POSTCODE
    assert location.latitude == pytest.approx(53.4248)
    assert not location.address_published
    assert location.step_free and location.hearing_loop and not location.parking


def test_a_postcode_the_data_does_not_hold_falls_back_and_says_so(client, editor, service):
    sign_in(client, editor)
    location = service.locations_at[0].location
    data = {
        "version": str(service.version),
        "name": location.name,
        "address": "1 Somewhere",
        "postcode": "LS6 1ZZ",
        "address_published": "yes",
    }
    assert post_form(client, f"/listings/services/{service.id}/venues/{location.id}", data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Location, location.id)
    assert saved.postcode == "LS6 1ZZ"
    assert saved.geo_precision in (GeoPrecision.SECTOR, GeoPrecision.DISTRICT)


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("", "Enter a postcode"),
        ("not a postcode", "Enter a real postcode, like LS6 1AA"),
        ("BT1 1AA", "Enter a postcode in England, Scotland or Wales"),
    ],
)
def test_bad_venue_postcode_is_400(client, editor, service, postcode, message):
    sign_in(client, editor)
    location = service.locations_at[0].location
    data = {
        "version": str(service.version),
        "name": "X",
        "address": "Y",
        "postcode": postcode,
        "address_published": "yes",
    }
    response = post_form(client, f"/listings/services/{service.id}/venues/{location.id}", data)
    assert response.status_code == 400
    assert message in errors(response)
    db.session.expire_all()
    assert db.session.get(Location, location.id).postcode == "M33 7XX"


def test_removing_a_venue_keeps_the_venue_and_records_it(client, editor, service):
    sign_in(client, editor)
    location = service.locations_at[0].location
    response = post_form(
        client,
        f"/listings/services/{service.id}/venues/{location.id}/remove",
        {"version": str(service.version)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).locations_at == []
    assert db.session.get(Location, location.id) is not None
    revision = db.session.scalars(select(ListingRevision)).one()
    assert revision.action == "venue_removed"


def _sessions(service, rows: dict, count: int = 6) -> dict:
    data = {"version": str(service.version), "row_count": str(count)}
    for i in range(count):
        for part in ("day", "opens", "closes", "week", "venue", "note"):
            data[f"{part}_{i}"] = ""
    data.update(rows)
    return data


def test_editor_changes_session_times(client, editor, service):
    sign_in(client, editor)
    venue = service.locations_at[0]
    form = page(client.get(f"/listings/services/{service.id}/sessions"))
    assert form.find("input", {"name": "opens_0"})["value"] == "10:00"
    response = post_form(
        client,
        f"/listings/services/{service.id}/sessions",
        _sessions(
            service,
            {
                "day_0": "1",
                "opens_0": "10:30",
                "closes_0": "12:00",
                "day_1": "3",
                "opens_1": "18.30",
                "closes_1": "20:00",
                "week_1": "1",
                "venue_1": venue.id,
                "note_1": "Not in August",
            },
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    schedules = db.session.get(Service, service.id).schedules
    assert [(s.byday_index, s.opens_at, s.closes_at, s.week_of_month) for s in schedules] == [
        (1, time(10, 30), time(12, 0), None),
        (3, time(18, 30), time(20, 0), 1),
    ]
    assert schedules[1].service_at_location_id == venue.id
    revision = db.session.scalars(select(ListingRevision)).one()
    assert revision.changes["sessions"] == [
        ["Every Tuesday 10:00–11:30"],
        [
            "Every Tuesday 10:30–12:00",
            f"First Thursday of the month 18:30–20:00 at {venue.location.name} (Not in August)",
        ],
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"opens_0": "10:00", "closes_0": "11:00"}, "Select a day for session 1"),
        (
            {"day_0": "1", "opens_0": "ten", "closes_0": "11:00"},
            "Enter a start time for session 1, like 10:00 or 18:30",
        ),
        (
            {"day_0": "1", "opens_0": "25:00", "closes_0": "11:00"},
            "Enter a start time for session 1, like 10:00 or 18:30",
        ),
        ({"day_0": "1", "opens_0": "12:00", "closes_0": "11:00"}, "Session 1 must end after it starts"),
        ({"day_0": "9", "opens_0": "10:00", "closes_0": "11:00"}, "Select a day for session 1"),
        (
            {"day_0": "1", "opens_0": "10:00", "closes_0": "11:00", "note_0": "x" * 301},
            "Note must be 300 characters or fewer",
        ),
    ],
)
def test_bad_session_rows_are_400_and_nothing_changes(client, editor, service, row, message):
    sign_in(client, editor)
    response = post_form(client, f"/listings/services/{service.id}/sessions", _sessions(service, row))
    assert response.status_code == 400
    assert message in errors(response)
    db.session.expire_all()
    assert [s.opens_at for s in db.session.get(Service, service.id).schedules] == [time(10, 0)]


def test_clearing_every_row_removes_the_sessions(client, editor, service):
    sign_in(client, editor)
    assert post_form(client, f"/listings/services/{service.id}/sessions", _sessions(service, {})).status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).schedules == []


def test_editor_changes_organisation_details(client, editor, org):
    sign_in(client, editor)
    data = {
        "version": str(org.version),
        "name": "Sale Walkers CIO",
        "description": "Walks.",
        "charity_number": "1234567",
    }
    assert post_form(client, f"/listings/organisations/{org.id}/edit", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, org.id).name == "Sale Walkers CIO"
    revision = db.session.scalars(select(ListingRevision)).one()
    assert (revision.object_type, revision.changes["name"]) == ("organization", ["Sale Walkers", "Sale Walkers CIO"])


def test_archived_listing_cannot_be_edited_or_confirmed(client, editor, org):
    archived = make_service(organization=org, status=ListingStatus.ARCHIVED)
    sign_in(client, editor)
    assert client.get(f"/listings/services/{archived.id}/edit").status_code == 404
    assert post_form(client, f"/listings/services/{archived.id}/confirm").status_code == 404
    assert client.get(f"/listings/services/{archived.id}/history").status_code == 200


def test_description_html_is_escaped_on_editor_pages(client, editor, org):
    listed = make_service(organization=org, name="<script>alert(1)</script>", description="<b>bold</b>")
    sign_in(client, editor)
    for url in ("/listings/my-organisation", f"/listings/services/{listed.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html


def test_address_an_editor_marks_unpublished_never_reaches_the_public_page(client, editor, service):
    sign_in(client, editor)
    location = service.locations_at[0].location
    data = {
        "version": str(service.version),
        "name": "Safe House",
        "address": "12 Hidden Road",
        "town": "Sale",
        "postcode": "M33 7XX",
        "address_published": "no",
    }
    assert post_form(client, f"/listings/services/{service.id}/venues/{location.id}", data).status_code == 302
    public = client.application.test_client().get(f"/services/{service.id}")
    assert public.status_code == 200
    text = page(public).get_text(" ", strip=True)
    assert "12 Hidden Road" not in text
    assert "M33 7XX" not in text


def test_a_session_time_an_editor_changes_is_on_the_public_page(client, editor, service):
    sign_in(client, editor)
    data = {"version": str(service.version), "row_count": "6", "day_0": "1", "opens_0": "13:15", "closes_0": "14:45"}
    assert post_form(client, f"/listings/services/{service.id}/sessions", data).status_code == 302
    text = page(client.application.test_client().get(f"/services/{service.id}")).get_text(" ", strip=True)
    assert "13:15" in text and "10:00" not in text
