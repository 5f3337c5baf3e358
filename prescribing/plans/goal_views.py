"""Goals: writing them, steps, reviews, status, corrections, matches and starting a referral."""

from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from prescribing import matching
from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.directory.models import TaxonomyTerm
from prescribing.extensions import db
from prescribing.matching.profile import WIDER_MILES
from prescribing.plans import presenters, services
from prescribing.plans.blueprint import (
    bp,
    episode_or_404,
    goal_or_404,
    person_or_404,
    render_person_page,
    step_or_404,
)
from prescribing.plans.forms import (
    ConfirmForm,
    EnteredInErrorForm,
    GoalForm,
    GoalStatusForm,
    NoneSuitForm,
    ReferForm,
    ReviewForm,
    StepForm,
)
from prescribing.plans.models import GoalStatus, NoneSuitReason, StepOwner
from prescribing.plans.people import profile_for

# How many matches the page lists in full; the rest are counted.
SHOWN = 10


def need_choices() -> list[tuple[str, str]]:
    """Needs from the taxonomy, each broad need followed by its narrower ones."""
    terms = db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name)).all()
    choices = [("", "Select a need")]
    for parent in (t for t in terms if t.parent_id is None):
        choices.append((parent.id, parent.name))
        choices.extend((c.id, f"{parent.name}: {c.name}") for c in terms if c.parent_id == parent.id)
    return choices


def _goal_page(person, goal, status: int = 200, form=None, **forms):
    today = utcnow().date()
    context = {
        "goal": goal,
        "form": form,
        "step_form": forms.get("step_form") or StepForm(formdata=None),
        "review_form": forms.get("review_form") or ReviewForm(formdata=None, data={"reviewed_on": today}),
        "status_form": forms.get("status_form")
        or GoalStatusForm(formdata=None, data={"status": goal.status.value, "changed_on": today}),
        "confirm_form": ConfirmForm(formdata=None),
        "unmet": services.unmet_need_for(goal),
        "referrals": [r for r in services.referrals_for(person) if r.goal_id == goal.id],
    }
    return render_person_page(person, "goal", "plans/goal.html", status, **context)


