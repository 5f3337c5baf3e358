"""Signposting: matching for a GP without a plan, printing and sharing a community prescription,
anonymous counts, and requests to the link worker team. Each function owns its transaction.

Nothing about the patient is stored by plain signposting: the audit detail, the counts and the
shared prescription hold term ids, service ids, postcode districts and numbers only.
"""

import dataclasses
import logging
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from prescribing import geography
from prescribing.audit.services import record_audit
from prescribing.clock import utcnow
from prescribing.directory.models import Service, TaxonomyTerm
from prescribing.extensions import db
from prescribing.matching import GoalQuery, Match, MatchResult, Profile, match_goal
from prescribing.plans import people, presenters
from prescribing.plans import services as plan_services
from prescribing.plans.models import EpisodeSource, Person
from prescribing.practices.models import Practice
from prescribing.signposting.models import (
    SHARE_FOR,
    CommunityPrescription,
    LinkWorkerRequest,
    RequestStatus,
    SignpostingCount,
    Urgency,
)

log = logging.getLogger("prescribing.signposting")

# Groups shown (and printed) per need.
PER_NEED = 5


class SignpostingError(ValueError):
    """Something that cannot be done; the message says why, in words for the page."""


@dataclass(frozen=True)
class Filters:
    free_only: bool = False
    step_free: bool = False
    miles: float | None = None


@dataclass
class NeedResult:
    need: TaxonomyTerm
    result: MatchResult
    shown: list[Match]


def top_level_needs() -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.parent_id.is_(None)).order_by(TaxonomyTerm.name))
    )


def apply_filters(profile: Profile, filters: Filters) -> Profile:
    """The GP's ticks narrow what the profile already says; they never widen it."""
    changes = {}
    if filters.free_only:
        changes["max_cost"] = 0.0
    if filters.step_free:
        changes["access_needs"] = profile.access_needs | {"step_free"}
    if filters.miles:
        changes["travel_miles"] = filters.miles
    return dataclasses.replace(profile, **changes)


def profile_from_postcode(postcode: str | None, filters: Filters, geocoder: geography.Geocoder) -> Profile:
    """A profile with no person behind it: a place, and the GP's filters. No age, no free times."""
    place = geocoder.geocode(postcode) if postcode else None
    profile = Profile(
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        precise=bool(place and place.precision == "postcode"),
        outcode=geography.outcode_of(postcode) if postcode else None,
    )
    return apply_filters(profile, filters)


def profile_from_person(person: Person, filters: Filters, today: date) -> Profile:
    """The same profile link workers match with (plans' profile_for), narrowed by the GP's ticks."""
    return apply_filters(people.profile_for(person, today), filters)


def match_needs(profile: Profile, need_ids: list[str], *, now=None) -> list[NeedResult]:
    """The link workers' engine, once per need, with no goal wording: best groups first."""
    terms = {t.id: t for t in db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(need_ids)))}
    results = []
    for need_id in need_ids:
        if need_id not in terms:
            continue
        result = match_goal(db.session, profile, GoalQuery(need_id, ""), now=now)
        shown = (result.at_free_times + result.at_other_times)[:PER_NEED]
        results.append(NeedResult(terms[need_id], result, shown))
    return results


def record_signposting(*, user, results: list[NeedResult], outcode: str | None, person: Person | None) -> None:
    """Count the search per need and district (nothing found within reach counts as unmet need), audit, commit."""
    today = utcnow().date()
    district = (outcode or "")[:4]
    for found in results:
        _count(today, found.need.id, district, unmet=found.result.nothing_fits)
    detail = f"needs={len(results)} unmet={sum(1 for r in results if r.result.nothing_fits)}"
    if person is not None:
        plan_services.audit_person(user, person, "person_signposted", detail)
    else:
        record_audit("signposting_searched", user=user, object_type="signposting", detail=detail)
    db.session.commit()
    log.info("signposting by user %s: %s", user.id, detail)


def _count(day: date, need_id: str, outcode: str, *, unmet: bool) -> None:
    where = (
        SignpostingCount.day == day,
        SignpostingCount.need_term_id == need_id,
        SignpostingCount.outcode == outcode,
    )
    found = db.session.scalar(select(SignpostingCount.id).where(*where))
    if found is None:
        try:
            with db.session.begin_nested():  # another search may add the same row at the same moment
                db.session.add(SignpostingCount(day=day, need_term_id=need_id, outcode=outcode, searches=0, unmet=0))
        except IntegrityError:
            pass
    db.session.execute(
        update(SignpostingCount)
        .where(*where)
        .values(searches=SignpostingCount.searches + 1, unmet=SignpostingCount.unmet + (1 if unmet else 0))
    )


