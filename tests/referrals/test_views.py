"""The organisation's inbox and the link worker's referral page: permissions, consent, answers, register."""

import pytest
from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.referrals.models import Referral
from prescribing.referrals.services import Consent
from tests.conftest import page, post_form, sign_in
from tests.factories import make_organization, make_service, make_user
from tests.referrals.conftest import SENTINEL_NHS, SENTINEL_POSTCODE


@pytest.fixture
def as_editor(client, editor):
    sign_in(client, editor)
    return client


@pytest.fixture
def as_link_worker(client, link_worker):
    sign_in(client, link_worker)
    return client


def fresh(referral: Referral) -> Referral:
    """The referral as the database now has it (requests use their own session)."""
    db.session.expire_all()
    return db.session.get(Referral, referral.id)


def errors(response) -> list[str]:
    summary = page(response).select_one(".nhsuk-error-summary")
    return [li.get_text(strip=True) for li in summary.select("li")] if summary else []


def test_the_inbox_lists_referrals_to_the_organisations_services(as_editor, referral):
    response = as_editor.get("/referrals")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Waiting for your answer" in html and "Zebulon Quillfeather" in html and "Sale Canal Walkers" in html
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "referral_viewed"))
    assert audit.object_type == "referral" and audit.object_id == referral.id


def test_the_organisation_sees_only_what_was_shared_never_clinical_detail(as_editor, referral):
    html = as_editor.get(f"/referrals/{referral.id}").get_data(as_text=True)
    for shown in ("Zebulon Quillfeather", "0161 496 0999", "Walking", "Likes mornings"):
        assert shown in html
    for hidden in (SENTINEL_NHS, "999 000 0026", SENTINEL_POSTCODE, "CLINICAL-SECRET", "PLAN-SECRET", "1960"):
        assert hidden not in html


def test_consent_limits_the_fields_the_organisation_sees(client, editor, refer, service):
    referral = refer(service, Consent(need=True))
    sign_in(client, editor)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Walking" in html
    assert "Zebulon" not in html and "0161 496 0999" not in html and "Likes mornings" not in html


def test_withdrawing_consent_hides_what_was_shared_from_then_on(client, editor, link_worker, referral, person):
    sign_in(client, link_worker)
    url = f"/people/{person.id}/referrals/{referral.id}/consent/withdraw"
    assert post_form(client, url, {"version": "1"}).status_code == 302
    sign_in(client, editor)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Zebulon" not in html and "Likes mornings" not in html and "has not agreed to share" in html
    assert "Name not shared" in client.get("/referrals").get_data(as_text=True)


def test_the_link_worker_records_what_the_person_agreed_to_share(as_link_worker, refer, service, person):
    referral = refer(service, None)
    url = f"/people/{person.id}/referrals/{referral.id}/consent"
    response = post_form(as_link_worker, url, {"fields": ["name", "note"], "shared_note": ""})
    assert response.status_code == 400
    assert errors(response) == ["Enter the note the person agreed to share, or untick it"]
    assert fresh(referral).consent_recorded_at is None
    response = post_form(as_link_worker, url, {"fields": ["name", "note"], "shared_note": "Prefers a quiet start"})
    assert response.status_code == 302
    found = fresh(referral)
    assert found.shares("name") and found.shares("note") and not found.shares("contact")
    assert found.consent_recorded_by_id is not None and found.shared_note == "Prefers a quiet start"


def test_an_editor_of_another_organisation_gets_not_found(client, referral):
    stranger = make_user(Role.ORG_EDITOR, organization_id=make_organization().id)
    sign_in(client, stranger)
    assert client.get(f"/referrals/{referral.id}").status_code == 404
    for action in ("answer", "attendance", "finish"):
        assert post_form(client, f"/referrals/{referral.id}/{action}", {"version": "1"}).status_code == 404
    assert "Zebulon" not in client.get("/referrals").get_data(as_text=True)
    assert fresh(referral).status == "sent"


