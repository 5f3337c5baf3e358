"""The second step of signing in for roles that see people's records: security and recovery codes."""

import time
from datetime import UTC

import pyotp
import pytest
from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import AppUser, Role
from prescribing.clock import utcnow
from prescribing.extensions import db
from tests.conftest import page, post_form
from tests.factories import PASSWORD, make_user

SET_UP = "/sign-in/set-up-security-codes"
ENTER_CODE = "/sign-in/security-code"
RECOVERY = "/sign-in/recovery-code"
WRONG_CODE = "The security code is not correct or has expired. Enter the current code."
THROTTLED = "Too many failed attempts"


def give_password(client, user):
    return post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})


def current_code(user: AppUser) -> str:
    """The code the person's authenticator app shows now (by the service's clock)."""
    db.session.refresh(user)
    return pyotp.TOTP(user.totp_secret).at(int(utcnow().replace(tzinfo=UTC).timestamp()))


def set_up_through_the_pages(client, user) -> list[str]:
    """First sign-in of a link worker: password, app set up; returns the recovery codes shown."""
    give_password(client, user)
    response = post_form(client, SET_UP, {"code": current_code(user)})
    assert response.status_code == 200
    return [li.get_text(strip=True) for li in page(response).select(".app-recovery-codes li")]


def with_confirmed_app(user: AppUser) -> AppUser:
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = utcnow()
    db.session.commit()
    return user


def error_text(response) -> str:
    summary = page(response).select_one(".nhsuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def audit_actions(user) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)))


def test_link_worker_needs_a_code_after_password(client):
    user = make_user(Role.LINK_WORKER)
    response = give_password(client, user)
    assert response.headers["Location"] == SET_UP
    # A password alone does not sign in.
    assert client.get("/caseload").headers["Location"] == "/sign-in"

    set_up = page(client.get(SET_UP))
    assert set_up.h1.get_text(strip=True) == "Set up security codes"
    assert set_up.select_one(".app-qr svg") is not None
    db.session.refresh(user)
    assert user.totp_secret in set_up.get_text()
    assert user.has_second_factor is False

    response = post_form(client, SET_UP, {"code": current_code(user)})
    assert response.status_code == 200
    codes_page = page(response)
    assert codes_page.h1.get_text(strip=True) == "Save your recovery codes"
    codes = [li.get_text(strip=True) for li in codes_page.select(".app-recovery-codes li")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert codes_page.find("a", string=lambda s: s and "I have saved my recovery codes" in s)["href"] == "/caseload"

    # Signed in now; the codes are not shown again, and are not kept in the session cookie.
    assert client.get("/caseload").status_code == 200
    again = client.get(SET_UP, follow_redirects=True)
    assert page(again).h1.get_text(strip=True) != "Save your recovery codes"
    assert not any(code in again.get_data(as_text=True) for code in codes)
    with client.session_transaction() as session:
        assert not any(code in str(dict(session)) for code in codes)
    db.session.refresh(user)
    assert user.has_second_factor
    assert {"second_factor_set_up", "sign_in"} <= set(audit_actions(user))


def test_wrong_code_while_setting_up_is_refused(client):
    user = make_user(Role.CLINICIAN)
    give_password(client, user)
    response = post_form(client, SET_UP, {"code": "000000" if current_code(user) != "000000" else "111111"})
    assert "The security code is not correct" in error_text(response)
    assert client.get("/signposting").headers["Location"] == "/sign-in"
    db.session.refresh(user)
    assert not user.has_second_factor


def test_existing_second_factor_user_enters_a_code(client):
    user = with_confirmed_app(make_user(Role.COORDINATOR))
    response = give_password(client, user)
    assert response.headers["Location"] == ENTER_CODE
    assert page(client.get(ENTER_CODE)).h1.get_text(strip=True) == "Enter your security code"
    assert client.get("/coordinator").headers["Location"] == "/sign-in"

    response = post_form(client, ENTER_CODE, {"code": current_code(user)})
    assert response.headers["Location"] == "/coordinator"
    assert client.get("/coordinator").status_code == 200
    [method] = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "sign_in"))
    assert method == "method=password+totp"


