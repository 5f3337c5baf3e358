"""Episodes, plans and goals over their life. Each function owns its transaction and audit entry.

Every entry about a person is audited with object_type "person" and the person's id, and the
detail holds ids and codes only, never what was written.
"""

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from prescribing.audit.services import record_audit
from prescribing.auth.models import AppUser, Role
from prescribing.clock import utcnow
from prescribing.directory.models import Service
from prescribing.extensions import db
from prescribing.matching import MatchResult
from prescribing.plans.models import (
    ClosedReason,
    Episode,
    EpisodeSource,
    Goal,
    GoalReview,
    GoalStatus,
    GoalStep,
    LinkWorkerChange,
    NoneSuitReason,
    Person,
    Plan,
    PlanRevision,
    StepOwner,
    UnmetNeed,
    UnmetNeedKind,
)
from prescribing.referrals import gp_record
from prescribing.referrals.models import Referral
from prescribing.referrals.services import create_referral

log = logging.getLogger("prescribing.plans")


class PlanError(ValueError):
    """A change that cannot be made; the message says why, in words for the page."""


def audit_person(user, person: Person, action: str, detail: str | None = None) -> None:
    record_audit(action, user=user, object_type="person", object_id=person.id, detail=detail, pcn_id=person.pcn_id)


def record_view(user, person: Person, action: str, detail: str | None = None) -> None:
    """Audit a view of a person's record, and commit."""
    audit_person(user, person, action, detail)
    db.session.commit()


def record_caseload_view(user) -> None:
    record_audit("caseload_viewed", user=user, object_type="caseload", pcn_id=user.pcn_id)
    db.session.commit()


def record_search(user, found: list[Person]) -> None:
    """A search shows names and NHS numbers: each person shown gets an entry."""
    record_audit("people_searched", user=user, object_type="caseload", detail=f"results={len(found)}")
    for person in found:
        audit_person(user, person, "person_listed", "page=search")
    db.session.commit()


def record_duplicates_shown(user, found: list[Person]) -> None:
    for person in found:
        audit_person(user, person, "person_listed", "page=possible_duplicate")
    db.session.commit()


def record_practice_list_view(user) -> None:
    record_audit("practice_people_viewed", user=user, object_type="caseload")
    db.session.commit()


# Caseload -----------------------------------------------------------------------------------------


def caseload(user) -> list[Person]:
    """People of the link worker's PCN with an open episode, their own first."""
    open_support = select(Episode.person_id).where(Episode.closed_on.is_(None))
    people = db.session.scalars(
        select(Person)
        .where(
            Person.pcn_id == user.pcn_id,
            Person.id.in_(open_support),
            Person.died_on.is_(None),
            Person.merged_into_id.is_(None),
        )
        .options(selectinload(Person.episodes).selectinload(Episode.link_worker), selectinload(Person.practice))
        .order_by(Person.family_name, Person.given_name)
    ).all()
    return sorted(people, key=lambda p: p.open_episode().link_worker_id != user.id)


def find_people(user, query: str) -> list[Person]:
    """People of the PCN whose name contains the words, or whose NHS number is this."""
    digits = "".join(ch for ch in query if ch.isdigit())
    statement = select(Person).where(Person.pcn_id == user.pcn_id, Person.merged_into_id.is_(None))
    if len(digits) == 10:
        statement = statement.where(Person.nhs_number == digits)
    else:
        for word in query.lower().split()[:3]:
            pattern = f"%{word}%"
            statement = statement.where(Person.given_name.ilike(pattern) | Person.family_name.ilike(pattern))
    return list(db.session.scalars(statement.order_by(Person.family_name, Person.given_name).limit(50)))


@dataclass(frozen=True)
class ReviewDue:
    person: Person
    goal: Goal
    due_on: date


