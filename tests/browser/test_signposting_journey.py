"""A GP's whole signposting journey in a real browser: a postcode and a need to a printed community
prescription, a shared link that works signed out, a request to the link worker team, and a link
worker accepting it from the team's inbox."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from prescribing.auth.models import Role
from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD, make_pcn, make_practice, make_service, make_term, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def surgery(db):
    """A practice in a PCN with a link worker team, a demo GP and a demo link worker (no second factor)."""
    pcn = make_pcn(name="Sale PCN", link_worker_team_phone="0161 555 0100")
    practice = make_practice(pcn, name="Brooklands Medical Practice", postcode="M33 3SA")
    gp = make_user(Role.CLINICIAN, practice_id=practice.id, is_demo=True, name="Dr Asha Patel")
    worker = make_user(Role.LINK_WORKER, pcn_id=pcn.id, is_demo=True, name="Lena Walker")
    make_service(
        terms=[make_term("physical-activity", name="Physical activity")],
        name="Sale Canal Walkers",
        description="A gentle walk along the canal, then tea.",
        postcode="M33 6GS",
        sessions=[(1, time(10), time(12))],
        how_to_join="Meet at the library steps; no need to book.",
        phone="0161 555 0111",
    )
    emails = {"gp": gp.email, "worker": worker.email}
    db.session.commit()  # end the test's read transaction before the server's threads write
    return emails


def sign_in_as(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_gp_prints_a_community_prescription_and_hands_over_to_the_link_worker_team(page, surgery):
    page.set_default_timeout(10_000)
    sign_in_as(page, surgery["gp"])
    expect(page.locator("h1")).to_have_text("Signpost a patient")
    assert_accessible(page)

    # A postcode and a need.
    page.get_by_label("Their postcode").fill("m33 7ab")
    page.get_by_label("Physical activity").check()
    page.get_by_role("button", name="Find groups").click()
    expect(page.locator("h1")).to_have_text("Groups that could help")
    assert "M33" not in page.url.upper()
    match = page.locator(".app-match").first
    expect(match).to_contain_text("Sale Canal Walkers")
    expect(match.locator(".app-reasons")).to_contain_text("0.5 miles away")
    assert_accessible(page)

    # Print the community prescription: one page, no personal data.
    page.get_by_role("button", name="Print community prescription").click()
    expect(page.locator("h1")).to_have_text("Your community prescription")
    share_url = page.locator(".app-share-link").inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    prescription = page.locator(".app-prescription")
    expect(prescription).to_be_visible()
    for text in (
        "Physical activity",
        "Sale Canal Walkers",
        "A gentle walk along the canal",
        "Tuesday 10:00 to 12:00",
        "Cost: Free",
        "Meet at the library steps; no need to book.",
        "0161 555 0111",
        "0161 555 0100",
        "NHS 111",
        "999",
        "Samaritans on 116 123",
    ):
        expect(prescription).to_contain_text(text)
    expect(prescription).not_to_contain_text("M33 7AB")
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.locator(".app-no-print").first).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one A4 sheet
    page.emulate_media(media="screen")

    # Refer to the link worker team.
    page.goto("/signposting")
    page.get_by_role("link", name="Refer to the link worker team").click()
    expect(page.locator("h1")).to_have_text("Refer to the link worker team")
    page.get_by_label("First name").fill("Pat")
    page.get_by_label("Last name").fill("Jones")
    page.locator('input[name="date_of_birth[day]"]').fill("3")
    page.locator('input[name="date_of_birth[month]"]').fill("4")
    page.locator('input[name="date_of_birth[year]"]').fill("1948")
    page.get_by_label("NHS number").fill("999 000 0018")
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("Why would link worker support help?").fill("Lonely since their wife died.")
    page.get_by_label("Soon (within a week)").check()
    page.get_by_role("button", name="Send to the link worker team").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Confirm they have agreed to be contacted")
    assert_accessible(page)
    page.get_by_label("They have agreed to be contacted by the link worker team").check()
    page.get_by_role("button", name="Send to the link worker team").click()
    expect(page.locator("h1")).to_have_text("Request to the link worker team")
    expect(page.locator(".app-request-answer")).to_contain_text("Waiting for the link worker team")
    assert "9990000018" not in page.url and "999 000" not in page.url
    page.locator("header").get_by_role("button", name="Sign out").click()

    # The shared link works signed out.
    page.goto(share_url)
    expect(page.locator(".app-prescription")).to_contain_text("Sale Canal Walkers")

    # The link worker accepts it from the team's inbox.
    sign_in_as(page, surgery["worker"])
    page.locator("header").get_by_role("link", name="Requests from GPs").click()
    expect(page.locator("h1")).to_have_text("Requests from GPs")
    assert_accessible(page)
    page.get_by_role("link", name="Pat Jones").click()
    expect(page.locator("h1")).to_have_text("Request from a GP")
    assert_accessible(page)
    page.get_by_role("button", name="Accept into my caseload").click()
    expect(page.locator("h1")).to_have_text("Pat Jones")
    expect(page.get_by_text("Accepted: they are now in your caseload.")).to_be_visible()
    page.locator("header").get_by_role("button", name="Sign out").click()

    # The GP sees the answer.
    sign_in_as(page, surgery["gp"])
    expect(page.locator(".app-requests")).to_contain_text("Accepted")
    page.wait_for_load_state("networkidle")  # let the page's assets finish before the server stops
