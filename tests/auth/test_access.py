"""Deny by default: every route declares who may use it, and the wrong role is refused."""

import pytest
from flask import url_for

from prescribing import create_app
from prescribing.auth.access import BUILT_IN_ENDPOINTS, rule_for
from prescribing.auth.models import Role
from tests.conftest import page, sign_in
from tests.factories import make_user

# Pages only these roles may open; every other role gets 403.
ROLE_ONLY_PAGES = {
    "/caseload": {Role.LINK_WORKER},
    "/signposting": {Role.CLINICIAN},
    "/listings/my-organisation": {Role.ORG_EDITOR},
    "/coordinator": {Role.COORDINATOR},
    "/users/": {Role.COORDINATOR},
    "/audit/": {Role.COORDINATOR},
    "/reports": {Role.COORDINATOR, Role.COMMISSIONER},
}


def test_every_route_declares_an_access_rule(app):
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in BUILT_IN_ENDPOINTS and rule_for_endpoint(app, rule.endpoint) is None
    ]
    assert undeclared == []


def rule_for_endpoint(app, endpoint):
    with app.test_request_context():
        return rule_for(endpoint)


def test_a_view_without_a_rule_is_refused():
    fresh = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    fresh.add_url_rule("/forgotten-rule", "forgotten_rule", lambda: "secret")
    response = fresh.test_client().get("/forgotten-rule")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", sorted(ROLE_ONLY_PAGES))
def test_signed_out_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")


@pytest.mark.parametrize(("path", "role"), [(p, r) for p, roles in ROLE_ONLY_PAGES.items() for r in Role])
def test_wrong_role_gets_403(client, path, role):
    sign_in(client, make_user(role))
    response = client.get(path)
    if role in ROLE_ONLY_PAGES[path]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert page(response).h1.get_text(strip=True) == "You do not have permission to view this page"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_start_page(app, client, role):
    sign_in(client, make_user(role))
    response = client.get("/")
    expected = {
        Role.LINK_WORKER: "plans.caseload",
        Role.CLINICIAN: "signposting.start",
        Role.ORG_EDITOR: "listings.my_organisation",
        Role.COORDINATOR: "pages.coordinator",
        Role.COMMISSIONER: "reports.dashboard",
    }[role]
    with app.test_request_context():
        assert response.headers["Location"] == url_for(expected)