def test_an_org_editor_cannot_reach_plans_or_the_link_worker_address(as_editor, referral, person):
    assert as_editor.get(f"/people/{person.id}").status_code == 403
    assert as_editor.get(f"/people/{person.id}/referrals/{referral.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.COMMISSIONER, Role.COORDINATOR])
def test_other_roles_are_refused_the_inbox(client, role, referral):
    sign_in(client, make_user(role))
    assert client.get("/referrals").status_code == 403
    assert client.get(f"/referrals/{referral.id}").status_code == 403


def test_a_link_worker_of_another_pcn_gets_not_found(client, referral, person):
    sign_in(client, make_user(Role.LINK_WORKER))
    assert client.get(f"/people/{person.id}/referrals/{referral.id}").status_code == 404


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"decision": "accepted"}, "accepted"),
        ({"decision": "waiting_list"}, "waiting_list"),
        ({"decision": "declined", "decline_reason": "out_of_area"}, "declined"),
    ],
)
def test_the_organisation_answers_in_one_action(as_editor, referral, data, status):
    response = post_form(as_editor, f"/referrals/{referral.id}/answer", {"version": "1", **data})
    assert response.status_code == 302
    found = fresh(referral)
    assert found.status == status and found.events[-1].recorded_by_id is not None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "referral_changed"))
    assert audit.object_id == referral.id and f"to={status}" in audit.detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": "1"}, "Select your answer"),
        ({"version": "1", "decision": "declined"}, "Select why the referral was declined"),
        ({"version": "1", "decision": "maybe"}, "Not a valid choice."),
        ({"version": "1", "decision": "accepted", "note": "x" * 2001}, "Note must be 2000 characters or fewer"),
        ({"version": "abc", "decision": "accepted"}, "Reload the page and try again"),
    ],
)
def test_a_bad_answer_is_refused_with_a_clear_message(as_editor, referral, data, message):
    response = post_form(as_editor, f"/referrals/{referral.id}/answer", data)
    assert response.status_code == 400
    assert message in errors(response)
    assert page(response).title.get_text().startswith("Error:")
    assert fresh(referral).status == "sent"


def test_an_answer_from_a_stale_page_is_told_the_referral_moved_on(as_editor, referral):
    post_form(as_editor, f"/referrals/{referral.id}/answer", {"version": "1", "decision": "accepted"})
    response = post_form(
        as_editor,
        f"/referrals/{referral.id}/answer",
        {"version": "1", "decision": "declined", "decline_reason": "other"},
    )
    assert response.status_code == 409
    assert any("Someone else updated this referral" in e for e in errors(response))
    assert fresh(referral).status == "accepted"


def test_the_register_records_the_first_session_as_uptake(as_editor, referral):
    post_form(as_editor, f"/referrals/{referral.id}/answer", {"version": "1", "decision": "accepted"})
    day = referral.sent_at.date()
    response = post_form(
        as_editor,
        f"/referrals/{referral.id}/attendance",
        {
            "version": "2",
            "came": "yes",
            "session_on[day]": day.day,
            "session_on[month]": day.month,
            "session_on[year]": day.year,
        },
    )
    assert response.status_code == 302
    found = fresh(referral)
    assert (found.status, found.first_attended_on) == ("first_attended", day)
    assert "Went to a first session" in as_editor.get(f"/referrals/{referral.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"came": "yes"}, "Enter the date of the session"),
        (
            {"session_on[day]": "31", "session_on[month]": "2", "session_on[year]": "2026", "came": "yes"},
            "Date of the session must be a real date",
        ),
        ({"session_on[day]": "1", "session_on[month]": "1", "session_on[year]": "2026"}, "Select whether they came"),
    ],
)
def test_a_bad_register_entry_is_refused(as_editor, referral, data, message):
    post_form(as_editor, f"/referrals/{referral.id}/answer", {"version": "1", "decision": "accepted"})
    response = post_form(as_editor, f"/referrals/{referral.id}/attendance", {"version": "2", **data})
    assert response.status_code == 400
    assert message in errors(response)
    assert fresh(referral).status == "accepted"


