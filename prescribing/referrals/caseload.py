"""The referral follow-ups on a link worker's caseload page, and the count against a safe caseload.

Covers people of the link worker's PCN whose support is open (as the caseload's people list does).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from prescribing.extensions import db
from prescribing.plans.models import Episode, Person
from prescribing.referrals.lifecycle import State
from prescribing.referrals.models import Referral

NO_ATTENDANCE_AFTER = timedelta(days=14)
RECENT_UPTAKE = timedelta(days=28)
DEFAULT_SAFE_CASELOAD = 250


@dataclass(frozen=True)
class FollowUps:
    waiting: list[Referral]
    no_attendance: list[Referral]
    did_not_attend: list[Referral]
    recently_started: list[Referral]
    people_this_year: int
    safe_caseload: int

    @property
    def over_safe_caseload(self) -> bool:
        return self.people_this_year > self.safe_caseload


def _open_referrals(user, *conditions) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .join(Episode, Referral.episode_id == Episode.id)
            .join(Person, Referral.person_id == Person.id)
            .where(
                Referral.pcn_id == user.pcn_id,
                Referral.entered_in_error_at.is_(None),
                Episode.closed_on.is_(None),
                Person.died_on.is_(None),
                Person.merged_into_id.is_(None),
                *conditions,
            )
            .options(selectinload(Referral.person), selectinload(Referral.service))
            .order_by(Referral.sent_at)
            .limit(200)
        )
    )


def follow_ups(user, now: datetime, safe_caseload: int = DEFAULT_SAFE_CASELOAD) -> FollowUps:
    today: date = now.date()
    people_this_year = db.session.scalar(
        select(func.count(func.distinct(Episode.person_id))).where(
            Episode.link_worker_id == user.id, Episode.opened_on > today - timedelta(days=365)
        )
    )
    return FollowUps(
        waiting=_open_referrals(user, Referral.status == State.SENT.value),
        no_attendance=_open_referrals(
            user, Referral.status == State.ACCEPTED.value, Referral.answered_at <= now - NO_ATTENDANCE_AFTER
        ),
        did_not_attend=_open_referrals(user, Referral.status == State.DID_NOT_ATTEND.value),
        recently_started=_open_referrals(
            user,
            Referral.first_attended_on.is_not(None),
            Referral.first_attended_on >= today - RECENT_UPTAKE,
        ),
        people_this_year=people_this_year or 0,
        safe_caseload=safe_caseload,
    )
