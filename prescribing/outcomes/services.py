"""Recording contacts and wellbeing measures (each audited and committed), and the person's summary."""

import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from prescribing.audit.services import record_audit
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.outcomes import scoring
from prescribing.outcomes.models import ContactMode, PersonContact, WellbeingMeasure

log = logging.getLogger("prescribing.outcomes")


class OutcomeError(ValueError):
    pass


def _open_episode(person):
    episode = person.open_episode()
    if episode is None or person.has_died:
        raise OutcomeError("Open an episode of support first")
    return episode


def _audit(user, person, action: str, detail: str) -> None:
    record_audit(action, user=user, object_type="person", object_id=person.id, detail=detail, pcn_id=person.pcn_id)


def record_contact(*, user, person, contact_on: date, mode: str, minutes: int, note: str) -> PersonContact:
    episode = _open_episode(person)
    if contact_on > utcnow().date():
        raise OutcomeError("The date of the contact must be today or in the past")
    if mode not in set(ContactMode):
        raise OutcomeError("Select how you were in contact")
    contact = PersonContact(
        pcn_id=person.pcn_id,
        person_id=person.id,
        episode_id=episode.id,
        contact_on=contact_on,
        mode=mode,
        minutes=minutes,
        note=(note or "").strip(),
        recorded_by_id=user.id,
    )
    db.session.add(contact)
    db.session.flush()
    _audit(user, person, "contact_recorded", f"contact={contact.id} mode={mode}")
    db.session.commit()
    log.info("contact %s recorded", contact.id)
    return contact


def record_measure(*, user, person, instrument: str, taken_on: date, items: list[int]) -> WellbeingMeasure:
    episode = _open_episode(person)
    if taken_on > utcnow().date():
        raise OutcomeError("The date must be today or in the past")
    try:
        checked = scoring.validate(instrument, items)
    except scoring.MeasureError as error:
        raise OutcomeError(str(error)) from error
    measure = WellbeingMeasure(
        pcn_id=person.pcn_id,
        person_id=person.id,
        episode_id=episode.id,
        instrument=instrument,
        taken_on=taken_on,
        items=checked,
        total=scoring.total(instrument, checked),
        recorded_by_id=user.id,
    )
    db.session.add(measure)
    db.session.flush()
    _audit(user, person, "measure_recorded", f"measure={measure.id} instrument={instrument}")
    db.session.commit()
    log.info("wellbeing measure %s recorded", measure.id)
    return measure


@dataclass(frozen=True)
class MeasureSummary:
    instrument: scoring.Instrument
    taken: list[WellbeingMeasure]
    change: scoring.Change | None

    @property
    def latest(self) -> WellbeingMeasure:
        return self.taken[-1]

    def latest_bands(self) -> list[tuple[str, int, str]]:
        """ONS4 only: (item, answer, ONS band) for the latest answers."""
        return [
            (scoring.ONS4_SHORT[n], value, scoring.ons4_band(n, value)) for n, value in enumerate(self.latest.items)
        ]


def conversion_table() -> dict[int, float] | None:
    path = current_app.config.get("SWEMWBS_CONVERSION_TABLE")
    return scoring.load_conversion_table(path) if path else None


def summary_for(person) -> dict:
    contacts = list(
        db.session.scalars(
            select(PersonContact)
            .where(PersonContact.person_id == person.id)
            .order_by(PersonContact.contact_on.desc(), PersonContact.id.desc())
            .limit(10)
        )
    )
    measures = list(
        db.session.scalars(
            select(WellbeingMeasure)
            .where(WellbeingMeasure.person_id == person.id)
            .order_by(WellbeingMeasure.taken_on, WellbeingMeasure.id)
        )
    )
    table = None
    summaries = []
    for code, instrument in scoring.INSTRUMENTS.items():
        taken = [m for m in measures if m.instrument == code]
        if not taken:
            continue
        change = None
        if len(taken) > 1:
            if code == scoring.SWEMWBS.code and table is None:
                table = conversion_table()
            change = scoring.change(code, taken[0].items, taken[-1].items, table)
        summaries.append(MeasureSummary(instrument, taken, change))
    return {"contacts": contacts, "measures": summaries, "instruments": scoring.INSTRUMENTS}
