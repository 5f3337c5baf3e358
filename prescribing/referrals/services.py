"""Making a referral and moving it through its lifecycle: each function owns its transaction,
its audit entry and its log line. E-mails carry links only, never anything about the person.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from prescribing.audit.services import record_audit
from prescribing.auth.models import AppUser, Role
from prescribing.clock import utcnow
from prescribing.directory.models import Service
from prescribing.extensions import db
from prescribing.mail import send_mail
from prescribing.plans.models import UnmetNeed
from prescribing.referrals import lifecycle
from prescribing.referrals.lifecycle import Actor, State, TransitionError
from prescribing.referrals.models import Referral, ReferralEvent

log = logging.getLogger("prescribing.referrals")

SHARE_FIELDS = ("name", "contact", "need", "note")
# Newest first; more than this in one section of the inbox is a backlog to clear, not to page through.
INBOX_LIMIT = 100


@dataclass(frozen=True)
class Consent:
    """What the person agreed to share with the organisation."""

    name: bool = False
    contact: bool = False
    need: bool = False
    note: bool = False
    shared_note: str = ""


def _link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail (also sent from the CLI, where there is no request)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def active_editors(organization_id: str) -> list[AppUser]:
    return list(
        db.session.scalars(
            select(AppUser).where(
                AppUser.organization_id == organization_id,
                AppUser.role == Role.ORG_EDITOR,
                AppUser.active.is_(True),
                AppUser.deactivated_at.is_(None),
            )
        )
    )


def has_inbox(service: Service) -> bool:
    """Signpost-only services, and organisations with no active editor, never answer referrals."""
    if service.signpost_only:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    AppUser.organization_id == service.organization_id,
                    AppUser.role == Role.ORG_EDITOR,
                    AppUser.active.is_(True),
                    AppUser.deactivated_at.is_(None),
                )
            )
        )
    )


def _audit(action: str, user, referral: Referral, detail: str = "") -> None:
    record_audit(
        action,
        user=user,
        object_type="referral",
        object_id=referral.id,
        detail=f"person={referral.person_id} {detail}".strip(),
        pcn_id=referral.pcn_id,
    )


def create_referral(*, person, episode, goal, service, user, consent: Consent | None = None) -> Referral:
    """Record a referral from a goal to a service as sent, audit it, commit, and tell the organisation.

    An unmet need recorded for the goal is marked met, since a referral followed.
    """
    now = utcnow()
    inbox = has_inbox(service)
    referral = Referral(
        pcn_id=person.pcn_id,
        practice_id=person.practice_id,
        person_id=person.id,
        episode_id=episode.id,
        goal_id=goal.id if goal is not None else None,
        service_id=service.id,
        referred_by_id=user.id,
        created_at=now,
        sent_at=now,
        status=State.SENT.value,
        version=1,
        tracked_by_link_worker=not inbox,
    )
    if consent is not None:
        _apply_consent(referral, consent, user, now)
    db.session.add(referral)
    db.session.flush()
    db.session.add(
        ReferralEvent(
            referral_id=referral.id,
            from_state=None,
            to_state=State.SENT.value,
            happened_at=now,
            recorded_at=now,
            recorded_by_id=user.id,
        )
    )
    if goal is not None:
        unmet = db.session.scalar(select(UnmetNeed).where(UnmetNeed.goal_id == goal.id))
        if unmet is not None and unmet.met_at is None:
            unmet.met_at = now
            unmet.met_by_referral_id = referral.id
    record_audit(
        "referral_created",
        user=user,
        object_type="person",
        object_id=person.id,
        detail=f"referral={referral.id} service={service.id}",
        pcn_id=person.pcn_id,
    )
    db.session.commit()
    log.info("referral %s created for service %s", referral.id, service.id)
    if inbox:
        link = _link("referrals.inbox_referral", referral_id=referral.id)
        for editor in active_editors(service.organization_id):
            try:
                send_mail(
                    editor.email,
                    "New referral to your organisation",
                    "A link worker has sent your organisation a new referral.\n\n"
                    f"Sign in to read it and answer within 14 days:\n{link}\n",
                )
            except OSError:
                # The referral is saved and in the inbox; a mail server failure must not lose it.
                log.exception("could not send the new-referral e-mail for referral %s", referral.id)
    return referral


def _apply_consent(referral: Referral, consent: Consent, user, now: datetime) -> None:
    referral.share_name = consent.name
    referral.share_contact = consent.contact
    referral.share_need = consent.need
    referral.share_note = consent.note and bool(consent.shared_note.strip())
    referral.shared_note = consent.shared_note.strip() if referral.share_note else ""
    referral.consent_recorded_at = now
    referral.consent_recorded_by_id = user.id
    referral.consent_withdrawn_at = None
    referral.consent_withdrawn_by_id = None


def record_consent(*, referral: Referral, user, consent: Consent) -> None:
    """Record (or record again) what the person agreed to share with the organisation."""
    _apply_consent(referral, consent, user, utcnow())
    shared = ",".join(f for f in SHARE_FIELDS if getattr(consent, f))
    _audit("referral_consent_recorded", user, referral, f"fields={shared or 'none'}")
    db.session.commit()
    log.info("referral %s consent recorded", referral.id)


def withdraw_consent(*, referral: Referral, user) -> None:
    """The person no longer agrees to share: the organisation sees none of it from now on."""
    if not referral.consent_active:
        raise TransitionError("The person has not agreed to share anything with this organisation")
    referral.consent_withdrawn_at = utcnow()
    referral.consent_withdrawn_by_id = user.id
    _audit("referral_consent_withdrawn", user, referral)
    db.session.commit()
    log.info("referral %s consent withdrawn", referral.id)


def change_state(
    *,
    referral: Referral,
    user,
    actor: Actor,
    to: str,
    expected_version: int,
    happened_on: date | None = None,
    reason: str | None = None,
    note: str = "",
    note_shared: bool = False,
) -> ReferralEvent:
    """One change of state, audited and committed. Raises TransitionError, changing nothing."""
    now = utcnow()
    happened_at = _happened_at(happened_on, now)
    try:
        event = lifecycle.transition(
            db.session,
            referral,
            to=to,
            actor=actor,
            user_id=user.id,
            expected_version=expected_version,
            now=now,
            happened_at=happened_at,
            reason=reason,
            note=note,
            note_shared=note_shared,
        )
    except TransitionError:
        db.session.rollback()
        raise
    _audit("referral_changed", user, referral, f"to={event.to_state} by={actor.value}")
    db.session.commit()
    log.info("referral %s moved %s -> %s by %s", referral.id, event.from_state, event.to_state, actor.value)
    return event


def _happened_at(happened_on: date | None, now: datetime) -> datetime:
    if happened_on is None or happened_on == now.date():
        return now
    return (
        datetime.combine(happened_on, time(12, 0))
        if happened_on < now.date()
        else datetime.combine(happened_on, time())
    )


def attendance_move(referral: Referral, came: bool) -> tuple[str, str | None]:
    """What a register entry (came / did not come) means for a referral in its current state."""
    current = State(referral.status)
    if current in (State.ACCEPTED, State.DID_NOT_ATTEND):
        return (State.FIRST_ATTENDED.value, None) if came else (State.DID_NOT_ATTEND.value, None)
    if current in (State.FIRST_ATTENDED, State.ATTENDING):
        return State.ATTENDING.value, None if came else lifecycle.MISSED_SESSION
    raise TransitionError(f"Attendance cannot be recorded for a referral that is {current.label.lower()}")


def record_attendance(
    *, referral: Referral, user, actor: Actor, session_on: date, came: bool, expected_version: int
) -> ReferralEvent:
    """One session from the register: the first time they came is uptake."""
    to, reason = attendance_move(referral, came)
    return change_state(
        referral=referral,
        user=user,
        actor=actor,
        to=to,
        expected_version=expected_version,
        happened_on=session_on,
        reason=reason,
    )


def mark_event_entered_in_error(*, referral: Referral, event: ReferralEvent, user) -> None:
    try:
        lifecycle.mark_entered_in_error(db.session, referral, event, user_id=user.id, now=utcnow())
    except TransitionError:
        db.session.rollback()
        raise
    _audit("referral_event_entered_in_error", user, referral, f"event={event.id}")
    db.session.commit()
    log.info("referral %s event %s marked entered in error", referral.id, event.id)


# Reading ---------------------------------------------------------------------------------


def inbox_for(organization_id: str, states: tuple[str, ...] | None = None) -> list[Referral]:
    """Referrals to an organisation's services that it answers (not the link-worker-tracked ones)."""
    query = (
        select(Referral)
        .join(Service, Referral.service_id == Service.id)
        .where(
            Service.organization_id == organization_id,
            Referral.tracked_by_link_worker.is_(False),
            Referral.entered_in_error_at.is_(None),
        )
        .options(selectinload(Referral.service), selectinload(Referral.person), selectinload(Referral.goal))
        .order_by(Referral.sent_at.desc())
    )
    if states:
        query = query.where(Referral.status.in_(states))
    return list(db.session.scalars(query.limit(INBOX_LIMIT)))


