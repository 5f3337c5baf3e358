"""Who looks after a listing, and which listings need confirming."""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from prescribing import clock
from prescribing.auth.models import AppUser, Role
from prescribing.directory.models import STALE_AFTER, ListingStatus, Service
from prescribing.extensions import db

# Editors are reminded from 150 days; a listing is stale at 180 (STALE_AFTER).
DUE_AFTER = timedelta(days=150)


# Who may do what --------------------------------------------------------------------------


def can_edit(user: AppUser, organization_id: str) -> bool:
    """Coordinators moderate every listing; an organisation editor only their own organisation's."""
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.ORG_EDITOR and user.organization_id == organization_id


def active_editors(organization_id: str) -> list[AppUser]:
    return list(
        db.session.scalars(
            select(AppUser)
            .where(
                AppUser.role == Role.ORG_EDITOR,
                AppUser.organization_id == organization_id,
                AppUser.active.is_(True),
            )
            .order_by(AppUser.id)
        )
    )


def coordinators_for(organization_id: str) -> list[AppUser]:
    """Coordinators of the PCNs whose editors look after this organisation; all coordinators if none do."""
    pcn_ids = select(AppUser.pcn_id).where(AppUser.organization_id == organization_id, AppUser.pcn_id.is_not(None))
    query = select(AppUser).where(AppUser.role == Role.COORDINATOR, AppUser.active.is_(True))
    found = list(db.session.scalars(query.where(AppUser.pcn_id.in_(pcn_ids)).order_by(AppUser.id)))
    return found or list(db.session.scalars(query.order_by(AppUser.id)))


# Freshness ------------------------------------------------------------------------------------


def _unarchived():
    return Service.status != ListingStatus.ARCHIVED


def _confirmed_before(moment: datetime):
    return or_(Service.last_verified_at.is_(None), Service.last_verified_at < moment)


def stale_services(limit: int = 200) -> tuple[list[Service], int]:
    """Listings unconfirmed for 180 days, longest first, and how many there are in all."""
    cutoff = clock.utcnow() - STALE_AFTER
    where = (_unarchived(), _confirmed_before(cutoff))
    total = db.session.scalar(select(func.count()).select_from(Service).where(*where))
    services = db.session.scalars(
        select(Service)
        .where(*where)
        .order_by(Service.last_verified_at.is_(None).desc(), Service.last_verified_at, Service.name)
        .limit(limit)
    )
    return list(services), total


def services_due_for_confirmation(organization_id: str) -> list[Service]:
    """An organisation's listings that are stale or will be within 30 days."""
    cutoff = clock.utcnow() - DUE_AFTER
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.organization_id == organization_id, _unarchived(), _confirmed_before(cutoff))
            .order_by(Service.last_verified_at.is_(None).desc(), Service.last_verified_at, Service.name)
        )
    )


def services_of(organization_id: str) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.organization_id == organization_id)
            .order_by((Service.status == ListingStatus.ARCHIVED), Service.name)
        )
    )