def reviews_due(user, today: date) -> list[ReviewDue]:
    """Follow-ups: active goals due a review, in open episodes of living people only."""
    goals = db.session.scalars(
        select(Goal)
        .join(Plan, Goal.plan_id == Plan.id)
        .join(Episode, Plan.episode_id == Episode.id)
        .join(Person, Episode.person_id == Person.id)
        .where(
            Person.pcn_id == user.pcn_id,
            Person.died_on.is_(None),
            Episode.closed_on.is_(None),
            Goal.status == GoalStatus.ACTIVE,
            Goal.entered_in_error_at.is_(None),
        )
        .options(selectinload(Goal.reviews), selectinload(Goal.plan).selectinload(Plan.episode))
    ).all()
    due = [ReviewDue(g.plan.episode.person, g, g.review_due_on()) for g in goals]
    return sorted((d for d in due if d.due_on <= today), key=lambda d: d.due_on)


def link_workers_of(pcn_id: int) -> list[AppUser]:
    return list(
        db.session.scalars(
            select(AppUser)
            .where(AppUser.pcn_id == pcn_id, AppUser.role == Role.LINK_WORKER, AppUser.active.is_(True))
            .order_by(AppUser.name)
        )
    )


def _link_worker_in_pcn(user_id: int, pcn_id: int) -> AppUser:
    found = db.session.get(AppUser, user_id)
    if found is None or found.pcn_id != pcn_id or found.role != Role.LINK_WORKER or not found.active:
        raise PlanError("Select a link worker in your primary care network")
    return found


# Episodes -----------------------------------------------------------------------------------------


def open_episode(*, user, person: Person, source: EpisodeSource, opened_on: date, link_worker_id: int) -> Episode:
    """Start a period of support with a named link worker, and an empty plan."""
    if person.has_died:
        raise PlanError("This person has died: support cannot be started")
    if person.open_episode() is not None:
        raise PlanError("This person already has an open episode of support")
    worker = _link_worker_in_pcn(link_worker_id, person.pcn_id)
    episode = Episode(person=person, source=source, link_worker_id=worker.id, opened_on=opened_on, opened_by_id=user.id)
    db.session.add(episode)
    db.session.add(Plan(episode=episode, updated_by_id=user.id))
    db.session.add(
        LinkWorkerChange(episode=episode, to_user_id=worker.id, changed_on=opened_on, recorded_by_id=user.id)
    )
    db.session.flush()
    audit_person(user, person, "episode_opened", f"episode={episode.id} source={source.value}")
    # Accepting link worker support is coded for the GP record, once per episode.
    gp_record.add_coding(episode=episode, code=gp_record.REFERRED, coded_on=opened_on, user=user)
    db.session.commit()
    return episode


def close_episode(*, user, episode: Episode, reason: ClosedReason, closed_on: date) -> None:
    """End support with a reason; on death the person is recorded as died. Follow-ups stop."""
    if not episode.is_open:
        raise PlanError("This episode is already closed")
    if closed_on < episode.opened_on:
        raise PlanError("Date support ended must be on or after the date it started")
    episode.closed_on, episode.closed_reason = closed_on, reason
    episode.closed_recorded_at, episode.closed_by_id = utcnow(), user.id
    if reason == ClosedReason.DIED:
        episode.person.died_on = closed_on
    audit_person(user, episode.person, "episode_closed", f"episode={episode.id} reason={reason.value}")
    if reason == ClosedReason.DECLINED:
        gp_record.add_coding(episode=episode, code=gp_record.DECLINED, coded_on=closed_on, user=user)
    db.session.commit()


def change_link_worker(*, user, episode: Episode, link_worker_id: int, changed_on: date) -> None:
    if not episode.is_open:
        raise PlanError("The named link worker of a closed episode cannot change")
    if changed_on < episode.opened_on:
        raise PlanError("Date of the change must be on or after the date support started")
    worker = _link_worker_in_pcn(link_worker_id, episode.person.pcn_id)
    if worker.id == episode.link_worker_id:
        raise PlanError("They are already the named link worker")
    db.session.add(
        LinkWorkerChange(
            episode=episode,
            from_user_id=episode.link_worker_id,
            to_user_id=worker.id,
            changed_on=changed_on,
            recorded_by_id=user.id,
        )
    )
    episode.link_worker_id = worker.id
    audit_person(user, episode.person, "link_worker_changed", f"episode={episode.id} to_user={worker.id}")
    db.session.commit()


