"""Every filter the ORUK document defines excludes what it should: a filter that is accepted
and ignored is a bug, so each test has a listing the filter must leave out."""

from datetime import datetime, time

import pytest
from sqlalchemy import update

from prescribing.directory.models import (
    ListingRevision,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    Taxonomy,
)
from prescribing.extensions import db
from tests.api.conftest import get_json
from tests.factories import make_organization, make_service, make_term

MORNING = [(1, time(10, 0), time(12, 0))]  # Tuesday
EVENING = [(4, time(18, 30), time(20, 0))]  # Friday


def _ids(client, path: str) -> set[str]:
    body = get_json(client, path)
    if "/service_at_locations" in path:
        return {item["service"]["id"] for item in body["contents"]}
    return {item["id"] for item in body["contents"]}


def _pair(**kinds):
    """Two listings: `kept` and `left_out`, differing as each test needs."""
    return make_service(name="Kept", **kinds.get("kept", {})), make_service(
        name="Left out", **kinds.get("left_out", {})
    )


def _old(service):
    """Last changed long ago: the service, its organisation and its venue."""
    past = datetime(2020, 1, 1)
    db.session.execute(update(Service).where(Service.id == service.id).values(updated_at=past))
    db.session.execute(update(Organization).where(Organization.id == service.organization_id).values(updated_at=past))
    for sal in service.locations_at:
        db.session.execute(update(Location).where(Location.id == sal.location_id).values(updated_at=past))
    db.session.commit()


def _setup(case: str):
    """Build the listings for `case`; return (query, kept, left_out)."""
    if case == "search":
        kept, left_out = _pair(kept={"description": "A community choir for all voices."})
        return "search=choir", kept, left_out
    if case == "taxonomy_term_id":
        term = make_term("singing")
        kept, left_out = _pair(kept={"terms": [term]}, left_out={"terms": [make_term("cooking")]})
        return f"taxonomy_term_id={term.id}", kept, left_out
    if case == "taxonomy_term_id (a parent finds its children)":
        parent = make_term("arts")
        kept, left_out = _pair(kept={"terms": [make_term("painting", parent=parent)]})
        return f"taxonomy_term_id={parent.id}", kept, left_out
    if case == "taxonomy_id":
        ours, theirs = Taxonomy(name="Needs"), Taxonomy(name="Other")
        db.session.add_all([ours, theirs])
        db.session.commit()
        kept, left_out = _pair(
            kept={"terms": [make_term("choir", taxonomy=ours)]},
            left_out={"terms": [make_term("chess", taxonomy=theirs)]},
        )
        return f"taxonomy_id={ours.id}", kept, left_out
    if case == "organization_id":
        organization = make_organization()
        kept, left_out = _pair(kept={"organization": organization})
        return f"organization_id={organization.id}", kept, left_out
    if case == "minimum_age":
        kept, left_out = _pair(kept={"minimum_age": 18}, left_out={"minimum_age": 11})
        return "minimum_age=16", kept, left_out
    if case == "minimum_age (no minimum counts as 0)":
        kept, left_out = _pair(kept={"minimum_age": 50})
        return "minimum_age=50", kept, left_out
    if case == "maximum_age":
        kept, left_out = _pair(kept={"maximum_age": 25}, left_out={"maximum_age": 65})
        return "maximum_age=30", kept, left_out
    if case == "maximum_age (no maximum does not match)":
        kept, left_out = _pair(kept={"maximum_age": 18})
        return "maximum_age=18", kept, left_out
    if case == "day":
        kept, left_out = _pair(kept={"sessions": MORNING}, left_out={"sessions": EVENING})
        return "day=TU", kept, left_out
    if case == "day (by name)":
        kept, left_out = _pair(kept={"sessions": EVENING}, left_out={"sessions": MORNING})
        return "day=friday", kept, left_out
    if case == "start_time":
        kept, left_out = _pair(kept={"sessions": EVENING}, left_out={"sessions": MORNING})
        return "start_time=18:00", kept, left_out
    if case == "end_time":
        kept, left_out = _pair(kept={"sessions": MORNING}, left_out={"sessions": EVENING})
        return "end_time=12:00", kept, left_out
    if case == "day, start_time and end_time meet in one session":
        # The left-out one is on Tuesday in the morning and in the evening on Friday, never Tuesday evening.
        kept, left_out = _pair(
            kept={"sessions": [(1, time(18, 0), time(19, 0))]}, left_out={"sessions": MORNING + EVENING}
        )
        return "day=TU&start_time=17:00&end_time=21:00", kept, left_out
    if case == "modified_after":
        kept, left_out = _pair()
        _old(left_out)
        return "modified_after=2024-01-01T00:00:00Z", kept, left_out
    if case == "modified_after (a changed venue counts)":
        kept, left_out = _pair()
        _old(kept)
        _old(left_out)
        db.session.execute(
            update(Location)
            .where(Location.id == kept.locations_at[0].location_id)
            .values(updated_at=datetime(2025, 6, 1))
        )
        db.session.commit()
        return "modified_after=2024-01-01", kept, left_out
    raise AssertionError(case)


