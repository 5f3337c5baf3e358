"""Signposting for GPs and practice staff: from a postcode and a need to a printed community
prescription, and requests to the PCN's link worker team (with the team's inbox).

Postcodes and NHS numbers travel in POST bodies only. Flash messages never name the person.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from prescribing import geography
from prescribing.auth.access import EVERYONE, access, get_in_scope_or_404, scope_filter
from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.directory.models import TaxonomyTerm
from prescribing.extensions import db
from prescribing.plans import presenters
from prescribing.plans import services as plan_services
from prescribing.plans.models import Person
from prescribing.practices.models import Practice
from prescribing.signposting import services
from prescribing.signposting.forms import AcceptForm, DeclineForm, PrintForm, RequestForm, SignpostForm
from prescribing.signposting.models import LinkWorkerRequest, RequestStatus

bp = Blueprint("signposting", __name__)

# Enough for five needs of five groups each, with room to spare; anything longer is refused.
MAX_GROUP_FIELDS = 50


def _practice_people() -> list[Person]:
    return list(
        db.session.scalars(
            select(Person)
            .where(scope_filter(Person, current_user), Person.merged_into_id.is_(None), Person.died_on.is_(None))
            .order_by(Person.family_name, Person.given_name)
        )
    )


def _signpost_form() -> SignpostForm:
    form = SignpostForm()
    form.needs.choices = [(t.id, t.name) for t in services.top_level_needs()]
    form.person_id.choices = [("", "No one chosen")] + [
        (p.id, f"{p.name}, born {p.date_of_birth:%d/%m/%Y}" if p.date_of_birth else p.name) for p in _practice_people()
    ]
    return form


def _start_page(form: SignpostForm, status: int = 200):
    if len(form.person_id.choices) > 1:
        plan_services.record_practice_list_view(current_user)  # the list shows people's names
    return (
        render_template("signposting/start.html", form=form, requests=services.requests_for_practice(current_user)),
        status,
    )


@bp.get("/signposting")
@access(Role.CLINICIAN)
def start():
    """The clinician's start page: a postcode or a known person, and what would help."""
    return _start_page(_signpost_form())


@bp.post("/signposting/results")
@access(Role.CLINICIAN)
def results():
    """The best few groups for each need, by the link workers' matching engine."""
    form = _signpost_form()
    if not form.validate_on_submit():
        return _start_page(form, 400)
    filters = services.Filters(
        free_only=bool(form.free_only.data), step_free=bool(form.step_free.data), miles=form.miles_value
    )
    person = None
    if form.person_id.data:
        person = get_in_scope_or_404(Person, form.person_id.data)
        profile = services.profile_from_person(person, filters, utcnow().date())
    else:
        geocoder = geography.geocoder_from_config(current_app.config)
        profile = services.profile_from_postcode(form.postcode.data, filters, geocoder)
    found = services.match_needs(profile, form.needs.data)
    services.record_signposting(user=current_user, results=found, outcode=profile.outcode, person=person)
    shown_ids = [m.service_id for r in found for m in r.shown]
    return render_template(
        "signposting/results.html",
        found=found,
        details=presenters.summaries(shown_ids),
        print_form=PrintForm(formdata=None),
        filters=filters,
        has_location=profile.has_location,
    )


@bp.post("/signposting/prescriptions")
@access(Role.CLINICIAN)
def create_prescription():
    """Keep the groups shown as a community prescription to print and share (no personal data)."""
    form = PrintForm()
    needs = request.form.getlist("need")[:MAX_GROUP_FIELDS]
    groups = request.form.getlist("group")[:MAX_GROUP_FIELDS]
    if not form.validate_on_submit() or not needs:
        abort(400)
    chosen = {need: [] for need in needs}
    for value in groups:
        need, _, service_id = value.partition("|")
        if need in chosen and service_id:
            chosen[need].append(service_id)
    try:
        prescription = services.create_prescription(user=current_user, chosen=list(chosen.items()))
    except services.SignpostingError:
        abort(400)
    return redirect(url_for("signposting.prescription", token=prescription.token))


