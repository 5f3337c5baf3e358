"""Writing and searching the audit log."""

import logging
from datetime import datetime

from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.extensions import db

log = logging.getLogger("prescribing.audit")


def record_audit(
    action: str,
    *,
    user=None,
    object_type: str | None = None,
    object_id: object = None,
    detail: str | None = None,
    pcn_id: int | None = None,
) -> AuditEvent:
    """Add an audit entry to the current transaction; the caller commits.

    `detail` must never hold personal data: ids and short codes only.
    """
    if pcn_id is None and user is not None:
        pcn_id = user.effective_pcn_id
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        pcn_id=pcn_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail,
    )
    db.session.add(event)
    log.info(
        "audit action=%s user=%s object=%s:%s",
        action,
        getattr(user, "id", None),
        object_type,
        object_id,
    )
    return event


def search_audit(
    *,
    pcn_id: int | None,
    user_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    limit: int = 200,
) -> list[AuditEvent]:
    """Newest first, within one PCN's log."""
    query = select(AuditEvent).where(AuditEvent.pcn_id == pcn_id)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    return list(db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))
