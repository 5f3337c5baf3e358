"""Requests to the link worker team: a short form with the person's agreement, the PCN team's inbox,
accepting (new or linked record, an episode opened) or declining, and the clinician seeing the answer."""

import pytest
from sqlalchemy import func, select

from prescribing import geography
from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.plans import people
from prescribing.plans.models import Episode, EpisodeSource, Person
from prescribing.signposting.models import LinkWorkerRequest, RequestStatus
from tests.conftest import page, post_form, sign_in
from tests.factories import make_practice, make_user
from tests.signposting.conftest import NHS_NUMBERS

GOOD = {
    "given_name": "Pat",
    "family_name": "Jones",
    "date_of_birth[day]": "3",
    "date_of_birth[month]": "4",
    "date_of_birth[year]": "1948",
    "nhs_number": "999 000 0018",
    "phone": "07700 900123",
    "reason": "Lonely since their wife died; would like to get out more.",
    "urgency": "soon",
    "agreed_to_contact": "y",
}


def send(client, **changes):
    data = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    return post_form(client, "/signposting/requests/new", data)


@pytest.fixture
def sent(gp):
    response = send(gp)
    assert response.status_code == 302
    return db.session.scalar(select(LinkWorkerRequest))


def fresh(request: LinkWorkerRequest) -> LinkWorkerRequest:
    """The request as the database now holds it (the pages changed it in their own session)."""
    db.session.expire_all()
    return db.session.get(LinkWorkerRequest, request.id)


def as_user(client, user):
    sign_in(client, user)
    return client


def test_a_clinician_sends_a_request_to_their_pcns_team(gp, sent, practice, clinician):
    assert (sent.pcn_id, sent.practice_id, sent.requested_by_id) == (practice.pcn_id, practice.id, clinician.id)
    assert sent.nhs_number == NHS_NUMBERS[0] and sent.urgency.value == "soon" and sent.agreed_to_contact
    assert sent.status == RequestStatus.WAITING
    html = page(gp.get(f"/signposting/requests/{sent.id}"))
    assert "Waiting for the link worker team" in html.select_one(".app-request-answer").get_text()
    assert "Pat Jones" in page(gp.get("/signposting")).select_one(".app-requests").get_text()
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link_worker_request_created"))
    assert entry.object_id == sent.id and entry.detail == "urgency=soon"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nhs_number": "999 000 0019"}, "Enter a real NHS number"),
        ({"nhs_number": "12345"}, "NHS number must be 10 digits"),
        ({"nhs_number": ""}, "Enter their NHS number"),
        ({"agreed_to_contact": None}, "Confirm they have agreed to be contacted by the link worker team"),
        ({"given_name": ""}, "Enter their first name"),
        (
            {"date_of_birth[day]": "", "date_of_birth[month]": "", "date_of_birth[year]": ""},
            "Enter their date of birth",
        ),
        ({"date_of_birth[day]": "31", "date_of_birth[month]": "2"}, "Date of birth must be a real date"),
        ({"phone": ""}, "Enter a phone number or email address"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"reason": ""}, "Enter why link worker support would help"),
        ({"reason": "x" * 2001}, "The reason must be 2000 characters or fewer"),
        ({"urgency": "tomorrow"}, "Not a valid choice"),
    ],
)
def test_the_form_rejects_bad_input_and_saves_nothing(gp, changes, message):
    response = send(gp, **changes)

    assert response.status_code == 400
    assert message in page(response).select_one(".nhsuk-error-summary").get_text()
    assert db.session.scalar(select(func.count()).select_from(LinkWorkerRequest)) == 0


def test_the_inbox_shows_requests_of_the_pcn_only(client, sent, link_worker):
    as_user(client, link_worker)
    html = page(client.get("/signposting/inbox"))
    assert "Pat Jones" in html.select_one(".app-inbox").get_text()
    nav = [a.get_text(strip=True) for a in html.select("header nav a, .nhsuk-header__navigation a")]
    assert "Requests from GPs" in nav

    other = make_user(Role.LINK_WORKER)
    as_user(client, other)
    assert "Pat Jones" not in client.get("/signposting/inbox").get_data(as_text=True)
    assert client.get(f"/signposting/inbox/{sent.id}").status_code == 404
    assert post_form(client, f"/signposting/inbox/{sent.id}/accept", {"person_id": ""}).status_code == 404
    assert post_form(client, f"/signposting/inbox/{sent.id}/decline", {"reason": "No"}).status_code == 404
    assert fresh(sent).status == RequestStatus.WAITING


