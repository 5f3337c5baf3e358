"""An organisation editor changes when a group meets, and a resident sees the new time on the public
page and in search; the editor's history page shows what changed."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from prescribing.auth.models import Role
from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD, make_organization, make_service, make_term, make_user

pytestmark = pytest.mark.browser

TUESDAY = 1
OLD_TIMES = re.compile(r"10:00|12:00")
NEW_TIMES = re.compile(r"Tuesday\D*10:30\D{1,6}12:30")


@pytest.fixture
def listing(db):
    """An organisation, its editor (no second factor for org editors) and its Tuesday 10:00–12:00 group in Sale."""
    organization = make_organization(name="Sale Community Partnership")
    editor = make_user(Role.ORG_EDITOR, organization=organization, name="Edith Ward")
    need = make_term("befriending", name="Befriending")
    service = make_service(
        organization=organization,
        terms=[need],
        name="Sale Friendship Circle",
        description="Tea, a chat and a warm welcome every week.",
        postcode="M33 7XX",
        sessions=[(TUESDAY, time(10), time(12))],
    )
    expected = {
        "email": editor.email,
        "editor": editor.name,
        "organization": organization.name,
        "service_id": service.id,
        "service": service.name,
        "need": need.name,
    }
    db.session.commit()  # end the test's read transaction before the server's threads write
    return expected


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_editor_changes_a_session_time_and_a_resident_sees_the_new_time(page, new_context, listing):
    page.set_default_timeout(10_000)

    # The editor signs in and lands on their organisation's page.
    sign_in(page, listing["email"])
    expect(page).to_have_url(re.compile(r"/listings/my-organisation$"))
    expect(page.locator("h1")).to_have_text(listing["organization"])

    # Open the listing, then the page for when it runs.
    page.get_by_role("link", name=listing["service"], exact=True).click()
    expect(page.locator("h1")).to_have_text(listing["service"])
    page.get_by_role("link", name="Change when it runs").click()
    expect(page.locator("h1")).to_have_text("When it runs")
    assert_accessible(page)

    session = page.get_by_role("group", name="Session 1", exact=True)
    expect(session.get_by_label("Day")).to_have_value(str(TUESDAY))
    expect(session.get_by_label("Starts")).to_have_value("10:00")
    expect(session.get_by_label("Ends")).to_have_value("12:00")
    session.get_by_label("Starts").fill("10:30")
    session.get_by_label("Ends").fill("12:30")
    page.get_by_role("button", name="Save sessions").click()

    # The editor is told it worked, on the listing's page, which shows the new time.
    expect(page.locator("h1")).to_have_text(listing["service"])
    expect(page.get_by_role("status")).to_contain_text("Sessions saved.")
    main = page.get_by_role("main")
    expect(main).to_contain_text(NEW_TIMES)
    expect(main).not_to_contain_text(OLD_TIMES)

    # A resident, signed out in a browser of their own, opens the public page.
    resident = new_context().new_page()
    resident.set_default_timeout(10_000)
    response = resident.goto(f"/services/{listing['service_id']}")
    assert response is not None and response.status == 200
    expect(resident.locator("h1")).to_have_text(listing["service"])
    public = resident.get_by_role("main")
    expect(public).to_contain_text(NEW_TIMES)
    expect(public).not_to_contain_text(OLD_TIMES)
    expect(resident.get_by_role("link", name="Update this listing")).to_have_count(0)
    assert_accessible(resident)

    # The editor's history page shows who changed the sessions, from what to what.
    page.get_by_role("link", name=re.compile(r"history", re.IGNORECASE)).click()
    expect(page.locator("h1")).to_have_text(f"History of {listing['service']}")
    change = page.get_by_role("row").filter(has=page.get_by_role("cell", name="Sessions", exact=True))
    expect(change).to_have_count(1)
    cells = change.get_by_role("cell")
    expect(cells.nth(1)).to_contain_text(re.compile(r"Tuesday\D*10:00\D{1,6}12:00"))
    expect(cells.nth(2)).to_contain_text(NEW_TIMES)
    expect(page.get_by_role("main")).to_contain_text(listing["editor"])
    assert_accessible(page)

    # The resident searches the directory from their own postcode for the need the group meets.
    resident.goto("/services")
    resident.get_by_label("Postcode", exact=True).fill("m33 7ab")
    resident.get_by_label("What would help").select_option(label=listing["need"])
    resident.get_by_role("button", name="Search").click()
    expect(resident).to_have_url(re.compile(r"/services\?"))
    result = resident.get_by_role("listitem").filter(
        has=resident.get_by_role("link", name=listing["service"], exact=True)
    )
    expect(result).to_have_count(1)
    expect(result).to_contain_text(listing["organization"])
    expect(result).to_contain_text(re.compile(r"Next session:[^:]*10:30\D{1,6}12:30"))
    expect(result).not_to_contain_text(OLD_TIMES)
    assert_accessible(resident)

    # From the result, the resident reaches the same page with the new time.
    result.get_by_role("link", name=listing["service"], exact=True).click()
    expect(resident.locator("h1")).to_have_text(listing["service"])
    expect(resident.get_by_role("main")).to_contain_text(NEW_TIMES)
