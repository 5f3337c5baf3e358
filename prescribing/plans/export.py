"""Subject access: everything held about one person, as one document (HTML page and JSON)."""

from datetime import date, datetime

from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.plans.models import ACCESS_NEEDS, ETHNIC_CATEGORIES, TRAVEL_MODES, Person, UnmetNeed
from prescribing.plans.people import free_slot_labels
from prescribing.referrals.models import Referral


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _user(user) -> str | None:
    return user.name if user is not None else None


def _person(person: Person) -> dict:
    return {
        "id": person.id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": _value(person.date_of_birth),
        "nhs_number": person.nhs_number,
        "gp_practice": f"{person.practice.name} ({person.practice.ods_code})",
        "postcode": person.postcode,
        "phone": person.phone,
        "email": person.email,
        "contact_preference": _value(person.contact_preference),
        "language": person.language,
        "needs_interpreter": person.needs_interpreter,
        "access_needs": [ACCESS_NEEDS[n] for n in person.access_needs or [] if n in ACCESS_NEEDS],
        "free": free_slot_labels(person),
        "travel_miles": person.travel_miles,
        "travel_modes": [TRAVEL_MODES[m] for m in person.travel_modes or [] if m in TRAVEL_MODES],
        "most_they_can_pay_per_session": person.max_cost,
        "wants_company": person.wants_company,
        "sex": _value(person.sex),
        "ethnic_category": ETHNIC_CATEGORIES.get(person.ethnic_category, person.ethnic_category),
        "died_on": _value(person.died_on),
        "recorded_at": _value(person.created_at),
        "updated_at": _value(person.updated_at),
    }


def _goal(goal, unmet: UnmetNeed | None) -> dict:
    return {
        "id": goal.id,
        "own_words": goal.own_words,
        "need": goal.need.name if goal.need else None,
        "priority": goal.priority_label,
        "target_on": _value(goal.target_on),
        "status": _value(goal.status),
        "status_changed_on": _value(goal.status_changed_on),
        "agreed_on": _value(goal.agreed_on),
        "recorded_at": _value(goal.created_at),
        "entered_in_error": goal.entered_in_error,
        "entered_in_error_at": _value(goal.entered_in_error_at),
        "entered_in_error_reason": goal.entered_in_error_reason,
        "steps": [
            {
                "who": s.owner.label,
                "what": s.what,
                "due_on": _value(s.due_on),
                "done_on": _value(s.done_on),
                "recorded_at": _value(s.recorded_at),
            }
            for s in goal.steps
        ],
        "reviews": [
            {
                "score": r.score,
                "note": r.note,
                "reviewed_on": _value(r.reviewed_on),
                "recorded_at": _value(r.recorded_at),
            }
            for r in goal.reviews
        ],
        "unmet_need": None
        if unmet is None
        else {
            "kind": _value(unmet.kind),
            "reason": _value(unmet.reason),
            "recorded_on": _value(unmet.recorded_on),
            "met_at": _value(unmet.met_at),
        },
    }


def _episode(episode, unmet_by_goal: dict) -> dict:
    plan = episode.plan
    return {
        "id": episode.id,
        "came_from": episode.source.label,
        "opened_on": _value(episode.opened_on),
        "recorded_at": _value(episode.recorded_at),
        "named_link_worker": _user(episode.link_worker),
        "link_worker_history": [
            {
                "from": _user(c.from_user),
                "to": _user(c.to_user),
                "changed_on": _value(c.changed_on),
                "recorded_at": _value(c.recorded_at),
            }
            for c in episode.link_worker_changes
        ],
        "closed_on": _value(episode.closed_on),
        "closed_reason": episode.closed_reason.label if episode.closed_reason else None,
        "plan": None
        if plan is None
        else {
            "what_matters_to_me": plan.what_matters,
            "strengths": plan.strengths,
            "updated_at": _value(plan.updated_at),
            "earlier_wording": [
                {"what_matters_to_me": r.what_matters, "strengths": r.strengths, "replaced_at": _value(r.recorded_at)}
                for r in plan.revisions
            ],
            "goals": [_goal(g, unmet_by_goal.get(g.id)) for g in plan.goals],
        },
    }


def subject_access_export(person: Person) -> dict:
    """Everything held about the person, including who has looked at their record."""
    goal_ids = [g.id for e in person.episodes if e.plan for g in e.plan.goals]
    unmet = db.session.scalars(select(UnmetNeed).where(UnmetNeed.goal_id.in_(goal_ids))) if goal_ids else []
    unmet_by_goal = {u.goal_id: u for u in unmet}
    referrals = db.session.scalars(
        select(Referral).where(Referral.person_id == person.id).order_by(Referral.sent_at)
    ).all()
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "person", AuditEvent.object_id == person.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    merged = db.session.scalars(select(Person).where(Person.merged_into_id == person.id)).all()
    return {
        "exported_at": _value(utcnow()),
        "person": _person(person),
        "merged_duplicate_records": [{**_person(m), "merged_at": _value(m.merged_at)} for m in merged],
        "episodes": [_episode(e, unmet_by_goal) for e in person.episodes],
        "referrals": [
            {
                "service": r.service.name,
                "organisation": r.service.organization.name,
                "status": r.status,
                "sent_at": _value(r.sent_at),
                "referred_by": _user(r.referred_by),
                "goal_id": r.goal_id,
            }
            for r in referrals
        ],
        "record_access": [
            {"at": _value(e.at), "by": _user(e.user), "action": e.action.replace("_", " ")} for e in events
        ],
    }
