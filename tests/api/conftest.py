"""Helpers for the open API tests: a richly filled listing, and schema checks."""

from datetime import time

import pytest
from sqlalchemy import select

from prescribing.api import schemas
from prescribing.directory.models import Contact, Schedule, ServiceArea, ServiceLanguage, Taxonomy, TaxonomyTerm
from prescribing.extensions import db
from tests.factories import make_organization, make_service, make_term

API = "/api/v1"


def assert_valid(schema_name: str, data) -> None:
    """`data` validates against the shipped ORUK schema (formats checked strictly)."""
    assert schemas.problems(schema_name, data, strict=True) == []


def assert_valid_page(item_schema: str, body: dict) -> None:
    for key, kind in {
        "total_items": int,
        "total_pages": int,
        "page_number": int,
        "size": int,
        "first_page": bool,
        "last_page": bool,
        "empty": bool,
        "contents": list,
    }.items():
        assert isinstance(body[key], kind), key
    for item in body["contents"]:
        assert_valid(item_schema, item)


def get_json(client, path: str, status: int = 200):
    response = client.get(API + path)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def make_full_service(**overrides):
    """A listing with one of everything the API publishes."""
    walking = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "walking"))
    if walking is None:
        taxonomy = Taxonomy(name="Social prescribing needs", description="Needs.", version="1.0")
        db.session.add(taxonomy)
        parent = make_term("physical-activity", taxonomy=taxonomy, description="Moving more.")
        walking = make_term("walking", parent=parent, taxonomy=taxonomy, description="Walks.")
    organization = make_organization(
        email="hello@walkers.example.org", url="https://walkers.example.org", charity_number="1234567"
    )
    service = make_service(
        organization=organization,
        postcode="M33 7XA",
        terms=[walking],
        sessions=[(1, time(10, 0), time(12, 0))],
        cost=2.5,
        location={"city": "Sale", "step_free": True, "hearing_loop": True},
        **{
            "name": "Sale Striders walking group",
            "email": "striders@walkers.example.org",
            "phone": "0161 496 0123",
            "url": "walkers.example.org/striders",
            "minimum_age": 18,
            "maximum_age": 99,
            "eligibility_description": "Adults who can walk a mile.",
            "how_to_join": "Just turn up.",
            **overrides,
        },
    )
    service.schedules.append(Schedule(byday_index=3, opens_at=time(18, 30), closes_at=time(20, 0), week_of_month=1))
    service.languages.append(ServiceLanguage(name="Urdu"))
    service.areas.append(ServiceArea(outcode="M33"))
    service.contacts.append(Contact(name="Walk leader", email="leader@walkers.example.org", phone="0161 496 0456"))
    db.session.commit()
    return service


@pytest.fixture
def full_service():
    return make_full_service()
