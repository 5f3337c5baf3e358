"""The community prescription: one printable page with every field a person needs, no personal data,
and a shareable link that works signed out for 30 days."""

import pytest
from sqlalchemy import inspect, select

from prescribing.audit.models import AuditEvent
from prescribing.extensions import db
from prescribing.signposting.models import CommunityPrescription
from tests.conftest import page, post_form


def print_prescription(client, groups_by_need: dict):
    data = {"need": list(groups_by_need), "group": [f"{n}|{s}" for n, ids in groups_by_need.items() for s in ids]}
    return post_form(client, "/signposting/prescriptions", data)


@pytest.fixture
def printed(gp, groups, activity, company):
    """What the results page's button sends, after a search from a patient's postcode."""
    results = page(post_form(gp, "/signposting/results", {"postcode": "M33 7AB", "needs": [activity.id, company.id]}))
    form = results.select_one("form[action='/signposting/prescriptions']")
    data = {
        "need": [i["value"] for i in form.select("input[name=need]")],
        "group": [i["value"] for i in form.select("input[name=group]")],
    }
    response = post_form(gp, "/signposting/prescriptions", data)
    assert response.status_code == 302
    return response.headers["Location"]


def test_printing_keeps_the_groups_shown_behind_an_unguessable_link(gp, printed, groups, activity, company):
    prescription = db.session.scalar(select(CommunityPrescription))

    assert printed == f"/community-prescription/{prescription.token}"
    assert len(prescription.token) >= 32
    assert prescription.needs == [
        {"need": activity.id, "services": [groups["walkers"].id, groups["yoga"].id]},
        {"need": company.id, "services": [groups["lunch"].id]},
    ]
    columns = {c["name"] for c in inspect(db.engine).get_columns("community_prescription")}
    assert columns == {"id", "token", "practice_id", "needs", "created_at", "expires_at"}
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "community_prescription_created"))
    assert entry.detail == "needs=2" and prescription.token not in str(entry.object_id)


def test_the_printed_page_has_every_field_and_no_personal_data(gp, printed):
    response = gp.get(printed)
    html = page(response)
    text = " ".join(html.select_one(".app-prescription").get_text(" ", strip=True).split())

    assert html.h1.get_text(strip=True) == "Your community prescription"
    assert [h.get_text(strip=True) for h in html.select(".app-prescription__need h2")] == [
        "Physical activity",
        "Loneliness and isolation",
    ]
    walkers = html.select(".app-prescription__group")[0].get_text(" ", strip=True)
    for expected in (
        "Sale Canal Walkers",
        "What: A gentle walk along the canal",
        "Where: Venue",
        "When: Tuesday 10:00 to 12:00",
        "Cost: Free",
        "How to join: Just turn up at the library steps.",
        "Contact: 0161 555 0111",
    ):
        assert expected in walkers
    assert "Cost: £4 a session" in text
    assert "Social prescribing link workers, Sale PCN: phone 0161 555 0100, email team@example.org" in text
    for urgent in ("NHS 111", "999", "Samaritans on 116 123"):
        assert urgent in text
    assert "M33 7AB" not in response.get_data(as_text=True)
    assert "app-share-link" in response.get_data(as_text=True)


def test_an_unpublished_address_shows_only_the_area(gp, printed):
    yoga = page(gp.get(printed)).select(".app-prescription__group")[1].get_text(" ", strip=True)

    assert "Chair Yoga" in yoga
    assert "In the M33 area: the address is given when you get in touch" in yoga
    assert "High Street" not in yoga


def test_the_shared_link_works_signed_out_without_the_sharing_box(app, printed):
    signed_out = app.test_client()
    response = signed_out.get(printed)

    assert response.status_code == 200
    html = page(response)
    assert "Sale Canal Walkers" in html.select_one(".app-prescription").get_text()
    assert html.select_one(".app-share-link") is None


def test_the_shared_link_expires_after_30_days(app, printed, clock):
    signed_out = app.test_client()
    clock.advance(days=29, hours=23)
    assert signed_out.get(printed).status_code == 200

    clock.advance(hours=1)
    response = signed_out.get(printed)

    assert response.status_code == 410
    assert page(response).h1.get_text(strip=True) == "This link has expired"
    assert "Sale Canal Walkers" not in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 200])
def test_an_unknown_link_says_so(client, token):
    response = client.get(f"/community-prescription/{token}")

    assert response.status_code == 404
    assert page(response).h1.get_text(strip=True) == "This link has expired"


def test_unknown_groups_and_needs_are_left_out(gp, groups, activity):
    response = print_prescription(gp, {activity.id: [groups["walkers"].id, "no-such-service"], "no-such-need": ["x"]})

    assert response.status_code == 302
    assert db.session.scalar(select(CommunityPrescription)).needs == [
        {"need": activity.id, "services": [groups["walkers"].id]}
    ]


def test_printing_nothing_is_refused(gp):
    assert print_prescription(gp, {"no-such-need": []}).status_code == 400
    assert post_form(gp, "/signposting/prescriptions", {}).status_code == 400
    assert db.session.scalar(select(CommunityPrescription)) is None
