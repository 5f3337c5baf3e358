"""Signing in and out, the second factor, and single-use links for invitations and resets."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, timedelta

import pyotp
from flask import current_app, has_request_context, url_for
from sqlalchemy import func, select

from prescribing.audit.services import record_audit
from prescribing.auth import throttle
from prescribing.auth.models import AccountToken, AppUser, RecoveryCode, TokenPurpose
from prescribing.auth.passwords import hash_password, verify_password
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.mail import send_mail

RECOVERY_CODE_COUNT = 10


class SignInThrottled(Exception):
    """Too many failed attempts: try again later."""


@dataclass
class SignInResult:
    user: AppUser | None
    needs_second_factor: bool = False


def find_user_by_email(email: str) -> AppUser | None:
    return db.session.scalar(select(AppUser).where(func.lower(AppUser.email) == email.strip().lower()))


def check_password(email: str, password: str, address: str | None) -> SignInResult:
    """Check an e-mail and password, counting failures; raises SignInThrottled."""
    if throttle.is_throttled(email, address):
        record_audit("sign_in_throttled", detail=f"address={address}")
        db.session.commit()
        raise SignInThrottled()
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        throttle.record_failure(email, address)
        record_audit("sign_in_failed", user=user, object_type="app_user", object_id=user.id if user else None)
        db.session.commit()
        return SignInResult(user=None)
    skip = user.is_demo and current_app.config["DEMO_USERS_SKIP_SECOND_FACTOR"]
    return SignInResult(user=user, needs_second_factor=user.needs_second_factor and not skip)


def complete_sign_in(user: AppUser, method: str) -> None:
    """Record a successful sign-in; the view then puts the user in the session."""
    throttle.clear_account(user.email)
    user.last_signed_in_at = utcnow()
    record_audit("sign_in", user=user, object_type="app_user", object_id=user.id, detail=f"method={method}")
    db.session.commit()


def record_sign_out(user: AppUser) -> None:
    record_audit("sign_out", user=user, object_type="app_user", object_id=user.id)
    db.session.commit()


# Second factor ------------------------------------------------------------------------


def start_second_factor_setup(user: AppUser) -> str:
    """Give the user a fresh secret to add to an authenticator app (not yet confirmed)."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = None
    db.session.commit()
    return user.totp_secret


def provisioning_uri(user: AppUser) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def verify_code(user: AppUser, code: str) -> bool:
    """Accept a current six-digit code once (a replayed code is refused)."""
    code = "".join(ch for ch in code if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    # Naive datetimes' .timestamp() reads them as local time: a server on British Summer Time
    # would be a whole hour of steps out.
    now = utcnow().replace(tzinfo=UTC).timestamp()
    for drift in (0, -1, 1):
        step = int(now // totp.interval) + drift
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def record_wrong_code(user: AppUser, address: str | None, action: str = "security_code_failed") -> None:
    """Count a wrong security or recovery code toward the sign-in throttle."""
    db.session.rollback()
    throttle.record_failure(user.email, address)
    record_audit(action, user=user, object_type="app_user", object_id=user.id)
    db.session.commit()


def confirm_second_factor(user: AppUser, code: str) -> list[str] | None:
    """Confirm the authenticator app with a first code; returns new recovery codes."""
    if not verify_code(user, code):
        db.session.rollback()
        return None
    user.totp_confirmed_at = utcnow()
    codes = _replace_recovery_codes(user)
    record_audit("second_factor_set_up", user=user, object_type="app_user", object_id=user.id)
    db.session.commit()
    return codes


def _replace_recovery_codes(user: AppUser) -> list[str]:
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_password(code)))
    return codes


def use_recovery_code(user: AppUser, code: str) -> bool:
    """Accept an unused recovery code once."""
    code = code.strip().lower()
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for candidate in unused:
        if verify_password(candidate.code_hash, code):
            candidate.used_at = utcnow()
            record_audit("recovery_code_used", user=user, object_type="app_user", object_id=user.id)
            return True
    return False


def recovery_codes_left(user: AppUser) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


# Single-use links ----------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: AppUser, purpose: TokenPurpose, lifetime: timedelta, created_by: AppUser | None) -> str:
    """Make a single-use token; earlier unused tokens for the same purpose stop working."""
    now = utcnow()
    for old in db.session.scalars(
        select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None)
        )
    ):
        old.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_token_hash(token),
            expires_at=now + lifetime,
            created_by_id=created_by.id if created_by else None,
        )
    )
    return token


def find_usable_token(token: str, purpose: TokenPurpose) -> AccountToken | None:
    found = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _token_hash(token)))
    if found is None or found.purpose != purpose or not found.is_usable(utcnow()):
        return None
    if not found.user.active and purpose == TokenPurpose.PASSWORD_RESET:
        return None
    return found


def set_password_with_token(found: AccountToken, password: str) -> AppUser:
    """Use an invitation or reset link to set a password; the link then stops working."""
    user = found.user
    user.password_hash = hash_password(password)
    user.session_version += 1
    found.used_at = utcnow()
    action = "invitation_accepted" if found.purpose == TokenPurpose.INVITATION else "password_reset"
    record_audit(action, user=user, object_type="app_user", object_id=user.id)
    db.session.commit()
    return user


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, from a request or from the CLI (which has none)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context(base_url=base):
        return base + url_for(endpoint, **values)


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists and is active; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    token = issue_token(user, TokenPurpose.PASSWORD_RESET, current_app.config["PASSWORD_RESET_LIFETIME"], None)
    record_audit("password_reset_requested", user=user, object_type="app_user", object_id=user.id)
    db.session.commit()
    link = external_url("auth.reset_password", token=token)
    send_mail(
        user.email,
        f"Reset your password for {current_app.config['SERVICE_NAME']}",
        "Someone asked to reset the password for this account.\n\n"
        f"To choose a new password, open this link within 1 hour:\n{link}\n\n"
        "If it was not you, you can ignore this e-mail: your password has not changed.\n",
    )
