"""The public directory, and organisations' own pages for keeping listings up to date."""

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from prescribing.auth.access import EVERYONE, access
from prescribing.auth.models import Role
from prescribing.directory.models import ListingStatus, Service, ServiceAtLocation, TaxonomyTerm
from prescribing.extensions import db

bp = Blueprint("directory", __name__)


@bp.get("/services")
@access(EVERYONE)
def search():
    """Browse the directory (postcode search arrives with the directory issue)."""
    services = db.session.scalars(
        select(Service)
        .where(Service.status == ListingStatus.ACTIVE)
        .options(selectinload(Service.organization), selectinload(Service.terms))
        .order_by(Service.name)
        .limit(50)
    ).all()
    needs = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.parent_id.is_(None)).order_by(TaxonomyTerm.name))
    return render_template("directory/search.html", services=services, needs=needs)


@bp.get("/services/<service_id>")
@access(EVERYONE)
def service(service_id: str):
    """Everything a person needs to go: where, when, cost, how to join, contact, access."""
    found = db.session.scalar(
        select(Service)
        .where(Service.id == service_id, Service.status != ListingStatus.ARCHIVED)
        .options(selectinload(Service.locations_at).selectinload(ServiceAtLocation.location))
    )
    if found is None:
        abort(404)
    return render_template("directory/service.html", service=found)


@bp.get("/my-organisation")
@access(Role.ORG_EDITOR)
def my_organisation():
    """An organisation editor's start page: their listings."""
    organization = current_user.organization
    if organization is None:
        abort(404)
    return render_template("directory/my_organisation.html", organization=organization)


@bp.get("/moderation")
@access(Role.COORDINATOR)
def moderation():
    """New organisations asking to be listed, and stale listings (placeholder)."""
    return render_template("directory/moderation.html")
