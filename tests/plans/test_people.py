"""Recording people: NHS numbers, possible duplicates, required and oversized fields, postcodes."""

from datetime import date

import pytest
from sqlalchemy import func, select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.plans import services
from prescribing.plans.models import Episode, Person
from prescribing.plans.people import NhsNumberError, format_nhs_number, normalise_nhs_number
from tests.conftest import page, post_form
from tests.factories import make_practice, make_user
from tests.plans.conftest import NHS_NUMBERS, make_person


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("9434765919", "9434765919"),
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        (" 9990000018 ", "9990000018"),
        ("", None),
    ],
)
def test_valid_nhs_numbers_are_stored_as_ten_digits(raw, stored):
    assert normalise_nhs_number(raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9434765918", "Enter a real NHS number"),  # wrong check digit
        ("9990000019", "Enter a real NHS number"),
        ("1234567890", "Enter a real NHS number"),
        ("943476591", "NHS number must be 10 digits"),
        ("94347659190", "NHS number must be 10 digits"),
        ("943476591X", "NHS number must be 10 digits"),
    ],
)
def test_invalid_nhs_numbers_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(NhsNumberError, match=message):
        normalise_nhs_number(raw)


def test_nhs_numbers_are_shown_in_three_groups():
    assert format_nhs_number("9434765919") == "943 476 5919"


def person_form(practice, **overrides) -> dict:
    return {
        "given_name": "Sam",
        "family_name": "Sample",
        "date_of_birth[day]": "3",
        "date_of_birth[month]": "4",
        "date_of_birth[year]": "1955",
        "nhs_number": "999 000 0026",
        "practice_id": str(practice.id),
        "postcode": "m33 7ab",
        "contact_preference": "phone",
        "language": "English",
        "access_needs": ["step_free"],
        "free_slots": ["1-morning", "3-afternoon"],
        "travel_miles": "2",
        "max_cost": "0",
        "sex": "not_stated",
        "ethnic_category": "Z",
        **overrides,
    }


def people_count() -> int:
    return db.session.scalar(select(func.count(Person.id)))


def test_link_worker_records_a_person(signed_in, link_worker, practice):
    response = post_form(signed_in, "/people/new", person_form(practice))

    assert response.status_code == 302
    person = db.session.scalar(select(Person))
    assert response.headers["Location"].endswith(f"/people/{person.id}")
    assert person.pcn_id == link_worker.pcn_id
    assert person.nhs_number == "9990000026"
    assert person.postcode == "M33 7AB"
    assert person.geo_precision == "postcode" and person.latitude is not None
    assert person.date_of_birth == date(1955, 4, 3)
    assert person.access_needs == ["step_free"] and person.free_slots == ["1-morning", "3-afternoon"]
    assert person.travel_miles == 2.0 and person.max_cost == 0.0
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_created"))
    assert created.object_type == "person" and created.object_id == person.id and created.detail is None


