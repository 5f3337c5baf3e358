"""How often people referred to a service went: counted from referrals that have an outcome.

Referrals still waiting for an answer say nothing yet, so only outcomes count. Until the
referrals feature records attendance there are none, and every service gets the even prior.
"""

from collections import defaultdict

from sqlalchemy import select

from prescribing.matching.candidates import rows_for_ids
from prescribing.referrals.models import Referral

WENT = frozenset({"attended", "completed"})
DID_NOT_GO = frozenset({"did_not_attend", "declined_by_person"})
LAST = 10


def history(session, service_ids: list[str]) -> dict[str, tuple[int, int]]:
    """{service id: (went, outcomes)} over each service's last 10 referrals with an outcome."""
    if not service_ids:
        return {}
    outcomes: dict[str, list[bool]] = defaultdict(list)
    # Most services have no outcomes yet: ask once whether any exist before looking per service.
    if session.scalar(select(Referral.id).where(Referral.status.in_(WENT | DID_NOT_GO)).limit(1)) is None:
        return {}
    rows = sorted(
        rows_for_ids(
            session, (Referral.service_id, Referral.status, Referral.sent_at), Referral.service_id, service_ids
        ),
        key=lambda row: row[2],
        reverse=True,
    )
    for service_id, status, _ in rows:
        if status in WENT | DID_NOT_GO and len(outcomes[service_id]) < LAST:
            outcomes[service_id].append(status in WENT)
    return {service_id: (sum(went), len(went)) for service_id, went in outcomes.items()}
