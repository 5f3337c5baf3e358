"""The practice's list of codings not yet entered in the GP record, its CSV, and messages back.

Clinicians see their own practice's only: another practice's coding or message is "not found".
The CSV carries NHS numbers, so every download is audited, one entry per person in it.
"""

import csv
import io

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from prescribing.audit.services import record_audit
from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.plans.blueprint import episode_or_404, person_or_404, render_person_page
from prescribing.plans.models import Episode, Person
from prescribing.referrals import gp_record
from prescribing.referrals.forms import ConfirmForm
from prescribing.referrals.views import bp


@bp.get("/gp-record")
@access(Role.CLINICIAN)
def gp_codings():
    """Codings for this practice's people that are not yet entered in the GP record."""
    found = gp_record.not_entered(current_user.practice_id)
    for coding in found:
        record_audit(
            "person_viewed",
            user=current_user,
            object_type="person",
            object_id=coding.person_id,
            detail="page=gp_codings",
            pcn_id=coding.pcn_id,
        )
    db.session.commit()
    return render_template("referrals/gp_codings.html", codings=found, form=ConfirmForm(formdata=None))


@bp.post("/gp-record/<int:coding_id>/done")
@access(Role.CLINICIAN)
def gp_coding_done(coding_id: int):
    """Mark a coding entered in the GP record."""
    coding = db.session.get(gp_record.GpCoding, coding_id)
    if coding is None or coding.practice_id != current_user.practice_id:
        abort(404)
    if coding.entered_at is None:
        coding.entered_at = utcnow()
        coding.entered_by_id = current_user.id
        record_audit(
            "gp_coding_entered",
            user=current_user,
            object_type="person",
            object_id=coding.person_id,
            detail=f"coding={coding.id} code={coding.code}",
            pcn_id=coding.pcn_id,
        )
        db.session.commit()
    flash("Marked as entered in the GP record.", "success")
    return redirect(url_for("referrals.gp_codings"))


@bp.get("/gp-record.csv")
@access(Role.CLINICIAN)
def gp_codings_csv():
    """The codings not yet entered, as CSV (NHS numbers inside: every download is audited)."""
    found = gp_record.not_entered(current_user.practice_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["NHS number", "Family name", "Given name", "Date of birth", "SNOMED CT code", "Term", "Date"])
    for coding in found:
        person = coding.person
        born = person.date_of_birth.isoformat() if person.date_of_birth else ""
        writer.writerow(
            [
                person.nhs_number or "",
                person.family_name,
                person.given_name,
                born,
                coding.code,
                coding.term,
                coding.coded_on.isoformat(),
            ]
        )
        record_audit(
            "gp_codings_exported",
            user=current_user,
            object_type="person",
            object_id=coding.person_id,
            detail=f"coding={coding.id}",
            pcn_id=coding.pcn_id,
        )
    record_audit("gp_codings_csv", user=current_user, object_type="practice", object_id=current_user.practice_id)
    db.session.commit()
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=gp-codings.csv", "Cache-Control": "no-store"},
    )


@bp.get("/gp-record/messages/<episode_id>")
@access(Role.CLINICIAN)
def gp_message(episode_id: str):
    """The message back for an ended episode, for the person's own practice only."""
    episode = db.session.scalar(
        select(Episode)
        .join(Person, Episode.person_id == Person.id)
        .where(Episode.id == episode_id, Person.practice_id == current_user.practice_id)
    )
    if episode is None or episode.is_open:
        abort(404)
    record_audit(
        "person_viewed",
        user=current_user,
        object_type="person",
        object_id=episode.person_id,
        detail=f"page=gp_message episode={episode.id}",
        pcn_id=episode.person.pcn_id,
    )
    db.session.commit()
    return render_template(
        "referrals/gp_message.html", message=gp_record.message_back(episode), episode=episode, person=None
    )


@bp.get("/people/<person_id>/episodes/<episode_id>/message-to-gp")
@access(Role.LINK_WORKER)
def message_to_gp(person_id: str, episode_id: str):
    """The link worker's copy of the message back to the person's own practice."""
    person = person_or_404(person_id)
    episode = episode_or_404(person, episode_id)
    return render_person_page(
        person,
        "message_to_gp",
        "referrals/gp_message.html",
        message=gp_record.message_back(episode),
        episode=episode,
    )
