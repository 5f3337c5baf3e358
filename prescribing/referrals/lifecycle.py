"""The referral lifecycle as a plain state machine, and the uptake definition.

    sent ──> accepted / waiting_list / declined (with a reason) / expired (14 days, no answer)
    waiting_list ──> accepted / declined
    accepted ──> first_attended (this is uptake) / did_not_attend
    did_not_attend ──> first_attended / did_not_attend (another missed session)
    first_attended, attending ──> attending (each later session) / finished (with an outcome)
    any state that is not final ──> withdrawn (the person changed their mind)

No Flask here: callers pass the session, the user, and the time. Nothing is committed.
"""

import enum
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import update

from prescribing.referrals.models import Referral, ReferralEvent

ANSWER_WITHIN = timedelta(days=14)
UPTAKE_AGE = timedelta(days=28)
NOTE_LIMIT = 2000


class State(enum.StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    WAITING_LIST = "waiting_list"
    DECLINED = "declined"
    FIRST_ATTENDED = "first_attended"
    DID_NOT_ATTEND = "did_not_attend"
    ATTENDING = "attending"
    FINISHED = "finished"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.SENT: "Waiting for an answer",
    State.ACCEPTED: "Accepted",
    State.WAITING_LIST: "On the waiting list",
    State.DECLINED: "Declined",
    State.FIRST_ATTENDED: "Went to a first session",
    State.DID_NOT_ATTEND: "Did not attend",
    State.ATTENDING: "Attending",
    State.FINISHED: "Finished",
    State.WITHDRAWN: "Withdrawn by the person",
    State.EXPIRED: "Expired without an answer",
}


class DeclineReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    OUT_OF_AREA = "out_of_area"
    COULD_NOT_CONTACT = "could_not_contact"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "no_capacity": "No capacity",
            "not_eligible": "Not eligible",
            "out_of_area": "Out of area",
            "could_not_contact": "Could not contact the person",
            "other": "Another reason",
        }[self.value]


class FinishReason(enum.StrEnum):
    GOAL_MET = "goal_met"
    PARTLY_MET = "partly_met"
    STOPPED = "stopped"
    REFERRED_ELSEWHERE = "referred_elsewhere"

    @property
    def label(self) -> str:
        return {
            "goal_met": "Goal met",
            "partly_met": "Goal partly met",
            "stopped": "Stopped",
            "referred_elsewhere": "Referred elsewhere",
        }[self.value]


# A later session the person did not come to, once they have started.
MISSED_SESSION = "missed_session"

TRANSITIONS: dict[State, frozenset[State]] = {
    State.SENT: frozenset({State.ACCEPTED, State.WAITING_LIST, State.DECLINED, State.WITHDRAWN, State.EXPIRED}),
    State.WAITING_LIST: frozenset({State.ACCEPTED, State.DECLINED, State.WITHDRAWN}),
    State.ACCEPTED: frozenset({State.FIRST_ATTENDED, State.DID_NOT_ATTEND, State.WITHDRAWN}),
    State.DID_NOT_ATTEND: frozenset({State.FIRST_ATTENDED, State.DID_NOT_ATTEND, State.WITHDRAWN}),
    State.FIRST_ATTENDED: frozenset({State.ATTENDING, State.FINISHED, State.WITHDRAWN}),
    State.ATTENDING: frozenset({State.ATTENDING, State.FINISHED, State.WITHDRAWN}),
    State.DECLINED: frozenset(),
    State.FINISHED: frozenset(),
    State.WITHDRAWN: frozenset(),
    State.EXPIRED: frozenset(),
}
FINAL = frozenset(state for state, onward in TRANSITIONS.items() if not onward)
ANSWERS = frozenset({State.ACCEPTED, State.WAITING_LIST, State.DECLINED})


class Actor(enum.StrEnum):
    ORGANISATION = "organisation"
    LINK_WORKER = "link_worker"
    SYSTEM = "system"


ORGANISATION_MOVES = frozenset(
    {
        State.ACCEPTED,
        State.WAITING_LIST,
        State.DECLINED,
        State.FIRST_ATTENDED,
        State.DID_NOT_ATTEND,
        State.ATTENDING,
        State.FINISHED,
    }
)


def describe(to_state: str, reason: str | None) -> str:
    """An event in words, for the history."""
    state = State(to_state)
    if state == State.SENT:
        return "Referral sent"
    if state == State.ATTENDING:
        return "Did not come to a session" if reason == MISSED_SESSION else "Came to a session"
    if state == State.DID_NOT_ATTEND:
        return "Did not come to the first session"
    if state == State.DECLINED and reason in set(DeclineReason):
        return f"Declined: {DeclineReason(reason).label.lower()}"
    if state == State.FINISHED and reason in set(FinishReason):
        return f"Finished: {FinishReason(reason).label.lower()}"
    return state.label


class TransitionError(ValueError):
    """A change that is not allowed: the message says why, and nothing was changed."""


class StateMovedOn(TransitionError):
    """Someone else changed the referral after this person loaded it."""


MOVED_ON = "Someone else updated this referral while you were looking at it. Check it and try again."


def allowed_moves(referral: Referral, actor: Actor) -> list[State]:
    """The states this actor may move the referral to now, in lifecycle order."""
    current = State(referral.status)
    return [s for s in State if s in TRANSITIONS[current] and _actor_may(actor, s, referral)]


def _actor_may(actor: Actor, to: State, referral: Referral) -> bool:
    if actor == Actor.SYSTEM:
        return to == State.EXPIRED and not referral.tracked_by_link_worker
    if to == State.EXPIRED:
        return False
    if actor == Actor.ORGANISATION:
        return to in ORGANISATION_MOVES and not referral.tracked_by_link_worker
    # The link worker records the person's withdrawal and outcomes, and everything else for
    # services that have no inbox.
    return to in (State.WITHDRAWN, State.FINISHED) or referral.tracked_by_link_worker


