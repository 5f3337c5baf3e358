"""Signing in and out with a password: errors, throttling, idle sessions and where people land."""

import pytest
from flask import url_for
from sqlalchemy import select

from prescribing import create_app
from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role, SignInFailure
from prescribing.config import ProductionConfig
from prescribing.extensions import db
from prescribing.navigation import START_PAGES
from tests.conftest import page, post_form, sign_in
from tests.factories import PASSWORD, make_user

WRONG = "not the right password at all"
BAD_CREDENTIALS = "Enter a correct email address and password"
THROTTLED = "Too many failed attempts"
IDLE_MESSAGE = "You were signed out because you had not used the service for 30 minutes."
# Roles that never see people's records, so a password alone signs them in.
PASSWORD_ONLY_ROLES = [Role.ORG_EDITOR, Role.COMMISSIONER]


def start_path(app, role: Role) -> str:
    with app.test_request_context():
        return url_for(START_PAGES[role])


def sign_in_with(client, email, password, **kwargs):
    return post_form(client, "/sign-in", {"email": email, "password": password}, **kwargs)


def error_summary(response) -> str:
    summary = page(response).select_one(".nhsuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def actions(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize("role", PASSWORD_ONLY_ROLES)
def test_correct_password_lands_on_the_start_page_and_is_audited(app, client, role):
    user = make_user(role)
    start_page = start_path(app, role)
    response = sign_in_with(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == start_page
    assert client.get(start_page).status_code == 200
    [event] = actions("sign_in")
    assert event.user_id == user.id
    assert event.object_id == str(user.id)


@pytest.mark.parametrize("who", ["known address, wrong password", "unknown address"])
def test_wrong_credentials_show_one_error_and_are_audited(client, who):
    user = make_user(Role.COMMISSIONER)
    email = user.email if who.startswith("known") else "nobody@example.org"
    response = sign_in_with(client, email, WRONG)
    assert response.status_code == 200
    assert page(response).title.get_text().startswith("Error: ")
    assert BAD_CREDENTIALS in error_summary(response)
    [event] = actions("sign_in_failed")
    assert event.user_id == (user.id if who.startswith("known") else None)
    # Still signed out.
    assert client.get("/reports").headers["Location"] == "/sign-in"


def test_deactivated_user_cannot_sign_in(client):
    user = make_user(Role.COMMISSIONER, active=False)
    response = sign_in_with(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert BAD_CREDENTIALS in error_summary(response)
    assert actions("sign_in") == []
    assert client.get("/reports").status_code == 302


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", PASSWORD, "Enter an email address"),
        ("not-an-email", PASSWORD, "Enter an email address in the correct format"),
        ("someone@example.org", "", "Enter your password"),
        ("someone@example.org", "x" * 201, "Password must be 200 characters or fewer"),
    ],
)
def test_incomplete_sign_in_form_says_what_is_missing(client, email, password, message):
    response = sign_in_with(client, email, password)
    assert response.status_code in (200, 400)
    assert message in error_summary(response)
    assert actions("sign_in_failed") == []


def test_repeated_failures_are_throttled(app, client, clock):
    user = make_user(Role.COMMISSIONER)
    limit = app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]
    assert limit == 5
    for _ in range(limit):
        assert BAD_CREDENTIALS in error_summary(sign_in_with(client, user.email, WRONG))

    # Locked now, even with the right password.
    response = sign_in_with(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert page(response).title.get_text().startswith("Error: ")
    assert THROTTLED in error_summary(response)
    assert actions("sign_in") == []
    # The counts are in the database: no e-mail address is stored, only a hash.
    keys = db.session.scalars(select(SignInFailure.key)).all()
    assert keys and not any(user.email in key for key in keys)

    # Another worker (a second app on the same database) sees the same counts.
    other = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        other_client = other.test_client()
        response = sign_in_with(other_client, user.email, PASSWORD)
        assert response.status_code == 429
        assert THROTTLED in error_summary(response)
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()

    # After the window the account can sign in again.
    clock.advance(minutes=16)
    response = sign_in_with(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports"


def test_address_limit_is_much_higher_than_the_account_limit(app):
    per_account = app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]
    per_address = app.config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]
    assert per_address >= 3 * per_account
    practice_address = {"REMOTE_ADDR": "192.0.2.10"}
    users = [make_user(Role.COMMISSIONER) for _ in range(per_address // (per_account - 1) + 2)]

    def attempt(user, password, environ=practice_address):
        return sign_in_with(app.test_client(), user.email, password, environ_base=environ)

    # Colleagues behind one address each mistype a few times, short of their own limit...
    failures = 0
    for user in users:
        for _ in range(per_account - 1):
            if failures == per_address:
                break
            attempt(user, WRONG)
            failures += 1
        if failures == per_address:
            break
        # ...and each still signs in: the address is far from its limit.
        assert attempt(user, PASSWORD).status_code == 302

    # Only once the address reaches its own, much higher limit is a fresh account refused there.
    newcomer = users[-1]
    assert attempt(newcomer, PASSWORD).status_code == 429
    # From another address the same account signs in.
    assert attempt(newcomer, PASSWORD, {"REMOTE_ADDR": "198.51.100.7"}).status_code == 302


def test_session_ends_after_30_minutes_idle(client, clock):
    user = make_user(Role.LINK_WORKER)
    sign_in(client, user)
    clock.advance(minutes=29)
    assert client.get("/caseload").status_code == 200
    # Each request restarts the 30 minutes.
    clock.advance(minutes=29)
    assert client.get("/caseload").status_code == 200

    clock.advance(minutes=31)
    response = client.get("/caseload")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert IDLE_MESSAGE in page(client.get("/sign-in")).get_text()
    # The session is gone for good, not just for one request.
    assert client.get("/caseload").headers["Location"] == "/sign-in"


def test_idle_time_counts_from_signing_in_itself(client, clock):
    user = make_user(Role.COMMISSIONER)
    assert sign_in_with(client, user.email, PASSWORD).status_code == 302
    clock.advance(minutes=31)
    response = client.get("/reports")
    assert response.headers["Location"] == "/sign-in"


def test_sign_out_is_a_post_with_a_csrf_token_and_is_audited(client):
    user = make_user(Role.COMMISSIONER)
    sign_in_with(client, user.email, PASSWORD)

    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    assert client.get("/reports").status_code == 200  # still signed in

    response = post_form(client, "/sign-out", follow_redirects=True)
    assert page(response).h1.get_text(strip=True) == "Sign in"
    assert "You have signed out." in page(response).get_text()
    assert [e.user_id for e in actions("sign_out")] == [user.id]
    assert client.get("/reports").headers["Location"] == "/sign-in"


def test_after_sign_in_people_return_to_the_page_they_asked_for(client):
    user = make_user(Role.COMMISSIONER)
    assert client.get("/reports?year=2025").headers["Location"] == "/sign-in"
    response = sign_in_with(client, user.email, PASSWORD)
    assert response.headers["Location"] == "/reports?year=2025"


@pytest.mark.parametrize(
    "next_path", ["//evil.example", "//evil.example/reports", "/\\evil.example", "https://evil.example"]
)
def test_open_redirect_is_refused(client, next_path):
    user = make_user(Role.COMMISSIONER)
    with client.session_transaction() as session:
        session["next_path"] = next_path
    response = sign_in_with(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports"


@pytest.mark.parametrize("role", list(Role))
def test_signed_in_user_visiting_sign_in_goes_to_their_start_page(app, client, role):
    sign_in(client, make_user(role))
    response = client.get("/sign-in")
    assert response.headers["Location"] == start_path(app, role)


def test_demo_users_skip_the_second_factor_and_the_page_says_so(app, client, monkeypatch):
    demo = make_user(Role.LINK_WORKER, is_demo=True)
    assert "Demo accounts skip the security code step." in page(client.get("/sign-in")).get_text()
    response = sign_in_with(client, demo.email, PASSWORD)
    assert response.headers["Location"] == "/caseload"
    [event] = actions("sign_in")
    assert event.detail == "method=demo"

    # Where demo users may not skip it, the page does not claim they can, and they cannot.
    post_form(client, "/sign-out")
    monkeypatch.setitem(app.config, "DEMO_USERS_SKIP_SECOND_FACTOR", False)
    assert "skip the security code" not in page(client.get("/sign-in")).get_text()
    response = sign_in_with(client, demo.email, PASSWORD)
    assert response.headers["Location"] == "/sign-in/set-up-security-codes"
    assert client.get("/caseload").headers["Location"] == "/sign-in"


def test_production_never_lets_demo_users_skip_the_second_factor():
    assert ProductionConfig.DEMO_USERS_SKIP_SECOND_FACTOR is False
