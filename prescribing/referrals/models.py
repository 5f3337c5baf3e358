"""Referrals from a goal to a service, and their append-only history.

A referral's `status` is the state its latest valid event left it in; every change is a
ReferralEvent (who, when it happened, when it was recorded, from, to, reason, note), never
an edit. `version` goes up with each change so two people answering at once cannot both win.
What the person agreed to share with the organisation is recorded on the referral, with who
recorded it and when; withdrawing consent hides those fields from the organisation from then on.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.ids import new_id


class Referral(db.Model):
    __tablename__ = "referral"
    __table_args__ = (
        Index("ix_referral_service_status", "service_id", "status"),
        Index("ix_referral_pcn_status", "pcn_id", "status"),
        Index("ix_referral_pcn_first_attended", "pcn_id", "first_attended_on"),
    )
    __scope_columns__ = {"pcn": "pcn_id", "practice": "practice_id"}

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episode.id"), index=True)
    goal_id: Mapped[str | None] = mapped_column(ForeignKey("goal.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    referred_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(30), default="sent", index=True)
    # Optimistic locking: a change names the version it started from.
    version: Mapped[int] = mapped_column(default=1)
    # Signpost-only services, and those with no active editor, have no inbox: the link worker
    # tracks the referral alone, it never expires and it is not counted in responsiveness.
    tracked_by_link_worker: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime | None]
    first_attended_on: Mapped[date | None]
    # What the person agreed to share with the organisation.
    share_name: Mapped[bool] = mapped_column(default=False)
    share_contact: Mapped[bool] = mapped_column(default=False)
    share_need: Mapped[bool] = mapped_column(default=False)
    share_note: Mapped[bool] = mapped_column(default=False)
    shared_note: Mapped[str] = mapped_column(Text, default="")
    consent_recorded_at: Mapped[datetime | None]
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    consent_withdrawn_at: Mapped[datetime | None]
    consent_withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_in_error_at: Mapped[datetime | None]

    person = relationship("Person")
    episode = relationship("Episode")
    goal = relationship("Goal")
    service = relationship("Service")
    referred_by = relationship("AppUser", foreign_keys=[referred_by_id])
    events: Mapped[list["ReferralEvent"]] = relationship(back_populates="referral", order_by="ReferralEvent.id")

    @property
    def consent_active(self) -> bool:
        return self.consent_recorded_at is not None and self.consent_withdrawn_at is None

    def shares(self, field: str) -> bool:
        """Whether the organisation may see this field now ("name", "contact", "need", "note")."""
        return self.consent_active and bool(getattr(self, f"share_{field}"))

    def valid_events(self) -> list["ReferralEvent"]:
        return [e for e in self.events if e.entered_in_error_at is None]

    def __repr__(self) -> str:
        return f"<Referral {self.id} {self.status}>"


class ReferralEvent(db.Model):
    """One change of a referral's state (or one session's attendance), never edited or deleted."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referral.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30), index=True)
    reason: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    note_shared_with_organisation: Mapped[bool] = mapped_column(default=False)
    # When it happened (a session may be recorded days later; never in the future).
    happened_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None for the daily job (expiry).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_in_error_at: Mapped[datetime | None]
    entered_in_error_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    referral: Mapped[Referral] = relationship(back_populates="events")
    recorded_by = relationship("AppUser", foreign_keys=[recorded_by_id])


# SNOMED CT codes this service may send to the GP record: a constant table, never free text.
REFERRED = "871731000000106"
DECLINED = "871711000000103"
CODES = {
    REFERRED: "Referral to social prescribing service",
    DECLINED: "Social prescribing declined",
}


class GpCoding(db.Model):
    __tablename__ = "gp_coding"
    __table_args__ = (UniqueConstraint("episode_id", "code", name="uq_gp_coding_episode_code"),)
    __scope_columns__ = {"pcn": "pcn_id", "practice": "practice_id"}

    id: Mapped[int] = mapped_column(primary_key=True)
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episode.id"), index=True)
    code: Mapped[str] = mapped_column(String(18))
    coded_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    entered_at: Mapped[datetime | None]
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    person = relationship("Person")

    @property
    def term(self) -> str:
        return CODES[self.code]
