"""How often people referred to a service went: counted from referrals that have an outcome.

Referrals still waiting for an answer say nothing yet, so only outcomes count: a recorded first
session (the referrals lifecycle's uptake) counts as went; did-not-attend, or finishing without
ever attending, as did not go. With no outcomes, every service gets the even prior.
"""

from collections import defaultdict

from sqlalchemy import select

from prescribing.matching.candidates import rows_for_ids
from prescribing.referrals.models import Referral

WENT = frozenset({"attended", "completed", "first_attended", "attending"})
DID_NOT_GO = frozenset({"did_not_attend", "declined_by_person"})
# Finished after going (first_attended_on set) counts as went; finished without going, as did not go.
FINISHED = "finished"
OUTCOMES = WENT | DID_NOT_GO | {FINISHED}
LAST = 10


def history(session, service_ids: list[str]) -> dict[str, tuple[int, int]]:
    """{service id: (went, outcomes)} over each service's last 10 referrals with an outcome."""
    if not service_ids:
        return {}
    outcomes: dict[str, list[bool]] = defaultdict(list)
    # Most services have no outcomes yet: ask once whether any exist before looking per service.
    if session.scalar(select(Referral.id).where(Referral.status.in_(OUTCOMES)).limit(1)) is None:
        return {}
    rows = sorted(
        rows_for_ids(
            session,
            (Referral.service_id, Referral.status, Referral.sent_at, Referral.first_attended_on),
            Referral.service_id,
            service_ids,
        ),
        key=lambda row: row[2],
        reverse=True,
    )
    for service_id, status, _, first_attended_on in rows:
        if status in OUTCOMES and len(outcomes[service_id]) < LAST:
            outcomes[service_id].append(status in WENT or first_attended_on is not None)
    return {service_id: (sum(went), len(went)) for service_id, went in outcomes.items()}
