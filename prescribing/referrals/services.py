"""Making a referral. The lifecycle after "sent" belongs to the referrals feature."""

import logging

from sqlalchemy import select

from prescribing.audit.services import record_audit
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.plans.models import UnmetNeed
from prescribing.referrals.models import Referral

log = logging.getLogger("prescribing.referrals")


def create_referral(*, person, episode, goal, service, user) -> Referral:
    """Record a referral from a goal to a service as sent, audit it, and commit.

    An unmet need recorded for the goal is marked met, since a referral followed.
    """
    now = utcnow()
    referral = Referral(
        pcn_id=person.pcn_id,
        practice_id=person.practice_id,
        person_id=person.id,
        episode_id=episode.id,
        goal_id=goal.id if goal is not None else None,
        service_id=service.id,
        referred_by_id=user.id,
        created_at=now,
        sent_at=now,
        status="sent",
    )
    db.session.add(referral)
    db.session.flush()
    if goal is not None:
        unmet = db.session.scalar(select(UnmetNeed).where(UnmetNeed.goal_id == goal.id))
        if unmet is not None and unmet.met_at is None:
            unmet.met_at = now
            unmet.met_by_referral_id = referral.id
    record_audit(
        "referral_created",
        user=user,
        object_type="person",
        object_id=person.id,
        detail=f"referral={referral.id} service={service.id}",
        pcn_id=person.pcn_id,
    )
    db.session.commit()
    log.info("referral %s created for service %s", referral.id, service.id)
    return referral
