"""Reports for coordinators and commissioners."""

from flask import Blueprint, render_template

from prescribing.auth.access import access
from prescribing.auth.models import Role

bp = Blueprint("reports", __name__)


@bp.get("/reports")
@access(Role.COORDINATOR, Role.COMMISSIONER)
def dashboard():
    """Reports start page (placeholder until reports are built)."""
    return render_template("reports/dashboard.html")
