"""A coordinator manages the accounts of their PCN: invites, role changes, deactivation."""

import re

import pytest
from sqlalchemy import func, select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import AppUser, Role
from prescribing.directory.models import ListingStatus
from prescribing.extensions import db
from tests.conftest import page, post_form, sign_in
from tests.factories import PASSWORD, make_organization, make_pcn, make_practice, make_user

NEW_PASSWORD = "a long new password here"
INVITE_LINK = re.compile(r"http://127\.0\.0\.1:5000(/invitation/[A-Za-z0-9_-]+)")


@pytest.fixture
def coordinator(client):
    """A signed-in coordinator of a PCN with one practice."""
    pcn = make_pcn()
    make_practice(pcn=pcn)
    user = make_user(Role.COORDINATOR, pcn=pcn)
    sign_in(client, user)
    return user


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(AppUser))


def error_summary(response) -> str:
    summary = page(response).select_one(".nhsuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def invite(client, **fields):
    data = {"name": "Sam Lee", "email": "sam.lee@example.org", "role": "link_worker", **fields}
    return post_form(client, "/users/invite", data)


def invitation_path(message) -> str:
    found = INVITE_LINK.search(message["body"])
    assert found, message["body"]
    return found.group(1)


def fresh(user: AppUser) -> AppUser:
    db.session.expire_all()
    return db.session.get(AppUser, user.id)


def row_for(response, name: str) -> str:
    for row in page(response).select("tbody tr"):
        if name in row.get_text():
            return row.get_text(" ", strip=True)
    return ""


def test_coordinator_invites_a_link_worker(app, client, coordinator, outbox):
    response = invite(client)
    assert response.headers["Location"] == "/users/"
    listing = client.get("/users/")
    assert "Invitation sent to sam.lee@example.org" in page(listing).get_text()
    assert "Invited" in row_for(listing, "Sam Lee")

    invited = db.session.scalar(select(AppUser).where(AppUser.email == "sam.lee@example.org"))
    assert invited.role == Role.LINK_WORKER
    assert invited.pcn_id == coordinator.pcn_id
    assert invited.password_hash is None

    [message] = outbox()
    assert message["to"] == "sam.lee@example.org"
    assert "Sam" not in message["body"]
    path = invitation_path(message)

    newcomer = app.test_client()
    accept_page = page(newcomer.get(path))
    assert accept_page.h1.get_text(strip=True) == "Set up your account"
    response = post_form(newcomer, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/sign-in"
    assert fresh(invited).password_hash.startswith("$argon2id$")
    # Single use.
    assert newcomer.get(path).status_code == 404
    again = {"password": "another long password", "confirm": "another long password"}
    assert post_form(newcomer, path, again).status_code == 404
    # Now a link worker who signs in with that password (and then sets up a second factor).
    response = post_form(newcomer, "/sign-in", {"email": "sam.lee@example.org", "password": NEW_PASSWORD})
    assert response.headers["Location"] == "/sign-in/set-up-security-codes"

    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(invited.id))).all()
    assert {"user_invited", "invitation_accepted"} <= set(actions)


def test_invitation_link_expires_after_7_days(app, client, coordinator, outbox, clock):
    invite(client)
    path = invitation_path(outbox()[0])
    clock.advance(days=6, hours=23)
    assert app.test_client().get(path).status_code == 200
    clock.advance(hours=2)
    response = app.test_client().get(path)
    assert response.status_code == 404
    assert "Invitation links work once, for 7 days" in page(response).get_text()


