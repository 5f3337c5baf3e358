"""Contacts with the person, and wellbeing measures taken at the start and at reviews.

Both belong to an episode of support; corrections mark a record entered in error, never delete it.
"""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db


class ContactMode(enum.StrEnum):
    FACE_TO_FACE = "face_to_face"
    PHONE = "phone"
    VIDEO = "video"
    HOME_VISIT = "home_visit"

    @property
    def label(self) -> str:
        return {"face_to_face": "Face to face", "phone": "Phone", "video": "Video", "home_visit": "Home visit"}[
            self.value
        ]


class PersonContact(db.Model):
    __tablename__ = "person_contact"
    __scope_columns__ = {"pcn": "pcn_id"}

    id: Mapped[int] = mapped_column(primary_key=True)
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episode.id"), index=True)
    contact_on: Mapped[date]
    mode: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    @property
    def mode_label(self) -> str:
        return ContactMode(self.mode).label


class WellbeingMeasure(db.Model):
    """One completed questionnaire: the raw item answers, and the raw total for summed scales."""

    __tablename__ = "wellbeing_measure"
    __scope_columns__ = {"pcn": "pcn_id"}

    id: Mapped[int] = mapped_column(primary_key=True)
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episode.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(10), index=True)
    taken_on: Mapped[date]
    items: Mapped[list] = mapped_column(JSON)
    total: Mapped[int | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    episode = relationship("Episode")
