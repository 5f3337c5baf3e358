"""The organisation's referral inbox, and the link worker's page for one referral.

Org editors see referrals to their own organisation's services only, with only what the person
agreed to share; another organisation's referral is "not found". Link workers reach a referral
through the person's page (their PCN's people only). Every read and change is audited.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.plans.blueprint import person_or_404
from prescribing.plans.services import record_view
from prescribing.referrals import lifecycle, responsiveness, services
from prescribing.referrals.forms import (
    AnswerForm,
    AttendanceForm,
    ConfirmForm,
    ConsentForm,
    FinishForm,
    WithdrawForm,
)
from prescribing.referrals.lifecycle import Actor, State, TransitionError
from prescribing.referrals.models import Referral, ReferralEvent

bp = Blueprint("referrals", __name__)

BOTH = (Role.ORG_EDITOR, Role.LINK_WORKER)
ATTENDANCE_STATES = {State.ACCEPTED, State.DID_NOT_ATTEND, State.FIRST_ATTENDED, State.ATTENDING}
INBOX_SECTIONS = [
    ("Waiting for your answer", (State.SENT.value,)),
    ("On your waiting list", (State.WAITING_LIST.value,)),
    ("Accepted: record attendance", tuple(s.value for s in ATTENDANCE_STATES)),
]


@bp.app_template_global()
def state_label(status: str) -> str:
    return State(status).label


@bp.app_template_global()
def event_label(event: ReferralEvent) -> str:
    """What one event means, in words: "Declined: out of area", "Came to a session"."""
    return lifecycle.describe(event.to_state, event.reason)


@bp.get("/referrals")
@access(Role.ORG_EDITOR)
def inbox():
    """Referrals to this organisation's services that need something from it."""
    organization_id = current_user.organization_id
    if organization_id is None:
        abort(404)
    sections = [(heading, services.inbox_for(organization_id, states)) for heading, states in INBOX_SECTIONS]
    services.record_inbox_view(current_user, [r for _, found in sections for r in found])
    return render_template("referrals/inbox.html", sections=sections)


def _load(referral_id: str, person_id: str | None) -> tuple[Referral, Actor]:
    """The referral, if this user may see it from this address; otherwise 404."""
    if current_user.role == Role.ORG_EDITOR:
        referral = None if person_id else services.for_organisation(current_user.organization_id, referral_id)
        actor = Actor.ORGANISATION
    else:
        if person_id is None:
            abort(404)
        person = person_or_404(person_id)
        referral = db.session.scalar(
            select(Referral).where(Referral.id == referral_id, Referral.person_id == person.id)
        )
        actor = Actor.LINK_WORKER
    if referral is None:
        abort(404)
    return referral, actor


def _forms(referral: Referral, actor: Actor, failed=None) -> dict:
    version = {"version": str(referral.version)}
    moves = set(lifecycle.allowed_moves(referral, actor))
    forms = {
        "answer_form": AnswerForm(formdata=None, data=version) if moves & lifecycle.ANSWERS else None,
        "attendance_form": AttendanceForm(formdata=None, data=version)
        if moves & {State.FIRST_ATTENDED, State.ATTENDING}
        else None,
        "finish_form": FinishForm(formdata=None, data=version) if State.FINISHED in moves else None,
        "withdraw_form": WithdrawForm(formdata=None, data=version) if State.WITHDRAWN in moves else None,
        "error_form": ConfirmForm(formdata=None, data=version) if actor == Actor.LINK_WORKER else None,
        "consent_form": None,
    }
    if actor == Actor.LINK_WORKER:
        forms["consent_form"] = ConsentForm(
            formdata=None,
            data={
                "fields": [f for f in services.SHARE_FIELDS if referral.shares(f)],
                "shared_note": referral.shared_note if referral.consent_active else "",
            },
        )
        forms["consent_withdraw_form"] = ConfirmForm(formdata=None, data=version)
    if failed is not None:
        name, form = failed
        forms[name] = form
        forms["form"] = form
    return forms


