"""Organisations keep their own listings up to date; coordinators may change any listing.

An organisation editor reaches only their own organisation's records: another
organisation's service is refused with 403.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.directory.models import ListingStatus, Organization, Service, TaxonomyTerm
from prescribing.extensions import db
from prescribing.listings import queries, views_moderation, views_public  # noqa: F401  (their routes join this blueprint)
from prescribing.listings import services as listings
from prescribing.listings.blueprint import bp
from prescribing.listings.forms import ConfirmForm, OrganizationForm, ServiceForm, VenueForm, sessions_form
from prescribing.listings.initial import (
    new_service_initial,
    organization_initial,
    service_initial,
    sessions_initial,
    venue_initial,
)
from prescribing.listings.moderation import open_reports
from prescribing.listings.presenters import change_lines, days_until_stale, freshness, history, last_confirmed
from prescribing.listings.revisions import revisions_of

__all__ = ["bp"]
EDITORS = (Role.ORG_EDITOR, Role.COORDINATOR)
MIN_SESSION_ROWS, MAX_SESSION_ROWS = 6, 40


def service_for_editing(service_id: str) -> Service:
    """The service, if this user may change it: 404 when it does not exist, 403 when it is not theirs."""
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    if not queries.can_edit(current_user, service.organization_id):
        abort(403)
    return service


def organization_for_editing(organization_id: str) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        abort(404)
    if not queries.can_edit(current_user, organization.id):
        abort(403)
    return organization


def _open_for_changes(service: Service) -> None:
    if service.status == ListingStatus.ARCHIVED:
        abort(404)


def _need_choices() -> list[tuple[str, str]]:
    terms = db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name)).all()
    children: dict[str | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    choices = []
    for top in children.get(None, []):
        choices.append((top.id, top.name))
        choices.extend((child.id, f"{top.name}: {child.name}") for child in children.get(top.id, []))
    return choices


def _conflict(form, error: listings.EditConflict, object_type: str = "service") -> list:
    form.version.data = str(error.current_version)
    form.form_errors.append(
        "Someone else saved changes to this listing after you opened this page. "
        "Check what they changed, then save again if your changes are still right"
    )
    return change_lines(error.since.changes, object_type)


@bp.get("/my-organisation")
@access(Role.ORG_EDITOR)
def my_organisation():
    """An organisation editor's start page: their listings, what needs confirming and reported problems."""
    organization = current_user.organization
    if organization is None:
        abort(404)
    return render_template(
        "listings/my_organisation.html",
        organization=organization,
        services=queries.services_of(organization.id),
        due=queries.services_due_for_confirmation(organization.id),
        reports=open_reports(organization.id),
        freshness=freshness,
        last_confirmed=last_confirmed,
        days_until_stale=days_until_stale,
        confirm=ConfirmForm(),
    )


