"""Coordinators moderate the directory: requests to be listed, problem reports, stale listings, archiving."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.directory.models import ListingStatus, Service
from prescribing.extensions import db
from prescribing.listings import moderation, queries
from prescribing.listings import services as listings
from prescribing.listings.blueprint import bp
from prescribing.listings.forms import ArchiveForm, ConfirmForm, RejectForm
from prescribing.listings.models import ListingRequest, ProblemReport
from prescribing.listings.presenters import freshness, last_confirmed


@bp.get("/moderation", endpoint="moderation")
@access(Role.COORDINATOR)
def moderation_page():
    """New organisations asking to be listed, open problem reports, and a link to stale listings."""
    _, stale_count = queries.stale_services(limit=0)
    return render_template(
        "listings/moderation.html",
        requests=moderation.pending_requests(),
        reports=moderation.open_reports(),
        stale_count=stale_count,
        confirm=ConfirmForm(),
    )


@bp.get("/stale")
@access(Role.COORDINATOR)
def stale():
    """Listings nobody has confirmed for 180 days, longest first."""
    services, total = queries.stale_services()
    return render_template(
        "listings/stale.html",
        services=services,
        total=total,
        freshness=freshness,
        last_confirmed=last_confirmed,
        confirm=ConfirmForm(),
    )


@bp.route("/services/<service_id>/archive", methods=["GET", "POST"])
@access(Role.COORDINATOR)
def archive(service_id: str):
    """Take a listing out of search for good; it is kept with its history."""
    service = db.session.get(Service, service_id)
    if service is None or service.status == ListingStatus.ARCHIVED:
        abort(404)
    form = ArchiveForm()
    if form.validate_on_submit():
        listings.archive_service(service, user=current_user, reason=(form.reason.data or "").strip() or None)
        flash(f"{service.name} has been archived. It no longer appears in search; its history is kept.", "success")
        return redirect(url_for("listings.manage", service_id=service.id))
    return render_template("listings/archive.html", form=form, service=service), 400 if form.errors else 200


@bp.post("/reports/<int:report_id>/dealt-with")
@access(Role.ORG_EDITOR, Role.COORDINATOR)
def report_dealt_with(report_id: int):
    """Close a problem report (the listing's editors or a coordinator)."""
    report = db.session.get(ProblemReport, report_id)
    if report is None:
        abort(404)
    if not queries.can_edit(current_user, report.service.organization_id):
        abort(403)
    if ConfirmForm().validate_on_submit():
        moderation.mark_dealt_with(report, user=current_user)
        flash("The report is marked as dealt with.", "success")
    if current_user.role == Role.COORDINATOR:
        return redirect(url_for("listings.moderation"))
    return redirect(url_for("listings.manage", service_id=report.service_id))


def _request_or_404(request_id: int) -> ListingRequest:
    found = db.session.get(ListingRequest, request_id)
    if found is None:
        abort(404)
    return found


def _review(request: ListingRequest, reject: RejectForm, error: str | None = None, status: int = 200):
    return render_template(
        "listings/request.html", listing_request=request, form=reject, approve=ConfirmForm(), error=error
    ), status


@bp.get("/requests/<int:request_id>")
@access(Role.COORDINATOR)
def review_request(request_id: int):
    """One organisation's request to be listed, with approve and reject."""
    return _review(_request_or_404(request_id), RejectForm())


@bp.post("/requests/<int:request_id>/approve")
@access(Role.COORDINATOR)
def approve_request(request_id: int):
    """List the organisation and invite its contact as an organisation editor."""
    request = _request_or_404(request_id)
    if ConfirmForm().validate_on_submit():
        try:
            organization = moderation.approve_request(request, coordinator=current_user)
        except listings.ListingError as error:
            return _review(_request_or_404(request_id), RejectForm(formdata=None), str(error), 409)
        flash(f"{organization.name} is listed. We have emailed an invitation to edit its listings.", "success")
    return redirect(url_for("listings.moderation"))


@bp.post("/requests/<int:request_id>/reject")
@access(Role.COORDINATOR)
def reject_request(request_id: int):
    """Turn a request down, with a reason e-mailed to the person who asked."""
    request = _request_or_404(request_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _review(request, form, status=400)
    try:
        moderation.reject_request(request, coordinator=current_user, reason=form.reason.data.strip())
    except listings.ListingError as error:
        return _review(request, RejectForm(formdata=None), str(error), 409)
    flash(f"Request from {request.organisation_name} rejected. We have emailed them the reason.", "success")
    return redirect(url_for("listings.moderation"))