SERVICE_CASES = [
    "search",
    "taxonomy_term_id",
    "taxonomy_term_id (a parent finds its children)",
    "taxonomy_id",
    "organization_id",
    "minimum_age",
    "minimum_age (no minimum counts as 0)",
    "maximum_age",
    "maximum_age (no maximum does not match)",
    "day",
    "day (by name)",
    "start_time",
    "end_time",
    "day, start_time and end_time meet in one session",
    "modified_after",
    "modified_after (a changed venue counts)",
]


@pytest.mark.parametrize("endpoint", ["/services", "/service_at_locations"])
@pytest.mark.parametrize("case", SERVICE_CASES)
def test_filter_leaves_out_what_does_not_match(client, endpoint, case):
    query, kept, left_out = _setup(case)
    assert _ids(client, endpoint) == {kept.id, left_out.id}  # both there without the filter
    assert _ids(client, f"{endpoint}?{query}") == {kept.id}


def test_search_matches_the_organisation_name_and_word_endings(client):
    choir = make_service(name="Sing together", organization=make_organization(name="Sale Choral Society"))
    walks = make_service(name="Led walks", description="Gentle walking.")
    make_service(name="Chess club")
    assert _ids(client, "/services?search=choral") == {choir.id}
    assert _ids(client, "/services?search=walking") == {walks.id}
    assert _ids(client, "/services?search=walk gentle") == {walks.id}


def test_postcode_leaves_out_services_that_serve_other_districts(client):
    everywhere = make_service(name="Everywhere", postcode="M33 2AA")
    here = make_service(name="Sale only", postcode="M33 2AA")
    here.areas.append(ServiceArea(outcode="M33"))
    elsewhere = make_service(name="Stretford only", postcode="M33 2AA")
    elsewhere.areas.append(ServiceArea(outcode="M32"))
    db.session.commit()
    assert _ids(client, "/service_at_locations") == {everywhere.id, here.id, elsewhere.id}
    assert _ids(client, "/service_at_locations?postcode=M33 7XA") == {everywhere.id, here.id}
    assert _ids(client, "/service_at_locations?postcode=m337xa&proximity=5000") == {everywhere.id, here.id}


def test_proximity_leaves_out_what_is_farther(client):
    near = make_service(name="Sale", postcode="M33 2AA")
    far = make_service(name="Oldham", postcode="OL1 1AA")
    assert _ids(client, "/service_at_locations?postcode=M33 7XA") == {near.id, far.id}
    assert _ids(client, "/service_at_locations?postcode=M33 7XA&proximity=8000") == {near.id}
    assert _ids(client, "/service_at_locations?postcode=M33 7XA&proximity=40000") == {near.id, far.id}


def test_postcode_district_alone_is_accepted(client):
    near = make_service(postcode="M33 2AA")
    make_service(postcode="OL1 1AA")
    assert _ids(client, "/service_at_locations?postcode=M33&proximity=5000") == {near.id}


def test_filters_combine(client):
    term = make_term("singing")
    both = make_service(terms=[term], sessions=MORNING)
    make_service(terms=[term], sessions=EVENING)
    make_service(sessions=MORNING)
    assert _ids(client, f"/services?taxonomy_term_id={term.id}&day=TU") == {both.id}


def test_several_terms_match_any_of_them(client):
    a, b = make_term("singing"), make_term("dancing")
    sings, dances = make_service(terms=[a]), make_service(terms=[b])
    make_service(terms=[make_term("chess")])
    assert _ids(client, f"/services?taxonomy_term_id={a.id},{b.id}") == {sings.id, dances.id}


def test_a_schedule_change_alone_is_found_by_modified_after(client):
    service = make_service(sessions=MORNING)
    _old(service)
    assert _ids(client, "/services?modified_after=2024-01-01") == set()
    db.session.add(
        ListingRevision(object_type="schedule", object_id=service.id, service_id=service.id, action="updated")
    )
    db.session.execute(update(Schedule).where(Schedule.service_id == service.id).values(opens_at=time(9, 0)))
    db.session.commit()
    assert _ids(client, "/services?modified_after=2024-01-01") == {service.id}
