"""People, episodes, personal health plans and goals (link workers; clinicians read plans).

Every page about a person records an audit entry; flash messages never name the person
(the session cookie is signed, not encrypted).
"""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from prescribing import geography
from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.outcomes import services as outcome_services
from prescribing.plans import episode_views, goal_views, people, record_views, services
from prescribing.plans.blueprint import bp, person_or_404, render_person_page
from prescribing.plans.forms import ConfirmForm, FindPersonForm, PersonForm
from prescribing.plans.models import Episode, Person
from prescribing.practices.models import Practice
from prescribing.referrals import caseload as referral_caseload
from prescribing.referrals import gp_record

__all__ = ["bp"]
# These modules add their pages to bp as they are imported; web.py registers bp from here.
PAGE_MODULES = (episode_views, goal_views, record_views)


def _practice_choices(form: PersonForm) -> None:
    practices = db.session.scalars(
        select(Practice).where(Practice.pcn_id == current_user.pcn_id).order_by(Practice.name)
    )
    form.practice_id.choices = [("", "Select a practice")] + [
        (str(p.id), f"{p.name} ({p.ods_code})") for p in practices
    ]


def _geocoder() -> geography.Geocoder:
    return geography.geocoder_from_config(current_app.config)


@bp.get("/caseload")
@access(Role.LINK_WORKER)
def caseload():
    """The link worker's start page: people with open episodes, reviews and referral follow-ups due."""
    # Audit (and commit) first: a commit after loading would expire every loaded row, and the
    # page would then reload each one separately while rendering.
    services.record_caseload_view(current_user)
    people_list = services.caseload(current_user)
    due = services.reviews_due(current_user, utcnow().date())
    follow_ups = referral_caseload.follow_ups(
        current_user, utcnow(), current_app.config.get("SAFE_CASELOAD", referral_caseload.DEFAULT_SAFE_CASELOAD)
    )
    return render_template(
        "plans/caseload.html",
        people=people_list,
        reviews_due=due,
        follow_ups=follow_ups,
        find_form=FindPersonForm(formdata=None),
    )


@bp.post("/people/find")
@access(Role.LINK_WORKER)
def find():
    """Find a person in the PCN by name or NHS number (sent by POST, never in the address)."""
    form = FindPersonForm()
    if not form.validate_on_submit():
        return render_template("plans/find.html", form=form, results=None), 400
    results = services.find_people(current_user, form.query.data)
    services.record_search(current_user, results)
    return render_template("plans/find.html", form=form, results=results)


@bp.route("/people/new", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def new_person():
    """Record a person; possible duplicates are shown before saving."""
    form = PersonForm()
    _practice_choices(form)
    if form.validate_on_submit():
        data = form.person_data()
        duplicates = people.possible_duplicates(
            pcn_id=current_user.pcn_id,
            nhs=data["nhs_number"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
        )
        if not duplicates or form.confirm_new.data == "yes":
            person = people.create_person(user=current_user, data=data, geocoder=_geocoder())
            flash("Person added. Next, open an episode of support.", "success")
            return redirect(url_for("plans.person", person_id=person.id))
        services.record_duplicates_shown(current_user, [d.person for d in duplicates])
        return render_template("plans/person_form.html", form=form, duplicates=duplicates, person=None)
    return render_template("plans/person_form.html", form=form, duplicates=[], person=None), 400 if form.errors else 200


@bp.get("/people/<person_id>")
@access(Role.LINK_WORKER)
def person(person_id: str):
    """Everything about a person at a glance: details, current episode, plan and goals."""
    found = person_or_404(person_id, allow_merged=True)
    if found.is_merged:
        return render_person_page(found, "merged", "plans/person_merged.html")
    duplicates = people.possible_duplicates(
        pcn_id=found.pcn_id,
        nhs=found.nhs_number,
        given_name=found.given_name,
        family_name=found.family_name,
        date_of_birth=found.date_of_birth,
        exclude_id=found.id,
    )
    services.record_duplicates_shown(current_user, [d.person for d in duplicates])
    return render_person_page(
        found,
        "person",
        "plans/person.html",
        referrals=services.referrals_for(found),
        duplicates=duplicates,
        outcomes=outcome_services.summary_for(found),
        gp_codings=gp_record.codings_for_person(found.id),
    )


@bp.route("/people/<person_id>/merge/<other_id>", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def merge(person_id: str, other_id: str):
    """Merge a duplicate record into this one: its episodes and referrals move across, with their history."""
    keep = person_or_404(person_id)
    duplicate = person_or_404(other_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            people.merge_people(user=current_user, keep=keep, duplicate=duplicate, geocoder=_geocoder())
        except people.MergeError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            services.record_view(current_user, duplicate, "person_viewed", "page=merge")
            return render_person_page(keep, "merge", "plans/merge.html", 400, form=form, duplicate=duplicate)
        flash("Records merged. The duplicate now points to this record.", "success")
        return redirect(url_for("plans.person", person_id=keep.id))
    services.record_view(current_user, duplicate, "person_viewed", "page=merge")
    return render_person_page(keep, "merge", "plans/merge.html", form=form, duplicate=duplicate)


@bp.route("/people/<person_id>/edit", methods=["GET", "POST"])
@access(Role.LINK_WORKER)
def edit_person(person_id: str):
    """Change a person's details."""
    found = person_or_404(person_id)
    form = PersonForm(data=PersonForm.data_from(found))
    _practice_choices(form)
    if form.validate_on_submit():
        people.update_person(user=current_user, person=found, data=form.person_data(), geocoder=_geocoder())
        flash("Details saved.", "success")
        return redirect(url_for("plans.person", person_id=found.id))
    return render_person_page(
        found, "edit", "plans/person_form.html", 400 if form.errors else 200, form=form, duplicates=[]
    )


@bp.get("/practice-people")
@access(Role.CLINICIAN)
def practice_people():
    """A clinician's list of their own practice's people who have a plan (read only)."""
    found = db.session.scalars(
        select(Person)
        .where(
            Person.practice_id == current_user.practice_id,
            Person.id.in_(select(Episode.person_id)),
            Person.merged_into_id.is_(None),
        )
        .order_by(Person.family_name, Person.given_name)
    ).all()
    services.record_practice_list_view(current_user)
    return render_template("plans/practice_people.html", people=found)