@dataclass(frozen=True)
class CountRow:
    need_term_id: str
    outcode: str
    searches: int
    unmet: int


def signposting_counts(start: date, end: date) -> list[CountRow]:
    """For reports: signposting searches and unmet need per need and postcode district, from `start`
    to `end` inclusive. Anonymous: the table holds nothing else. Small numbers are the report's to suppress."""
    rows = db.session.execute(
        select(
            SignpostingCount.need_term_id,
            SignpostingCount.outcode,
            func.sum(SignpostingCount.searches),
            func.sum(SignpostingCount.unmet),
        )
        .where(SignpostingCount.day >= start, SignpostingCount.day <= end)
        .group_by(SignpostingCount.need_term_id, SignpostingCount.outcode)
        .order_by(SignpostingCount.need_term_id, SignpostingCount.outcode)
    ).all()
    return [CountRow(need, outcode, int(searches), int(unmet)) for need, outcode, searches, unmet in rows]


# Community prescriptions -----------------------------------------------------------------------------

# What a group does, shortened to fit a printed page.
WHAT_LENGTH = 200


@dataclass(frozen=True)
class PrintedGroup(presenters.ServiceSummary):
    what: str = ""


def _shorten(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= WHAT_LENGTH:
        return text
    return text[: WHAT_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def printed_groups(service_ids: list[str]) -> dict[str, PrintedGroup]:
    """Where, when, cost, how to join and contact (as on a person's plan), and what the group does."""
    summaries = presenters.summaries(service_ids)
    descriptions = dict(
        db.session.execute(select(Service.id, Service.description).where(Service.id.in_(service_ids))).all()
    )
    return {
        sid: PrintedGroup(**dataclasses.asdict(summary), what=_shorten(descriptions.get(sid, "")))
        for sid, summary in summaries.items()
    }


def create_prescription(*, user, chosen: list[tuple[str, list[str]]]) -> CommunityPrescription:
    """Keep what was printed (needs and service ids only) behind a random token, for 30 days."""
    need_ids = {n for n, _ in chosen}
    service_ids = {s for _, ids in chosen for s in ids}
    known_needs = set(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(need_ids))))
    known_services = set(db.session.scalars(select(Service.id).where(Service.id.in_(service_ids))))
    needs = [
        {"need": need, "services": [s for s in ids if s in known_services][:PER_NEED]}
        for need, ids in chosen
        if need in known_needs
    ]
    if not needs:
        raise SignpostingError("Choose at least one need")
    if user.practice_id is None:
        raise SignpostingError("Your account is not linked to a GP practice")
    now = utcnow()
    prescription = CommunityPrescription(
        token=secrets.token_urlsafe(24),
        practice_id=user.practice_id,
        needs=needs,
        created_at=now,
        expires_at=now + SHARE_FOR,
    )
    db.session.add(prescription)
    db.session.flush()
    record_audit(
        "community_prescription_created",
        user=user,
        object_type="community_prescription",
        object_id=prescription.id,
        detail=f"needs={len(needs)}",
    )
    db.session.commit()
    log.info("community prescription %s created by user %s", prescription.id, user.id)
    return prescription


def prescription_by_token(token: str) -> CommunityPrescription | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(CommunityPrescription).where(CommunityPrescription.token == token))


# Requests to the link worker team --------------------------------------------------------------------


def create_request(*, user, data: dict) -> LinkWorkerRequest:
    """A clinician asks their PCN's link worker team to support someone; the person must have agreed."""
    if not data.get("agreed_to_contact"):
        raise SignpostingError("Confirm the person has agreed to be contacted by the link worker team")
    practice = db.session.get(Practice, user.practice_id)
    if practice is None:
        raise SignpostingError("Your account is not linked to a GP practice")
    request = LinkWorkerRequest(
        pcn_id=practice.pcn_id,
        practice_id=practice.id,
        requested_by_id=user.id,
        given_name=data["given_name"].strip(),
        family_name=data["family_name"].strip(),
        date_of_birth=data["date_of_birth"],
        nhs_number=data["nhs_number"],
        phone=(data.get("phone") or "").strip() or None,
        email=(data.get("email") or "").strip() or None,
        reason=data["reason"].strip(),
        urgency=Urgency(data["urgency"]),
        agreed_to_contact=True,
        status=RequestStatus.WAITING,
    )
    db.session.add(request)
    db.session.flush()
    record_audit(
        "link_worker_request_created",
        user=user,
        object_type="link_worker_request",
        object_id=request.id,
        detail=f"urgency={request.urgency.value}",
        pcn_id=request.pcn_id,
    )
    db.session.commit()
    log.info("link worker request %s created by user %s", request.id, user.id)
    return request


