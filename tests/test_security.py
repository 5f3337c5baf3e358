"""Security of every page: headers, CSRF, escaping, cookies, error pages, and no personal data in URLs."""

import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from prescribing import create_app
from prescribing.auth.access import EVERYONE, access
from prescribing.auth.models import AppUser, Role
from prescribing.extensions import db
from tests.conftest import page, post_form, sign_in
from tests.factories import PASSWORD, make_user

PUBLIC_PAGES = ["/", "/about", "/privacy", "/accessibility", "/cookies", "/sign-in", "/forgot-password", "/services"]
# Names of fields that carry personal data about the people we support.
PERSONAL_FIELDS = {"postcode", "nhs_number", "date_of_birth", "dob", "name", "first_name", "last_name", "email"}


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/no-such-page"])
def test_security_headers_on_every_page(client, path):
    response = client.get(path)
    csp = csp_directives(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"

    # The page template's one inline script runs through its nonce; nothing else inline.
    nonces = [source for source in csp["script-src"] if source.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    inline = [script for script in page(response).find_all("script") if not script.get("src")]
    assert inline, "the NHS.UK template's inline script is missing"
    assert all(script.get("nonce") == nonce for script in inline)
    assert not page(response).select("[style]"), "style attributes are blocked by the CSP"
    assert not page(response).select("[onclick], [onload], [onerror]")


def test_each_response_gets_its_own_nonce(client):
    first = csp_directives(client.get("/"))["script-src"]
    second = csp_directives(client.get("/"))["script-src"]
    assert first != second


@pytest.mark.parametrize("case", ["sign-in", "sign-out", "forgot-password", "invite", "deactivate"])
def test_post_without_csrf_token_is_refused(app, client, outbox, case):
    coordinator = make_user(Role.COORDINATOR)
    target = make_user(Role.LINK_WORKER, pcn_id=coordinator.pcn_id)
    users_before = db.session.scalar(select(func.count()).select_from(AppUser))
    if case == "sign-in":
        response = client.post("/sign-in", data={"email": target.email, "password": PASSWORD})
    elif case == "forgot-password":
        response = client.post("/forgot-password", data={"email": target.email})
    else:
        sign_in(client, coordinator)
        url, data = {
            "sign-out": ("/sign-out", {}),
            "invite": ("/users/invite", {"name": "Sam Lee", "email": "sam@example.org", "role": "link_worker"}),
            "deactivate": (f"/users/{target.id}/deactivate", {}),
        }[case]
        # A forged form carries no token, or someone else's.
        response = client.post(url, data=data)
        assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 400

    assert response.status_code == 400
    assert page(response).h1.get_text(strip=True) == "Sorry, there is a problem with this request"
    assert "Your form could not be sent" in page(response).get_text()
    assert "nhsuk-header" in response.get_data(as_text=True)  # the styled page

    # Nothing happened.
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AppUser)) == users_before
    assert db.session.get(AppUser, target.id).active
    assert outbox() == []
    if case == "sign-in":
        assert client.get("/caseload").headers["Location"] == "/sign-in"
    elif case != "forgot-password":
        assert client.get("/users/").status_code == 200  # still signed in


SCRIPT = "<script>alert(1)</script>"


def test_user_text_is_escaped_in_nhs_macros(client):
    coordinator = make_user(Role.COORDINATOR, name=SCRIPT)
    make_user(Role.LINK_WORKER, pcn_id=coordinator.pcn_id, name='<img src=x onerror="alert(2)">')
    sign_in(client, coordinator)

    for path in ("/users/", "/coordinator", "/audit/"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert SCRIPT not in html
        assert "<img src=x" not in html
        assert not any("alert" in (s.string or "") for s in page(response).find_all("script"))
        assert not page(response).select("img[onerror]")

    users = page(client.get("/users/"))
    # Shown as text, in the header's account item and in the users table.
    assert SCRIPT in users.select_one(".nhsuk-header__account").get_text()
    assert any(SCRIPT in cell.get_text() for cell in users.select("td"))
    assert any('<img src=x onerror="alert(2)">' in cell.get_text() for cell in users.select("td"))


def get_pages(app, client) -> list[tuple[str, object]]:
    """Every page without URL arguments, as this client sees it."""
    with app.test_request_context():
        paths = sorted(
            url_for(rule.endpoint)
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
        )
    return [(path, client.get(path)) for path in paths]


@pytest.mark.parametrize("role", [None, *Role])
def test_no_form_sends_personal_data_by_get(app, client, role):
    if role is not None:
        sign_in(client, make_user(role))
    with app.test_request_context():
        public_search = url_for("directory.search")
    checked = 0
    for path, response in get_pages(app, client):
        assert response.status_code < 500, path
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        for form in page(response).find_all("form"):
            if (form.get("method") or "get").lower() != "get":
                continue
            checked += 1
            # A postcode in the public directory search is fine: it is not about a person.
            if (form.get("action") or path).split("?")[0] == public_search:
                continue
            names = {field.get("name") for field in form.find_all(["input", "select", "textarea"])}
            assert not names & PERSONAL_FIELDS, f"{path} sends {names & PERSONAL_FIELDS} in its URL"
    if role == Role.COORDINATOR:
        assert checked, "the audit search is a GET form and should have been checked"


def test_session_cookie_is_httponly_and_samesite_lax(client):
    user = make_user(Role.COMMISSIONER)
    response = post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD})
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    for cookie in cookies:
        assert re.search(r"; HttpOnly", cookie)
        assert re.search(r"; SameSite=Lax", cookie)
    assert not any("remember_token" in c for c in response.headers.getlist("Set-Cookie"))


def test_unknown_url_gives_a_styled_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert page(response).h1.get_text(strip=True) == "Page not found"
    assert page(response).select_one(".nhsuk-header") is not None
    assert page(response).select_one(".nhsuk-footer") is not None


@pytest.mark.parametrize(("method", "path", "code"), [("get", "/sign-out", 405), ("put", "/sign-in", 405)])
def test_other_errors_are_styled_too(client, method, path, code):
    response = getattr(client, method)(path)
    assert response.status_code == code
    assert page(response).select_one(".nhsuk-header") is not None


@pytest.fixture
def broken_app(app):
    """A fresh app on the test database with a view that fails."""
    fresh = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    fresh.config["PROPAGATE_EXCEPTIONS"] = False

    @access(EVERYONE)
    def broken():
        raise RuntimeError("secret internals")

    @access(EVERYONE)
    def broken_query():
        db.session.execute(select(func.no_such_function()))
        return "unreachable"

    fresh.add_url_rule("/broken", "broken", broken)
    fresh.add_url_rule("/broken-query", "broken_query", broken_query)
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/broken", "/broken-query"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_a_failing_view_gives_the_styled_500_page(broken_app, path, signed_in):
    client = broken_app.test_client()
    if signed_in:
        sign_in(client, make_user(Role.COORDINATOR))
    response = client.get(path)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert page(response).h1.get_text(strip=True) == "Sorry, there is a problem with the service"
    assert "Traceback" not in body and "secret internals" not in body and "no_such_function" not in body
    assert page(response).select_one(".nhsuk-header") is not None
