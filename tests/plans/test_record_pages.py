"""Every page about a person: it renders, it is audited, and it is out of reach outside the user's scope."""

import re

import pytest
from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.plans import services
from prescribing.plans.models import StepOwner
from tests.conftest import page, post_form, sign_in
from tests.factories import make_practice, make_user
from tests.plans.conftest import make_person


def person_scoped_get_rules(app) -> list[str]:
    """Every GET route of the plans blueprint with a person in its address (new pages join automatically)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("plans.") and "<person_id>" in rule.rule and "GET" in rule.methods
    )


@pytest.fixture
def record(link_worker, practice, person, episode, goal, walking_group):
    step = services.add_step(user=link_worker, goal=goal, owner=StepOwner.PERSON, what="Ring the group", due_on=None)
    duplicate = make_person(link_worker, practice, nhs_number=None)  # same name and date of birth
    return {
        "person_id": person.id,
        "episode_id": episode.id,
        "goal_id": goal.id,
        "step_id": str(step.id),
        "other_id": duplicate.id,
    }


def fill(rule: str, ids: dict) -> str:
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: ids[m.group(1)], rule)


def test_the_audited_page_list_is_what_we_expect(app):
    assert person_scoped_get_rules(app) == [
        "/people/<person_id>",
        "/people/<person_id>/edit",
        "/people/<person_id>/episodes/<episode_id>",
        "/people/<person_id>/episodes/<episode_id>/close",
        "/people/<person_id>/episodes/<episode_id>/goals/new",
        "/people/<person_id>/episodes/<episode_id>/link-worker",
        "/people/<person_id>/episodes/<episode_id>/plan",
        "/people/<person_id>/episodes/new",
        "/people/<person_id>/goals/<goal_id>",
        "/people/<person_id>/goals/<goal_id>/entered-in-error",
        "/people/<person_id>/goals/<goal_id>/matches",
        "/people/<person_id>/merge/<other_id>",
        "/people/<person_id>/plan",
        "/people/<person_id>/plan/print",
        "/people/<person_id>/record",
        "/people/<person_id>/record.json",
    ]


def test_every_page_about_a_person_renders_and_writes_an_audit_entry(app, signed_in, link_worker, record):
    for rule in person_scoped_get_rules(app):
        before = db.session.scalar(select(db.func.count(AuditEvent.id)))
        response = signed_in.get(fill(rule, record))
        assert response.status_code == 200, rule
        if response.mimetype == "text/html":
            assert page(response).h1 is not None, rule
        db.session.expire_all()
        entries = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(before)).all()
        about_person = [e for e in entries if e.object_type == "person" and e.object_id == record["person_id"]]
        assert about_person, f"{rule} wrote no audit entry about the person"
        assert all(e.user_id == link_worker.id and e.pcn_id == link_worker.pcn_id for e in about_person), rule


def test_audit_details_and_addresses_hold_no_personal_data(app, signed_in, person, record):
    for rule in person_scoped_get_rules(app):
        signed_in.get(fill(rule, record))
    details = " ".join(e.detail or "" for e in db.session.scalars(select(AuditEvent)))
    for personal in (person.given_name, person.family_name, person.nhs_number, person.postcode, "1960"):
        assert personal not in details
    for rule in person_scoped_get_rules(app):
        address = fill(rule, record)
        assert person.nhs_number not in address and person.postcode.replace(" ", "") not in address


def test_link_worker_of_another_pcn_gets_404_on_every_page(app, client, record):
    stranger = make_user(Role.LINK_WORKER)
    sign_in(client, stranger)
    for rule in person_scoped_get_rules(app):
        response = client.get(fill(rule, record))
        assert response.status_code == 404, rule
        assert "Alex" not in response.get_data(as_text=True)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.user_id == stranger.id)).all() == []


@pytest.mark.parametrize(
    "path",
    [
        "/people/{person_id}/goals/{goal_id}/steps",
        "/people/{person_id}/goals/{goal_id}/reviews",
        "/people/{person_id}/goals/{goal_id}/refer",
        "/people/{person_id}/goals/{goal_id}/none-suit",
        "/people/{person_id}/merge/{other_id}",
    ],
)
def test_link_worker_of_another_pcn_cannot_change_the_record(client, record, path):
    sign_in(client, make_user(Role.LINK_WORKER))
    assert post_form(client, path.format(**record), {}).status_code == 404


def test_unknown_ids_give_404(signed_in, record):
    assert signed_in.get("/people/not-a-real-id").status_code == 404
    assert signed_in.get(f"/people/{record['person_id']}/goals/not-a-goal").status_code == 404
    assert signed_in.get(f"/people/{record['person_id']}/episodes/not-an-episode").status_code == 404


def test_clinician_reads_own_practices_plan_only(client, practice, record):
    clinician = make_user(Role.CLINICIAN, practice_id=practice.id)
    sign_in(client, clinician)

    response = client.get(f"/people/{record['person_id']}/plan")

    assert response.status_code == 200
    assert page(response).h1.get_text(strip=True) == "Plan and progress"
    assert "Read only" in response.get_data(as_text=True)
    assert client.get(f"/people/{record['person_id']}").status_code == 403
    assert client.get(f"/people/{record['person_id']}/edit").status_code == 403
    listing = client.get("/practice-people")
    assert "Alex Example" in listing.get_data(as_text=True)


def test_clinician_of_another_practice_gets_404(client, practice, record):
    other = make_practice(pcn=practice.pcn)
    sign_in(client, make_user(Role.CLINICIAN, practice_id=other.id))

    assert client.get(f"/people/{record['person_id']}/plan").status_code == 404


@pytest.mark.parametrize("role", [Role.ORG_EDITOR, Role.COORDINATOR, Role.COMMISSIONER])
def test_other_roles_get_403(client, record, role):
    sign_in(client, make_user(role))

    assert client.get(f"/people/{record['person_id']}").status_code == 403
    assert client.get(f"/people/{record['person_id']}/plan").status_code == 403