# Plans and goals ----------------------------------------------------------------------------------


def update_plan(*, user, plan: Plan, what_matters: str, strengths: str) -> None:
    """Change the plan's wording, keeping what it said before."""
    what_matters, strengths = what_matters.strip(), (strengths or "").strip()
    if (what_matters, strengths) == (plan.what_matters, plan.strengths):
        return
    if plan.what_matters or plan.strengths:
        db.session.add(
            PlanRevision(plan=plan, what_matters=plan.what_matters, strengths=plan.strengths, replaced_by_id=user.id)
        )
    plan.what_matters, plan.strengths = what_matters, strengths
    plan.updated_at, plan.updated_by_id = utcnow(), user.id
    audit_person(user, plan.episode.person, "plan_updated", f"plan={plan.id}")
    db.session.commit()


def add_goal(
    *,
    user,
    plan: Plan,
    own_words: str,
    need_term_id: str,
    priority: int,
    target_on: date | None,
    agreed_on: date,
) -> Goal:
    if not plan.episode.is_open:
        raise PlanError("Goals cannot be added to a closed episode")
    goal = Goal(
        plan=plan,
        own_words=own_words.strip(),
        need_term_id=need_term_id,
        priority=priority,
        target_on=target_on,
        agreed_on=agreed_on,
        created_by_id=user.id,
    )
    db.session.add(goal)
    db.session.flush()
    audit_person(user, plan.episode.person, "goal_added", f"goal={goal.id} need={need_term_id}")
    db.session.commit()
    return goal


def add_step(*, user, goal: Goal, owner: StepOwner, what: str, due_on: date | None) -> GoalStep:
    step = GoalStep(goal=goal, owner=owner, what=what.strip(), due_on=due_on, recorded_by_id=user.id)
    db.session.add(step)
    db.session.flush()
    audit_person(user, goal.plan.episode.person, "goal_step_added", f"goal={goal.id} step={step.id}")
    db.session.commit()
    return step


def complete_step(*, user, step: GoalStep, done_on: date) -> None:
    if step.done_on is None:
        step.done_on = done_on
        audit_person(user, step.goal.plan.episode.person, "goal_step_done", f"goal={step.goal_id} step={step.id}")
        db.session.commit()


def review_goal(*, user, goal: Goal, score: int, note: str, reviewed_on: date) -> GoalReview:
    if not 0 <= score <= 10:
        raise PlanError("Select a score from 0 to 10")
    if reviewed_on < goal.agreed_on:
        raise PlanError("Date of the review must be on or after the date the goal was agreed")
    review = GoalReview(
        goal=goal, score=score, note=(note or "").strip(), reviewed_on=reviewed_on, recorded_by_id=user.id
    )
    db.session.add(review)
    db.session.flush()
    audit_person(user, goal.plan.episode.person, "goal_reviewed", f"goal={goal.id} review={review.id}")
    db.session.commit()
    return review


def change_goal_status(*, user, goal: Goal, status: GoalStatus, changed_on: date) -> None:
    if changed_on < goal.agreed_on:
        raise PlanError("Date of the change must be on or after the date the goal was agreed")
    goal.status, goal.status_changed_on = status, changed_on
    audit_person(user, goal.plan.episode.person, "goal_status_changed", f"goal={goal.id} status={status.value}")
    db.session.commit()


