"""What the public sends in (problem reports, requests to be listed) and what coordinators do with it."""

import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from prescribing import clock
from prescribing.accounts.services import AccountError, invite_user
from prescribing.audit.services import record_audit
from prescribing.auth.models import AppUser, Role
from prescribing.auth.services import external_url
from prescribing.directory.models import Organization, Service
from prescribing.extensions import db
from prescribing.ids import new_id
from prescribing.listings import spam
from prescribing.listings.models import ListingRequest, ProblemKind, ProblemReport, RequestStatus
from prescribing.listings.queries import active_editors, coordinators_for
from prescribing.listings.revisions import diff, organization_snapshot, record_revision
from prescribing.listings.services import ListingError
from prescribing.mail import send_mail

log = logging.getLogger("prescribing.listings")


class RateLimited(Exception):
    """This address has sent the form too often in the last hour."""


def _guard(purpose: str, address: str | None) -> None:
    if spam.is_rate_limited(purpose, address):
        log.info("public form refused: rate limit purpose=%s", purpose)
        raise RateLimited(purpose)
    spam.count_submission(purpose, address)


# Problem reports ----------------------------------------------------------------------------


def report_problem(
    service: Service, *, kind: str, details: str, address: str | None, honeypot: str | None
) -> ProblemReport | None:
    """Record a problem with a listing and tell its editors and coordinators; None for spam."""
    _guard("report", address)
    if honeypot:
        db.session.commit()  # counts towards the limit; nothing else is kept
        log.info("public form ignored: honeypot filled purpose=report")
        return None
    report = ProblemReport(service_id=service.id, kind=ProblemKind(kind), details=details, created_at=clock.utcnow())
    db.session.add(report)
    db.session.flush()
    record_audit("listing_problem_reported", object_type="problem_report", object_id=report.id)
    db.session.commit()
    log.info("problem reported report=%s service=%s", report.id, service.id)
    recipients = {u.email for u in active_editors(service.organization_id) + coordinators_for(service.organization_id)}
    body = (
        f"Someone has reported a problem with a listing in {current_app.config['SERVICE_NAME']}.\n\n"
        f"What is wrong: {report.kind.label}\n"
        f"What they told us:\n{details or '(nothing more)'}\n\n"
        "Sign in to check the listing, update it and mark the report as dealt with:\n"
        f"{external_url('listings.manage', service_id=service.id)}\n"
    )
    for email in sorted(recipients):
        send_mail(email, "A problem has been reported with a listing", body)
    return report


def open_reports(organization_id: str | None = None) -> list[ProblemReport]:
    """Reports not yet dealt with, oldest first; for one organisation when given."""
    query = (
        select(ProblemReport)
        .join(Service)
        .where(ProblemReport.dealt_with_at.is_(None))
        .options(selectinload(ProblemReport.service).selectinload(Service.organization))
        .order_by(ProblemReport.created_at, ProblemReport.id)
    )
    if organization_id is not None:
        query = query.where(Service.organization_id == organization_id)
    return list(db.session.scalars(query))


def mark_dealt_with(report: ProblemReport, *, user: AppUser) -> None:
    """Close a problem report."""
    if report.dealt_with_at is not None:
        return
    report.dealt_with_at, report.dealt_with_by_id = clock.utcnow(), user.id
    record_audit("listing_problem_dealt_with", user=user, object_type="problem_report", object_id=report.id)
    db.session.commit()
    log.info("problem report dealt with report=%s user=%s", report.id, user.id)


# Requests to be listed ----------------------------------------------------------------------


@dataclass
class RequestDetails:
    organisation_name: str
    contact_name: str
    email: str
    phone: str | None
    offers: str
    area: str
    charity_number: str | None


