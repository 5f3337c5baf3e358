"""What goes back to the GP record: SNOMED CT codings from a constant table, and the practice's to-do list.

"Referral to social prescribing service" is coded once per episode when the person accepts link
worker support; "Social prescribing declined" when they decline it. Codes come only from CODES,
never free text. Each coding belongs to the person's own practice, and only that practice sees it.
"""

from datetime import date

from sqlalchemy import select

from prescribing.audit.services import record_audit
from prescribing.extensions import db
from prescribing.referrals.models import CODES, DECLINED, REFERRED, GpCoding

__all__ = ["CODES", "DECLINED", "REFERRED", "GpCoding", "add_coding", "codings_for_person", "not_entered"]


class CodingError(ValueError):
    pass


def add_coding(*, episode, code: str, coded_on: date, user) -> GpCoding | None:
    """Add a coding for the episode (once per episode and code). The caller commits."""
    if code not in CODES:
        raise CodingError("Not a SNOMED CT code this service may send")
    existing = db.session.scalar(select(GpCoding).where(GpCoding.episode_id == episode.id, GpCoding.code == code))
    if existing is not None:
        return None
    person = episode.person
    coding = GpCoding(
        pcn_id=person.pcn_id,
        practice_id=person.practice_id,
        person_id=person.id,
        episode_id=episode.id,
        code=code,
        coded_on=coded_on,
    )
    db.session.add(coding)
    db.session.flush()
    record_audit(
        "gp_coding_added",
        user=user,
        object_type="person",
        object_id=person.id,
        detail=f"episode={episode.id} code={code}",
        pcn_id=person.pcn_id,
    )
    return coding


def codings_for_person(person_id: str) -> list[GpCoding]:
    return list(db.session.scalars(select(GpCoding).where(GpCoding.person_id == person_id).order_by(GpCoding.coded_on)))


def not_entered(practice_id: int) -> list[GpCoding]:
    return list(
        db.session.scalars(
            select(GpCoding)
            .where(GpCoding.practice_id == practice_id, GpCoding.entered_at.is_(None))
            .order_by(GpCoding.coded_on, GpCoding.id)
        )
    )


def message_back(episode) -> str:
    """A plain-text summary for the person's own practice at the end of an episode, in the PRSB social
    prescribing standard's three parts: what matters and needs, support offered, and outcomes."""
    from prescribing.outcomes import scoring
    from prescribing.outcomes.models import WellbeingMeasure
    from prescribing.referrals.lifecycle import State
    from prescribing.referrals.models import Referral

    person = episode.person
    practice = person.practice
    plan = episode.plan
    goals = plan.current_goals() if plan else []
    referrals = list(
        db.session.scalars(
            select(Referral)
            .where(Referral.episode_id == episode.id, Referral.entered_in_error_at.is_(None))
            .order_by(Referral.sent_at)
        )
    )
    measures = list(
        db.session.scalars(
            select(WellbeingMeasure)
            .where(WellbeingMeasure.episode_id == episode.id)
            .order_by(WellbeingMeasure.taken_on, WellbeingMeasure.id)
        )
    )
    nhs = person.nhs_number or "not known"
    lines = [
        f"To: {practice.name} ({practice.ods_code})",
        f"Social prescribing summary for {person.name}, NHS number {nhs}",
        f"Link worker support from {episode.opened_on:%d %B %Y}"
        + (f" to {episode.closed_on:%d %B %Y}" if episode.closed_on else " (still open)"),
        "",
        "1. What matters to the person and their needs",
    ]
    if plan and plan.what_matters:
        lines.append(plan.what_matters)
    lines += [f"- {goal.need.name}: {goal.own_words}" for goal in goals] or ["- No goals recorded"]
    lines += ["", "2. Support offered"]
    lines += [f"- Referred to {r.service.name}: {State(r.status).label.lower()}" for r in referrals] or [
        "- No referrals made"
    ]
    attended = [r.service.name for r in referrals if r.first_attended_on is not None]
    lines.append("Groups attended: " + (", ".join(attended) if attended else "none recorded"))
    lines += ["", "3. Outcomes"]
    lines += [f"- {goal.need.name}: {goal.status.label.lower()}" for goal in goals]
    for code, instrument in scoring.INSTRUMENTS.items():
        taken = [m for m in measures if m.instrument == code]
        if len(taken) > 1:
            change = scoring.change(code, taken[0].items, taken[-1].items)
            if change.total_change is not None:
                lines.append(f"- {instrument.name}: {change.first_total} to {change.latest_total} (raw)")
            else:
                parts = ", ".join(
                    f"{name} {a} to {b}"
                    for name, a, b in zip(scoring.ONS4_SHORT, change.first, change.latest, strict=True)
                )
                lines.append(f"- {instrument.name}: {parts}")
    if episode.closed_reason:
        lines.append(f"Support ended: {episode.closed_reason.label.lower()}")
    codings = [c for c in codings_for_person(person.id) if c.episode_id == episode.id]
    if codings:
        lines += ["", "For the GP record (SNOMED CT):"]
        lines += [f"- {c.code} {c.term} ({c.coded_on:%d %B %Y})" for c in codings]
    return "\n".join(lines) + "\n"
