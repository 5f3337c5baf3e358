"""The audit log: sign-ins and account changes are recorded, and a coordinator searches their PCN's log."""

import pytest
from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.audit.services import record_audit
from prescribing.auth.models import Role
from prescribing.extensions import db
from tests.conftest import page, post_form, sign_in
from tests.factories import PASSWORD, make_organization, make_pcn, make_practice, make_user


@pytest.fixture
def pcn():
    return make_pcn()


@pytest.fixture
def coordinator(client, pcn):
    user = make_user(Role.COORDINATOR, pcn=pcn, name="Cora Ordinator")
    sign_in(client, user)
    return user


def rows(response) -> list[list[str]]:
    """The audit table's rows as [when, who, action, record, detail]."""
    found = []
    for row in page(response).select("tbody tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
        if len(cells) == 5:
            found.append(cells)
    return found


def sign_in_with(app, email, password):
    return post_form(app.test_client(), "/sign-in", {"email": email, "password": password})


def test_sign_ins_failures_and_account_changes_are_logged(app, client, pcn, coordinator):
    worker = make_user(Role.COMMISSIONER, pcn_id=pcn.id, name="Will Orker")
    sign_in_with(app, worker.email, "a wrong password here")
    sign_in_with(app, worker.email, PASSWORD)
    post_form(client, "/users/invite", {"name": "Nia New", "email": "nia@example.org", "role": "link_worker"})
    post_form(client, f"/users/{worker.id}/deactivate")

    response = client.get("/audit/")
    assert response.status_code == 200
    actions = [row[2] for row in rows(response)]
    for expected in ("sign in failed", "sign in", "user invited", "user deactivated"):
        assert expected in actions
    # Newest first.
    assert actions[0] == "user deactivated"


def test_coordinator_searches_by_user(app, client, pcn, coordinator):
    first = make_user(Role.COMMISSIONER, pcn_id=pcn.id, name="First Person")
    second = make_user(Role.COMMISSIONER, pcn_id=pcn.id, name="Second Person")
    sign_in_with(app, first.email, PASSWORD)
    sign_in_with(app, second.email, PASSWORD)

    response = client.get(f"/audit/?user_id={second.id}")
    assert response.status_code == 200
    found = rows(response)
    assert found and all(row[1] == "Second Person" for row in found)
    # The form keeps the search.
    assert page(response).select_one("#user_id option[selected]")["value"] == str(second.id)


def test_coordinator_searches_by_record(client, pcn, coordinator):
    practice = make_practice(pcn=pcn)
    target = make_user(Role.CLINICIAN, practice=practice)
    bystander = make_user(Role.LINK_WORKER, pcn=pcn)
    post_form(client, f"/users/{target.id}/deactivate")
    post_form(client, f"/users/{bystander.id}/deactivate")

    response = client.get(f"/audit/?object_type=app_user&object_id={target.id}")
    found = rows(response)
    assert [row[3] for row in found] == [f"app user {target.id}"]
    assert found[0][2] == "user deactivated"


def test_coordinator_sees_only_their_own_pcns_log(app, client, coordinator):
    other_pcn = make_pcn()
    outsider = make_user(Role.COMMISSIONER, pcn_id=other_pcn.id, name="Out Sider")
    sign_in_with(app, outsider.email, PASSWORD)
    record_audit("record_viewed", user=outsider, object_type="person", object_id="123")
    db.session.commit()

    response = client.get("/audit/")
    assert "Out Sider" not in response.get_data(as_text=True)
    assert "record viewed" not in [row[2] for row in rows(response)]

    # Asking for the outsider or their records by id shows nothing either.
    response = client.get(f"/audit/?user_id={outsider.id}")
    assert response.status_code == 400
    assert rows(response) == []
    assert rows(client.get("/audit/?object_type=person&object_id=123")) == []


@pytest.mark.parametrize(
    "query", ["user_id=abc", "user_id=999999", "object_type=no_such_type", "object_id=" + "x" * 65]
)
def test_bad_searches_say_so_without_an_error_page(client, coordinator, query):
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 400
    assert page(response).select_one(".nhsuk-error-summary") is not None


def test_audit_entries_hold_no_personal_data(app, client, pcn, coordinator):
    editor = make_user(Role.ORG_EDITOR, organization=make_organization(), pcn_id=pcn.id, name="Eddie Tor")
    sign_in_with(app, editor.email, "a wrong password here")
    sign_in_with(app, editor.email, PASSWORD)
    sign_in_with(app, "unknown@example.org", "a wrong password here")
    post_form(client, "/users/invite", {"name": "Nia New", "email": "nia@example.org", "role": "link_worker"})
    post_form(app.test_client(), "/forgot-password", {"email": editor.email})

    details = [e.detail or "" for e in db.session.scalars(select(AuditEvent))]
    assert len(details) >= 5
    for detail in details:
        assert "@" not in detail
        assert "Eddie" not in detail and "Nia" not in detail


def test_non_coordinators_cannot_read_the_log(client):
    for role in (Role.LINK_WORKER, Role.CLINICIAN, Role.ORG_EDITOR, Role.COMMISSIONER):
        sign_in(client, make_user(role))
        assert client.get("/audit/").status_code == 403
