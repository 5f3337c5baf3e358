"""People, episodes, personal health plans and goals (link workers)."""

from flask import Blueprint, render_template

from prescribing.auth.access import access
from prescribing.auth.models import Role

bp = Blueprint("plans", __name__)


@bp.get("/caseload")
@access(Role.LINK_WORKER)
def caseload():
    """The link worker's start page (placeholder until personal health plans are built)."""
    return render_template("plans/caseload.html")
