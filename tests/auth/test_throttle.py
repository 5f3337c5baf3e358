"""Counting failed sign-ins where every worker sees them: the database by default, or Redis."""

import secrets

import pytest
from sqlalchemy import select

from prescribing.auth import throttle
from prescribing.auth.models import Role, SignInFailure
from prescribing.extensions import db
from tests.conftest import post_form
from tests.factories import PASSWORD, make_user

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database number of its own


def fail(client, email, address="192.0.2.1"):
    return post_form(
        client, "/sign-in", {"email": email, "password": "not the password!"}, environ_base={"REMOTE_ADDR": address}
    )


def test_account_keys_hold_no_email_address_and_ignore_case():
    key = throttle.account_key("Someone@Example.org ")
    assert "someone" not in key.lower() and "example" not in key.lower()
    assert key == throttle.account_key("someone@example.org")
    assert key != throttle.account_key("someone.else@example.org")


def test_database_counts_only_failures_inside_the_window(app, clock):
    counter = throttle.DatabaseCounter()
    window = app.config["SIGN_IN_WINDOW"]
    counter.add("account:x", window)
    db.session.commit()
    clock.advance(minutes=10)
    counter.add("account:x", window)
    db.session.commit()
    assert counter.count("account:x", window) == 2
    clock.advance(minutes=6)
    assert counter.count("account:x", window) == 1
    clock.advance(minutes=15)
    assert counter.count("account:x", window) == 0
    # Old rows are pruned as new ones arrive.
    clock.advance(minutes=30)
    counter.add("account:y", window)
    db.session.commit()
    assert db.session.scalars(select(SignInFailure.key)).all() == ["account:y"]


def test_a_successful_sign_in_clears_the_account_count_but_not_the_address(app, client):
    user = make_user(Role.COMMISSIONER)
    for _ in range(4):
        fail(client, user.email)
    assert post_form(client, "/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 302
    window = app.config["SIGN_IN_WINDOW"]
    counter = throttle.DatabaseCounter()
    assert counter.count(throttle.account_key(user.email), window) == 0
    assert counter.count(throttle.address_key("192.0.2.1"), window) == 4


@pytest.fixture
def redis_throttle(app, monkeypatch):
    """The app counting failures in Redis; skipped, saying why, when no Redis is running."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: the Redis counter is not tested here")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    yield client
    for key in client.scan_iter("prescribing:signin:*"):
        client.delete(key)


def test_redis_counter_throttles_and_keeps_nothing_in_the_database(app, client, redis_throttle):
    user = make_user(Role.COMMISSIONER, email=f"{secrets.token_hex(6)}@example.org")
    address = f"198.51.100.{secrets.randbelow(250) + 1}"
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]):
        assert fail(client, user.email, address).status_code == 200
    response = post_form(
        client, "/sign-in", {"email": user.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": address}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert db.session.scalars(select(SignInFailure)).all() == []
    assert redis_throttle.zcard(f"prescribing:signin:{throttle.account_key(user.email)}") == 5
    assert redis_throttle.ttl(f"prescribing:signin:{throttle.account_key(user.email)}") > 0


def test_redis_counts_failures_at_the_same_instant_separately(app, redis_throttle, monkeypatch):
    frozen = throttle.utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: frozen)
    counter = throttle.counter()
    assert isinstance(counter, throttle.RedisCounter)
    key = f"account:test-{secrets.token_hex(6)}"
    window = app.config["SIGN_IN_WINDOW"]
    for _ in range(3):
        counter.add(key, window)
    assert counter.count(key, window) == 3
    counter.clear(key)
    assert counter.count(key, window) == 0