def test_wrong_codes_are_refused_and_count_toward_the_throttle(app, client):
    user = with_confirmed_app(make_user(Role.LINK_WORKER))
    give_password(client, user)
    right = current_code(user)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]):
        response = post_form(client, ENTER_CODE, {"code": wrong})
        assert response.status_code == 200
        assert WRONG_CODE in error_text(response)
        assert client.get("/caseload").headers["Location"] == "/sign-in"

    response = post_form(client, ENTER_CODE, {"code": right})
    assert response.status_code == 429
    assert THROTTLED in error_text(response)
    assert client.get("/caseload").headers["Location"] == "/sign-in"
    # The account is locked for passwords too.
    assert give_password(app.test_client(), user).status_code == 429
    assert audit_actions(user).count("security_code_failed") == 5


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1" * 21])
def test_malformed_codes_are_refused_without_an_error_page(client, code):
    user = with_confirmed_app(make_user(Role.LINK_WORKER))
    give_password(client, user)
    response = post_form(client, ENTER_CODE, {"code": code})
    assert response.status_code == 200
    assert error_text(response)
    assert client.get("/caseload").headers["Location"] == "/sign-in"


def test_a_replayed_code_is_refused(client, app):
    user = with_confirmed_app(make_user(Role.LINK_WORKER))
    code = current_code(user)
    give_password(client, user)
    assert post_form(client, ENTER_CODE, {"code": code}).headers["Location"] == "/caseload"
    post_form(client, "/sign-out")

    # Someone who saw the code over the person's shoulder tries it straight away.
    other = app.test_client()
    give_password(other, user)
    response = post_form(other, ENTER_CODE, {"code": code})
    assert WRONG_CODE in error_text(response)
    assert other.get("/caseload").headers["Location"] == "/sign-in"


def test_a_recovery_code_works_once(client, app):
    user = make_user(Role.LINK_WORKER)
    codes = set_up_through_the_pages(client, user)
    post_form(client, "/sign-out")

    give_password(client, user)
    assert page(client.get(ENTER_CODE)).find("a", href=RECOVERY)
    response = post_form(client, RECOVERY, {"recovery_code": f"  {codes[3].upper()} "}, follow_redirects=True)
    assert page(response).h1.get_text(strip=True) != "Use a recovery code"
    assert "You have 9 left" in page(response).get_text()
    assert client.get("/caseload").status_code == 200
    post_form(client, "/sign-out")

    other = app.test_client()
    give_password(other, user)
    response = post_form(other, RECOVERY, {"recovery_code": codes[3]})
    assert "That recovery code is not correct or has been used" in error_text(response)
    assert other.get("/caseload").headers["Location"] == "/sign-in"
    assert "recovery_code_used" in audit_actions(user)


def test_wrong_recovery_codes_count_toward_the_throttle(app, client):
    user = make_user(Role.LINK_WORKER)
    codes = set_up_through_the_pages(client, user)
    post_form(client, "/sign-out")
    give_password(client, user)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]):
        assert "not correct" in error_text(post_form(client, RECOVERY, {"recovery_code": "000000-000000"}))
    response = post_form(client, RECOVERY, {"recovery_code": codes[0]})
    assert response.status_code == 429
    assert THROTTLED in error_text(response)


@pytest.mark.parametrize("path", ["/caseload", "/signposting", "/coordinator", "/users/", "/audit/", "/reports"])
def test_the_pending_state_cannot_be_used_to_reach_pages(client, path):
    give_password(client, with_confirmed_app(make_user(Role.COORDINATOR)))
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"


@pytest.mark.parametrize("path", [ENTER_CODE, RECOVERY, SET_UP])
def test_second_step_pages_without_a_password_first_go_to_sign_in(client, path):
    assert client.get(path).headers["Location"] == "/sign-in"
    response = client.post(path, data={"csrf_token": "x", "code": "123456", "recovery_code": "x"})
    assert response.status_code in (302, 400)


def test_half_finished_sign_in_ends_after_30_minutes(client, clock):
    user = with_confirmed_app(make_user(Role.LINK_WORKER))
    give_password(client, user)
    clock.advance(minutes=31)
    response = post_form(client, ENTER_CODE, {"code": current_code(user)})
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/caseload").headers["Location"] == "/sign-in"


@pytest.fixture
def far_from_utc(monkeypatch):
    """A server whose local time zone is not UTC (as on British Summer Time)."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_codes_work_whatever_the_servers_time_zone(client, far_from_utc):
    user = with_confirmed_app(make_user(Role.LINK_WORKER))
    real_code = pyotp.TOTP(user.totp_secret).now()  # what the phone shows
    give_password(client, user)
    assert post_form(client, ENTER_CODE, {"code": real_code}).headers["Location"] == "/caseload"
    assert client.get("/caseload").status_code == 200