def test_a_clinician_of_another_pcn_or_practice_cannot_see_it(client, sent, pcn):
    for practice in (make_practice(), make_practice(pcn)):
        as_user(client, make_user(Role.CLINICIAN, practice_id=practice.id))
        assert client.get(f"/signposting/requests/{sent.id}").status_code == 404
        assert "Pat Jones" not in client.get("/signposting").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "url", "method"),
    [
        (Role.LINK_WORKER, "/signposting/requests/new", "get"),
        (Role.COORDINATOR, "/signposting/requests/new", "get"),
        (Role.CLINICIAN, "/signposting/inbox", "get"),
        (Role.ORG_EDITOR, "/signposting/inbox", "get"),
        (Role.CLINICIAN, "/signposting/inbox/{id}", "get"),
        (Role.CLINICIAN, "/signposting/inbox/{id}/accept", "post"),
        (Role.LINK_WORKER, "/signposting/requests/{id}", "get"),
    ],
)
def test_wrong_roles_are_refused(client, sent, role, url, method):
    as_user(client, make_user(role))
    url = url.format(id=sent.id)
    response = client.get(url) if method == "get" else post_form(client, url, {"person_id": ""})
    assert response.status_code == 403


def test_accepting_records_a_new_person_and_opens_an_episode(client, sent, link_worker, clinician):
    as_user(client, link_worker)
    html = page(client.get(f"/signposting/inbox/{sent.id}"))
    assert html.select_one(".app-duplicates") is None

    response = post_form(client, f"/signposting/inbox/{sent.id}/accept", {"person_id": ""})

    person = db.session.scalar(select(Person))
    assert response.status_code == 302 and response.headers["Location"] == f"/people/{person.id}"
    assert (person.given_name, person.family_name, person.nhs_number, person.phone) == (
        "Pat",
        "Jones",
        NHS_NUMBERS[0],
        "07700 900123",
    )
    assert person.pcn_id == sent.pcn_id and person.practice_id == sent.practice_id
    episode = person.open_episode()
    assert episode.source == EpisodeSource.CLINICIAN_REQUEST and episode.link_worker_id == link_worker.id
    decided = fresh(sent)
    assert decided.status == RequestStatus.ACCEPTED and (decided.person_id, decided.episode_id) == (
        person.id,
        episode.id,
    )
    assert "Pat Jones" in client.get("/caseload").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "link_worker_request_accepted"))
    assert entry.detail == f"person={person.id} episode={episode.id} linked=no"

    as_user(client, clinician)
    answer = page(client.get(f"/signposting/requests/{sent.id}")).select_one(".app-request-answer").get_text()
    assert "Accepted" in answer and link_worker.name in answer


def test_accepting_can_link_an_existing_record_found_by_nhs_number(client, sent, link_worker, practice):
    known = people.create_person(
        user=link_worker,
        data={
            "given_name": "Patricia",
            "family_name": "Jones",
            "nhs_number": NHS_NUMBERS[0],
            "practice_id": practice.id,
        },
        geocoder=geography.Geocoder("offline"),
    )
    as_user(client, link_worker)
    html = page(client.get(f"/signposting/inbox/{sent.id}"))
    assert "same NHS number" in html.get_text()

    response = post_form(client, f"/signposting/inbox/{sent.id}/accept", {"person_id": known.id})

    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1
    assert fresh(sent).person_id == known.id
    assert db.session.scalar(select(Episode)).person_id == known.id


def test_linking_a_record_that_is_not_a_possible_duplicate_is_refused(client, sent, link_worker, practice):
    stranger = people.create_person(
        user=link_worker,
        data={"given_name": "Other", "family_name": "Person", "nhs_number": NHS_NUMBERS[1], "practice_id": practice.id},
    )
    as_user(client, link_worker)

    response = post_form(client, f"/signposting/inbox/{sent.id}/accept", {"person_id": stranger.id})

    assert response.status_code == 400
    assert "Choose one of the records shown" in page(response).select_one(".nhsuk-error-summary").get_text()
    assert fresh(sent).status == RequestStatus.WAITING
    assert db.session.scalar(select(func.count()).select_from(Episode)) == 0


def test_declining_records_why_and_the_clinician_sees_it(client, sent, link_worker, clinician):
    as_user(client, link_worker)
    empty = post_form(client, f"/signposting/inbox/{sent.id}/decline", {"reason": ""})
    assert empty.status_code == 400
    assert "Enter why the team cannot take this on" in page(empty).select_one(".nhsuk-error-summary").get_text()

    response = post_form(client, f"/signposting/inbox/{sent.id}/decline", {"reason": "Already supported by the CMHT."})

    assert response.status_code == 302
    assert post_form(client, f"/signposting/inbox/{sent.id}/accept", {"person_id": ""}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    as_user(client, clinician)
    answer = page(client.get(f"/signposting/requests/{sent.id}")).select_one(".app-request-answer").get_text()
    assert "Not accepted" in answer and "Already supported by the CMHT." in answer


def test_no_personal_data_in_addresses_or_audit_details(client, gp, sent, link_worker):
    as_user(client, link_worker)
    post_form(client, f"/signposting/inbox/{sent.id}/accept", {"person_id": ""})
    for entry in db.session.scalars(select(AuditEvent)):
        detail = entry.detail or ""
        assert "Pat" not in detail and "Jones" not in detail and NHS_NUMBERS[0] not in detail
    html = page(client.get("/signposting/inbox"))
    for link in html.select("a[href]"):
        assert NHS_NUMBERS[0] not in link["href"] and "Jones" not in link["href"]