def requests_for_practice(user) -> list[LinkWorkerRequest]:
    return list(
        db.session.scalars(
            select(LinkWorkerRequest)
            .where(LinkWorkerRequest.practice_id == user.practice_id)
            .order_by(LinkWorkerRequest.created_at.desc())
            .limit(50)
        )
    )


URGENCY_ORDER = {Urgency.URGENT: 0, Urgency.SOON: 1, Urgency.ROUTINE: 2}


def inbox(user) -> tuple[list[LinkWorkerRequest], list[LinkWorkerRequest]]:
    """Waiting requests for the link worker's PCN (most urgent, then oldest, first) and the latest decided."""
    found = db.session.scalars(
        select(LinkWorkerRequest).where(LinkWorkerRequest.pcn_id == user.pcn_id).order_by(LinkWorkerRequest.created_at)
    ).all()
    waiting = sorted(
        (r for r in found if r.status == RequestStatus.WAITING), key=lambda r: (URGENCY_ORDER[r.urgency], r.created_at)
    )
    decided = sorted((r for r in found if r.status != RequestStatus.WAITING), key=lambda r: r.decided_at, reverse=True)
    record_audit("link_worker_inbox_viewed", user=user, object_type="link_worker_request", pcn_id=user.pcn_id)
    db.session.commit()
    return waiting, decided[:20]


def record_request_view(user, request: LinkWorkerRequest) -> None:
    record_audit(
        "link_worker_request_viewed",
        user=user,
        object_type="link_worker_request",
        object_id=request.id,
        pcn_id=request.pcn_id,
    )
    db.session.commit()


def duplicates_for(request: LinkWorkerRequest) -> list[people.PossibleDuplicate]:
    return people.possible_duplicates(
        pcn_id=request.pcn_id,
        nhs=request.nhs_number,
        given_name=request.given_name,
        family_name=request.family_name,
        date_of_birth=request.date_of_birth,
    )


def accept_request(
    *, user, request: LinkWorkerRequest, person_id: str | None, geocoder: geography.Geocoder | None = None
) -> Person:
    """Take the person into the link worker's caseload: link to a possible duplicate they chose, or
    record a new person; open an episode (source: a clinician's request) unless one is open already."""
    if request.status != RequestStatus.WAITING:
        raise SignpostingError("This request has already been answered")
    if person_id:
        matches = {d.person.id: d.person for d in duplicates_for(request)}
        person = matches.get(person_id)
        if person is None:
            raise SignpostingError("Choose one of the records shown, or record a new person")
    else:
        data = {
            "given_name": request.given_name,
            "family_name": request.family_name,
            "date_of_birth": request.date_of_birth,
            "nhs_number": request.nhs_number,
            "practice_id": request.practice_id,
            "phone": request.phone,
            "email": request.email,
        }
        try:
            person = people.create_person(user=user, data=data, geocoder=geocoder)
        except ValueError as error:
            raise SignpostingError("This person's practice is not in your primary care network") from error
    episode = person.open_episode()
    if episode is None:
        try:
            episode = plan_services.open_episode(
                user=user,
                person=person,
                source=EpisodeSource.CLINICIAN_REQUEST,
                opened_on=utcnow().date(),
                link_worker_id=user.id,
            )
        except plan_services.PlanError as error:
            raise SignpostingError(str(error)) from error
    request.status = RequestStatus.ACCEPTED
    request.decided_at, request.decided_by_id = utcnow(), user.id
    request.person_id, request.episode_id = person.id, episode.id
    record_audit(
        "link_worker_request_accepted",
        user=user,
        object_type="link_worker_request",
        object_id=request.id,
        detail=f"person={person.id} episode={episode.id} linked={'yes' if person_id else 'no'}",
        pcn_id=request.pcn_id,
    )
    db.session.commit()
    log.info("link worker request %s accepted by user %s", request.id, user.id)
    return person


def decline_request(*, user, request: LinkWorkerRequest, reason: str) -> None:
    """Record why the team will not take the person on; the clinician sees it on their page."""
    if request.status != RequestStatus.WAITING:
        raise SignpostingError("This request has already been answered")
    request.status = RequestStatus.DECLINED
    request.decided_at, request.decided_by_id = utcnow(), user.id
    request.declined_reason = reason.strip()
    record_audit(
        "link_worker_request_declined",
        user=user,
        object_type="link_worker_request",
        object_id=request.id,
        pcn_id=request.pcn_id,
    )
    db.session.commit()
    log.info("link worker request %s declined by user %s", request.id, user.id)
