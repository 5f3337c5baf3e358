"""The public directory: search by postcode, need and keywords, and a page for each service.

Anyone may use these pages without signing in. Nothing about the person searching is
stored: the form is a GET (a postcode in a public search address is fine), nothing goes in
the session, the audit log or the application log.
"""

from flask import Blueprint, abort, current_app, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from prescribing import clock, geography
from prescribing.auth.access import EVERYONE, access
from prescribing.directory import presenters
from prescribing.directory.forms import SearchForm
from prescribing.directory.models import ListingStatus, Organization, Service, ServiceAtLocation
from prescribing.directory.search import UnknownNeed, UnknownPostcode, search_services
from prescribing.extensions import db

bp = Blueprint("directory", __name__)


@bp.get("/services")
@access(EVERYONE)
def search():
    """Find community groups and services by postcode, need and keywords."""
    form = SearchForm(formdata=request.args or None)
    form.load_choices(db.session)
    page = None
    status = 200
    if request.args:
        if form.validate():
            try:
                page = search_services(
                    db.session,
                    form.search_query(page=request.args.get("page", 1, type=int)),
                    geocoder=geography.geocoder_from_config(current_app.config),
                )
            except UnknownPostcode as error:
                form.postcode.errors.append(str(error))
            except UnknownNeed as error:
                form.need.errors.append(str(error))
        if page is None:
            status = 400
    return render_template(
        "directory/search.html",
        form=form,
        page=page,
        cards=[presenters.result_card(result, clock.utcnow()) for result in page.results] if page else [],
        heading=presenters.results_heading(page) if page else None,
        pages_nav=presenters.pagination(page, lambda number: _page_url(form, number)) if page else None,
        place_note=presenters.place_note(page) if page else None,
        ordering=presenters.ordering_explained(),
    ), status


def _page_url(form: SearchForm, number: int) -> str:
    """The same search on another page (only the form's own fields are carried over)."""
    args = {name: request.args[name] for name in form._fields if name in request.args}
    if form.postcode.data:
        args["postcode"] = form.postcode.data  # its normal form
    return url_for("directory.search", **args, page=number)


@bp.get("/services/<service_id>")
@access(EVERYONE)
def service(service_id: str):
    """Everything a person needs to go: where, when, cost, how to join, contact, access."""
    found = db.session.scalar(
        select(Service)
        .where(
            Service.id == service_id,
            Service.status != ListingStatus.ARCHIVED,
            Service.organization.has(Organization.status != ListingStatus.ARCHIVED),
        )
        .options(
            joinedload(Service.organization),
            selectinload(Service.locations_at).selectinload(ServiceAtLocation.location),
            selectinload(Service.schedules),
            selectinload(Service.cost_options),
            selectinload(Service.languages),
            selectinload(Service.areas),
            selectinload(Service.contacts),
            selectinload(Service.terms),
        )
    )
    if found is None:
        abort(404)
    return render_template(
        "directory/service.html", service=found, listing=presenters.service_page(found, clock.utcnow())
    )
