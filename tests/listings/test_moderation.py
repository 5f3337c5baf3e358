"""Public problem reports and requests to be listed, and what coordinators do with them."""

import pytest
from sqlalchemy import func, select

from prescribing.auth.models import AccountToken, AppUser, Role
from prescribing.directory.models import ListingStatus, Organization, Service
from prescribing.extensions import db
from prescribing.listings.models import ListingRequest, ProblemReport, PublicFormSubmission, RequestStatus
from tests.conftest import page, post_form, sign_in
from tests.factories import make_pcn, make_user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Reporting a problem --------------------------------------------------------------------------


def test_anyone_can_report_a_problem_and_editors_and_coordinators_are_told(client, outbox, service, editor):
    pcn = make_pcn()
    db.session.get(AppUser, editor.id).pcn_id = pcn.id
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, pcn=pcn)
    make_user(Role.COORDINATOR)  # another PCN's coordinator is not told
    form = page(client.get(f"/listings/services/{service.id}/report"))
    honeypot = form.select_one(".app-honeypot")
    assert honeypot["aria-hidden"] == "true"
    assert honeypot.find("input")["tabindex"] == "-1"
    assert honeypot.find("label").get_text() == "Leave this blank"

    response = post_form(
        client,
        f"/listings/services/{service.id}/report",
        {"kind": "wrong_times", "details": "It moved to Wednesdays."},
    )
    assert response.status_code == 302
    report = db.session.scalars(select(ProblemReport)).one()
    assert (report.kind.value, report.details, report.is_open) == ("wrong_times", "It moved to Wednesdays.", True)
    assert sorted(m["to"] for m in outbox()) == sorted([editor.email, coordinator.email])
    body = outbox()[0]["body"]
    assert "It moved to Wednesdays." in body
    assert f"/listings/services/{service.id}" in body
    assert "Report sent" in page(client.get(response.headers["Location"])).get_text()
    # A report changes nothing by itself: a person checks the listing first.
    db.session.expire_all()
    assert db.session.get(Service, service.id).status == ListingStatus.ACTIVE


def test_open_reports_show_on_moderation_page_until_dealt_with(client, coordinator, service):
    post_form(client, f"/listings/services/{service.id}/report", {"kind": "closed"})
    report = db.session.scalars(select(ProblemReport)).one()
    sign_in(client, coordinator)
    assert "Walk and talk" in page(client.get("/listings/moderation")).select_one("table").get_text()
    assert post_form(client, f"/listings/reports/{report.id}/dealt-with").status_code == 302
    assert "No problems are waiting." in page(client.get("/listings/moderation")).get_text()
    db.session.expire_all()
    assert db.session.get(ProblemReport, report.id).dealt_with_by_id == coordinator.id


def test_editor_sees_reports_about_their_listing_and_can_close_them(client, editor, service):
    post_form(client, f"/listings/services/{service.id}/report", {"kind": "closed"})
    report = db.session.scalars(select(ProblemReport)).one()
    sign_in(client, editor)
    assert "It has closed or stopped running" in page(client.get("/listings/my-organisation")).get_text()
    assert post_form(client, f"/listings/reports/{report.id}/dealt-with").status_code == 302


def test_editor_of_another_organisation_cannot_close_a_report(client, service):
    from tests.factories import make_organization

    post_form(client, f"/listings/services/{service.id}/report", {"kind": "closed"})
    report = db.session.scalars(select(ProblemReport)).one()
    sign_in(client, make_user(Role.ORG_EDITOR, organization=make_organization()))
    assert post_form(client, f"/listings/reports/{report.id}/dealt-with").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select what is wrong"),
        ({"kind": "other"}, "Tell us what is wrong"),
        ({"kind": "closed", "details": "x" * 2001}, "What you tell us must be 2000 characters or fewer"),
    ],
)
def test_bad_report_is_400(client, service, data, message):
    response = post_form(client, f"/listings/services/{service.id}/report", data)
    assert response.status_code == 400
    assert message in page(response).select_one(".nhsuk-error-summary").get_text()
    assert count(ProblemReport) == 0


def test_honeypot_report_is_thanked_but_not_kept(client, outbox, service, editor):
    response = post_form(client, f"/listings/services/{service.id}/report", {"kind": "closed", "website": "spam"})
    assert response.status_code == 302
    assert count(ProblemReport) == 0
    assert outbox() == []


