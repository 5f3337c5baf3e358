"""The link worker records contacts and wellbeing measures; the person's page shows change."""

from datetime import date

import pytest
from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.outcomes.models import PersonContact, WellbeingMeasure
from prescribing.outcomes.scoring import SWEMWBS_COPYRIGHT
from tests.conftest import page, post_form, sign_in
from tests.factories import make_user


@pytest.fixture
def as_link_worker(client, link_worker, episode):
    sign_in(client, link_worker)
    return client


def dated(field: str, day: date) -> dict:
    return {f"{field}[day]": day.day, f"{field}[month]": day.month, f"{field}[year]": day.year}


def errors(response) -> list[str]:
    summary = page(response).select_one(".nhsuk-error-summary")
    return [li.get_text(strip=True) for li in summary.select("li")] if summary else []


def test_a_contact_is_recorded_and_shown_on_the_persons_page(as_link_worker, person):
    data = {"mode": "home_visit", "minutes": "45", "note": "Met at home", **dated("contact_on", date(2026, 2, 3))}
    response = post_form(as_link_worker, f"/people/{person.id}/contacts/new", data)
    assert response.status_code == 302
    contact = db.session.scalar(select(PersonContact))
    assert (contact.mode, contact.minutes, contact.contact_on) == ("home_visit", 45, date(2026, 2, 3))
    html = as_link_worker.get(f"/people/{person.id}").get_data(as_text=True)
    assert "home visit, 45 minutes" in html and "Met at home" in html
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contact_recorded"))
    assert audit.object_type == "person" and audit.object_id == person.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mode": "phone", "minutes": "10"}, "Enter the date of the contact"),
        ({"mode": "carrier_pigeon", "minutes": "10", **dated("contact_on", date(2026, 1, 1))}, "Not a valid choice."),
        (
            {"mode": "phone", "minutes": "0", **dated("contact_on", date(2026, 1, 1))},
            "How long must be between 1 and 600 minutes",
        ),
        ({"mode": "phone", **dated("contact_on", date(2026, 1, 1))}, "Enter how long the contact took, in minutes"),
        (
            {"mode": "phone", "minutes": "5", "note": "x" * 2001, **dated("contact_on", date(2026, 1, 1))},
            "Note must be 2000 characters or fewer",
        ),
    ],
)
def test_a_bad_contact_is_refused_and_nothing_saved(as_link_worker, person, data, message):
    response = post_form(as_link_worker, f"/people/{person.id}/contacts/new", data)
    assert response.status_code == 400
    assert message in errors(response)
    assert db.session.scalar(select(PersonContact)) is None


def measure(client, person, code, items, day):
    data = {**dated("taken_on", day), **{f"item_{n}": str(v) for n, v in enumerate(items, start=1)}}
    return post_form(client, f"/people/{person.id}/measures/{code}/new", data)


def test_measures_show_ons_bands_and_change_from_first_to_latest(as_link_worker, person):
    assert measure(as_link_worker, person, "ons4", [3, 4, 5, 8], date(2026, 1, 10)).status_code == 302
    assert measure(as_link_worker, person, "ons4", [7, 6, 9, 1], date(2026, 3, 10)).status_code == 302
    assert measure(as_link_worker, person, "ucla3", [3, 3, 2], date(2026, 1, 10)).status_code == 302
    assert measure(as_link_worker, person, "ucla3", [2, 1, 1], date(2026, 3, 10)).status_code == 302
    assert measure(as_link_worker, person, "swemwbs", [2] * 7, date(2026, 1, 10)).status_code == 302
    assert measure(as_link_worker, person, "swemwbs", [3, 3, 3, 3, 3, 3, 4], date(2026, 3, 10)).status_code == 302
    html = page(as_link_worker.get(f"/people/{person.id}"))
    ons = html.select_one("#measure-ons4").get_text(" ", strip=True)
    assert "Life satisfaction: 7 (high), change since 10 January 2026: +4" in ons
    assert "Anxiety: 1 (very low), change since 10 January 2026: -7" in ons
    assert "Latest score 4" in html.select_one("#measure-ucla3").get_text(" ", strip=True)
    assert "change -4" in html.select_one("#measure-ucla3").get_text(" ", strip=True)
    swemwbs = html.select_one("#measure-swemwbs").get_text(" ", strip=True)
    assert "Latest score 22" in swemwbs and "first 14" in swemwbs and "change +8 (raw score)" in swemwbs
    assert db.session.scalar(select(WellbeingMeasure).where(WellbeingMeasure.instrument == "swemwbs")).total == 14


def test_the_swemwbs_form_carries_its_copyright_line(as_link_worker, person):
    assert SWEMWBS_COPYRIGHT in as_link_worker.get(f"/people/{person.id}/measures/swemwbs/new").get_data(as_text=True)
    assert SWEMWBS_COPYRIGHT not in as_link_worker.get(f"/people/{person.id}/measures/ons4/new").get_data(as_text=True)


@pytest.mark.parametrize(
    ("code", "items", "message"),
    [
        ("ons4", [3, 4, 11, 8], "Question 3 must be a whole number between 0 and 10"),
        ("ucla3", [3, 0, 2], "Question 2 must be a whole number between 1 and 3"),
        ("swemwbs", [2, 2, 2, 2, 2, 2, 6], "Question 7 must be a whole number between 1 and 5"),
        ("swemwbs", [2, 2, 2, 2, 2, 2, "lots"], "Not a valid integer value."),
    ],
)
def test_answers_out_of_range_are_refused_and_nothing_saved(as_link_worker, person, code, items, message):
    response = measure(as_link_worker, person, code, items, date(2026, 1, 10))
    assert response.status_code == 400
    assert message in errors(response)
    assert db.session.scalar(select(WellbeingMeasure)) is None


def test_an_unknown_measure_is_not_found(as_link_worker, person):
    assert as_link_worker.get(f"/people/{person.id}/measures/phq9/new").status_code == 404


@pytest.mark.parametrize("role", [Role.ORG_EDITOR, Role.CLINICIAN])
def test_other_roles_cannot_record_contacts_or_measures(client, role, person):
    sign_in(client, make_user(role))
    assert client.get(f"/people/{person.id}/contacts/new").status_code == 403
    assert client.get(f"/people/{person.id}/measures/ons4/new").status_code == 403


def test_another_pcns_person_is_not_found(client, person, episode):
    sign_in(client, make_user(Role.LINK_WORKER))
    assert client.get(f"/people/{person.id}/contacts/new").status_code == 404
