"""Two editors saving the same listing: the second is told what changed, and loses nothing."""

from datetime import time

from sqlalchemy import select

from prescribing.auth.models import Role
from prescribing.directory.models import ListingRevision, Organization, Service
from prescribing.extensions import db
from tests.conftest import page, post_form, sign_in
from tests.factories import make_user
from tests.listings.conftest import service_form_data


def test_second_save_from_the_same_starting_version_gets_a_conflict_and_keeps_its_values(app, editor, org, service):
    first, second = app.test_client(), app.test_client()
    sign_in(first, editor)
    sign_in(second, make_user(Role.ORG_EDITOR, organization=org, name="Sam Second"))
    started_at = service.version

    response = post_form(
        first, f"/listings/services/{service.id}/edit", service_form_data(service, name="Walk and talk (Sale)")
    )
    assert response.status_code == 302

    theirs = service_form_data(service, version=str(started_at), description="Gentle walks by the canal.")
    response = post_form(second, f"/listings/services/{service.id}/edit", theirs)
    assert response.status_code == 409
    html = page(response)
    assert "Someone else saved changes to this listing" in html.select_one(".nhsuk-error-summary").get_text()
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in html.select(".nhsuk-card--warning tbody tr")]
    assert rows == [["Name", "Walk and talk", "Walk and talk (Sale)"]]
    # What the second editor typed is still on the page, ready to save again.
    assert html.find("textarea", {"name": "description"}).get_text() == "Gentle walks by the canal."
    new_version = html.find("input", {"name": "version"})["value"]
    db.session.expire_all()
    saved = db.session.get(Service, service.id)
    assert (saved.name, saved.description) == ("Walk and talk (Sale)", "A friendly group.")
    assert new_version == str(saved.version)

    # Saving again from the page applies the second editor's change on top of the first.
    form = {**theirs, "version": new_version, "name": "Walk and talk (Sale)"}
    assert post_form(second, f"/listings/services/{service.id}/edit", form).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Service, service.id)
    assert (saved.name, saved.description) == ("Walk and talk (Sale)", "Gentle walks by the canal.")
    assert [r.action for r in db.session.scalars(select(ListingRevision).order_by(ListingRevision.id))] == [
        "updated",
        "updated",
    ]


def test_confirming_while_someone_edits_is_not_a_conflict(client, editor, service):
    sign_in(client, editor)
    started_at = service.version
    assert post_form(client, f"/listings/services/{service.id}/confirm").status_code == 302
    response = post_form(
        client,
        f"/listings/services/{service.id}/edit",
        service_form_data(service, version=str(started_at), name="Renamed"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Renamed"


def test_session_change_conflicts_with_another_session_change(client, editor, service):
    sign_in(client, editor)
    started_at = str(service.version)
    rows = {"version": started_at, "row_count": "6", "day_0": "2", "opens_0": "09:00", "closes_0": "10:00"}
    assert post_form(client, f"/listings/services/{service.id}/sessions", rows).status_code == 302
    later = {**rows, "day_0": "4"}
    response = post_form(client, f"/listings/services/{service.id}/sessions", later)
    assert response.status_code == 409
    assert "Sessions" in page(response).select_one(".nhsuk-card--warning").get_text()
    db.session.expire_all()
    assert [(s.byday_index, s.opens_at) for s in db.session.get(Service, service.id).schedules] == [(2, time(9, 0))]


def test_organisation_details_conflict(client, editor, org):
    sign_in(client, editor)
    started_at = str(org.version)
    url = f"/listings/organisations/{org.id}/edit"
    assert post_form(client, url, {"version": started_at, "name": "Sale Walkers CIO"}).status_code == 302
    response = post_form(client, url, {"version": started_at, "name": "Sale Walking Club"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Organization, org.id).name == "Sale Walkers CIO"
