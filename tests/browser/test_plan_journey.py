"""A link worker's whole journey in a real browser: record a person, write a goal, see matches with
reasons, start a referral, and print the person's own plan."""

from datetime import time

import pytest
from playwright.sync_api import expect

from prescribing.auth.models import Role
from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD, make_practice, make_service, make_term, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def directory(db):
    """A practice, a demo link worker (no second factor) and a walking group half a mile from the person."""
    practice = make_practice(name="Brooklands Medical Practice", postcode="M33 3SA")
    user = make_user(Role.LINK_WORKER, pcn_id=practice.pcn_id, is_demo=True, name="Lena Walker")
    walking = make_term("walking", parent=make_term("physical-activity", name="Physical activity"), name="Walking")
    make_service(
        terms=[walking],
        name="Sale Canal Walkers",
        description="A gentle walk along the canal, then tea.",
        postcode="M33 6GS",
        sessions=[(1, time(10), time(12))],
        how_to_join="Meet at the library steps; no need to book.",
        location={"step_free": True},
    )
    expected = {"email": user.email, "practice": f"{practice.name} ({practice.ods_code})"}
    db.session.commit()  # end the test's read transaction before the server's threads write
    return expected


def test_link_worker_records_a_person_plans_a_goal_refers_and_prints_the_plan(page, directory):
    page.set_default_timeout(10_000)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(directory["email"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your caseload")

    # Record the person.
    page.get_by_role("button", name="Add a person").click()
    expect(page.locator("h1")).to_have_text("Add a person")
    assert_accessible(page)
    page.get_by_label("First name").fill("Margaret")
    page.get_by_label("Last name").fill("Holt")
    page.locator('input[name="date_of_birth[day]"]').fill("12")
    page.locator('input[name="date_of_birth[month]"]').fill("3")
    page.locator('input[name="date_of_birth[year]"]').fill("1948")
    page.get_by_label("NHS number (optional)").fill("999 000 0042")
    page.get_by_label("GP practice").select_option(label=directory["practice"])
    page.get_by_label("Postcode (optional)").fill("m33 7ab")
    page.get_by_label("Step-free access").check()
    page.get_by_label("Tuesday mornings").check()
    page.get_by_label("How far can they travel?").select_option("3")
    page.get_by_role("button", name="Save person").click()
    expect(page.locator("h1")).to_have_text("Margaret Holt")
    assert "999" not in page.url and "M33" not in page.url

    # Open support and write what matters.
    page.get_by_role("button", name="Open an episode of support").click()
    page.get_by_label("GP", exact=True).check()
    page.get_by_role("button", name="Open episode").click()
    expect(page.locator("h1")).to_have_text("What matters to me")
    page.get_by_label("What matters to me").fill("I want to get out of the house and meet people.")
    page.get_by_role("button", name="Save plan").click()

    # Write a goal in her own words.
    page.get_by_role("button", name="Add a goal").click()
    page.get_by_label("The goal, in their own words").fill("Walk by the canal with other people")
    page.get_by_label("Need").select_option(label="Physical activity: Walking")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator("h1")).to_have_text("“Walk by the canal with other people”")
    assert_accessible(page)

    # See matches, with reasons a person can follow.
    page.get_by_role("button", name="Find groups for this goal").click()
    expect(page.locator("h1")).to_have_text("Groups for this goal")
    match = page.locator(".app-match").first
    expect(match).to_contain_text("Sale Canal Walkers")
    reasons = match.locator(".app-reasons")
    expect(reasons).to_contain_text("0.5 miles away")
    expect(reasons).to_contain_text("meets Tuesday 10:00 — you are free Tuesday mornings")
    expect(reasons).to_contain_text("step-free venue")
    match.locator(".app-breakdown summary").click()
    expect(match.locator(".app-breakdown table")).to_contain_text("Total")
    assert_accessible(page)

    # One action starts the referral.
    match.get_by_role("button", name="Refer to Sale Canal Walkers").click()
    expect(page.get_by_text("Referral sent.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Sale Canal Walkers: sent")

    # Print her own plan.
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Print their plan").click()
    expect(page.locator("h1")).to_have_text("My plan: Margaret Holt")
    assert_accessible(page)
    page.emulate_media(media="print")
    plan = page.locator(".app-held-plan")
    expect(plan).to_be_visible()
    expect(plan).to_contain_text("Walk by the canal with other people")
    expect(plan).to_contain_text("Sale Canal Walkers")
    expect(plan).to_contain_text("Meet at the library steps; no need to book.")
    expect(plan).to_contain_text("Lena Walker")
    expect(plan).to_contain_text("Samaritans on 116 123")
    expect(plan).not_to_contain_text("999 000 0042")
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.locator(".app-no-print").first).to_be_hidden()
    assert len(page.pdf(format="A4")) > 0