def _urls(referral: Referral, actor: Actor) -> dict[str, str]:
    if actor == Actor.ORGANISATION:
        return {n: url_for(f"referrals.{n}", referral_id=referral.id) for n in ("answer", "attendance", "finish")}
    names = ("answer", "attendance", "finish", "withdraw", "consent", "withdraw_consent")
    return {n: url_for(f"referrals.{n}", person_id=referral.person_id, referral_id=referral.id) for n in names}


def _page(referral: Referral, actor: Actor, status: int = 200, failed=None):
    if actor == Actor.ORGANISATION:
        services.record_referral_view(current_user, referral, "inbox_referral")
        template = "referrals/inbox_referral.html"
    else:
        record_view(current_user, referral.person, "person_viewed", f"page=referral referral={referral.id}")
        template = "referrals/person_referral.html"
    return (
        render_template(
            template,
            referral=referral,
            person=referral.person,
            actor=actor,
            urls=_urls(referral, actor),
            events=sorted(referral.events, key=lambda e: (e.happened_at, e.id)),
            **_forms(referral, actor, failed),
        ),
        status,
    )


def _back(referral: Referral, actor: Actor):
    if actor == Actor.ORGANISATION:
        return redirect(url_for("referrals.inbox_referral", referral_id=referral.id))
    return redirect(url_for("referrals.person_referral", person_id=referral.person_id, referral_id=referral.id))


@bp.get("/referrals/<referral_id>", endpoint="inbox_referral")
@bp.get("/people/<person_id>/referrals/<referral_id>", endpoint="person_referral")
@access(*BOTH)
def referral_page(referral_id: str, person_id: str | None = None):
    """One referral: what was shared, its history, and what can be done next."""
    referral, actor = _load(referral_id, person_id)
    return _page(referral, actor)


def _change(referral, actor, name, form, **change):
    try:
        services.change_state(referral=referral, user=current_user, actor=actor, **change)
    except TransitionError as error:
        db.session.rollback()
        db.session.refresh(referral)
        form.form_errors.append(str(error))
        return _page(referral, actor, 409 if isinstance(error, lifecycle.StateMovedOn) else 400, (name, form))
    flash("Referral updated.", "success")
    return _back(referral, actor)


