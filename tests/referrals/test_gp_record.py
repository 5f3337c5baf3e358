"""For the GP record: SNOMED CT codings from the constant table, the practice's list, CSV and message back."""

from datetime import date

import pytest
from sqlalchemy import func, select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.plans import services as plan_services
from prescribing.plans.models import ClosedReason
from prescribing.referrals import gp_record
from prescribing.referrals.lifecycle import Actor
from prescribing.referrals.models import GpCoding
from prescribing.referrals.services import change_state, record_attendance
from tests.conftest import page, post_form, sign_in
from tests.factories import make_practice, make_user
from tests.referrals.conftest import SENTINEL_NHS


@pytest.fixture
def clinician(practice):
    return make_user(Role.CLINICIAN, practice_id=practice.id)


@pytest.fixture
def other_clinician(practice):
    return make_user(Role.CLINICIAN, practice_id=make_practice(pcn=practice.pcn).id)


def codes(person) -> list[str]:
    return [c.code for c in gp_record.codings_for_person(person.id)]


def test_accepting_support_is_coded_once_per_episode(client, link_worker, person, episode):
    assert codes(person) == ["871731000000106"]
    assert (
        gp_record.add_coding(episode=episode, code=gp_record.REFERRED, coded_on=date(2026, 2, 1), user=link_worker)
        is None
    )
    assert db.session.scalar(select(func.count(GpCoding.id))) == 1
    sign_in(client, link_worker)
    panel = page(client.get(f"/people/{person.id}")).select_one(".app-gp-record").get_text(" ", strip=True)
    assert "871731000000106 Referral to social prescribing service, 5 January 2026" in panel


@pytest.mark.parametrize(
    ("reason", "expected"),
    [(ClosedReason.DECLINED, ["871731000000106", "871711000000103"]), (ClosedReason.GOALS_MET, ["871731000000106"])],
)
def test_declining_support_is_coded_as_declined(link_worker, person, episode, reason, expected):
    plan_services.close_episode(user=link_worker, episode=episode, reason=reason, closed_on=date(2026, 3, 1))
    assert codes(person) == expected


@pytest.mark.parametrize("code", ["12345", "871731000000106 ", "Referral to social prescribing service", ""])
def test_only_codes_from_the_table_are_accepted(link_worker, episode, code):
    with pytest.raises(gp_record.CodingError):
        gp_record.add_coding(episode=episode, code=code, coded_on=date(2026, 1, 5), user=link_worker)


def test_the_practice_lists_codings_not_yet_entered_and_marks_them_done(client, clinician, other_clinician, episode):
    coding = db.session.scalar(select(GpCoding))
    sign_in(client, other_clinician)
    assert "Quillfeather" not in client.get("/gp-record").get_data(as_text=True)
    assert post_form(client, f"/gp-record/{coding.id}/done").status_code == 404
    sign_in(client, clinician)
    html = client.get("/gp-record").get_data(as_text=True)
    assert "Zebulon Quillfeather" in html and "871731000000106" in html
    assert post_form(client, f"/gp-record/{coding.id}/done").status_code == 302
    assert "Quillfeather" not in client.get("/gp-record").get_data(as_text=True)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "gp_coding_entered"))
    assert audit.object_type == "person" and audit.object_id == coding.person_id


def test_the_csv_carries_nhs_numbers_and_every_download_is_audited(client, clinician, person, episode):
    sign_in(client, clinician)
    response = client.get("/gp-record.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert SENTINEL_NHS in body and "871731000000106" in body
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "gp_codings_exported")).all()
    assert [(a.object_type, a.object_id) for a in exported] == [("person", person.id)]


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.ORG_EDITOR, Role.COMMISSIONER])
def test_only_clinicians_get_the_practice_list(client, role):
    sign_in(client, make_user(role))
    assert client.get("/gp-record").status_code == 403
    assert client.get("/gp-record.csv").status_code == 403


def test_the_message_back_has_three_parts_and_goes_to_the_persons_own_practice_only(
    client, link_worker, editor, clinician, other_clinician, person, episode, referral, practice
):
    change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to="accepted", expected_version=1)
    record_attendance(
        referral=referral,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=referral.sent_at.date(),
        came=True,
        expected_version=2,
    )
    sign_in(client, clinician)
    assert client.get(f"/gp-record/messages/{episode.id}").status_code == 404  # still open
    plan_services.close_episode(
        user=link_worker, episode=episode, reason=ClosedReason.GOALS_MET, closed_on=date(2026, 3, 1)
    )
    message = page(client.get(f"/gp-record/messages/{episode.id}")).select_one(".app-message-back").get_text()
    assert message.startswith(f"To: {practice.name} ({practice.ods_code})")
    for part in ("1. What matters to the person and their needs", "2. Support offered", "3. Outcomes"):
        assert part in message
    assert "Groups attended: Sale Canal Walkers" in message and "Support ended: goals met" in message
    sign_in(client, other_clinician)
    assert client.get(f"/gp-record/messages/{episode.id}").status_code == 404
    sign_in(client, link_worker)
    response = client.get(f"/people/{person.id}/episodes/{episode.id}/message-to-gp")
    assert response.status_code == 200 and f"To: {practice.name}" in response.get_data(as_text=True)


def test_merging_a_duplicate_moves_its_codings_to_the_kept_records_practice(link_worker, practice, person, episode):
    from prescribing import geography
    from prescribing.plans import people
    from tests.plans.conftest import make_person

    plan_services.close_episode(
        user=link_worker, episode=episode, reason=ClosedReason.GOALS_MET, closed_on=date(2026, 2, 1)
    )
    elsewhere = make_practice(pcn=practice.pcn)
    keep = make_person(link_worker, elsewhere, given_name="Zebulon", family_name="Quillfeather", nhs_number=None)
    people.merge_people(user=link_worker, keep=keep, duplicate=person, geocoder=geography.Geocoder("offline"))
    coding = db.session.scalar(select(GpCoding))
    assert (coding.person_id, coding.practice_id) == (keep.id, elsewhere.id)
