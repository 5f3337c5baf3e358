"""The `plans` blueprint, and loading a person's records within the user's scope.

People's ids in URLs are UUIDs, never NHS numbers; postcodes and NHS numbers travel by POST.
"""

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from prescribing.auth.access import get_in_scope_or_404
from prescribing.extensions import db
from prescribing.plans import services
from prescribing.plans.models import ETHNIC_CATEGORIES, Episode, Goal, GoalStep, Person, Plan
from prescribing.plans.people import format_nhs_number, free_slot_labels

bp = Blueprint("plans", __name__)


@bp.app_template_filter("nhs_number")
def nhs_number_filter(value: str | None) -> str:
    return format_nhs_number(value)


@bp.app_context_processor
def plan_helpers() -> dict:
    return {"free_slot_labels": free_slot_labels, "ethnic_categories": ETHNIC_CATEGORIES}


def person_or_404(person_id: str, allow_merged: bool = False) -> Person:
    """The person, if they are in the user's scope (a link worker's PCN, a clinician's practice).

    A record merged into another is only shown as such (its own page says where it went).
    """
    person = get_in_scope_or_404(Person, person_id, current_user)
    if person.is_merged and not allow_merged:
        abort(404)
    return person


def episode_or_404(person: Person, episode_id: str) -> Episode:
    episode = db.session.scalar(select(Episode).where(Episode.id == episode_id, Episode.person_id == person.id))
    if episode is None:
        abort(404)
    return episode


def goal_or_404(person: Person, goal_id: str) -> Goal:
    goal = db.session.scalar(
        select(Goal)
        .join(Plan, Goal.plan_id == Plan.id)
        .join(Episode, Plan.episode_id == Episode.id)
        .where(Goal.id == goal_id, Episode.person_id == person.id)
        .options(selectinload(Goal.steps), selectinload(Goal.reviews))
    )
    if goal is None:
        abort(404)
    return goal


def step_or_404(goal: Goal, step_id: int) -> GoalStep:
    step = next((s for s in goal.steps if s.id == step_id), None)
    if step is None:
        abort(404)
    return step


def render_person_page(person: Person, page: str, template: str, status: int = 200, **context):
    """Render a page about a person, recording the view in the audit log first."""
    services.record_view(current_user, person, "person_viewed", f"page={page}")
    return render_template(template, person=person, **context), status
