"""Keeping listings up to date: problem reports, requests to be listed, reminders sent, spam limits."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db


class ProblemKind(enum.StrEnum):
    CLOSED = "closed"
    WRONG_TIMES = "wrong_times"
    WRONG_CONTACT = "wrong_contact"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PROBLEM_LABELS[self]


PROBLEM_LABELS = {
    ProblemKind.CLOSED: "It has closed or stopped running",
    ProblemKind.WRONG_TIMES: "The days or times are wrong",
    ProblemKind.WRONG_CONTACT: "The contact details are wrong",
    ProblemKind.OTHER: "Something else",
}


class ProblemReport(db.Model):
    """Someone (signed in or not) says a listing is wrong; open until an editor or coordinator deals with it."""

    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    kind: Mapped[ProblemKind] = mapped_column(Enum(ProblemKind, native_enum=False, length=20))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dealt_with_at: Mapped[datetime | None] = mapped_column(index=True)
    dealt_with_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    service = relationship("Service")
    dealt_with_by = relationship("AppUser")

    @property
    def is_open(self) -> bool:
        return self.dealt_with_at is None


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ListingRequest(db.Model):
    """A new organisation asking to be listed, waiting for a coordinator's decision."""

    __tablename__ = "listing_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_name: Mapped[str] = mapped_column(String(250))
    contact_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    offers: Mapped[str] = mapped_column(Text)
    area: Mapped[str] = mapped_column(String(200))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[RequestStatus] = mapped_column(
        Enum(RequestStatus, native_enum=False, length=20), default=RequestStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected, as sent to the requester
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))

    decided_by = relationship("AppUser")
    organization = relationship("Organization")

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class ListingReminder(db.Model):
    """A reminder e-mail sent for one listing at one threshold (150, 180 or 210 days).

    `basis_at` is the confirmation the reminder counts from, so confirming starts a new cycle
    and running the daily job twice sends nothing new.
    """

    __tablename__ = "listing_reminder"
    __table_args__ = (UniqueConstraint("service_id", "days", "basis_at", name="uq_listing_reminder_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    days: Mapped[int]
    basis_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class PublicFormSubmission(db.Model):
    """When a public form was sent from an address, to limit spam. Holds a keyed hash, never the address."""

    __tablename__ = "public_form_submission"
    __table_args__ = (Index("ix_public_form_submission_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)
