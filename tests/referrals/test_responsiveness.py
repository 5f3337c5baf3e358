"""Responsiveness on the public listing, and the organisation's anonymous results, from known events."""

from datetime import date

from prescribing.extensions import db
from prescribing.outcomes.models import WellbeingMeasure
from prescribing.referrals.lifecycle import Actor
from prescribing.referrals.responsiveness import responsiveness, results
from prescribing.referrals.services import change_state, record_attendance
from tests.conftest import page, sign_in
from tests.factories import make_service
from tests.referrals.conftest import SENTINELS


def answer(referral, editor, to, **extra):
    change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to=to, expected_version=1, **extra)


def listing_lines(client, service) -> list[str]:
    found = page(client.get(f"/services/{service.id}")).select_one(".app-responsiveness")
    return [li.get_text(strip=True) for li in found.select("li")] if found else []


def test_nothing_is_shown_until_five_referrals_are_answered(client, clock, refer, service, editor, organization):
    referrals = [refer(service) for _ in range(5)]
    clock.advance(days=2)
    for referral in referrals[:4]:
        answer(referral, editor, "accepted")
    assert responsiveness(db.session, organization.id) is None
    assert listing_lines(client, service) == []
    tracked = refer(make_service(organization=organization, signpost_only=True))
    change_state(referral=tracked, user=editor, actor=Actor.LINK_WORKER, to="accepted", expected_version=1)
    assert responsiveness(db.session, organization.id) is None  # link-worker-tracked referrals do not count


def test_reply_time_and_acceptance_are_computed_from_the_answers(client, clock, refer, service, editor, organization):
    referrals = [refer(service) for _ in range(6)]
    clock.advance(days=1)
    answer(referrals[0], editor, "accepted")
    answer(referrals[1], editor, "accepted")
    clock.advance(days=2)  # day 3
    answer(referrals[2], editor, "declined", reason="no_capacity")
    answer(referrals[3], editor, "waiting_list")
    answer(referrals[4], editor, "accepted")
    clock.advance(days=7)  # day 10
    answer(referrals[5], editor, "declined", reason="out_of_area")
    found = responsiveness(db.session, organization.id)
    assert (found.answered, found.usual_days, found.accepted_percent) == (6, 3, 50)
    assert listing_lines(client, service) == ["Usually replies within 3 days", "50% of referrals accepted"]


def test_the_results_page_shows_counts_with_small_numbers_hidden_and_no_personal_data(
    client, refer, service, editor, link_worker, person, episode
):
    came = refer(service)
    answer(came, editor, "accepted")
    record_attendance(
        referral=came,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=came.sent_at.date(),
        came=True,
        expected_version=2,
    )
    for n, total in ((0, 14), (1, 20)):
        db.session.add(
            WellbeingMeasure(
                pcn_id=person.pcn_id,
                person_id=person.id,
                episode_id=episode.id,
                instrument="swemwbs",
                taken_on=date(2026, 1 + n, 1),
                items=[2] * 7,
                total=total,
            )
        )
    db.session.commit()
    summary = results(db.session, editor.organization_id)
    assert (summary.received, summary.came, summary.stayed) == ("fewer than 5", "fewer than 5", "fewer than 5")
    sign_in(client, editor)
    response = client.get("/referrals/results")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "fewer than 5" in text and "fewer than 5 people measured twice" in text
    for sentinel in SENTINELS:
        assert sentinel.lower() not in text.lower()


def test_results_show_real_numbers_from_five_people(refer, service, editor, link_worker, person, episode):
    for _ in range(6):
        referral = refer(service)
        answer(referral, editor, "accepted")
        record_attendance(
            referral=referral,
            user=editor,
            actor=Actor.ORGANISATION,
            session_on=referral.sent_at.date(),
            came=True,
            expected_version=2,
        )
    summary = results(db.session, editor.organization_id)
    # Six referrals but one person: people are counted, not referrals.
    assert (summary.received, summary.came) == ("6", "fewer than 5")


def test_only_org_editors_see_the_results_page(client, link_worker):
    sign_in(client, link_worker)
    assert client.get("/referrals/results").status_code == 403
