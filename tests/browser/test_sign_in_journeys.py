"""Signing in and out in a real browser, as each role, with an accessibility check on every page visited."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from prescribing.auth.models import Role
from prescribing.navigation import start_page_for
from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

# The h1 each role's start page shows, worked out from the user.
START_PAGE_HEADINGS = {
    Role.LINK_WORKER: lambda user: "Your caseload",
    Role.CLINICIAN: lambda user: "Signpost a patient",
    Role.ORG_EDITOR: lambda user: user.organization.name,
    Role.COORDINATOR: lambda user: user.pcn.name,
    Role.COMMISSIONER: lambda user: "Reports",
}


def expected_start(app, db, user) -> dict:
    """What the browser should show once `user` has signed in, read before the browser touches the database."""
    with app.test_request_context():
        path = start_page_for(user)
    expected = {"email": user.email, "name": user.name, "path": path, "h1": START_PAGE_HEADINGS[user.role](user)}
    db.session.commit()  # end the test's read transaction before the server's threads write
    return expected


def fill_sign_in_form(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_start_page(page, expected: dict) -> None:
    expect(page).to_have_url(re.compile(re.escape(expected["path"]) + "$"))
    expect(page.locator("h1")).to_have_text(expected["h1"])
    expect(page.locator("header")).to_contain_text(expected["name"])


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_each_role_signs_in_and_lands_on_its_start_page(app, db, page, role):
    # Roles that see people's records need a second factor; demo users skip it (the link worker's
    # real second-factor journey is the next test).
    user = make_user(role, is_demo=role.sees_peoples_records)
    expected = expected_start(app, db, user)

    page.goto("/sign-in")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert_accessible(page)

    fill_sign_in_form(page, expected["email"])

    expect_start_page(page, expected)
    assert_accessible(page)


def test_link_worker_sets_up_security_codes_on_first_sign_in(app, db, page):
    user = make_user(Role.LINK_WORKER)
    expected = expected_start(app, db, user)

    fill_sign_in_form(page, expected["email"])

    expect(page.locator("h1")).to_have_text("Set up security codes")
    assert_accessible(page)
    key = page.locator("code").filter(has_text=re.compile(r"^[A-Z2-7]{16,}$")).inner_text().strip()
    page.get_by_label("Security code from your app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Save your recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()

    expect_start_page(page, expected)


def test_wrong_password_shows_the_error_summary(app, db, page):
    user = make_user(Role.ORG_EDITOR)
    email = user.email
    db.session.commit()

    fill_sign_in_form(page, email, password="not the password")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct email address and password")
    # nhsuk-frontend's script moves focus to the summary so screen reader users hear it first.
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("h1")).to_have_text("Sign in")
    assert_accessible(page)


def test_signing_out_from_the_header_returns_to_sign_in(app, db, page):
    user = make_user(Role.COMMISSIONER)
    expected = expected_start(app, db, user)
    fill_sign_in_form(page, expected["email"])
    expect_start_page(page, expected)

    page.locator("header").get_by_role("button", name="Sign out").click()

    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.locator("header")).not_to_contain_text(expected["name"])
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/", "/services", "/about", "/privacy", "/accessibility", "/cookies"])
def test_public_pages_are_accessible(page, path):
    response = page.goto(path)
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_signing_in_works_without_javascript(app, db, new_context):
    user = make_user(Role.ORG_EDITOR)
    expected = expected_start(app, db, user)
    page = new_context(java_script_enabled=False).new_page()

    fill_sign_in_form(page, expected["email"])

    expect_start_page(page, expected)