def mark_goal_entered_in_error(*, user, goal: Goal, reason: str) -> None:
    """Keep the goal in history, out of plans, matching and reports."""
    if goal.entered_in_error:
        raise PlanError("This goal is already marked as entered in error")
    goal.entered_in_error_at, goal.entered_in_error_by_id = utcnow(), user.id
    goal.entered_in_error_reason = reason.strip()
    audit_person(user, goal.plan.episode.person, "goal_entered_in_error", f"goal={goal.id}")
    db.session.commit()


def reportable_goals():
    """The query reports start from: goals not entered in error."""
    return select(Goal).where(Goal.entered_in_error_at.is_(None))


# Matching, unmet need and referral ----------------------------------------------------------------


def _record_unmet(*, user, goal: Goal, person: Person, kind: UnmetNeedKind, exclusions: dict, reason=None) -> UnmetNeed:
    """Once per goal: a later search or decision updates the same record, never adds another."""
    unmet = db.session.scalar(select(UnmetNeed).where(UnmetNeed.goal_id == goal.id))
    if unmet is None:
        unmet = UnmetNeed(
            goal_id=goal.id,
            pcn_id=person.pcn_id,
            practice_id=person.practice_id,
            need_term_id=goal.need_term_id,
            outcode=_outcode(person),
            kind=kind,
            recorded_on=utcnow().date(),
            recorded_by_id=user.id,
            exclusions=exclusions,
            reason=reason,
        )
        db.session.add(unmet)
        db.session.flush()
        audit_person(user, person, "unmet_need_recorded", f"goal={goal.id} kind={kind.value}")
    elif unmet.met_at is None:
        unmet.kind, unmet.exclusions = kind, exclusions
        unmet.reason = reason if reason is not None else unmet.reason
    return unmet


def _outcode(person: Person) -> str | None:
    if person.postcode:
        return person.postcode.split(" ")[0]
    if person.practice and person.practice.postcode:
        return person.practice.postcode.split(" ")[0]
    return None


def record_matches_viewed(*, user, person: Person, goal: Goal, result: MatchResult) -> UnmetNeed | None:
    """Audit the search; when nothing is within reach (without relaxing anything), record unmet need."""
    unmet = None
    if result.nothing_fits and not result.relax.is_relaxed:
        unmet = _record_unmet(
            user=user,
            goal=goal,
            person=person,
            kind=UnmetNeedKind.NOTHING_WITHIN_REACH,
            exclusions=result.exclusions,
        )
    audit_person(user, person, "matches_viewed", f"goal={goal.id} found={result.total}")
    db.session.commit()
    return unmet


def record_none_suit(*, user, person: Person, goal: Goal, result: MatchResult, reason: NoneSuitReason) -> UnmetNeed:
    """The link worker says none of the matches suit: unmet need, with what was turned down."""
    exclusions = {**result.exclusions, "shown": [m.service_id for m in result.matches]}
    unmet = _record_unmet(
        user=user, goal=goal, person=person, kind=UnmetNeedKind.NONE_SUIT, exclusions=exclusions, reason=reason
    )
    audit_person(user, person, "none_suit_recorded", f"goal={goal.id} reason={reason.value}")
    db.session.commit()
    return unmet


def unmet_need_for(goal: Goal) -> UnmetNeed | None:
    return db.session.scalar(select(UnmetNeed).where(UnmetNeed.goal_id == goal.id))


def start_referral(*, user, person: Person, goal: Goal, service_id: str) -> Referral:
    """Refer from a goal to a service: one action from the matches page."""
    episode = goal.plan.episode
    if not episode.is_open or person.has_died:
        raise PlanError("Referrals can only be made while support is open")
    if goal.entered_in_error:
        raise PlanError("This goal was entered in error")
    service = db.session.get(Service, service_id)
    if service is None or service.status != "active" or service.accepting == "no":
        raise PlanError("This service is not taking referrals")
    return create_referral(person=person, episode=episode, goal=goal, service=service, user=user)


def referrals_for(person: Person) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.person_id == person.id)
            .options(selectinload(Referral.service))
            .order_by(Referral.sent_at.desc())
        )
    )
