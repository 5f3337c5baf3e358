"""The plan the person holds, and the subject-access export."""

from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.extensions import db
from prescribing.plans import services
from prescribing.plans.models import StepOwner
from tests.conftest import page, post_form


def test_printable_plan_has_goals_steps_chosen_groups_contact_and_urgent_help(
    signed_in, link_worker, person, goal, walking_group
):
    person.pcn.link_worker_team_phone = "0161 496 0000"
    db.session.commit()
    services.add_step(user=link_worker, goal=goal, owner=StepOwner.PERSON, what="Buy walking boots", due_on=None)
    post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/refer", {"service_id": walking_group.id})

    html = page(signed_in.get(f"/people/{person.id}/plan/print"))
    text = html.select_one(".app-held-plan").get_text(" ", strip=True)

    assert html.h1.get_text(strip=True) == "My plan: Alex Example"
    assert "Getting out more." in text and "Loves dogs." in text
    assert goal.own_words in text
    assert "I will: Buy walking boots" in text
    assert "Sale Canal Walkers" in text and "Tuesday 10:00 to 12:00" in text
    assert "How to join: Just turn up at the library steps." in text
    assert link_worker.name in text and "0161 496 0000" in text
    for urgent in ("NHS 111", "999", "Samaritans on 116 123"):
        assert urgent in text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan_printed")) is not None


def test_printable_plan_holds_nothing_clinical(signed_in, person, goal):
    text = page(signed_in.get(f"/people/{person.id}/plan/print")).select_one(".app-held-plan").get_text()

    assert "943" not in text and person.nhs_number not in text and "999 000" not in text
    assert "1960" not in text  # date of birth
    assert goal.need.name not in text  # the need code is for the record, not the person's sheet
    assert "NHS number" not in text


def test_printable_plan_uses_the_print_stylesheet(signed_in, person, goal):
    html = page(signed_in.get(f"/people/{person.id}/plan/print"))

    assert html.select_one("link[href$='css/app.css']") is not None
    assert html.select_one(".app-no-print") is not None
    with open("static/css/app.css", encoding="utf-8") as css:
        assert ".app-held-plan" in css.read().split("@media print")[-1]


def test_subject_access_export_holds_everything_and_is_audited(signed_in, link_worker, person, goal):
    services.review_goal(user=link_worker, goal=goal, score=4, note="Walked twice", reviewed_on=goal.agreed_on)

    html = page(signed_in.get(f"/people/{person.id}/record"))
    data = signed_in.get(f"/people/{person.id}/record.json")

    text = html.get_text(" ", strip=True)
    assert html.h1.get_text(strip=True) == "Everything we hold"
    for held in ("Alex", "Example", "9990000018", "M33 7AB", "Getting out more.", goal.own_words, "Walked twice"):
        assert held in text
    assert data.mimetype == "application/json"
    assert data.headers["Content-Disposition"] == f'attachment; filename="record-{person.id}.json"'
    record = data.get_json()
    assert record["person"]["nhs_number"] == "9990000018"
    assert record["episodes"][0]["plan"]["goals"][0]["reviews"][0]["score"] == 4
    assert any(entry["action"] == "person created" for entry in record["record_access"])
    formats = [e.detail for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "record_exported"))]
    assert sorted(formats) == ["format=html", "format=json"]