@bp.get("/community-prescription/<token>")
@access(EVERYONE)
def prescription(token: str):
    """The community prescription: one printed page, and the same page at a shareable link for 30 days."""
    found = services.prescription_by_token(token)
    if found is None:
        return render_template("signposting/expired.html"), 404
    if found.expired(utcnow()):
        return render_template("signposting/expired.html"), 410
    service_ids = [s for entry in found.needs for s in entry["services"]]
    details = services.printed_groups(service_ids)
    terms = {
        t.id: t
        for t in db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_([e["need"] for e in found.needs])))
    }
    needs = [
        {"term": terms[e["need"]], "groups": [details[s] for s in e["services"] if s in details]}
        for e in found.needs
        if e["need"] in terms
    ]
    practice = db.session.get(Practice, found.practice_id)
    is_author = current_user.is_authenticated and current_user.role == Role.CLINICIAN
    return render_template(
        "signposting/prescription.html",
        prescription=found,
        needs=needs,
        pcn=practice.pcn if practice else None,
        share_url=url_for("signposting.prescription", token=found.token, _external=True) if is_author else None,
    )


# Requests to the link worker team (clinicians) ---------------------------------------------------------


@bp.route("/signposting/requests/new", methods=["GET", "POST"])
@access(Role.CLINICIAN)
def new_request():
    """Ask the link worker team to support someone: a short form, with the person's agreement."""
    form = RequestForm()
    if form.validate_on_submit():
        try:
            found = services.create_request(user=current_user, data=form.request_data())
        except services.SignpostingError as error:
            form.form_errors.append(str(error))
            return render_template("signposting/request_new.html", form=form), 400
        flash("Request sent to the link worker team.", "success")
        return redirect(url_for("signposting.request_detail", request_id=found.id))
    status = 400 if form.errors else 200
    return render_template("signposting/request_new.html", form=form), status


@bp.get("/signposting/requests/<request_id>")
@access(Role.CLINICIAN)
def request_detail(request_id: str):
    """A request the practice sent, and the team's answer."""
    found = get_in_scope_or_404(LinkWorkerRequest, request_id)
    services.record_request_view(current_user, found)
    return render_template("signposting/request.html", found=found)


# The link worker team's inbox ---------------------------------------------------------------------------


@bp.get("/signposting/inbox")
@access(Role.LINK_WORKER)
def inbox():
    """Requests from GPs in the PCN: waiting ones first, most urgent first."""
    waiting, decided = services.inbox(current_user)
    return render_template("signposting/inbox.html", waiting=waiting, decided=decided)


def _inbox_request_page(found: LinkWorkerRequest, status: int = 200, form=None, decline_form=None):
    duplicates = services.duplicates_for(found) if found.status == RequestStatus.WAITING else []
    return (
        render_template(
            "signposting/inbox_request.html",
            found=found,
            duplicates=duplicates,
            accept_form=AcceptForm(formdata=None),
            decline_form=decline_form or DeclineForm(formdata=None),
            form=form,
        ),
        status,
    )


@bp.get("/signposting/inbox/<request_id>")
@access(Role.LINK_WORKER)
def inbox_request(request_id: str):
    """One request: who, why, how soon, possible records already held, and accept or decline."""
    found = get_in_scope_or_404(LinkWorkerRequest, request_id)
    services.record_request_view(current_user, found)
    return _inbox_request_page(found)


@bp.post("/signposting/inbox/<request_id>/accept")
@access(Role.LINK_WORKER)
def accept(request_id: str):
    """Take the person into your caseload: link an existing record or record a new person."""
    found = get_in_scope_or_404(LinkWorkerRequest, request_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        return _inbox_request_page(found, 400, form=form)
    try:
        person = services.accept_request(
            user=current_user,
            request=found,
            person_id=form.person_id.data or None,
            geocoder=geography.geocoder_from_config(current_app.config),
        )
    except services.SignpostingError as error:
        form.form_errors.append(str(error))
        return _inbox_request_page(found, 400, form=form)
    flash("Accepted: they are now in your caseload.", "success")
    return redirect(url_for("plans.person", person_id=person.id))


@bp.post("/signposting/inbox/<request_id>/decline")
@access(Role.LINK_WORKER)
def decline(request_id: str):
    """Record why the team cannot take this on; the clinician sees the reason."""
    found = get_in_scope_or_404(LinkWorkerRequest, request_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _inbox_request_page(found, 400, form=form, decline_form=form)
    try:
        services.decline_request(user=current_user, request=found, reason=form.reason.data)
    except services.SignpostingError as error:
        form.form_errors.append(str(error))
        return _inbox_request_page(found, 400, form=form, decline_form=form)
    flash("Recorded. The practice can see your answer.", "success")
    return redirect(url_for("signposting.inbox"))
