"""Signed-in sessions: loading the user, and ending sessions left idle."""

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from prescribing.auth.models import AppUser
from prescribing.clock import utcnow
from prescribing.extensions import db


def load_user(session_id: str) -> AppUser | None:
    """Find the user for a session id of the form "<id>:<version>"."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(AppUser, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def enforce_idle_timeout():
    """End a signed-in session after the configured idle time."""
    if request.endpoint == "static":
        return None
    now = utcnow().timestamp()
    last_seen = session.get("last_seen")
    timeout = current_app.config["IDLE_TIMEOUT"].total_seconds()
    if current_user.is_authenticated and last_seen and now - last_seen > timeout:
        logout_user()
        session.clear()
        flash("You were signed out because you had not used the service for 30 minutes.", "info")
        return redirect(url_for("auth.sign_in"))
    if current_user.is_authenticated or session.get("pending_user"):
        session.permanent = True
        session["last_seen"] = now
    return None