def test_name_and_nhs_number_are_enough_to_save(signed_in, practice):
    minimal = {"given_name": "Pat", "family_name": "Minimal", "nhs_number": "9990000034", "practice_id": practice.id}

    assert post_form(signed_in, "/people/new", minimal).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_name": ""}, "Enter their first name"),
        ({"family_name": "x" * 101}, "Last name must be 100 characters or fewer"),
        ({"nhs_number": "9434765918"}, "Enter a real NHS number"),
        ({"nhs_number": "12345"}, "NHS number must be 10 digits"),
        ({"practice_id": ""}, "Select their GP practice"),
        ({"postcode": "M33 ABC"}, "Enter a real postcode, like LS6 1AA"),
        ({"postcode": "x" * 11}, "Postcode must be 10 characters or fewer"),
        ({"postcode": "BT1 1AA"}, "Enter a postcode in England, Scotland or Wales"),
        ({"date_of_birth[day]": "31", "date_of_birth[month]": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth[year]": "2999"}, "Date of birth must be today or in the past"),
        (
            {"nhs_number": "", "date_of_birth[day]": "", "date_of_birth[month]": "", "date_of_birth[year]": ""},
            "Enter a date of birth or an NHS number",
        ),
        ({"free_slots": ["9-night"]}, "not a valid choice"),
        ({"phone": "1" * 41}, "Phone number must be 40 characters or fewer"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
    ],
)
def test_bad_person_details_are_refused_and_nothing_is_saved(signed_in, practice, overrides, message):
    response = post_form(signed_in, "/people/new", person_form(practice, **overrides))

    assert response.status_code == 400
    summary = page(response).select_one(".nhsuk-error-summary")
    assert summary is not None and message.lower() in summary.get_text().lower()
    assert page(response).title.get_text().startswith("Error: ")
    assert people_count() == 0


def test_practice_of_another_pcn_is_refused(signed_in, practice):
    elsewhere = make_practice()

    response = post_form(signed_in, "/people/new", person_form(practice, practice_id=str(elsewhere.id)))

    assert response.status_code == 400
    assert people_count() == 0


def test_same_nhs_number_is_flagged_before_saving(signed_in, link_worker, practice):
    existing = make_person(link_worker, practice, nhs_number=NHS_NUMBERS[1], given_name="Someone", family_name="Else")

    response = post_form(signed_in, "/people/new", person_form(practice, nhs_number=NHS_NUMBERS[1]))

    assert response.status_code == 200
    warning = page(response).select_one(".app-duplicates")
    assert "This might be someone already recorded" in warning.get_text()
    assert "same NHS number" in warning.get_text()
    assert warning.find("a")["href"].endswith(f"/people/{existing.id}")
    assert people_count() == 1
    listed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_listed"))
    assert listed.object_id == existing.id


def test_same_name_and_date_of_birth_is_flagged_before_saving(signed_in, link_worker, practice):
    make_person(link_worker, practice, given_name="SAM", family_name="sample", date_of_birth=date(1955, 4, 3))

    response = post_form(signed_in, "/people/new", person_form(practice, nhs_number=""))

    assert "same name and date of birth" in page(response).select_one(".app-duplicates").get_text()
    assert people_count() == 1


def test_confirming_a_different_person_saves(signed_in, link_worker, practice):
    make_person(link_worker, practice, nhs_number=NHS_NUMBERS[1])

    response = post_form(signed_in, "/people/new", person_form(practice, nhs_number=NHS_NUMBERS[1], confirm_new="yes"))

    assert response.status_code == 302
    assert people_count() == 2


def test_someone_in_another_pcn_is_not_a_duplicate(signed_in, practice):
    other_practice = make_practice()
    other = make_user(Role.LINK_WORKER, pcn_id=other_practice.pcn_id)
    make_person(other, other_practice, nhs_number=NHS_NUMBERS[1])

    response = post_form(signed_in, "/people/new", person_form(practice, nhs_number=NHS_NUMBERS[1]))

    assert response.status_code == 302


def test_changing_details_audits_which_fields_changed_not_their_values(signed_in, person):
    data = person_form(person.practice, given_name="Alex", family_name="Example", postcode="M33 6GS")

    response = post_form(signed_in, f"/people/{person.id}/edit", data)

    assert response.status_code == 302
    db.session.refresh(person)
    assert person.postcode == "M33 6GS"
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_updated"))
    assert "postcode" in entry.detail and "M33" not in entry.detail


def test_editing_with_bad_input_changes_nothing(signed_in, person):
    response = post_form(signed_in, f"/people/{person.id}/edit", person_form(person.practice, given_name=""))

    assert response.status_code == 400
    db.session.refresh(person)
    assert person.given_name == "Alex"


def test_postcode_and_nhs_number_never_go_in_an_address(signed_in, practice):
    form = page(signed_in.get("/people/new")).select_one("main form")
    assert form["method"].lower() == "post"
    find = page(signed_in.get("/caseload")).select_one("form[action$='/people/find']")
    assert find["method"].lower() == "post"


def test_finding_a_person_by_nhs_number_or_name(signed_in, person):
    by_number = post_form(signed_in, "/people/find", {"query": "999 000 0018"})
    by_name = post_form(signed_in, "/people/find", {"query": "exam"})
    nobody = post_form(signed_in, "/people/find", {"query": "Nobody"})

    assert "Alex Example" in by_number.get_data(as_text=True)
    assert "Alex Example" in by_name.get_data(as_text=True)
    assert "0 people found" in nobody.get_data(as_text=True)
    assert post_form(signed_in, "/people/find", {"query": ""}).status_code == 400


def test_merging_a_duplicate_moves_its_history_and_keeps_the_record(signed_in, link_worker, practice, person, goal):
    duplicate = make_person(link_worker, practice, nhs_number=None, phone="07700 900000")
    person_page = page(signed_in.get(f"/people/{person.id}"))
    link = person_page.select_one(".app-duplicates a")
    assert link["href"].endswith(f"/people/{person.id}/merge/{duplicate.id}")
    old = services.open_episode(
        user=link_worker,
        person=duplicate,
        source=services.EpisodeSource.SELF,
        opened_on=date(2025, 1, 1),
        link_worker_id=link_worker.id,
    )
    services.close_episode(
        user=link_worker, episode=old, reason=services.ClosedReason.LOST_CONTACT, closed_on=date(2025, 6, 1)
    )

    response = post_form(signed_in, link["href"])

    assert response.status_code == 302
    db.session.expire_all()
    merged = db.session.get(Person, duplicate.id)
    kept = db.session.get(Person, person.id)
    assert merged.merged_into_id == person.id and merged.merged_at is not None
    assert {e.person_id for e in db.session.scalars(select(Episode))} == {person.id}
    assert kept.phone == "07700 900000"  # filled from the duplicate, where the kept record had nothing
    actions = {(e.action, e.object_id) for e in db.session.scalars(select(AuditEvent))}
    assert ("person_merged", person.id) in actions and ("person_merged_into", duplicate.id) in actions
    merged_page = page(signed_in.get(f"/people/{duplicate.id}"))
    assert merged_page.h1.get_text(strip=True) == "This record was merged"
    assert signed_in.get(f"/people/{duplicate.id}/edit").status_code == 404
    record = signed_in.get(f"/people/{person.id}/record.json").get_json()
    assert record["merged_duplicate_records"][0]["id"] == duplicate.id
    assert "This might be the same person" not in signed_in.get(f"/people/{person.id}").get_data(as_text=True)


def test_records_with_different_nhs_numbers_are_not_merged(signed_in, link_worker, practice, person):
    other = make_person(link_worker, practice, nhs_number=NHS_NUMBERS[3])

    response = post_form(signed_in, f"/people/{person.id}/merge/{other.id}")

    assert response.status_code == 400
    assert "different NHS numbers" in page(response).select_one(".nhsuk-error-summary").get_text()
    assert db.session.get(Person, other.id).merged_into_id is None


def test_two_open_episodes_must_not_be_merged(signed_in, link_worker, practice, person, episode):
    other = make_person(link_worker, practice, nhs_number=None)
    services.open_episode(
        user=link_worker,
        person=other,
        source=services.EpisodeSource.GP,
        opened_on=date(2026, 2, 1),
        link_worker_id=link_worker.id,
    )

    response = post_form(signed_in, f"/people/{person.id}/merge/{other.id}")

    assert response.status_code == 400
    assert "Both records have open support" in response.get_data(as_text=True)