def ask_to_be_listed(details: RequestDetails, *, address: str | None, honeypot: str | None) -> ListingRequest | None:
    """Queue a new organisation's request for a coordinator; None for spam."""
    _guard("ask", address)
    if honeypot:
        db.session.commit()
        log.info("public form ignored: honeypot filled purpose=ask")
        return None
    request = ListingRequest(
        organisation_name=details.organisation_name,
        contact_name=details.contact_name,
        email=details.email.strip().lower(),
        phone=details.phone,
        offers=details.offers,
        area=details.area,
        charity_number=details.charity_number,
        created_at=clock.utcnow(),
    )
    db.session.add(request)
    db.session.flush()
    record_audit("listing_requested", object_type="listing_request", object_id=request.id)
    db.session.commit()
    log.info("listing requested request=%s", request.id)
    coordinators = db.session.scalars(
        select(AppUser).where(AppUser.role == Role.COORDINATOR, AppUser.active.is_(True)).order_by(AppUser.id)
    )
    for coordinator in coordinators:
        send_mail(
            coordinator.email,
            "A new organisation has asked to be listed",
            "A new organisation has asked to be listed in the directory.\n\n"
            f"Sign in to review the request:\n{external_url('listings.review_request', request_id=request.id)}\n",
        )
    return request


def pending_requests() -> list[ListingRequest]:
    return list(
        db.session.scalars(
            select(ListingRequest)
            .where(ListingRequest.status == RequestStatus.PENDING)
            .order_by(ListingRequest.created_at, ListingRequest.id)
        )
    )


def _refuse_decided(request: ListingRequest) -> None:
    if not request.is_pending:
        raise ListingError("This request has already been decided")


def approve_request(request: ListingRequest, *, coordinator: AppUser) -> Organization:
    """List the organisation and invite the contact to edit it; nothing is saved if the invite cannot be made."""
    _refuse_decided(request)
    taken = db.session.scalar(
        select(Organization).where(func.lower(Organization.name) == request.organisation_name.lower())
    )
    if taken is not None:
        raise ListingError(f"An organisation called {taken.name} is already listed")
    now = clock.utcnow()
    organization = Organization(
        id=new_id(),
        name=request.organisation_name,
        description=request.offers,
        charity_number=request.charity_number,
        created_at=now,
        updated_at=now,
    )
    db.session.add(organization)
    db.session.flush()
    request.status, request.decided_at, request.decided_by_id = RequestStatus.APPROVED, now, coordinator.id
    request.organization_id = organization.id
    changes = {k: v for k, v in diff({}, organization_snapshot(organization)).items() if v[1]}
    record_revision(
        object_type="organization",
        object_id=organization.id,
        service_id=None,
        user=coordinator,
        action="created",
        changes=changes,
        object_version=organization.version,
        at=now,
    )
    record_audit("listing_request_approved", user=coordinator, object_type="listing_request", object_id=request.id)
    try:
        # Commits everything above with the new account, then sends the invitation.
        invite_user(
            coordinator=coordinator,
            email=request.email,
            name=request.contact_name,
            role=Role.ORG_EDITOR,
            organization_id=organization.id,
        )
    except AccountError as error:
        db.session.rollback()
        raise ListingError(f"{error}, so nothing has been approved. Ask them for another address.") from None
    log.info("listing request approved request=%s organization=%s", request.id, organization.id)
    return organization


def reject_request(request: ListingRequest, *, coordinator: AppUser, reason: str) -> None:
    """Turn a request down and e-mail the reason to the person who asked."""
    _refuse_decided(request)
    request.status, request.decided_at, request.decided_by_id = RequestStatus.REJECTED, clock.utcnow(), coordinator.id
    request.reason = reason
    record_audit("listing_request_rejected", user=coordinator, object_type="listing_request", object_id=request.id)
    db.session.commit()
    log.info("listing request rejected request=%s", request.id)
    send_mail(
        request.email,
        f"Your request to be listed in {current_app.config['SERVICE_NAME']}",
        f"Thank you for asking to list {request.organisation_name} in our directory of community support.\n\n"
        "We are not able to list it. The reason we were given:\n\n"
        f"{reason}\n\n"
        "If something changes, you are welcome to ask again.\n",
    )
