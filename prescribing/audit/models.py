"""The audit log: who did what to which record, and when. Append-only."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    # Scope of the event, so a coordinator sees their own PCN's log only.
    pcn_id: Mapped[int | None] = mapped_column(ForeignKey("pcn.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    # Never personal data: ids and short codes only.
    detail: Mapped[str | None] = mapped_column(String(300))

    user = relationship("AppUser", foreign_keys=[user_id])
