"""Signed-in sessions: loading the user, and ending sessions left idle."""

from datetime import UTC

from flask import after_this_request, current_app, flash, redirect, request, session, url_for
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


def _now() -> float:
    # Naive datetimes' .timestamp() reads them as local time; ours are UTC.
    return utcnow().replace(tzinfo=UTC).timestamp()


def enforce_idle_timeout():
    """End a signed-in session after the configured idle time."""
    if request.endpoint == "static":
        return None
    last_seen = session.get("last_seen")
    timeout = current_app.config["IDLE_TIMEOUT"].total_seconds()
    # Someone half-way through signing in (password given, code not yet) times out too.
    signing_in = current_user.is_authenticated or session.get("pending_user")
    if signing_in and last_seen and _now() - last_seen > timeout:
        logout_user()
        session.clear()
        flash("You were signed out because you had not used the service for 30 minutes.", "info")
        return redirect(url_for("auth.sign_in"))
    after_this_request(_stamp_last_seen)
    return None


def _stamp_last_seen(response):
    """Note the time at the end of the request: signing in starts a fresh session, so the
    stamp must be written after the view, not before it."""
    if current_user.is_authenticated or session.get("pending_user"):
        session.permanent = True
        session["last_seen"] = _now()
    return response
