"""Accounts, roles and the secrets that go with them."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db


class Role(enum.StrEnum):
    LINK_WORKER = "link_worker"
    CLINICIAN = "clinician"
    ORG_EDITOR = "org_editor"
    COORDINATOR = "coordinator"
    COMMISSIONER = "commissioner"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def scope(self) -> str | None:
        """Which kind of record bounds what this role may see."""
        return ROLE_SCOPES[self]

    @property
    def sees_peoples_records(self) -> bool:
        return self in (Role.LINK_WORKER, Role.CLINICIAN, Role.COORDINATOR)


ROLE_LABELS = {
    Role.LINK_WORKER: "Link worker",
    Role.CLINICIAN: "Clinician",
    Role.ORG_EDITOR: "Organisation editor",
    Role.COORDINATOR: "PCN coordinator",
    Role.COMMISSIONER: "Commissioner",
}
ROLE_SCOPES = {
    Role.LINK_WORKER: "pcn",
    Role.CLINICIAN: "practice",
    Role.ORG_EDITOR: "organization",
    Role.COORDINATOR: "pcn",
    Role.COMMISSIONER: None,
}


class AppUser(UserMixin, db.Model):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    pcn_id: Mapped[int | None] = mapped_column(ForeignKey("pcn.id"), index=True)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practice.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    # The time step of the last accepted code, so a code cannot be replayed.
    totp_last_step: Mapped[int | None]
    # Bumped on deactivation, role change and password change to end existing sessions.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deactivated_at: Mapped[datetime | None]
    last_signed_in_at: Mapped[datetime | None]

    pcn = relationship("Pcn")
    practice = relationship("Practice")
    organization = relationship("Organization")

    def get_id(self) -> str:
        # The session holds id and version, so bumping the version signs the user out.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def needs_second_factor(self) -> bool:
        return self.role.sees_peoples_records

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def scope_label(self) -> str:
        if self.role.scope == "pcn" and self.pcn:
            return self.pcn.name
        if self.role.scope == "practice" and self.practice:
            return self.practice.name
        if self.role.scope == "organization" and self.organization:
            return self.organization.name
        return "All areas (aggregate figures only)" if self.role == Role.COMMISSIONER else "—"

    @property
    def effective_pcn_id(self) -> int | None:
        """The PCN whose data this user works within (a clinician's is their practice's)."""
        if self.role.scope == "practice" and self.practice:
            return self.practice.pcn_id
        return self.pcn_id

    def __repr__(self) -> str:
        return f"<AppUser {self.id} {self.role}>"


class RecoveryCode(db.Model):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None]


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # noqa: S105  (a purpose, not a password)


class AccountToken(db.Model):
    """A single-use link sent by e-mail. Only a hash of the token is stored."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(Enum(TokenPurpose, native_enum=False, length=20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    user = relationship("AppUser", foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class SignInFailure(db.Model):
    """Failed sign-ins, counted per account and per address across all workers."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account:<sha256 of e-mail>" or "address:<ip>"; never the e-mail itself.
    key: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)