BAD_INVITES = [
    ({"name": ""}, "Enter the person's full name"),
    ({"name": "N" * 121}, "Full name must be 120 characters or fewer"),
    ({"email": ""}, "Enter an email address"),
    ({"email": "not-an-email"}, "Enter an email address in the correct format"),
    ({"email": "a" * 250 + "@example.org"}, "Enter an email address"),
    ({"role": ""}, "Select a role"),
    ({"role": "wizard"}, "Select a role"),
    ({"role": "commissioner"}, "Select a role"),
    ({"role": "clinician"}, "Select a practice in your primary care network"),
    ({"role": "clinician", "practice_id": "abc"}, "Select a practice in your primary care network"),
    ({"role": "clinician", "practice_id": "99999999999999999999"}, "Select a practice in your primary care network"),
    ({"role": "org_editor"}, "Select the organisation this person edits"),
    ({"role": "org_editor", "organization_id": "x" * 500}, "Select the organisation this person edits"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_INVITES)
def test_a_bad_invitation_is_refused_and_creates_nothing(client, coordinator, outbox, fields, message):
    before = count_users()
    response = invite(client, **fields)
    assert response.status_code == 400
    assert page(response).title.get_text().startswith("Error: ")
    assert message in error_summary(response)
    assert count_users() == before
    assert outbox() == []


def test_a_duplicate_email_is_refused(client, coordinator, outbox):
    existing = make_user(Role.COMMISSIONER)
    response = invite(client, email=existing.email.upper())
    assert response.status_code == 400
    assert "An account with this email address already exists" in error_summary(response)
    assert outbox() == []


def test_clinician_invite_needs_a_practice_in_the_coordinators_pcn(client, coordinator):
    elsewhere = make_practice()  # another PCN's
    response = invite(client, role="clinician", practice_id=str(elsewhere.id))
    assert response.status_code == 400
    assert "Select a practice in your primary care network" in error_summary(response)

    own = make_practice(pcn=coordinator.pcn)
    assert invite(client, role="clinician", practice_id=str(own.id)).status_code == 302
    clinician = db.session.scalar(select(AppUser).where(AppUser.email == "sam.lee@example.org"))
    assert clinician.practice_id == own.id
    assert clinician.effective_pcn_id == coordinator.pcn_id


def test_org_editor_invite_needs_a_listed_organisation(client, coordinator):
    archived = make_organization(status=ListingStatus.ARCHIVED)
    response = invite(client, role="org_editor", organization_id=archived.id)
    assert response.status_code == 400
    organization = make_organization()
    assert invite(client, role="org_editor", organization_id=organization.id).status_code == 302
    editor = db.session.scalar(select(AppUser).where(AppUser.email == "sam.lee@example.org"))
    assert editor.organization_id == organization.id


def test_changing_a_role_ends_the_users_session(app, client, coordinator):
    target = make_user(Role.LINK_WORKER, pcn=coordinator.pcn)
    theirs = app.test_client()
    sign_in(theirs, target)
    assert theirs.get("/caseload").status_code == 200

    organization = make_organization()
    response = post_form(client, f"/users/{target.id}", {"role": "org_editor", "organization_id": organization.id})
    assert response.headers["Location"] == "/users/"
    changed = fresh(target)
    assert changed.role == Role.ORG_EDITOR
    assert changed.organization_id == organization.id

    assert theirs.get("/caseload").headers["Location"] == "/sign-in"
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user_role_changed"))
    assert (event.user_id, event.object_id) == (coordinator.id, str(target.id))
    assert event.detail == "from=link_worker to=org_editor"


def test_a_bad_role_change_changes_nothing(client, coordinator):
    target = make_user(Role.LINK_WORKER, pcn=coordinator.pcn)
    response = post_form(client, f"/users/{target.id}", {"role": "clinician", "practice_id": "abc"})
    assert response.status_code == 400
    assert "Select a practice in your primary care network" in error_summary(response)
    unchanged = fresh(target)
    assert (unchanged.role, unchanged.pcn_id, unchanged.session_version) == (Role.LINK_WORKER, coordinator.pcn_id, 1)


def test_deactivated_user_cannot_sign_in_and_loses_session(app, client, coordinator):
    target = make_user(Role.COMMISSIONER, pcn_id=coordinator.pcn_id, name="Dana Fox")
    theirs = app.test_client()
    assert post_form(theirs, "/sign-in", {"email": target.email, "password": PASSWORD}).status_code == 302
    assert theirs.get("/reports").status_code == 200

    response = post_form(client, f"/users/{target.id}/deactivate", follow_redirects=True)
    assert "Dana Fox can no longer sign in." in page(response).get_text()

    # Their open session ends on their next request, and the password no longer works.
    assert theirs.get("/reports").headers["Location"] == "/sign-in"
    response = post_form(theirs, "/sign-in", {"email": target.email, "password": PASSWORD})
    assert "Enter a correct email address and password" in error_summary(response)
    assert theirs.get("/reports").headers["Location"] == "/sign-in"

    # The account is kept and shown as deactivated, and the change is in the audit log.
    assert "Deactivated" in row_for(client.get("/users/"), "Dana Fox")
    assert fresh(target).deactivated_at is not None
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user_deactivated"))
    assert (event.user_id, event.object_id, event.pcn_id) == (coordinator.id, str(target.id), coordinator.pcn_id)


def test_a_reactivated_user_can_sign_in_again(app, client, coordinator):
    target = make_user(Role.COMMISSIONER, pcn_id=coordinator.pcn_id, name="Dana Fox")
    post_form(client, f"/users/{target.id}/deactivate")
    post_form(client, f"/users/{target.id}/reactivate")
    assert "Active" in row_for(client.get("/users/"), "Dana Fox")
    response = post_form(app.test_client(), "/sign-in", {"email": target.email, "password": PASSWORD})
    assert response.headers["Location"] == "/reports"


def test_coordinators_cannot_deactivate_or_demote_themselves(client, coordinator):
    response = post_form(client, f"/users/{coordinator.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account" in page(response).get_text()
    response = post_form(client, f"/users/{coordinator.id}", {"role": "link_worker"})
    assert response.status_code == 400
    assert "You cannot change your own role" in error_summary(response)
    me = fresh(coordinator)
    assert me.active and me.role == Role.COORDINATOR


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("post", ""), ("post", "/deactivate"), ("post", "/reactivate")]
)
def test_a_coordinator_cannot_see_or_change_another_pcns_users(client, coordinator, method, suffix):
    stranger = make_user(Role.LINK_WORKER, name="Other Person")  # in another PCN
    url = f"/users/{stranger.id}{suffix}"
    response = client.get(url) if method == "get" else post_form(client, url, {"role": "org_editor"})
    assert response.status_code == 404
    assert page(response).h1.get_text(strip=True) == "Page not found"
    assert "Other Person" not in client.get("/users/").get_data(as_text=True)
    unchanged = fresh(stranger)
    assert unchanged.active and unchanged.role == Role.LINK_WORKER


def test_unknown_user_ids_are_not_found(client, coordinator):
    assert client.get("/users/999999").status_code == 404
    assert client.get("/users/not-a-number").status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COORDINATOR])
@pytest.mark.parametrize("path", ["/users/", "/users/invite"])
def test_non_coordinators_are_refused(client, role, path):
    sign_in(client, make_user(role))
    assert client.get(path).status_code == 403
    before = count_users()
    assert invite(client).status_code == 403
    assert count_users() == before
