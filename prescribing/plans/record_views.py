"""The person's own printable plan, the read-only plan for clinicians, and the subject-access export."""

import json

from flask import Response
from flask_login import current_user

from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.plans import presenters, services
from prescribing.plans.blueprint import bp, person_or_404, render_person_page
from prescribing.plans.export import subject_access_export


def _current_episode(person):
    """The open episode, or the most recent one."""
    return person.open_episode() or (person.episodes[0] if person.episodes else None)


@bp.get("/people/<person_id>/plan")
@access(Role.LINK_WORKER, Role.CLINICIAN)
def plan(person_id: str):
    """The plan, read only: what matters, goals and progress (clinicians see their own practice's people)."""
    person = person_or_404(person_id)
    episode = _current_episode(person)
    return render_person_page(
        person,
        "plan",
        "plans/plan_view.html",
        episode=episode,
        referrals=services.referrals_for(person),
        read_only=current_user.role != Role.LINK_WORKER,
    )


@bp.get("/people/<person_id>/plan/print")
@access(Role.LINK_WORKER)
def print_plan(person_id: str):
    """A one-page plan in plain English for the person to keep. Nothing clinical is on it."""
    person = person_or_404(person_id)
    episode = _current_episode(person)
    referrals = [r for r in services.referrals_for(person) if episode and r.episode_id == episode.id]
    chosen = presenters.summaries([r.service_id for r in referrals])
    services.record_view(current_user, person, "plan_printed", f"episode={episode.id if episode else None}")
    return render_person_page(
        person,
        "print",
        "plans/plan_print.html",
        episode=episode,
        chosen=[chosen[r.service_id] for r in referrals if r.service_id in chosen],
    )


@bp.get("/people/<person_id>/record")
@access(Role.LINK_WORKER)
def subject_access(person_id: str):
    """Everything held about the person, as a readable document (subject access request)."""
    person = person_or_404(person_id)
    services.record_view(current_user, person, "record_exported", "format=html")
    return render_person_page(person, "record", "plans/record.html", record=subject_access_export(person))


@bp.get("/people/<person_id>/record.json")
@access(Role.LINK_WORKER)
def subject_access_json(person_id: str):
    """The same as a JSON file to download."""
    person = person_or_404(person_id)
    record = subject_access_export(person)
    services.record_view(current_user, person, "record_exported", "format=json")
    return Response(
        json.dumps(record, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="record-{person.id}.json"',
            "Cache-Control": "no-store",
        },
    )
