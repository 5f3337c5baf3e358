"""Referrals from a goal to a service.

Only the record that a referral was made lives here for now; its lifecycle (answers,
attendance, expiry, what the person agreed to share) belongs to the referrals feature.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.ids import new_id


class Referral(db.Model):
    __tablename__ = "referral"
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

    person = relationship("Person")
    episode = relationship("Episode")
    goal = relationship("Goal")
    service = relationship("Service")
    referred_by = relationship("AppUser")

    def __repr__(self) -> str:
        return f"<Referral {self.id} {self.status}>"
