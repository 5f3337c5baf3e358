"""Accounts over their life: invited, changed, deactivated (never deleted)."""

from flask import current_app
from sqlalchemy import select

from prescribing.audit.services import record_audit
from prescribing.auth.models import AppUser, Role, TokenPurpose
from prescribing.auth.passwords import hash_password
from prescribing.auth.services import external_url, find_user_by_email, issue_token
from prescribing.clock import utcnow
from prescribing.directory.models import ListingStatus, Organization
from prescribing.extensions import db
from prescribing.mail import send_mail
from prescribing.practices.models import Practice


class AccountError(ValueError):
    """A change to an account that cannot be made; the message says why."""


def users_of_pcn(pcn_id: int) -> list[AppUser]:
    """Users a coordinator manages: those of their PCN and its practices, and org editors they invited."""
    practice_ids = select(Practice.id).where(Practice.pcn_id == pcn_id)
    return list(
        db.session.scalars(
            select(AppUser)
            .where((AppUser.pcn_id == pcn_id) | AppUser.practice_id.in_(practice_ids))
            .order_by(AppUser.active.desc(), AppUser.name)
        )
    )


def _apply_scope(user: AppUser, role: Role, coordinator: AppUser, practice_id, organization_id) -> None:
    """Set role and scope, checking the scope lies within the coordinator's PCN."""
    user.role = role
    user.pcn_id = user.practice_id = user.organization_id = None
    # Org editors and commissioners are tied to the inviting coordinator's PCN for management.
    user.pcn_id = coordinator.pcn_id
    if role.scope == "practice":
        practice = db.session.get(Practice, practice_id) if practice_id else None
        if practice is None or practice.pcn_id != coordinator.pcn_id:
            raise AccountError("Select a practice in your primary care network")
        user.practice_id = practice.id
        user.pcn_id = None
    elif role.scope == "organization":
        organization = db.session.get(Organization, organization_id) if organization_id else None
        if organization is None or organization.status == ListingStatus.ARCHIVED:
            raise AccountError("Select the organisation this person edits")
        user.organization_id = organization.id


def invite_user(
    *,
    coordinator: AppUser,
    email: str,
    name: str,
    role: Role,
    practice_id: int | None = None,
    organization_id: str | None = None,
) -> AppUser:
    """Create an account without a password and e-mail a single-use link to set one."""
    if role == Role.COMMISSIONER:
        raise AccountError("Commissioners are set up by the service administrator, not by a PCN")
    if find_user_by_email(email):
        raise AccountError("An account with this email address already exists")
    user = AppUser(email=email.strip().lower(), name=name.strip(), role=role, active=True)
    _apply_scope(user, role, coordinator, practice_id, organization_id)
    db.session.add(user)
    db.session.flush()
    token = issue_token(user, TokenPurpose.INVITATION, current_app.config["INVITATION_LIFETIME"], coordinator)
    record_audit("user_invited", user=coordinator, object_type="app_user", object_id=user.id, detail=f"role={role}")
    db.session.commit()
    days = current_app.config["INVITATION_LIFETIME"].days
    send_mail(
        user.email,
        f"You have been invited to {current_app.config['SERVICE_NAME']}",
        f"You have been given an account as a {role.label.lower()}.\n\n"
        f"To choose your password and sign in, open this link within {days} days. It works once:\n"
        f"{external_url('auth.accept_invitation', token=token)}\n",
    )
    return user


def change_role(
    *, coordinator: AppUser, user: AppUser, role: Role, practice_id: int | None, organization_id: str | None
) -> None:
    """Change a user's role or scope; their current sessions end."""
    if user.id == coordinator.id:
        raise AccountError("You cannot change your own role")
    if role == Role.COMMISSIONER:
        raise AccountError("Commissioners are set up by the service administrator, not by a PCN")
    before = f"{user.role}"
    _apply_scope(user, role, coordinator, practice_id, organization_id)
    user.session_version += 1
    if user.role.sees_peoples_records and not user.has_second_factor:
        user.totp_secret = None
    record_audit(
        "user_role_changed",
        user=coordinator,
        object_type="app_user",
        object_id=user.id,
        detail=f"from={before} to={role}",
    )
    db.session.commit()


def deactivate_user(*, coordinator: AppUser, user: AppUser) -> None:
    """Stop a user signing in; the account and its history stay."""
    if user.id == coordinator.id:
        raise AccountError("You cannot deactivate your own account")
    user.active = False
    user.deactivated_at = utcnow()
    user.session_version += 1
    record_audit("user_deactivated", user=coordinator, object_type="app_user", object_id=user.id)
    db.session.commit()


def reactivate_user(*, coordinator: AppUser, user: AppUser) -> None:
    user.active = True
    user.deactivated_at = None
    record_audit("user_reactivated", user=coordinator, object_type="app_user", object_id=user.id)
    db.session.commit()


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    pcn_id: int | None = None,
    practice_id: int | None = None,
    organization_id: str | None = None,
    is_demo: bool = False,
) -> AppUser:
    """Create an account directly (the CLI's way to make the first coordinator)."""
    if find_user_by_email(email):
        raise AccountError("An account with this email address already exists")
    user = AppUser(
        email=email.strip().lower(),
        name=name,
        role=role,
        password_hash=hash_password(password),
        pcn_id=pcn_id,
        practice_id=practice_id,
        organization_id=organization_id,
        is_demo=is_demo,
    )
    db.session.add(user)
    db.session.flush()
    record_audit("user_created", object_type="app_user", object_id=user.id, detail=f"role={role}", pcn_id=pcn_id)
    db.session.commit()
    return user
