"""Episodes of support: opening, the named link worker, the plan's wording, closing."""

from flask import flash, redirect, url_for
from flask_login import current_user

from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.plans import services
from prescribing.plans.blueprint import bp, episode_or_404, person_or_404, render_person_page
from prescribing.plans.forms import ChangeLinkWorkerForm, CloseEpisodeForm, EpisodeForm, PlanForm
from prescribing.plans.models import ClosedReason, EpisodeSource


def _link_worker_choices(form, pcn_id: int) -> None:
    form.link_worker_id.choices = [("", "Select a link worker")] + [
        (str(u.id), u.name) for u in services.link_workers_of(pcn_id)
    ]


def _with_error(form, message: str) -> None:
    form.form_errors.append(message)


@bp.route("/people/<person_id>/episodes/new", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def new_episode(person_id: str):
    """Open an episode of support when the person accepts it."""
    person = person_or_404(person_id)
    form = EpisodeForm(data={"opened_on": utcnow().date(), "link_worker_id": str(current_user.id)})
    _link_worker_choices(form, person.pcn_id)
    if form.validate_on_submit():
        try:
            episode = services.open_episode(
                user=current_user,
                person=person,
                source=EpisodeSource(form.source.data),
                opened_on=form.opened_on.data,
                link_worker_id=int(form.link_worker_id.data),
            )
        except services.PlanError as error:
            _with_error(form, str(error))
            return render_person_page(person, "episode_new", "plans/episode_new.html", 400, form=form)
        flash("Episode of support opened. Next, write what matters to them.", "success")
        return redirect(url_for("plans.edit_plan", person_id=person.id, episode_id=episode.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "episode_new", "plans/episode_new.html", status, form=form)


@bp.get("/people/<person_id>/episodes/<episode_id>")
@access(Role.LINK_WORKER)
def episode(person_id: str, episode_id: str):
    """One episode: how it started, who the named link worker has been, and how it ended."""
    person = person_or_404(person_id)
    found = episode_or_404(person, episode_id)
    return render_person_page(person, "episode", "plans/episode.html", episode=found)


@bp.route("/people/<person_id>/episodes/<episode_id>/close", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def close_episode(person_id: str, episode_id: str):
    """Close an episode with a reason. This stops every follow-up."""
    person = person_or_404(person_id)
    found = episode_or_404(person, episode_id)
    form = CloseEpisodeForm(data={"closed_on": utcnow().date()})
    if form.validate_on_submit():
        try:
            services.close_episode(
                user=current_user, episode=found, reason=ClosedReason(form.reason.data), closed_on=form.closed_on.data
            )
        except services.PlanError as error:
            _with_error(form, str(error))
            return render_person_page(
                person, "episode_close", "plans/episode_close.html", 400, form=form, episode=found
            )
        flash("Episode closed. Follow-ups for it have stopped.", "success")
        return redirect(url_for("plans.person", person_id=person.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "episode_close", "plans/episode_close.html", status, form=form, episode=found)


@bp.route("/people/<person_id>/episodes/<episode_id>/link-worker", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def change_link_worker(person_id: str, episode_id: str):
    """Change the named link worker; the history keeps who it was before."""
    person = person_or_404(person_id)
    found = episode_or_404(person, episode_id)
    form = ChangeLinkWorkerForm(data={"changed_on": utcnow().date()})
    _link_worker_choices(form, person.pcn_id)
    if form.validate_on_submit():
        try:
            services.change_link_worker(
                user=current_user,
                episode=found,
                link_worker_id=int(form.link_worker_id.data),
                changed_on=form.changed_on.data,
            )
        except services.PlanError as error:
            _with_error(form, str(error))
            return render_person_page(
                person, "link_worker", "plans/episode_link_worker.html", 400, form=form, episode=found
            )
        flash("Named link worker changed.", "success")
        return redirect(url_for("plans.episode", person_id=person.id, episode_id=found.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "link_worker", "plans/episode_link_worker.html", status, form=form, episode=found)


@bp.route("/people/<person_id>/episodes/<episode_id>/plan", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def edit_plan(person_id: str, episode_id: str):
    """Write "what matters to me" and the person's strengths, in their own words."""
    person = person_or_404(person_id)
    found = episode_or_404(person, episode_id)
    plan = found.plan
    form = PlanForm(data={"what_matters": plan.what_matters, "strengths": plan.strengths})
    if form.validate_on_submit():
        services.update_plan(
            user=current_user, plan=plan, what_matters=form.what_matters.data, strengths=form.strengths.data
        )
        flash("Plan saved.", "success")
        return redirect(url_for("plans.person", person_id=person.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "plan_edit", "plans/plan_edit.html", status, form=form, episode=found)