@bp.post("/referrals/<referral_id>/answer")
@bp.post("/people/<person_id>/referrals/<referral_id>/answer")
@access(*BOTH)
def answer(referral_id: str, person_id: str | None = None):
    """Accept, put on the waiting list, or decline with a reason: one action."""
    referral, actor = _load(referral_id, person_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _page(referral, actor, 400, ("answer_form", form))
    return _change(
        referral,
        actor,
        "answer_form",
        form,
        to=form.decision.data,
        expected_version=form.expected_version,
        reason=form.decline_reason.data if form.decision.data == State.DECLINED.value else None,
        note=form.note.data or "",
        note_shared=True,
    )


@bp.post("/referrals/<referral_id>/attendance")
@bp.post("/people/<person_id>/referrals/<referral_id>/attendance")
@access(*BOTH)
def attendance(referral_id: str, person_id: str | None = None):
    """One line of the register: a session date, and whether the person came."""
    referral, actor = _load(referral_id, person_id)
    form = AttendanceForm()
    if not form.validate_on_submit():
        return _page(referral, actor, 400, ("attendance_form", form))
    try:
        services.record_attendance(
            referral=referral,
            user=current_user,
            actor=actor,
            session_on=form.session_on.data,
            came=form.came.data == "yes",
            expected_version=form.expected_version,
        )
    except TransitionError as error:
        db.session.rollback()
        db.session.refresh(referral)
        form.form_errors.append(str(error))
        status = 409 if isinstance(error, lifecycle.StateMovedOn) else 400
        return _page(referral, actor, status, ("attendance_form", form))
    flash("Attendance recorded.", "success")
    return _back(referral, actor)


@bp.post("/referrals/<referral_id>/finish")
@bp.post("/people/<person_id>/referrals/<referral_id>/finish")
@access(*BOTH)
def finish(referral_id: str, person_id: str | None = None):
    """The person has finished with the service, with an outcome."""
    referral, actor = _load(referral_id, person_id)
    form = FinishForm()
    if not form.validate_on_submit():
        return _page(referral, actor, 400, ("finish_form", form))
    return _change(
        referral,
        actor,
        "finish_form",
        form,
        to=State.FINISHED.value,
        expected_version=form.expected_version,
        reason=form.outcome.data,
        note=form.note.data or "",
        note_shared=actor == Actor.ORGANISATION or form.note_shared.data,
    )


@bp.post("/people/<person_id>/referrals/<referral_id>/withdraw")
@access(Role.LINK_WORKER)
def withdraw(referral_id: str, person_id: str):
    """The person no longer wants this referral."""
    referral, actor = _load(referral_id, person_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _page(referral, actor, 400, ("withdraw_form", form))
    return _change(
        referral,
        actor,
        "withdraw_form",
        form,
        to=State.WITHDRAWN.value,
        expected_version=form.expected_version,
        note=form.note.data or "",
    )


@bp.post("/people/<person_id>/referrals/<referral_id>/consent")
@access(Role.LINK_WORKER)
def consent(referral_id: str, person_id: str):
    """Record what the person agreed to share with the organisation."""
    referral, actor = _load(referral_id, person_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        return _page(referral, actor, 400, ("consent_form", form))
    chosen = set(form.fields.data or [])
    services.record_consent(
        referral=referral,
        user=current_user,
        consent=services.Consent(
            name="name" in chosen,
            contact="contact" in chosen,
            need="need" in chosen,
            note="note" in chosen,
            shared_note=form.shared_note.data or "",
        ),
    )
    flash("What the person agreed to share is recorded.", "success")
    return _back(referral, actor)


@bp.post("/people/<person_id>/referrals/<referral_id>/consent/withdraw")
@access(Role.LINK_WORKER)
def withdraw_consent(referral_id: str, person_id: str):
    """The person withdrew consent: the organisation sees none of what was shared from now on."""
    referral, actor = _load(referral_id, person_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(referral, actor, 400, ("consent_withdraw_form", form))
    try:
        services.withdraw_consent(referral=referral, user=current_user)
    except TransitionError as error:
        form.form_errors.append(str(error))
        return _page(referral, actor, 400, ("consent_withdraw_form", form))
    flash("Consent withdrawn. The organisation no longer sees what was shared.", "success")
    return _back(referral, actor)


@bp.post("/people/<person_id>/referrals/<referral_id>/events/<int:event_id>/error")
@access(Role.LINK_WORKER)
def event_in_error(referral_id: str, person_id: str, event_id: int):
    """Mark the latest change entered in error: kept in the history, and the state goes back."""
    referral, actor = _load(referral_id, person_id)
    event = db.session.get(ReferralEvent, event_id)
    if event is None or event.referral_id != referral.id:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _page(referral, actor, 400, ("error_form", form))
    if form.expected_version != referral.version:
        form.form_errors.append(
            "Someone else updated this referral while you were looking at it. Check it and try again."
        )
        return _page(referral, actor, 409, ("error_form", form))
    try:
        services.mark_event_entered_in_error(referral=referral, event=event, user=current_user)
    except TransitionError as error:
        db.session.refresh(referral)
        form.form_errors.append(str(error))
        return _page(referral, actor, 400, ("error_form", form))
    flash("Marked as entered in error.", "success")
    return _back(referral, actor)


@bp.app_template_global()
def responsiveness_for(service) -> list[str]:
    """For the public listing: how the organisation answers referrals, once there are enough."""
    found = responsiveness.responsiveness(db.session, service.organization_id)
    return found.lines() if found else []


@bp.get("/referrals/results")
@access(Role.ORG_EDITOR)
def results():
    """Anonymous results for the people this organisation received: counts and averages only."""
    if current_user.organization_id is None:
        abort(404)
    return render_template(
        "referrals/results.html", results=responsiveness.results(db.session, current_user.organization_id)
    )


# Contacts, wellbeing measures and the GP record add their pages to bp as they are imported.
from prescribing.referrals import gp_views, outcome_views  # noqa: E402, F401
