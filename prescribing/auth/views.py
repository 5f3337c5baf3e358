"""Signing in and out, the second factor, invitations and password resets."""

from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from prescribing.auth import services, throttle
from prescribing.auth.access import EVERYONE, SIGNED_IN, access
from prescribing.auth.forms import CodeForm, ForgotPasswordForm, NewPasswordForm, RecoveryCodeForm, SignInForm
from prescribing.auth.models import AppUser, TokenPurpose
from prescribing.extensions import db
from prescribing.navigation import start_page_for

bp = Blueprint("auth", __name__)


def _pending_user() -> AppUser:
    """The user who gave the right password but has not yet given a second factor."""
    user_id = session.get("pending_user")
    user = db.session.get(AppUser, user_id) if user_id else None
    if user is None or not user.active:
        session.pop("pending_user", None)
        abort(redirect(url_for("auth.sign_in")))
    return user


def _safe_next_path(next_path: str | None) -> str | None:
    """A path on this site to return to after signing in, or None (no open redirects)."""
    if not next_path or not next_path.startswith("/") or next_path.startswith("//"):
        return None
    # Browsers read "/\host" as "//host" and drop tabs and newlines, so refuse them all.
    if "\\" in next_path or any(ord(ch) < 0x21 for ch in next_path):
        return None
    parts = urlsplit(next_path)
    return None if parts.scheme or parts.netloc else next_path


def _sign_in_fully(user: AppUser, method: str) -> str:
    """Put the user in a fresh session; returns where they go next."""
    next_path = session.get("next_path")
    session.clear()
    services.complete_sign_in(user, method)
    login_user(user)
    session.permanent = True
    return _safe_next_path(next_path) or start_page_for(user)


def _finish_sign_in(user: AppUser, method: str):
    return redirect(_sign_in_fully(user, method))


@bp.route("/sign-in", methods=["GET", "POST"])
@access(EVERYONE)
def sign_in():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(start_page_for(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            result = services.check_password(form.email.data, form.password.data, request.remote_addr)
        except services.SignInThrottled:
            form.form_errors.append("Too many failed attempts. Wait 15 minutes, then try again.")
            return render_template("auth/sign_in.html", form=form), 429
        if result.user is None:
            form.form_errors.append("Enter a correct email address and password")
            form.email.errors = []
            return render_template("auth/sign_in.html", form=form), 200
        if not result.needs_second_factor:
            return _finish_sign_in(result.user, "password" if not result.user.is_demo else "demo")
        next_path = session.get("next_path")
        session.clear()
        session["pending_user"] = result.user.id
        session["next_path"] = next_path
        if result.user.has_second_factor:
            return redirect(url_for("auth.enter_code"))
        services.start_second_factor_setup(result.user)
        return redirect(url_for("auth.set_up_second_factor"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@access(EVERYONE)
def enter_code():
    """Second step of signing in: a code from the authenticator app."""
    user = _pending_user()
    form = CodeForm()
    if form.validate_on_submit():
        if throttle.is_throttled(user.email, request.remote_addr):
            form.form_errors.append("Too many failed attempts. Wait 15 minutes, then try again.")
            return render_template("auth/enter_code.html", form=form), 429
        if services.verify_code(user, form.code.data):
            return _finish_sign_in(user, "password+totp")
        services.record_wrong_code(user, request.remote_addr)
        form.code.errors = ["The security code is not correct or has expired. Enter the current code."]
    return render_template("auth/enter_code.html", form=form)


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@access(EVERYONE)
def enter_recovery_code():
    """Second step of signing in with a one-off recovery code instead of the app."""
    user = _pending_user()
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        # Recovery codes are guessed no more freely than security codes or passwords.
        if throttle.is_throttled(user.email, request.remote_addr):
            form.form_errors.append("Too many failed attempts. Wait 15 minutes, then try again.")
            return render_template("auth/enter_recovery_code.html", form=form), 429
        if services.use_recovery_code(user, form.recovery_code.data):
            left = services.recovery_codes_left(user)
            response = _finish_sign_in(user, "password+recovery_code")
            flash(f"You used a recovery code. You have {left} left. Each code works once.", "info")
            return response
        services.record_wrong_code(user, request.remote_addr, "recovery_code_failed")
        form.recovery_code.errors = ["That recovery code is not correct or has been used"]
    return render_template("auth/enter_recovery_code.html", form=form)


@bp.route("/sign-in/set-up-security-codes", methods=["GET", "POST"])
@access(EVERYONE)
def set_up_second_factor():
    """First sign-in of a role that sees people's records: add an authenticator app."""
    user = _pending_user()
    if user.has_second_factor:
        return redirect(url_for("auth.enter_code"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = services.confirm_second_factor(user, form.code.data)
        if codes is not None:
            # Shown once, in this response only: the session cookie is signed, not encrypted,
            # so the codes never go into it.
            next_url = _sign_in_fully(user, "password+totp")
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
        form.code.errors = ["The security code is not correct. Enter the code your app shows now."]
    uri = services.provisioning_uri(user)
    # segno writes the SVG itself from the URI; no user text goes into it unescaped.
    qr = Markup(segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app"))  # noqa: S704
    return render_template("auth/set_up_second_factor.html", form=form, qr=qr, secret=user.totp_secret)


@bp.post("/sign-out")
@access(SIGNED_IN)
def sign_out():
    """Sign out and forget the session."""
    services.record_sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@access(EVERYONE)
def forgot_password():
    """Ask for a password reset link by e-mail."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot_password.html", form=form)


def _set_password_page(token: str, purpose: TokenPurpose, template: str):
    found = services.find_usable_token(token, purpose)
    if found is None:
        return render_template("auth/link_expired.html", purpose=purpose), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.set_password_with_token(found, form.password.data)
        flash("Your password has been set. Sign in with it now.", "success")
        current_app.logger.info("password set for user %s", user.id)
        return redirect(url_for("auth.sign_in"))
    return render_template(template, form=form, user=found.user), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@access(EVERYONE)
def reset_password(token: str):
    """Choose a new password from a reset link."""
    return _set_password_page(token, TokenPurpose.PASSWORD_RESET, "auth/reset_password.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@access(EVERYONE)
def accept_invitation(token: str):
    """Accept an invitation: choose a password for the new account."""
    return _set_password_page(token, TokenPurpose.INVITATION, "auth/accept_invitation.html")
