"""How responsive an organisation is, and the anonymous results it may show its funders.

Computed only from referrals the organisation answers itself (not link-worker-tracked ones, not
entered in error). Nothing is shown until there are at least 5 answered referrals, and any count
below 5 in the results is shown as "fewer than 5" so no one person can be picked out.
"""

import math
import statistics
from dataclasses import dataclass

from sqlalchemy import select

from prescribing.directory.models import Service
from prescribing.outcomes import scoring
from prescribing.outcomes.models import WellbeingMeasure
from prescribing.referrals.lifecycle import State
from prescribing.referrals.models import Referral, ReferralEvent

ENOUGH = 5


@dataclass(frozen=True)
class Responsiveness:
    answered: int
    usual_days: int
    accepted_percent: int

    def lines(self) -> list[str]:
        days = "day" if self.usual_days == 1 else "days"
        return [f"Usually replies within {self.usual_days} {days}", f"{self.accepted_percent}% of referrals accepted"]


def _answered(session, organization_id: str):
    return session.execute(
        select(Referral.id, Referral.sent_at, Referral.answered_at)
        .join(Service, Referral.service_id == Service.id)
        .where(
            Service.organization_id == organization_id,
            Referral.tracked_by_link_worker.is_(False),
            Referral.entered_in_error_at.is_(None),
            Referral.answered_at.is_not(None),
        )
    ).all()


def responsiveness(session, organization_id: str) -> Responsiveness | None:
    """None until at least 5 referrals have been answered."""
    rows = _answered(session, organization_id)
    if len(rows) < ENOUGH:
        return None
    days = statistics.median((answered.date() - sent.date()).days for _, sent, answered in rows)
    ids = [row[0] for row in rows]
    accepted = set(
        session.scalars(
            select(ReferralEvent.referral_id).where(
                ReferralEvent.referral_id.in_(ids),
                ReferralEvent.to_state == State.ACCEPTED.value,
                ReferralEvent.entered_in_error_at.is_(None),
            )
        )
    )
    return Responsiveness(len(rows), max(1, math.ceil(days)), round(100 * len(accepted) / len(rows)))


def shown(count: int) -> str:
    return "fewer than 5" if count < ENOUGH else str(count)


@dataclass(frozen=True)
class Results:
    received: str
    came: str
    stayed: str
    wellbeing: list[tuple[str, str]]


def results(session, organization_id: str) -> Results:
    """Counts only: referrals received, people who came, people who stayed (came more than once or
    finished after coming), and the average change in wellbeing of people who came, per measure."""
    referrals = session.execute(
        select(Referral.id, Referral.person_id, Referral.episode_id, Referral.status, Referral.first_attended_on)
        .join(Service, Referral.service_id == Service.id)
        .where(
            Service.organization_id == organization_id,
            Referral.tracked_by_link_worker.is_(False),
            Referral.entered_in_error_at.is_(None),
        )
    ).all()
    came = [r for r in referrals if r.first_attended_on is not None]
    stayed = [r for r in came if r.status in (State.ATTENDING.value, State.FINISHED.value)]
    episodes = {r.episode_id for r in came}
    wellbeing = []
    if episodes:
        measures = session.scalars(
            select(WellbeingMeasure)
            .where(WellbeingMeasure.episode_id.in_(episodes))
            .order_by(WellbeingMeasure.taken_on, WellbeingMeasure.id)
        ).all()
        for code, instrument in scoring.INSTRUMENTS.items():
            if not instrument.summed:
                continue
            by_episode: dict[str, list[WellbeingMeasure]] = {}
            for m in measures:
                if m.instrument == code:
                    by_episode.setdefault(m.episode_id, []).append(m)
            changes = [ms[-1].total - ms[0].total for ms in by_episode.values() if len(ms) > 1]
            if len(changes) >= ENOUGH:
                wellbeing.append((instrument.name, f"{statistics.mean(changes):+.1f} (from {len(changes)} people)"))
            elif changes:
                wellbeing.append((instrument.name, "fewer than 5 people measured twice"))
    return Results(
        shown(len(referrals)),
        shown(len({r.person_id for r in came})),
        shown(len({r.person_id for r in stayed})),
        wellbeing,
    )