def for_organisation(organization_id: str | None, referral_id: str) -> Referral | None:
    if organization_id is None:
        return None
    return db.session.scalar(
        select(Referral)
        .join(Service, Referral.service_id == Service.id)
        .where(
            Referral.id == referral_id,
            Service.organization_id == organization_id,
            Referral.tracked_by_link_worker.is_(False),
            Referral.entered_in_error_at.is_(None),
        )
    )


def record_inbox_view(user, referrals: list[Referral]) -> None:
    for referral in referrals:
        _audit("referral_viewed", user, referral, "page=inbox")
    db.session.commit()


def record_referral_view(user, referral: Referral, page: str) -> None:
    _audit("referral_viewed", user, referral, f"page={page}")
    db.session.commit()


# Expiry ----------------------------------------------------------------------------------


def expire_unanswered() -> str:
    """Referrals with an inbox not answered within 14 days expire; the link worker is told.

    Idempotent: an expired referral is final, so a second run finds nothing to do.
    """
    now = utcnow()
    due = list(
        db.session.scalars(
            select(Referral)
            .where(
                Referral.status == State.SENT.value,
                Referral.tracked_by_link_worker.is_(False),
                Referral.entered_in_error_at.is_(None),
                Referral.sent_at <= now - lifecycle.ANSWER_WITHIN,
            )
            .order_by(Referral.sent_at)
        )
    )
    expired = []
    for referral in due:
        try:
            lifecycle.transition(
                db.session,
                referral,
                to=State.EXPIRED,
                actor=Actor.SYSTEM,
                user_id=None,
                expected_version=referral.version,
                now=now,
            )
        except TransitionError:
            db.session.rollback()
            continue
        record_audit(
            "referral_expired",
            object_type="referral",
            object_id=referral.id,
            detail=f"person={referral.person_id}",
            pcn_id=referral.pcn_id,
        )
        db.session.commit()
        log.info("referral %s expired without an answer", referral.id)
        expired.append(referral)
    for referral in expired:
        worker = referral.episode.link_worker or referral.referred_by
        if worker is not None and worker.active:
            send_mail(
                worker.email,
                "A referral expired without an answer",
                "A referral you made was not answered within 14 days and has expired.\n\n"
                f"Open it to decide what to do next:\n{_link('plans.person', person_id=referral.person_id)}\n",
            )
    return f"{len(expired)} unanswered referrals expired"