@bp.route("/people/<person_id>/episodes/<episode_id>/goals/new", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def new_goal(person_id: str, episode_id: str):
    """Write a goal in the person's own words, with the need it is about."""
    person = person_or_404(person_id)
    episode = episode_or_404(person, episode_id)
    form = GoalForm(data={"agreed_on": utcnow().date()})
    form.need_term_id.choices = need_choices()
    if form.validate_on_submit():
        try:
            goal = services.add_goal(
                user=current_user,
                plan=episode.plan,
                own_words=form.own_words.data,
                need_term_id=form.need_term_id.data,
                priority=int(form.priority.data),
                target_on=form.target_on.data,
                agreed_on=form.agreed_on.data,
            )
        except services.PlanError as error:
            form.form_errors.append(str(error))
            return render_person_page(person, "goal_new", "plans/goal_new.html", 400, form=form, episode=episode)
        flash("Goal added. You can now find groups for it.", "success")
        return redirect(url_for("plans.goal", person_id=person.id, goal_id=goal.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "goal_new", "plans/goal_new.html", status, form=form, episode=episode)


@bp.get("/people/<person_id>/goals/<goal_id>")
@access(Role.LINK_WORKER)
def goal(person_id: str, goal_id: str):
    """A goal with its steps, its progress over time and referrals made for it."""
    person = person_or_404(person_id)
    return _goal_page(person, goal_or_404(person, goal_id))


@bp.post("/people/<person_id>/goals/<goal_id>/steps")
@access(Role.LINK_WORKER)
def add_step(person_id: str, goal_id: str):
    """Add a step: who does what by when."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _goal_page(person, found, 400, form=form, step_form=form)
    services.add_step(
        user=current_user, goal=found, owner=StepOwner(form.owner.data), what=form.what.data, due_on=form.due_on.data
    )
    flash("Step added.", "success")
    return redirect(url_for("plans.goal", person_id=person.id, goal_id=found.id))


@bp.post("/people/<person_id>/goals/<goal_id>/steps/<int:step_id>/done")
@access(Role.LINK_WORKER)
def complete_step(person_id: str, goal_id: str, step_id: int):
    """Mark a step done today."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    step = step_or_404(found, step_id)
    if ConfirmForm().validate_on_submit():
        services.complete_step(user=current_user, step=step, done_on=utcnow().date())
        flash("Step marked as done.", "success")
    return redirect(url_for("plans.goal", person_id=person.id, goal_id=found.id))


@bp.post("/people/<person_id>/goals/<goal_id>/reviews")
@access(Role.LINK_WORKER)
def review(person_id: str, goal_id: str):
    """Record progress on a 0 to 10 scale, with a note."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            services.review_goal(
                user=current_user,
                goal=found,
                score=int(form.score.data),
                note=form.note.data,
                reviewed_on=form.reviewed_on.data,
            )
        except services.PlanError as error:
            form.form_errors.append(str(error))
            return _goal_page(person, found, 400, form=form, review_form=form)
        flash("Review recorded.", "success")
        return redirect(url_for("plans.goal", person_id=person.id, goal_id=found.id))
    return _goal_page(person, found, 400, form=form, review_form=form)


@bp.post("/people/<person_id>/goals/<goal_id>/status")
@access(Role.LINK_WORKER)
def change_status(person_id: str, goal_id: str):
    """Mark a goal achieved, changed, stopped or active again."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    form = GoalStatusForm()
    if form.validate_on_submit():
        try:
            services.change_goal_status(
                user=current_user, goal=found, status=GoalStatus(form.status.data), changed_on=form.changed_on.data
            )
        except services.PlanError as error:
            form.form_errors.append(str(error))
            return _goal_page(person, found, 400, form=form, status_form=form)
        flash("Goal status changed.", "success")
        return redirect(url_for("plans.goal", person_id=person.id, goal_id=found.id))
    return _goal_page(person, found, 400, form=form, status_form=form)


@bp.route("/people/<person_id>/goals/<goal_id>/entered-in-error", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def goal_entered_in_error(person_id: str, goal_id: str):
    """Correct a goal recorded by mistake: it stays in history, out of the plan and reports."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    form = EnteredInErrorForm()
    if form.validate_on_submit():
        try:
            services.mark_goal_entered_in_error(user=current_user, goal=found, reason=form.reason.data)
        except services.PlanError as error:
            form.form_errors.append(str(error))
            return render_person_page(person, "goal_error", "plans/goal_error.html", 400, form=form, goal=found)
        flash("Goal marked as entered in error. It stays in the record's history.", "success")
        return redirect(url_for("plans.person", person_id=person.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "goal_error", "plans/goal_error.html", status, form=form, goal=found)


def _relaxation() -> matching.Relaxation:
    """Relaxations come from the page's own links: a number of miles from a fixed list, and a flag."""
    miles = request.args.get("miles", type=float)
    return matching.Relaxation(
        miles=miles if miles in WIDER_MILES else None, include_paid=request.args.get("paid") == "1"
    )


def _run_match(person, found):
    return matching.match_goal(db.session, profile_for(person, utcnow().date()), found, relax=_relaxation())


def _matches_page(person, found, result, status: int = 200, form=None):
    shown = result.at_free_times[:SHOWN]
    others = result.at_other_times[:SHOWN]
    return render_person_page(
        person,
        "matches",
        "plans/matches.html",
        status,
        goal=found,
        result=result,
        shown=shown,
        others=others,
        details=presenters.summaries([m.service_id for m in shown + others]),
        refer_form=ReferForm(formdata=None),
        none_suit_form=form or NoneSuitForm(formdata=None),
        form=form,
        unmet=services.unmet_need_for(found),
    )


@bp.get("/people/<person_id>/goals/<goal_id>/matches")
@access(Role.LINK_WORKER)
def matches(person_id: str, goal_id: str):
    """Groups for this goal, best first, each with the reasons it was ranked so."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    result = _run_match(person, found)
    services.record_matches_viewed(user=current_user, person=person, goal=found, result=result)
    return _matches_page(person, found, result)


@bp.post("/people/<person_id>/goals/<goal_id>/none-suit")
@access(Role.LINK_WORKER)
def none_suit(person_id: str, goal_id: str):
    """Record that none of the groups suit, and why: this is unmet need."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    form = NoneSuitForm()
    result = _run_match(person, found)
    if not form.validate_on_submit():
        return _matches_page(person, found, result, 400, form=form)
    services.record_none_suit(
        user=current_user, person=person, goal=found, result=result, reason=NoneSuitReason(form.reason.data)
    )
    flash("Recorded that none of these suit. This counts as unmet need in reports.", "success")
    return redirect(url_for("plans.goal", person_id=person.id, goal_id=found.id))


@bp.post("/people/<person_id>/goals/<goal_id>/refer")
@access(Role.LINK_WORKER)
def refer(person_id: str, goal_id: str):
    """Start a referral to the chosen service, from the matches page."""
    person = person_or_404(person_id)
    found = goal_or_404(person, goal_id)
    form = ReferForm()
    if not form.validate_on_submit():
        flash("Choose a group to refer to.", "info")
        return redirect(url_for("plans.matches", person_id=person.id, goal_id=found.id))
    try:
        services.start_referral(user=current_user, person=person, goal=found, service_id=form.service_id.data)
    except services.PlanError as error:
        flash(str(error), "info")
        return redirect(url_for("plans.matches", person_id=person.id, goal_id=found.id))
    flash("Referral sent. It is on their printable plan.", "success")
    return redirect(url_for("plans.goal", person_id=person.id, goal_id=found.id))