def test_sixth_report_in_an_hour_from_one_address_is_refused(client, now, service):
    url = f"/listings/services/{service.id}/report"
    for _ in range(5):
        assert post_form(client, url, {"kind": "closed"}).status_code == 302
    response = post_form(client, url, {"kind": "closed"})
    assert response.status_code == 429
    assert "Try again in an hour" in page(response).get_text()
    assert count(ProblemReport) == 5
    other = client.application.test_client()
    assert post_form(other, url, {"kind": "closed"}, environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 302
    now(days=1 / 24 + 0.001)
    assert post_form(client, url, {"kind": "closed"}).status_code == 302


def test_submissions_store_no_address(client, service):
    post_form(client, f"/listings/services/{service.id}/report", {"kind": "closed"})
    key = db.session.scalars(select(PublicFormSubmission.key)).one()
    assert "127.0.0.1" not in key


def test_archived_listing_cannot_be_reported(client, coordinator, service):
    sign_in(client, coordinator)
    post_form(client, f"/listings/services/{service.id}/archive", {})
    assert client.get(f"/listings/services/{service.id}/report").status_code == 404


# Asking to be listed ---------------------------------------------------------------------------

REQUEST = {
    "organisation_name": "Timperley Knitters",
    "contact_name": "Kim Knit",
    "email": "kim@example.org",
    "phone": "0161 496 0001",
    "offers": "A knitting circle for anyone.",
    "area": "Timperley",
    "charity_number": "",
}


def ask(client, **overrides):
    return post_form(client, "/listings/ask-to-be-listed", {**REQUEST, **overrides})


def test_request_goes_to_the_moderation_queue(client, outbox, coordinator):
    response = ask(client)
    assert response.status_code == 302
    assert "Request sent" in page(client.get(response.headers["Location"])).get_text()
    request = db.session.scalars(select(ListingRequest)).one()
    assert request.status == RequestStatus.PENDING
    (message,) = outbox()
    assert message["to"] == coordinator.email
    assert "Kim" not in message["body"] and "kim@example.org" not in message["body"]
    sign_in(client, coordinator)
    assert "Timperley Knitters" in page(client.get("/listings/moderation")).get_text()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation_name": ""}, "Enter the name of your organisation"),
        ({"email": "nope"}, "Enter an email address in the correct format, like name@example.com"),
        ({"email": ""}, "Enter your email address"),
        ({"offers": "x" * 2001}, "What your organisation offers must be 2000 characters or fewer"),
        ({"charity_number": "1" * 21}, "Charity number must be 20 characters or fewer"),
    ],
)
def test_bad_request_is_400(client, overrides, message):
    response = ask(client, **overrides)
    assert response.status_code == 400
    assert message in page(response).select_one(".nhsuk-error-summary").get_text()
    assert count(ListingRequest) == 0


def test_honeypot_request_is_not_kept(client):
    assert ask(client, website="http://spam.example").status_code == 302
    assert count(ListingRequest) == 0


def test_requests_are_rate_limited(client):
    for _ in range(5):
        assert ask(client).status_code == 302
    assert ask(client).status_code == 429
    assert count(ListingRequest) == 5


def test_approving_creates_the_organisation_and_invites_an_editor(client, outbox, coordinator):
    ask(client)
    request = db.session.scalars(select(ListingRequest)).one()
    sign_in(client, coordinator)
    assert "Kim Knit" in page(client.get(f"/listings/requests/{request.id}")).get_text()
    response = post_form(client, f"/listings/requests/{request.id}/approve")
    assert response.status_code == 302
    organization = db.session.scalars(select(Organization).where(Organization.name == "Timperley Knitters")).one()
    invited = db.session.scalars(select(AppUser).where(AppUser.email == "kim@example.org")).one()
    assert (invited.role, invited.organization_id, invited.password_hash) == (Role.ORG_EDITOR, organization.id, None)
    assert db.session.scalars(select(AccountToken).where(AccountToken.user_id == invited.id)).one()
    assert outbox()[-1]["to"] == "kim@example.org"
    db.session.expire_all()
    decided = db.session.get(ListingRequest, request.id)
    assert (decided.status, decided.organization_id) == (RequestStatus.APPROVED, organization.id)
    assert "No organisations are waiting." in page(client.get("/listings/moderation")).get_text()


def test_approving_twice_changes_nothing(client, coordinator):
    ask(client)
    request = db.session.scalars(select(ListingRequest)).one()
    sign_in(client, coordinator)
    post_form(client, f"/listings/requests/{request.id}/approve")
    response = post_form(client, f"/listings/requests/{request.id}/approve")
    assert response.status_code == 409
    assert count(Organization) == 1


def test_approval_with_an_email_already_in_use_saves_nothing(client, coordinator):
    make_user(Role.LINK_WORKER, email="kim@example.org")
    ask(client)
    request = db.session.scalars(select(ListingRequest)).one()
    sign_in(client, coordinator)
    response = post_form(client, f"/listings/requests/{request.id}/approve")
    assert response.status_code == 409
    assert "already exists" in page(response).select_one(".nhsuk-error-summary").get_text()
    assert count(Organization) == 0
    db.session.expire_all()
    assert db.session.get(ListingRequest, request.id).status == RequestStatus.PENDING


def test_rejecting_emails_the_reason_to_the_requester(client, outbox, coordinator):
    ask(client)
    request = db.session.scalars(select(ListingRequest)).one()
    sign_in(client, coordinator)
    response = post_form(
        client, f"/listings/requests/{request.id}/reject", {"reason": "We only list groups in Trafford."}
    )
    assert response.status_code == 302
    message = outbox()[-1]
    assert message["to"] == "kim@example.org"
    assert "We only list groups in Trafford." in message["body"]
    db.session.expire_all()
    assert db.session.get(ListingRequest, request.id).status == RequestStatus.REJECTED
    assert count(Organization) == 0


def test_rejecting_needs_a_reason(client, coordinator):
    ask(client)
    request = db.session.scalars(select(ListingRequest)).one()
    sign_in(client, coordinator)
    response = post_form(client, f"/listings/requests/{request.id}/reject", {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reason" in page(response).select_one(".nhsuk-error-summary").get_text()


@pytest.mark.parametrize("role", [Role.ORG_EDITOR, Role.LINK_WORKER, Role.CLINICIAN, Role.COMMISSIONER])
def test_only_coordinators_moderate(client, role):
    sign_in(client, make_user(role))
    for url in ("/listings/moderation", "/listings/stale"):
        assert client.get(url).status_code == 403
