"""How listings' freshness and history read on the page."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from prescribing import clock
from prescribing.directory.models import STALE_AFTER, ListingRevision, Location, Service
from prescribing.extensions import db
from prescribing.filters import format_date, format_datetime
from prescribing.listings.fields import ORGANIZATION_LABELS, SERVICE_LABELS, VENUE_LABELS
from prescribing.listings.queries import DUE_AFTER

ACTION_LABELS = {
    "created": "Listed",
    "updated": "Changed",
    "confirmed": "Confirmed as accurate",
    "archived": "Archived",
    "imported": "Imported",
    "reimported": "Imported again",
    "venue_added": "Venue added",
    "venue_removed": "Venue removed",
}
DATE_FIELDS = {"last_verified_at", "archived_at"}


@dataclass(frozen=True)
class Freshness:
    """Whether a listing needs confirming: `fresh`, `due` (within 30 days of stale) or `stale`."""

    state: str
    days: int | None  # since last confirmed; None when never confirmed

    @property
    def tag(self) -> tuple[str, str] | None:
        """(text, NHS tag colour) for the page, or None when nothing needs saying."""
        return {
            "stale": ("Out of date", "red"),
            "due": ("Confirm soon", "yellow"),
        }.get(self.state)


def freshness(service: Service, now: datetime | None = None) -> Freshness:
    now = now or clock.utcnow()
    if service.last_verified_at is None:
        return Freshness("stale", None)
    age = now - service.last_verified_at
    state = "stale" if service.is_stale(now) else ("due" if age >= DUE_AFTER else "fresh")
    return Freshness(state, age.days)


def days_until_stale(service: Service, now: datetime | None = None) -> int:
    now = now or clock.utcnow()
    if service.last_verified_at is None:
        return 0
    return max(0, (service.last_verified_at + STALE_AFTER - now).days)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str


def display_value(key: str, value: object) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if key.split(".")[-1] in DATE_FIELDS and isinstance(value, str):
        try:
            return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    if key == "status":
        return {"active": "Running", "inactive": "Not running at the moment", "archived": "Archived"}.get(
            str(value), str(value)
        )
    if key == "accepting":
        return {"yes": "Yes", "no": "No", "waiting_list": "Waiting list"}.get(str(value), str(value))
    return str(value)


def _venue_names(changes_list: list[dict]) -> dict[str, str]:
    ids = {key.split(".")[1] for changes in changes_list for key in changes if key.startswith("venues.")}
    if not ids:
        return {}
    return dict(db.session.execute(select(Location.id, Location.name).where(Location.id.in_(ids))).all())


def change_lines(changes: dict, object_type: str = "service", venue_names: dict | None = None) -> list[ChangeLine]:
    """Readable lines for a revision's {field: [old, new]}."""
    venue_names = venue_names if venue_names is not None else _venue_names([changes])
    labels = ORGANIZATION_LABELS if object_type == "organization" else SERVICE_LABELS
    lines = []
    for key, (old, new) in changes.items():
        if key.startswith("venues."):
            _, location_id, field = key.split(".", 2)
            label = f"Venue ‘{venue_names.get(location_id, 'removed venue')}’: {VENUE_LABELS.get(field, field)}"
        else:
            label = labels.get(key, key.replace("_", " ").capitalize())
        lines.append(ChangeLine(label, display_value(key, old), display_value(key, new)))
    return lines


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    action: str
    lines: list[ChangeLine]


def history(revisions: list[ListingRevision]) -> list[HistoryEntry]:
    names = _venue_names([r.changes or {} for r in revisions])
    return [
        HistoryEntry(
            at=r.at,
            who=r.user.name if r.user else "An import",
            action=ACTION_LABELS.get(r.action, r.action.replace("_", " ").capitalize()),
            lines=change_lines(r.changes or {}, r.object_type, names),
        )
        for r in revisions
    ]


def last_confirmed(service: Service) -> str:
    return format_date(service.last_verified_at) if service.last_verified_at else "Never"
