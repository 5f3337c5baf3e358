"""The link worker's pages for contacts with the person and wellbeing measures (added to `referrals`)."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.outcomes import forms, scoring, services
from prescribing.plans.blueprint import person_or_404, render_person_page
from prescribing.referrals.views import bp


@bp.route("/people/<person_id>/contacts/new", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def new_contact(person_id: str):
    """Record a contact: date, how (face to face, phone, video, home visit), minutes and a note."""
    person = person_or_404(person_id)
    form = forms.ContactForm()
    if form.validate_on_submit():
        try:
            services.record_contact(
                user=current_user,
                person=person,
                contact_on=form.contact_on.data,
                mode=form.mode.data,
                minutes=form.minutes.data,
                note=form.note.data or "",
            )
        except services.OutcomeError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            return render_person_page(person, "contact_new", "referrals/contact_form.html", 400, form=form)
        flash("Contact recorded.", "success")
        return redirect(url_for("plans.person", person_id=person.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "contact_new", "referrals/contact_form.html", status, form=form)


@bp.route("/people/<person_id>/measures/<instrument>/new", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def new_measure(person_id: str, instrument: str):
    """Record one wellbeing questionnaire (ONS4, UCLA-3 or SWEMWBS), range checked."""
    person = person_or_404(person_id)
    found = scoring.INSTRUMENTS.get(instrument)
    if found is None:
        abort(404)
    form = forms.measure_form(found)()
    context = {
        "form": form,
        "instrument": found,
        "item_fields": [getattr(form, f"item_{n}") for n in range(1, len(found.items) + 1)],
        "copyright": scoring.SWEMWBS_COPYRIGHT if found.code == scoring.SWEMWBS.code else None,
    }
    if form.validate_on_submit():
        try:
            services.record_measure(
                user=current_user,
                person=person,
                instrument=found.code,
                taken_on=form.taken_on.data,
                items=forms.answers(form, found),
            )
        except services.OutcomeError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            return render_person_page(person, "measure_new", "referrals/measure_form.html", 400, **context)
        flash(f"{found.name} recorded.", "success")
        return redirect(url_for("plans.person", person_id=person.id))
    status = 400 if form.errors else 200
    return render_person_page(person, "measure_new", "referrals/measure_form.html", status, **context)
