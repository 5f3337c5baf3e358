"""Uptake, exactly as the issue defines it, on a fixture with every exclusion."""

from datetime import date, datetime, timedelta

from prescribing.referrals.lifecycle import counts_for_uptake, uptake
from prescribing.referrals.models import Referral, ReferralEvent

TODAY = date(2026, 6, 30)


def referral(sent_days_ago: int, *moves, in_error: bool = False) -> Referral:
    """A referral sent that many days before TODAY, with (from, to, days after sending, in error) moves."""
    sent = datetime.combine(TODAY - timedelta(days=sent_days_ago), datetime.min.time()) + timedelta(hours=9)
    events = [ReferralEvent(id=1, from_state=None, to_state="sent", happened_at=sent)]
    for n, (before, after, days, *error) in enumerate(moves, start=2):
        events.append(
            ReferralEvent(
                id=n,
                from_state=before,
                to_state=after,
                happened_at=sent + timedelta(days=days),
                entered_in_error_at=sent if error else None,
            )
        )
    return Referral(sent_at=sent, events=events, entered_in_error_at=sent if in_error else None)


FIXTURE = {
    "took up after 7 days": referral(60, ("sent", "accepted", 2), ("accepted", "first_attended", 7)),
    "took up after 21 days, then attending": referral(
        40,
        ("sent", "accepted", 3),
        ("accepted", "did_not_attend", 14),
        ("did_not_attend", "first_attended", 21),
        ("first_attended", "attending", 28),
    ),
    "accepted, never went": referral(50, ("sent", "accepted", 1), ("accepted", "did_not_attend", 8)),
    "declined": referral(45, ("sent", "declined", 2)),
    "expired": referral(30, ("sent", "expired", 14)),
    "withdrawn after accepting (counts)": referral(35, ("sent", "accepted", 1), ("accepted", "withdrawn", 5)),
    "first session entered in error": referral(70, ("sent", "accepted", 1), ("accepted", "first_attended", 9, "error")),
    # Exclusions:
    "withdrawn before an answer": referral(40, ("sent", "withdrawn", 1)),
    "referral entered in error": referral(
        90, ("sent", "accepted", 1), ("accepted", "first_attended", 3), in_error=True
    ),
    "younger than 28 days, took up": referral(27, ("sent", "accepted", 1), ("accepted", "first_attended", 5)),
    "younger than 28 days": referral(3),
}
EXCLUDED = {
    "withdrawn before an answer",
    "referral entered in error",
    "younger than 28 days, took up",
    "younger than 28 days",
}


def test_each_exclusion_is_left_out_of_the_count():
    counted = {name for name, r in FIXTURE.items() if counts_for_uptake(r, TODAY)}
    assert counted == set(FIXTURE) - EXCLUDED


def test_uptake_is_first_attended_over_referrals_counted():
    result = uptake(FIXTURE.values(), TODAY)
    assert (result.took_up, result.counted) == (2, 7)
    assert result.rate == 2 / 7


def test_time_to_uptake_runs_from_sending_to_the_day_the_first_session_happened():
    assert uptake(FIXTURE.values(), TODAY).median_days_to_uptake == (7 + 21) / 2


def test_exactly_28_days_old_counts():
    assert counts_for_uptake(referral(28), TODAY) and not counts_for_uptake(referral(27), TODAY)


def test_no_referrals_give_no_rate():
    result = uptake([], TODAY)
    assert (result.counted, result.rate, result.median_days_to_uptake) == (0, None, None)


def test_matching_counts_a_recorded_first_session_as_went(refer, service, editor):
    from prescribing.extensions import db
    from prescribing.matching.uptake import history
    from prescribing.referrals.lifecycle import Actor
    from prescribing.referrals.services import change_state, record_attendance

    went, never, waiting = refer(service), refer(service), refer(service)
    for referral in (went, never):
        change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to="accepted", expected_version=1)
    record_attendance(
        referral=went,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=went.sent_at.date(),
        came=True,
        expected_version=2,
    )
    change_state(
        referral=went, user=editor, actor=Actor.ORGANISATION, to="finished", reason="goal_met", expected_version=3
    )
    record_attendance(
        referral=never,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=never.sent_at.date(),
        came=False,
        expected_version=2,
    )
    assert waiting.status == "sent"
    assert history(db.session, [service.id]) == {service.id: (1, 2)}
