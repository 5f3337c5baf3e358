"""The referral lifecycle: every allowed and forbidden change, reasons, dates, errors and concurrency."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.referrals import lifecycle
from prescribing.referrals.lifecycle import Actor, State, TransitionError
from prescribing.referrals.models import Referral, ReferralEvent
from prescribing.referrals.services import change_state, mark_event_entered_in_error, record_attendance

S = State
# Written out by hand from the issue, not copied from the code under test.
ALLOWED = {
    (S.SENT, S.ACCEPTED),
    (S.SENT, S.WAITING_LIST),
    (S.SENT, S.DECLINED),
    (S.SENT, S.WITHDRAWN),
    (S.SENT, S.EXPIRED),
    (S.WAITING_LIST, S.ACCEPTED),
    (S.WAITING_LIST, S.DECLINED),
    (S.WAITING_LIST, S.WITHDRAWN),
    (S.ACCEPTED, S.FIRST_ATTENDED),
    (S.ACCEPTED, S.DID_NOT_ATTEND),
    (S.ACCEPTED, S.WITHDRAWN),
    (S.DID_NOT_ATTEND, S.FIRST_ATTENDED),
    (S.DID_NOT_ATTEND, S.DID_NOT_ATTEND),
    (S.DID_NOT_ATTEND, S.WITHDRAWN),
    (S.FIRST_ATTENDED, S.ATTENDING),
    (S.FIRST_ATTENDED, S.FINISHED),
    (S.FIRST_ATTENDED, S.WITHDRAWN),
    (S.ATTENDING, S.ATTENDING),
    (S.ATTENDING, S.FINISHED),
    (S.ATTENDING, S.WITHDRAWN),
}
REASONS = {S.DECLINED: "no_capacity", S.FINISHED: "goal_met"}
ALL_PAIRS = [(a, b) for a in State for b in State]


def put_in(referral: Referral, state: State) -> Referral:
    referral.status = state.value
    db.session.commit()
    return referral


def actor_for(to: State) -> Actor:
    if to == S.EXPIRED:
        return Actor.SYSTEM
    if to == S.WITHDRAWN:
        return Actor.LINK_WORKER
    return Actor.ORGANISATION


@pytest.mark.parametrize(("start", "to"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_every_transition_is_allowed_or_refused_as_the_lifecycle_says(referral, link_worker, start, to):
    put_in(referral, start)
    events_before = db.session.scalar(select(func.count(ReferralEvent.id)))
    attempt = dict(
        referral=referral,
        to=to.value,
        actor=actor_for(to),
        user_id=link_worker.id,
        expected_version=referral.version,
        now=utcnow(),
        reason=REASONS.get(to),
    )
    if (start, to) in ALLOWED:
        event = lifecycle.transition(db.session, **attempt)
        db.session.commit()
        assert (event.from_state, event.to_state) == (start.value, to.value)
        assert db.session.get(Referral, referral.id).status == to.value
    else:
        with pytest.raises(TransitionError) as error:
            lifecycle.transition(db.session, **attempt)
        assert "cannot" in str(error.value)
        db.session.rollback()
        assert db.session.get(Referral, referral.id).status == start.value
        assert db.session.scalar(select(func.count(ReferralEvent.id))) == events_before


@pytest.mark.parametrize(
    ("to", "actor", "message"),
    [
        (S.ACCEPTED, Actor.LINK_WORKER, "You cannot mark this referral as accepted"),
        (S.EXPIRED, Actor.ORGANISATION, "You cannot mark this referral as expired"),
        (S.EXPIRED, Actor.LINK_WORKER, "You cannot mark this referral as expired"),
        (S.WITHDRAWN, Actor.ORGANISATION, "You cannot mark this referral as withdrawn"),
        (S.ACCEPTED, Actor.SYSTEM, "You cannot mark this referral as accepted"),
    ],
)
def test_each_side_may_only_make_its_own_changes(referral, link_worker, to, actor, message):
    with pytest.raises(TransitionError, match=message):
        change_state(referral=referral, user=link_worker, actor=actor, to=to.value, expected_version=1)
    assert db.session.get(Referral, referral.id).status == "sent"


@pytest.mark.parametrize(
    ("to", "reason", "note", "message"),
    [
        (S.DECLINED, None, "", "Select why the referral was declined"),
        (S.DECLINED, "busy", "", "Select why the referral was declined"),
        ("nonsense", None, "", "Choose what happened with this referral"),
        (S.ACCEPTED, None, "x" * 2001, "Note must be 2000 characters or fewer"),
    ],
)
def test_changes_with_missing_or_bad_details_are_refused(referral, editor, to, reason, note, message):
    with pytest.raises(TransitionError, match=message):
        change_state(
            referral=referral,
            user=editor,
            actor=Actor.ORGANISATION,
            to=to,
            expected_version=1,
            reason=reason,
            note=note,
        )
    assert db.session.get(Referral, referral.id).status == "sent"


@pytest.mark.parametrize("reason", ["no_capacity", "not_eligible", "out_of_area", "could_not_contact", "other"])
def test_a_decline_records_its_reason(referral, editor, reason):
    event = change_state(
        referral=referral, user=editor, actor=Actor.ORGANISATION, to="declined", expected_version=1, reason=reason
    )
    assert event.reason == reason and referral.status == "declined" and referral.answered_at is not None


def test_stopping_needs_a_reason_in_the_note(referral, editor):
    put_in(referral, S.ATTENDING)
    with pytest.raises(TransitionError, match="Enter why the person stopped"):
        change_state(
            referral=referral,
            user=editor,
            actor=Actor.ORGANISATION,
            to="finished",
            expected_version=1,
            reason="stopped",
        )
    event = change_state(
        referral=referral,
        user=editor,
        actor=Actor.ORGANISATION,
        to="finished",
        expected_version=1,
        reason="stopped",
        note="Moved house",
    )
    assert (event.reason, event.note, referral.status) == ("stopped", "Moved house", "finished")


def test_attendance_can_be_back_dated_but_never_in_the_future(referral, editor):
    put_in(referral, S.ACCEPTED)
    tomorrow = utcnow().date() + timedelta(days=1)
    with pytest.raises(TransitionError, match="today or in the past"):
        record_attendance(
            referral=referral, user=editor, actor=Actor.ORGANISATION, session_on=tomorrow, came=True, expected_version=1
        )
    before_sent = referral.sent_at.date() - timedelta(days=1)
    with pytest.raises(TransitionError, match="on or after the date the referral was sent"):
        record_attendance(
            referral=referral,
            user=editor,
            actor=Actor.ORGANISATION,
            session_on=before_sent,
            came=True,
            expected_version=1,
        )
    assert referral.status == "accepted" and referral.first_attended_on is None


def test_the_register_moves_a_referral_through_first_session_and_later_ones(referral, editor, clock):
    change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to="accepted", expected_version=1)
    clock.advance(days=10)
    first_day = referral.sent_at.date() + timedelta(days=7)
    event = record_attendance(
        referral=referral, user=editor, actor=Actor.ORGANISATION, session_on=first_day, came=False, expected_version=2
    )
    assert event.to_state == "did_not_attend"
    event = record_attendance(
        referral=referral,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=first_day + timedelta(days=1),
        came=True,
        expected_version=3,
    )
    assert event.to_state == "first_attended" and referral.first_attended_on == first_day + timedelta(days=1)
    assert event.happened_at.date() == first_day + timedelta(
        days=1
    ) and event.recorded_at.date() == referral.sent_at.date() + timedelta(days=10)
    missed = record_attendance(
        referral=referral,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=utcnow().date(),
        came=False,
        expected_version=4,
    )
    assert (missed.to_state, missed.reason) == ("attending", lifecycle.MISSED_SESSION)
    assert lifecycle.describe(missed.to_state, missed.reason) == "Did not come to a session"


def test_a_second_person_working_from_the_same_page_is_told_the_state_moved_on(referral, editor, link_worker):
    change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to="accepted", expected_version=1)
    with pytest.raises(lifecycle.StateMovedOn, match="Someone else updated this referral"):
        change_state(referral=referral, user=link_worker, actor=Actor.LINK_WORKER, to="withdrawn", expected_version=1)
    found = db.session.get(Referral, referral.id)
    assert (found.status, found.version) == ("accepted", 2)
    assert [e.to_state for e in found.events] == ["sent", "accepted"]


def test_a_stale_copy_of_the_referral_cannot_overwrite_a_newer_change(referral, editor):
    """Two sessions load the same referral; the one that writes second is refused, nothing lost."""
    other = Session(db.engine, expire_on_commit=False)
    try:
        stale = other.get(Referral, referral.id)  # "sent", version 1, as the second person saw it
        other.commit()
        change_state(
            referral=referral,
            user=editor,
            actor=Actor.ORGANISATION,
            to="declined",
            reason="no_capacity",
            expected_version=1,
        )
        with pytest.raises(lifecycle.StateMovedOn):
            lifecycle.transition(
                other,
                stale,
                to="accepted",
                actor=Actor.ORGANISATION,
                user_id=editor.id,
                expected_version=1,
                now=utcnow(),
            )
    finally:
        other.close()
    db.session.expire_all()
    found = db.session.get(Referral, referral.id)
    assert (found.status, [e.to_state for e in found.events]) == ("declined", ["sent", "declined"])


def test_only_the_latest_change_can_be_marked_entered_in_error_and_the_state_goes_back(referral, editor, link_worker):
    change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to="accepted", expected_version=1)
    record_attendance(
        referral=referral,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=utcnow().date(),
        came=True,
        expected_version=2,
    )
    accepted, attended = referral.events[1], referral.events[2]
    with pytest.raises(TransitionError, match="Only the latest change"):
        mark_event_entered_in_error(referral=referral, event=accepted, user=link_worker)
    mark_event_entered_in_error(referral=referral, event=attended, user=link_worker)
    found = db.session.get(Referral, referral.id)
    assert (found.status, found.first_attended_on) == ("accepted", None)
    assert len(found.events) == 3 and found.events[2].entered_in_error_at is not None
    assert [e.to_state for e in found.valid_events()] == ["sent", "accepted"]
    with pytest.raises(TransitionError, match="already marked"):
        mark_event_entered_in_error(referral=found, event=found.events[2], user=link_worker)
