"""Passwords: how they are stored, forgotten-password links, and the rules for a new one."""

import re

import pytest
from sqlalchemy import select

from prescribing.accounts.services import create_user
from prescribing.audit.models import AuditEvent
from prescribing.auth.models import AppUser, RecoveryCode, Role
from prescribing.auth.passwords import verify_password
from prescribing.extensions import db
from tests.auth.test_second_factor import set_up_through_the_pages
from tests.conftest import page, post_form, sign_in
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a brand new long password"
RESET_LINK = re.compile(r"http://127\.0\.0\.1:5000(/reset-password/[A-Za-z0-9_-]+)")


def sign_in_with(client, email, password):
    return post_form(client, "/sign-in", {"email": email, "password": password})


def ask_for_reset(client, email):
    return post_form(client, "/forgot-password", {"email": email})


def reset_path(message: dict) -> str:
    found = RESET_LINK.search(message["body"])
    assert found, message["body"]
    return found.group(1)


def choose(client, path, password, confirm=None):
    return post_form(client, path, {"password": password, "confirm": password if confirm is None else confirm})


def test_passwords_are_stored_as_argon2id_hashes():
    user = create_user(email="new@example.org", name="New Person", role=Role.COMMISSIONER, password=NEW_PASSWORD)
    stored = db.session.scalar(select(AppUser.password_hash).where(AppUser.id == user.id))
    assert stored.startswith("$argon2id$")
    assert NEW_PASSWORD not in stored
    assert verify_password(stored, NEW_PASSWORD)
    assert not verify_password(stored, NEW_PASSWORD + "x")
    assert not verify_password(None, NEW_PASSWORD)
    assert not verify_password("not a hash", NEW_PASSWORD)


def test_recovery_codes_are_stored_as_hashes(client):
    user = make_user(Role.LINK_WORKER)
    codes = set_up_through_the_pages(client, user)
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10
    assert all(h.startswith("$argon2id$") for h in stored)
    assert not any(code in h for code in codes for h in stored)


def test_forgotten_password_link_works_once(client, outbox):
    user = make_user(Role.COMMISSIONER, name="Priya Shah")
    response = ask_for_reset(client, user.email.upper())
    assert page(response).h1.get_text(strip=True) == "Check your email"

    [message] = outbox()
    assert message["to"] == user.email
    # A link and nothing about the person: no name, role or other address.
    assert "Priya" not in message["body"] and "Shah" not in message["body"]
    assert "ommissioner" not in message["body"]
    assert user.email not in message["body"]
    path = reset_path(message)

    assert page(client.get(path)).h1.get_text(strip=True) == "Choose a new password"
    response = choose(client, path, NEW_PASSWORD)
    assert response.headers["Location"] == "/sign-in"

    # The old password stops working and the new one works.
    assert "Enter a correct email address and password" in page(sign_in_with(client, user.email, PASSWORD)).get_text()
    assert sign_in_with(client, user.email, NEW_PASSWORD).headers["Location"] == "/reports"

    # The link works once.
    used = client.get(path)
    assert used.status_code == 404
    assert page(used).h1.get_text(strip=True) == "This link has expired or has been used"
    assert choose(client, path, "yet another long password").status_code == 404
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert {"password_reset_requested", "password_reset"} <= set(actions)


def test_forgotten_password_link_expires_after_an_hour(client, outbox, clock):
    user = make_user(Role.COMMISSIONER)
    ask_for_reset(client, user.email)
    path = reset_path(outbox()[0])
    clock.advance(minutes=59)
    assert client.get(path).status_code == 200
    clock.advance(minutes=2)
    response = client.get(path)
    assert response.status_code == 404
    assert "Password reset links work once, for 1 hour" in page(response).get_text()
    assert choose(client, path, NEW_PASSWORD).status_code == 404
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_a_new_reset_link_replaces_the_old_one(client, outbox):
    user = make_user(Role.COMMISSIONER)
    ask_for_reset(client, user.email)
    ask_for_reset(client, user.email)
    first, second = (reset_path(m) for m in outbox())
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


@pytest.mark.parametrize("who", ["unknown", "deactivated"])
def test_reset_for_an_unknown_or_deactivated_address_looks_the_same_and_sends_nothing(client, outbox, who):
    email = "nobody@example.org" if who == "unknown" else make_user(Role.COMMISSIONER, active=False).email
    response = ask_for_reset(client, email)
    assert response.status_code == 200
    assert page(response).h1.get_text(strip=True) == "Check your email"
    assert outbox() == []


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 300, "%00"])
def test_made_up_links_are_refused(client, token):
    response = client.get(f"/reset-password/{token}")
    assert response.status_code == 404
    assert client.get(f"/invitation/{token}").status_code == 404


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "Password must be 12 characters or more"),
        ("a long enough password", "a different password", "Passwords do not match"),
        ("aaaabbbbaaaabbbb", "aaaabbbbaaaabbbb", "Password must not repeat the same few characters"),
        ("", "", "Enter a new password"),
        ("x1y2z3" * 40, "x1y2z3" * 40, "Password must be 200 characters or fewer"),
    ],
)
def test_new_password_rules(client, outbox, password, confirm, message):
    user = make_user(Role.COMMISSIONER)
    ask_for_reset(client, user.email)
    path = reset_path(outbox()[0])
    response = choose(client, path, password, confirm)
    assert response.status_code == 400
    assert page(response).title.get_text().startswith("Error: ")
    assert message in page(response).select_one(".nhsuk-error-summary").get_text()
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)
    # The link still works after a mistake.
    assert client.get(path).status_code == 200


def test_setting_a_password_ends_other_sessions(app, client, outbox):
    user = make_user(Role.COMMISSIONER)
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    assert elsewhere.get("/reports").status_code == 200

    ask_for_reset(client, user.email)
    choose(client, reset_path(outbox()[0]), NEW_PASSWORD)
    assert elsewhere.get("/reports").headers["Location"] == "/sign-in"
