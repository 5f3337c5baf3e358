"""Signposting by GPs: shared community prescriptions, anonymous counts, and requests to the
link worker team.

A community prescription holds needs and service ids only: never the patient's name, NHS number
or postcode. Counts hold a need, a postcode district and a day. A request to the link worker team
does hold personal data, scoped to the PCN (link workers) and the practice (clinicians).
"""

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.ids import new_id

# How long a shared community prescription link works.
SHARE_FOR = timedelta(days=30)


def _enum(kind) -> Enum:
    return Enum(kind, native_enum=False, length=30, values_callable=lambda members: [m.value for m in members])


class CommunityPrescription(db.Model):
    """A snapshot of what a GP printed: needs and groups, for a shareable link. No personal data."""

    __tablename__ = "community_prescription"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # [{"need": term id, "services": [service ids, best first]}, ...]
    needs: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    practice = relationship("Practice")

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class SignpostingCount(db.Model):
    """How many signposting searches asked about a need in a postcode district on a day, and how
    many of them found nothing within reach (unmet need). Anonymous by construction."""

    __tablename__ = "signposting_count"
    __table_args__ = (UniqueConstraint("day", "need_term_id", "outcode", name="uq_signposting_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    need_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    # The postcode district ("M33"), or "" when the search had no postcode.
    outcode: Mapped[str] = mapped_column(String(4), default="")
    searches: Mapped[int] = mapped_column(default=0)
    unmet: Mapped[int] = mapped_column(default=0)


class Urgency(enum.StrEnum):
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"

    @property
    def label(self) -> str:
        return {
            "routine": "Routine",
            "soon": "Soon (within a week)",
            "urgent": "Urgent (within 2 working days)",
        }[self.value]


class RequestStatus(enum.StrEnum):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {"waiting": "Waiting for the link worker team", "accepted": "Accepted", "declined": "Not accepted"}[
            self.value
        ]


class LinkWorkerRequest(db.Model):
    """A clinician's request to the PCN's link worker team to support someone (not a referral to a service)."""

    __tablename__ = "link_worker_request"
    __scope_columns__ = {"pcn": "pcn_id", "practice": "practice_id"}

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    nhs_number: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text)
    urgency: Mapped[Urgency] = mapped_column(_enum(Urgency))
    agreed_to_contact: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.WAITING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    declined_reason: Mapped[str | None] = mapped_column(String(500))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    episode_id: Mapped[str | None] = mapped_column(ForeignKey("episode.id"))

    practice = relationship("Practice")
    requested_by = relationship("AppUser", foreign_keys=[requested_by_id])
    decided_by = relationship("AppUser", foreign_keys=[decided_by_id])
    person = relationship("Person")

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"