def check(referral: Referral, *, to: State | str, actor: Actor, reason: str | None, note: str) -> State:
    """Raise TransitionError with a clear message if this change is not allowed."""
    try:
        target = State(to)
    except ValueError:
        raise TransitionError("Choose what happened with this referral") from None
    current = State(referral.status)
    if referral.entered_in_error_at is not None:
        raise TransitionError("This referral was entered in error and cannot change")
    if target not in TRANSITIONS[current]:
        if current in FINAL:
            raise TransitionError(f"This referral is {current.label.lower()} and cannot change")
        raise TransitionError(f"A referral that is {current.label.lower()} cannot become {target.label.lower()}")
    if not _actor_may(actor, target, referral):
        if actor == Actor.ORGANISATION and referral.tracked_by_link_worker:
            raise TransitionError("The link worker tracks this referral")
        raise TransitionError(f"You cannot mark this referral as {target.label.lower()}")
    if target == State.DECLINED and reason not in set(DeclineReason):
        raise TransitionError("Select why the referral was declined")
    if target == State.FINISHED:
        if reason not in set(FinishReason):
            raise TransitionError("Select how the referral finished")
        if reason == FinishReason.STOPPED and not note.strip():
            raise TransitionError("Enter why the person stopped")
    if len(note) > NOTE_LIMIT:
        raise TransitionError(f"Note must be {NOTE_LIMIT} characters or fewer")
    return target


def transition(
    session,
    referral: Referral,
    *,
    to: State | str,
    actor: Actor,
    user_id: int | None,
    expected_version: int,
    now: datetime,
    happened_at: datetime | None = None,
    reason: str | None = None,
    note: str = "",
    note_shared: bool = False,
) -> ReferralEvent:
    """Move the referral on and add its event. Raises TransitionError (nothing changed)."""
    note = note or ""
    if referral.version != expected_version:
        raise StateMovedOn(MOVED_ON)
    target = check(referral, to=to, actor=actor, reason=reason, note=note)
    happened = happened_at or now
    if happened > now:
        raise TransitionError("The date it happened must be today or in the past")
    if happened.date() < referral.sent_at.date():
        raise TransitionError("The date it happened must be on or after the date the referral was sent")
    changes: dict = {"status": target.value, "version": expected_version + 1}
    if target in ANSWERS and referral.answered_at is None:
        changes["answered_at"] = now
    if target == State.FIRST_ATTENDED:
        changes["first_attended_on"] = happened.date()
    # Compare and set: if someone else changed it since this person loaded it, nothing is written.
    result = session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.version == expected_version, Referral.status == referral.status)
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.rollback()
        raise StateMovedOn(MOVED_ON)
    event = ReferralEvent(
        referral_id=referral.id,
        from_state=referral.status,
        to_state=target.value,
        reason=reason or None,
        note=note.strip(),
        note_shared_with_organisation=bool(note_shared and note.strip()),
        happened_at=happened,
        recorded_at=now,
        recorded_by_id=user_id,
    )
    session.add(event)
    session.flush()
    session.refresh(referral)
    return event


def mark_entered_in_error(session, referral: Referral, event: ReferralEvent, *, user_id: int, now: datetime) -> None:
    """Mark the latest change entered in error: it stays in the history and the state goes back."""
    valid = referral.valid_events()
    if event.entered_in_error_at is not None:
        raise TransitionError("This change is already marked as entered in error")
    if not valid or valid[-1].id != event.id or event.from_state is None:
        raise TransitionError("Only the latest change can be marked as entered in error")
    earlier = valid[:-1]
    first = next((e for e in earlier if e.to_state == State.FIRST_ATTENDED), None)
    answered = next((e for e in earlier if e.to_state in ANSWERS), None)
    result = session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.version == referral.version)
        .values(
            status=event.from_state,
            version=referral.version + 1,
            first_attended_on=first.happened_at.date() if first else None,
            answered_at=answered.recorded_at if answered else None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.rollback()
        raise StateMovedOn(MOVED_ON)
    event.entered_in_error_at = now
    event.entered_in_error_by_id = user_id
    session.flush()
    session.refresh(referral)


# Uptake ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Uptake:
    counted: int
    took_up: int
    median_days_to_uptake: float | None

    @property
    def rate(self) -> float | None:
        return self.took_up / self.counted if self.counted else None


def withdrawn_before_answer(referral: Referral) -> bool:
    return any(e.to_state == State.WITHDRAWN and e.from_state == State.SENT for e in referral.valid_events())


def first_attended_event(referral: Referral) -> ReferralEvent | None:
    return next((e for e in referral.valid_events() if e.to_state == State.FIRST_ATTENDED), None)


def counts_for_uptake(referral: Referral, today: date) -> bool:
    """Sent at least 28 days ago, not entered in error, not withdrawn before an answer."""
    return (
        referral.entered_in_error_at is None
        and referral.sent_at.date() <= today - UPTAKE_AGE
        and not withdrawn_before_answer(referral)
    )


def uptake(referrals, today: date) -> Uptake:
    """Referrals with a first-attended event ÷ referrals sent, after the exclusions above.

    Time to uptake runs from the day the referral was sent to the day the first session happened.
    """
    counted = [r for r in referrals if counts_for_uptake(r, today)]
    days = []
    for referral in counted:
        first = first_attended_event(referral)
        if first is not None:
            days.append((first.happened_at.date() - referral.sent_at.date()).days)
    return Uptake(len(counted), len(days), statistics.median(days) if days else None)
