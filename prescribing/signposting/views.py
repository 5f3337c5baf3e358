"""Signposting for GPs and practice staff."""

from flask import Blueprint, render_template

from prescribing.auth.access import access
from prescribing.auth.models import Role

bp = Blueprint("signposting", __name__)


@bp.get("/signposting")
@access(Role.CLINICIAN)
def start():
    """The clinician's start page (placeholder until signposting is built)."""
    return render_template("signposting/start.html")
