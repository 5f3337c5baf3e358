"""Shared fixtures: one app per test session, a clean database for every test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

import contextvars
import os
import sys
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import text

from prescribing import clock as _clock
from prescribing import create_app
from prescribing.clock import utcnow
from prescribing.extensions import db as _db
from prescribing.mail import read_outbox


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The `db` fixture keeps an app context open for the whole test; without this, requests
    would share its `g`, so the user Flask-Login cached for one client (and the CSRF token
    and CSP nonce) would leak into the next request, even from another client.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("app")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.sqlite'}"
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "MAIL_OUTBOX": tmp / "outbox"})
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _empty_tables() -> None:
    _db.session.rollback()
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture(autouse=True)
def db(app):
    """A clean database and an empty outbox for each test, inside an app context."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _empty_tables()
    for message in Path(app.config["MAIL_OUTBOX"]).glob("*.json"):
        message.unlink()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """Messages sent so far in this test, oldest first."""
    return lambda: read_outbox(Path(app.config["MAIL_OUTBOX"]))


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(client) -> str:
    """A valid CSRF token for this client's session, taken from a page's form."""
    response = client.get("/sign-in", follow_redirects=True)
    found = page(response).find("input", {"name": "csrf_token"})
    assert found is not None, "no page with a CSRF token"
    return found["value"]


def post_form(client, url: str, data: dict | None = None, **kwargs):
    """POST a form as a browser would, with the session's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def sign_in(client, user) -> None:
    """Put `user` in the client's session, as if they had signed in with both factors."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["last_seen"] = utcnow().replace(tzinfo=UTC).timestamp()


class MovableClock:
    """The service's clock, moved forward by a test: `clock.advance(minutes=31)`."""

    def __init__(self, monkeypatch):
        self.offset = timedelta()
        real = _clock.utcnow
        # Every module that did `from prescribing.clock import utcnow` holds its own name for it.
        for name, module in list(sys.modules.items()):
            if (name == "prescribing" or name.startswith("prescribing.")) and getattr(module, "utcnow", None) is real:
                monkeypatch.setattr(module, "utcnow", lambda: real() + self.offset)

    def advance(self, **kwargs) -> None:
        self.offset += timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch) -> MovableClock:
    """Move `prescribing.clock.utcnow` (and the modules that imported it) forward in time."""
    return MovableClock(monkeypatch)
