"""Home, statutory pages and the coordinator's start page."""

from flask import Blueprint, redirect, render_template
from flask_login import current_user

from prescribing.auth.access import EVERYONE, access
from prescribing.auth.models import Role
from prescribing.navigation import start_page_for

bp = Blueprint("pages", __name__)


@bp.get("/")
@access(EVERYONE)
def home():
    """Signed-in users go to their start page; everyone else sees the public front page."""
    if current_user.is_authenticated:
        return redirect(start_page_for(current_user))
    return render_template("pages/home.html")


@bp.get("/coordinator")
@access(Role.COORDINATOR)
def coordinator():
    """The coordinator's start page: users, moderation and reports."""
    return render_template("pages/coordinator.html")


@bp.get("/about")
@access(EVERYONE)
def about():
    return render_template("pages/about.html")


@bp.get("/privacy")
@access(EVERYONE)
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/accessibility")
@access(EVERYONE)
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/cookies")
@access(EVERYONE)
def cookies():
    return render_template("pages/cookies.html")