@bp.route("/organisations/<organization_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def edit_organization(organization_id: str):
    """Change an organisation's own details."""
    organization = organization_for_editing(organization_id)
    form = OrganizationForm(data=organization_initial(organization))
    conflict = None
    if form.validate_on_submit():
        try:
            changed = listings.update_organization(
                organization, form.details(), user=current_user, started_at=int(form.version.data)
            )
        except listings.EditConflict as error:
            conflict = _conflict(form, error, "organization")
        else:
            flash("Organisation details saved." if changed else "Nothing was changed.", "success")
            return redirect(_home_for(organization.id))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template(
        "listings/organisation_form.html", form=form, organization=organization, conflict=conflict
    ), status


def _home_for(organization_id: str) -> str:
    if current_user.role == Role.ORG_EDITOR:
        return url_for("listings.my_organisation")
    return url_for("listings.moderation")


@bp.route("/organisations/<organization_id>/services/new", methods=["GET", "POST"])
@access(*EDITORS)
def new_service(organization_id: str):
    """Add a listing for an organisation."""
    organization = organization_for_editing(organization_id)
    form = ServiceForm(data=new_service_initial())
    form.needs.choices = _need_choices()
    if form.validate_on_submit():
        service = listings.create_service(organization, form.details(), user=current_user)
        flash("Listing added. Now add where and when it runs.", "success")
        return redirect(url_for("listings.manage", service_id=service.id))
    return render_template(
        "listings/service_form.html", form=form, organization=organization, service=None, conflict=None
    ), 400 if form.errors else 200


@bp.get("/services/<service_id>")
@access(*EDITORS)
def manage(service_id: str):
    """One listing as its editors see it, with links to change each part."""
    service = service_for_editing(service_id)
    return render_template(
        "listings/manage.html",
        service=service,
        state=freshness(service),
        last_confirmed=last_confirmed(service),
        reports=[r for r in open_reports(service.organization_id) if r.service_id == service.id],
        confirm=ConfirmForm(),
    )


@bp.route("/services/<service_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def edit_service(service_id: str):
    """Change a service's details."""
    service = service_for_editing(service_id)
    _open_for_changes(service)
    form = ServiceForm(data=service_initial(service))
    form.needs.choices = _need_choices()
    conflict = None
    if form.validate_on_submit():
        try:
            changed = listings.update_service(
                service, form.details(), user=current_user, started_at=int(form.version.data)
            )
        except listings.EditConflict as error:
            conflict = _conflict(form, error)
        else:
            flash("Your changes have been saved." if changed else "Nothing was changed.", "success")
            return redirect(url_for("listings.manage", service_id=service.id))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template(
        "listings/service_form.html",
        form=form,
        organization=service.organization,
        service=service,
        conflict=conflict,
    ), status


def _link_or_404(service: Service, location_id: str):
    link = next((sal for sal in service.locations_at if sal.location_id == location_id), None)
    if link is None:
        abort(404)
    return link.location


@bp.route("/services/<service_id>/venues/new", methods=["GET", "POST"])
@access(*EDITORS)
def add_venue(service_id: str):
    """Add a place where the service runs."""
    service = service_for_editing(service_id)
    _open_for_changes(service)
    form = VenueForm(data={"version": str(service.version), "address_published": "yes"})
    if form.validate_on_submit():
        listings.add_venue(service, form.details(), user=current_user, started_at=int(form.version.data))
        flash("Venue added.", "success")
        return redirect(url_for("listings.manage", service_id=service.id))
    return render_template(
        "listings/venue_form.html", form=form, service=service, location=None, conflict=None, confirm=None
    ), 400 if form.errors else 200


@bp.route("/services/<service_id>/venues/<location_id>", methods=["GET", "POST"])
@access(*EDITORS)
def edit_venue(service_id: str, location_id: str):
    """Change a venue's address, postcode, whether the address is public, and its access."""
    service = service_for_editing(service_id)
    _open_for_changes(service)
    location = _link_or_404(service, location_id)
    form = VenueForm(data=venue_initial(location, service.version))
    conflict = None
    if form.validate_on_submit():
        try:
            changed = listings.update_venue(
                service, location, form.details(), user=current_user, started_at=int(form.version.data)
            )
        except listings.EditConflict as error:
            conflict = _conflict(form, error)
        else:
            flash("Venue saved." if changed else "Nothing was changed.", "success")
            return redirect(url_for("listings.manage", service_id=service.id))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template(
        "listings/venue_form.html",
        form=form,
        service=service,
        location=location,
        conflict=conflict,
        confirm=ConfirmForm(),
    ), status


@bp.post("/services/<service_id>/venues/<location_id>/remove")
@access(*EDITORS)
def remove_venue(service_id: str, location_id: str):
    """Stop listing the service at a venue (the venue and the history are kept)."""
    service = service_for_editing(service_id)
    _open_for_changes(service)
    location = _link_or_404(service, location_id)
    if ConfirmForm().validate_on_submit():
        try:
            started_at = int(request.form.get("version", service.version))
            listings.remove_venue(service, location, user=current_user, started_at=started_at)
        except (ValueError, listings.EditConflict):
            flash("Someone else changed this venue after you opened the page. Check it and try again.", "info")
            return redirect(url_for("listings.edit_venue", service_id=service.id, location_id=location.id))
        flash(f"{service.name} is no longer listed at {location.name}.", "success")
    return redirect(url_for("listings.manage", service_id=service.id))


@bp.route("/services/<service_id>/sessions", methods=["GET", "POST"])
@access(*EDITORS)
def edit_sessions(service_id: str):
    """Change when the service runs: a fixed number of rows, empty ones ignored."""
    service = service_for_editing(service_id)
    _open_for_changes(service)
    if request.method == "POST":
        try:
            rows = int(request.form.get("row_count", MIN_SESSION_ROWS))
        except ValueError:
            rows = MIN_SESSION_ROWS
    else:
        rows = len(service.schedules) + 2
    rows = min(max(rows, MIN_SESSION_ROWS), MAX_SESSION_ROWS)
    venues = [(sal.id, sal.location.name) for sal in service.locations_at]
    form = sessions_form(rows, venues, data=sessions_initial(service))
    conflict = None
    if form.validate_on_submit():
        try:
            changed = listings.replace_sessions(
                service, form.sessions, user=current_user, started_at=int(form.version.data)
            )
        except listings.EditConflict as error:
            conflict = _conflict(form, error)
        else:
            flash("Sessions saved." if changed else "Nothing was changed.", "success")
            return redirect(url_for("listings.manage", service_id=service.id))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template(
        "listings/sessions_form.html", form=form, service=service, venues=venues, conflict=conflict
    ), status


@bp.post("/services/<service_id>/confirm")
@access(*EDITORS)
def confirm(service_id: str):
    """Confirm in one action that the listing is still accurate."""
    service = service_for_editing(service_id)
    _open_for_changes(service)
    if ConfirmForm().validate_on_submit():
        listings.confirm_listing(service, user=current_user)
        flash(f"Thank you. You confirmed {service.name} is still accurate.", "success")
    if request.form.get("back") == "list" and current_user.role == Role.ORG_EDITOR:
        return redirect(url_for("listings.my_organisation"))
    if request.form.get("back") == "stale" and current_user.role == Role.COORDINATOR:
        return redirect(url_for("listings.stale"))
    return redirect(url_for("listings.manage", service_id=service.id))


@bp.get("/services/<service_id>/history")
@access(*EDITORS)
def service_history(service_id: str):
    """Who changed what and when, newest first (archived listings included)."""
    service = service_for_editing(service_id)
    return render_template("listings/history.html", service=service, entries=history(revisions_of(service)))
