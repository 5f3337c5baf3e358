"""A coordinator manages the users of their primary care network."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from prescribing.accounts import services
from prescribing.accounts.forms import ChangeRoleForm, ConfirmForm, InviteUserForm
from prescribing.auth.access import access
from prescribing.auth.models import AppUser, Role
from prescribing.directory.models import ListingStatus, Organization
from prescribing.extensions import db
from prescribing.practices.models import Practice

bp = Blueprint("accounts", __name__, url_prefix="/users")


def _fill_scope_choices(form) -> None:
    practices = db.session.scalars(
        select(Practice).where(Practice.pcn_id == current_user.pcn_id).order_by(Practice.name)
    )
    form.practice_id.choices = [("", "Select a practice")] + [
        (str(p.id), f"{p.name} ({p.ods_code})") for p in practices
    ]
    organizations = db.session.scalars(
        select(Organization).where(Organization.status != ListingStatus.ARCHIVED).order_by(Organization.name)
    )
    form.organization_id.choices = [("", "Select an organisation")] + [(o.id, o.name) for o in organizations]


def _user_in_scope_or_404(user_id: int) -> AppUser:
    user = next((u for u in services.users_of_pcn(current_user.pcn_id) if u.id == user_id), None)
    if user is None:
        abort(404)
    return user


@bp.get("/")
@access(Role.COORDINATOR)
def users():
    """List the PCN's users."""
    return render_template("accounts/users.html", users=services.users_of_pcn(current_user.pcn_id))


@bp.route("/invite", methods=["GET", "POST"])
@access(Role.COORDINATOR)
def invite():
    """Invite a new user by e-mail."""
    form = InviteUserForm()
    _fill_scope_choices(form)
    if form.validate_on_submit():
        practice_id, organization_id = form.scope_ids()
        try:
            user = services.invite_user(
                coordinator=current_user,
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                practice_id=practice_id,
                organization_id=organization_id,
            )
        except services.AccountError as error:
            form.form_errors.append(str(error))
            return render_template("accounts/invite.html", form=form), 400
        flash(f"Invitation sent to {user.email}. The link works once, for 7 days.", "success")
        return redirect(url_for("accounts.users"))
    return render_template("accounts/invite.html", form=form), 400 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@access(Role.COORDINATOR)
def edit(user_id: int):
    """Change a user's role or scope."""
    user = _user_in_scope_or_404(user_id)
    form = ChangeRoleForm(
        data={
            "role": user.role.value,
            "practice_id": str(user.practice_id or ""),
            "organization_id": user.organization_id or "",
        }
    )
    _fill_scope_choices(form)
    if form.validate_on_submit():
        practice_id, organization_id = form.scope_ids()
        try:
            services.change_role(
                coordinator=current_user,
                user=user,
                role=Role(form.role.data),
                practice_id=practice_id,
                organization_id=organization_id,
            )
        except services.AccountError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            return render_template("accounts/edit.html", form=form, user=user, confirm=ConfirmForm()), 400
        flash(f"{user.name} is now a {user.role.label.lower()}. Their sessions have ended.", "success")
        return redirect(url_for("accounts.users"))
    return render_template(
        "accounts/edit.html", form=form, user=user, confirm=ConfirmForm()
    ), 400 if form.errors else 200


@bp.post("/<int:user_id>/deactivate")
@access(Role.COORDINATOR)
def deactivate(user_id: int):
    """Deactivate a user; the account and its history are kept."""
    user = _user_in_scope_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.deactivate_user(coordinator=current_user, user=user)
            flash(f"{user.name} can no longer sign in.", "success")
        except services.AccountError as error:
            flash(str(error), "info")
    return redirect(url_for("accounts.users"))


@bp.post("/<int:user_id>/reactivate")
@access(Role.COORDINATOR)
def reactivate(user_id: int):
    """Let a deactivated user sign in again."""
    user = _user_in_scope_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        services.reactivate_user(coordinator=current_user, user=user)
        flash(f"{user.name} can sign in again.", "success")
    return redirect(url_for("accounts.users"))
