"""Reminding organisations to confirm their listings, from the daily job.

A listing counts from its last confirmation (or from when it was added, if never
confirmed). At 150, 180 and 210 days its organisation's active editors get one e-mail; each
reminder is recorded, so running the job again the same day sends nothing new, and a
confirmation starts the count again. The e-mail holds no personal data: only a link.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from prescribing import clock
from prescribing.directory.models import ListingStatus, Service
from prescribing.extensions import db
from prescribing.listings.models import ListingReminder
from prescribing.listings.queries import active_editors
from prescribing.mail import send_mail

log = logging.getLogger("prescribing.listings")
THRESHOLDS = (150, 180, 210)


def _basis(service: Service) -> datetime:
    return service.last_verified_at or service.created_at


def send_listing_reminders() -> str:
    """E-mail editors whose listings reached 150, 180 or 210 days unconfirmed (each reminder once)."""
    now = clock.utcnow()
    basis = func.coalesce(Service.last_verified_at, Service.created_at)
    due = list(
        db.session.scalars(
            select(Service)
            .where(Service.status != ListingStatus.ARCHIVED, basis <= now - timedelta(days=min(THRESHOLDS)))
            .order_by(Service.organization_id, Service.id)
        )
    )
    already = {
        (r.service_id, r.days, r.basis_at)
        for r in db.session.scalars(select(ListingReminder).where(ListingReminder.service_id.in_([s.id for s in due])))
    }
    by_organization: dict[str, list[tuple[Service, list[int]]]] = {}
    for service in due:
        age = (now - _basis(service)).days
        new = [days for days in THRESHOLDS if age >= days and (service.id, days, _basis(service)) not in already]
        if new:
            by_organization.setdefault(service.organization_id, []).append((service, new))
    sent = listings = unreachable = 0
    for organization_id, items in by_organization.items():
        editors = active_editors(organization_id)
        if not editors:
            # Nobody to tell: the coordinators' stale-listings page shows these; try again tomorrow.
            unreachable += len(items)
            continue
        try:
            _send(editors, stage=min(min(days) for _, days in items), count=len(items))
        except OSError:
            log.exception("listing reminders not sent organization=%s; will retry tomorrow", organization_id)
            continue
        for service, days in items:
            for threshold in days:
                db.session.add(
                    ListingReminder(service_id=service.id, days=threshold, basis_at=_basis(service), sent_at=now)
                )
        db.session.commit()
        sent += len(editors)
        listings += len(items)
    log.info("listing reminders sent=%d listings=%d unreachable=%d", sent, listings, unreachable)
    result = f"{sent} reminder e-mails sent about {listings} listings"
    if unreachable:
        result += f"; {unreachable} listings have no active editor"
    return result


def _link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail sent from the CLI, where there is no request to build it from."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _send(editors, *, stage: int, count: int) -> None:
    service_name = current_app.config["SERVICE_NAME"]
    if count == 1:
        opening = f"One of your organisation's listings in {service_name} has not been confirmed as accurate"
    else:
        opening = f"{count} of your organisation's listings in {service_name} have not been confirmed as accurate"
    body = (
        f"{opening} for {stage} days or more.\n\n"
        "Link workers and GPs use the directory to send people to community groups, so it matters that "
        "what it says is right. Listings not confirmed for 180 days are marked as possibly out of date "
        "and shown lower in search results.\n\n"
        "Sign in to check your listings and confirm they are still accurate. It takes one click for each:\n"
        f"{_link('listings.my_organisation')}\n"
    )
    for editor in editors:
        send_mail(editor.email, "Please confirm your listings are still accurate", body)
