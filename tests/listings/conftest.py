"""Fixtures for listing upkeep: an organisation with an editor and a listing, a coordinator, a movable clock."""

from datetime import datetime, time, timedelta

import pytest

from prescribing import clock
from prescribing.auth.models import Role
from tests.factories import make_organization, make_service, make_term, make_user

NOW = datetime(2026, 3, 2, 9, 0)


@pytest.fixture(autouse=True)
def now(monkeypatch):
    """Fix the clock at NOW (for code that reads `clock.utcnow()`); returns a function that moves it on by days."""
    current = {"at": NOW}
    monkeypatch.setattr(clock, "utcnow", lambda: current["at"])

    def move(days: float = 0) -> datetime:
        current["at"] = current["at"] + timedelta(days=days)
        return current["at"]

    move.at = lambda: current["at"]
    return move


@pytest.fixture
def needs():
    walking = make_term("walking")
    return {"walking": walking, "art": make_term("art"), "gardening": make_term("gardening")}


@pytest.fixture
def org():
    return make_organization(name="Sale Walkers")


@pytest.fixture
def editor(org):
    return make_user(Role.ORG_EDITOR, organization=org, name="Erin Editor")


@pytest.fixture
def coordinator():
    return make_user(Role.COORDINATOR, name="Cara Coordinator")


@pytest.fixture
def service(org, needs):
    return make_service(
        organization=org,
        name="Walk and talk",
        terms=[needs["walking"]],
        sessions=[(1, time(10, 0), time(11, 30))],
        last_verified_at=NOW - timedelta(days=10),
    )


def service_form_data(service, **overrides) -> dict:
    """What the edit form posts when nothing is changed, plus `overrides`."""
    data = {
        "version": str(service.version),
        "name": service.name,
        "description": service.description,
        "status": service.status.value,
        "delivery": ["venue"],
        "referral_routes": ["self", "link_worker"],
        "how_to_join": "",
        "accepting": service.accepting.value,
        "capacity_note": "",
        "cost": "free",
        "cost_amount": "",
        "cost_description": "",
        "minimum_age": "",
        "maximum_age": "",
        "eligibility": "",
        "languages": "",
        "service_area": "",
        "needs": [term.id for term in service.terms],
        "email": "",
        "phone": "",
        "url": "",
    }
    data.update(overrides)
    return data