def test_attendance_before_an_answer_is_refused(as_editor, referral):
    day = referral.sent_at.date()
    response = post_form(
        as_editor,
        f"/referrals/{referral.id}/attendance",
        {
            "version": "1",
            "came": "yes",
            "session_on[day]": day.day,
            "session_on[month]": day.month,
            "session_on[year]": day.year,
        },
    )
    assert response.status_code == 400
    assert "Attendance cannot be recorded for a referral that is waiting for an answer" in errors(response)


@pytest.mark.parametrize("kind", ["signpost_only", "no_active_editor"])
def test_services_without_an_inbox_are_tracked_by_the_link_worker(client, link_worker, refer, person, kind):
    organization = make_organization()
    if kind == "signpost_only":
        make_user(Role.ORG_EDITOR, organization_id=organization.id)
        service = make_service(organization=organization, signpost_only=True)
    else:
        make_user(Role.ORG_EDITOR, organization_id=organization.id, active=False)
        service = make_service(organization=organization)
    referral = refer(service)
    assert referral.tracked_by_link_worker
    editor = db.session.scalar(select(type(link_worker)).where(type(link_worker).organization_id == organization.id))
    editor.active = True
    db.session.commit()
    sign_in(client, editor)
    assert client.get(f"/referrals/{referral.id}").status_code == 404
    sign_in(client, link_worker)
    html = client.get(f"/people/{person.id}/referrals/{referral.id}").get_data(as_text=True)
    assert "you record its answer and attendance" in html
    response = post_form(
        client, f"/people/{person.id}/referrals/{referral.id}/answer", {"version": "1", "decision": "accepted"}
    )
    assert response.status_code == 302
    assert fresh(referral).status == "accepted"


def test_the_link_worker_cannot_answer_for_an_organisation_with_an_inbox(as_link_worker, referral, person):
    response = post_form(
        as_link_worker, f"/people/{person.id}/referrals/{referral.id}/answer", {"version": "1", "decision": "accepted"}
    )
    assert response.status_code == 400
    assert "You cannot mark this referral as accepted" in errors(response)


def test_the_person_page_shows_the_referral_history_and_the_person_can_withdraw(as_link_worker, referral, person):
    person_html = as_link_worker.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Sale Canal Walkers" in person_html and "Waiting for an answer" in person_html
    url = f"/people/{person.id}/referrals/{referral.id}"
    html = as_link_worker.get(url).get_data(as_text=True)
    assert "Referral sent" in html
    response = post_form(as_link_worker, f"{url}/withdraw", {"version": "1", "note": "Changed their mind"})
    assert response.status_code == 302
    html = as_link_worker.get(url).get_data(as_text=True)
    assert "Withdrawn by the person" in html and "Changed their mind" in html
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == person.id)).all()
    assert any(a.action == "person_viewed" and f"referral={referral.id}" in (a.detail or "") for a in audit)


def test_the_link_worker_marks_the_latest_change_entered_in_error(client, editor, link_worker, referral, person):
    sign_in(client, editor)
    post_form(
        client, f"/referrals/{referral.id}/answer", {"version": "1", "decision": "declined", "decline_reason": "other"}
    )
    sign_in(client, link_worker)
    event = fresh(referral).events[-1]
    url = f"/people/{person.id}/referrals/{referral.id}/events/{event.id}/error"
    assert post_form(client, url, {"version": "2"}).status_code == 302
    found = fresh(referral)
    assert found.status == "sent" and found.events[-1].entered_in_error_at is not None
    assert "Entered in error" in client.get(f"/people/{person.id}/referrals/{referral.id}").get_data(as_text=True)
