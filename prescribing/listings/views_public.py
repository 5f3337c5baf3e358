"""Public forms: report a problem with a listing, and ask for an organisation to be listed."""

from flask import abort, redirect, render_template, request, url_for

from prescribing.auth.access import EVERYONE, access
from prescribing.directory.models import ListingStatus, Service
from prescribing.extensions import db
from prescribing.listings import moderation
from prescribing.listings.blueprint import bp
from prescribing.listings.forms import AskToBeListedForm, ReportProblemForm

TOO_MANY_REPORTS = (
    "You have sent several reports from this connection in the last hour. Try again in an hour. "
    "If it is urgent, contact the organisation or your GP practice directly."
)
TOO_MANY_REQUESTS = (
    "You have sent several requests from this connection in the last hour. Try again in an hour. "
    "We will look at the requests you have already sent."
)


def _listed_service_or_404(service_id: str) -> Service:
    service = db.session.get(Service, service_id)
    if service is None or service.status == ListingStatus.ARCHIVED:
        abort(404)
    return service


@bp.route("/services/<service_id>/report", methods=["GET", "POST"])
@access(EVERYONE)
def report_problem(service_id: str):
    """Tell the organisation and the coordinators that a listing is wrong."""
    service = _listed_service_or_404(service_id)
    form = ReportProblemForm()
    if form.validate_on_submit():
        try:
            moderation.report_problem(
                service,
                kind=form.kind.data,
                details=(form.details.data or "").strip(),
                address=request.remote_addr,
                honeypot=form.website.data,
            )
        except moderation.RateLimited:
            abort(429, TOO_MANY_REPORTS)
        return redirect(url_for("listings.report_sent", service_id=service.id))
    return render_template("listings/report.html", form=form, service=service), 400 if form.errors else 200


@bp.get("/services/<service_id>/report/sent")
@access(EVERYONE)
def report_sent(service_id: str):
    """Thank the person who reported a problem."""
    return render_template("listings/report_sent.html", service=_listed_service_or_404(service_id))


@bp.route("/ask-to-be-listed", methods=["GET", "POST"])
@access(EVERYONE)
def ask_to_be_listed():
    """A new organisation asks to be listed; a coordinator decides."""
    form = AskToBeListedForm()
    if form.validate_on_submit():
        try:
            moderation.ask_to_be_listed(form.details(), address=request.remote_addr, honeypot=form.website.data)
        except moderation.RateLimited:
            abort(429, TOO_MANY_REQUESTS)
        return redirect(url_for("listings.ask_sent"))
    return render_template("listings/ask.html", form=form), 400 if form.errors else 200


@bp.get("/ask-to-be-listed/sent")
@access(EVERYONE)
def ask_sent():
    """Say what happens next after asking to be listed."""
    return render_template("listings/ask_sent.html")
