"""Caching, CORS and the rate limit."""

from datetime import datetime, timedelta

import pytest
from werkzeug.http import http_date

from prescribing import clock
from prescribing.api import ratelimit
from prescribing.api.models import ApiRateWindow
from prescribing.extensions import db
from tests.api.conftest import API
from tests.factories import make_service


@pytest.mark.parametrize(
    "path", ["/", "/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms", "/openapi.json"]
)
def test_etag_answers_304_until_something_changes(client, path):
    service = make_service()
    first = client.get(API + path)
    etag = first.headers["ETag"]
    again = client.get(API + path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    if path in ("/services", "/service_at_locations"):
        service.name = "Renamed group"
        db.session.commit()
        changed = client.get(API + path, headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.headers["ETag"] != etag


def test_last_modified_answers_if_modified_since(client):
    service = make_service()
    path = f"{API}/services/{service.id}"
    first = client.get(path)
    modified = first.headers["Last-Modified"]
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    earlier = http_date(datetime(2000, 1, 1))
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    service.description = "Now on Wednesdays too."
    service.updated_at = datetime(2099, 1, 1)
    db.session.commit()
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 200


def test_service_at_location_has_last_modified_too(client):
    service = make_service()
    response = client.get(f"{API}/service_at_locations/{service.locations_at[0].id}")
    assert response.headers["Last-Modified"]
    assert response.headers["Cache-Control"] == "public, no-cache"


@pytest.mark.parametrize("path", ["/", "/services", "/services/unknown", "/service_at_locations?page=x", "/nowhere"])
def test_any_origin_may_read_answers_and_errors(client, path):
    response = client.get(API + path, headers={"Origin": "https://council.example.gov.uk"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.mimetype == "application/json"


def test_preflight_allows_get_from_anywhere(client):
    response = client.options(
        f"{API}/services",
        headers={
            "Origin": "https://council.example.gov.uk",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_pages_outside_the_api_get_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/sign-in").headers


@pytest.fixture
def tiny_limit(app):
    app.config.update(API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=60)
    yield
    app.config.update(API_RATE_LIMIT=600, API_RATE_WINDOW_SECONDS=60)


def test_too_many_requests_get_429_with_retry_after(client, tiny_limit, monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2025, 3, 4, 10, 0, 15))
    for _ in range(3):
        response = client.get(f"{API}/services")
        assert response.status_code == 200
    assert response.headers["X-RateLimit-Remaining"] == "0"
    refused = client.get(f"{API}/services")
    assert refused.status_code == 429
    assert refused.mimetype == "application/json"
    assert refused.get_json()["status"] == 429
    assert refused.headers["Retry-After"] == "45"
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    # Another address has its own count.
    assert client.get(f"{API}/services", environ_overrides={"REMOTE_ADDR": "192.0.2.9"}).status_code == 200
    # The next window starts afresh.
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2025, 3, 4, 10, 1, 0))
    assert client.get(f"{API}/services").status_code == 200


def test_preflight_does_not_count_against_the_limit(client, tiny_limit):
    for _ in range(5):
        client.options(f"{API}/services")
    assert client.get(f"{API}/services").status_code == 200


def test_old_windows_are_pruned(app, tiny_limit, monkeypatch):
    start = datetime(2025, 3, 4, 10, 0, 0)
    with app.test_request_context():
        for minute in range(5):
            monkeypatch.setattr(clock, "utcnow", lambda m=minute: start + timedelta(minutes=m))
            ratelimit.check("198.51.100.7")
    assert db.session.query(ApiRateWindow).count() <= 3


class FakeRedis:
    """Just enough of redis-py for the fixed-window counter."""

    def __init__(self):
        self.counts, self.expiries = {}, {}

    def pipeline(self):
        return FakePipeline(self)


class FakePipeline:
    def __init__(self, redis):
        self.redis, self.calls = redis, []

    def incr(self, name):
        self.calls.append(("incr", name))

    def expire(self, name, seconds):
        self.calls.append(("expire", name, seconds))

    def execute(self):
        results = []
        for call in self.calls:
            if call[0] == "incr":
                self.redis.counts[call[1]] = self.redis.counts.get(call[1], 0) + 1
                results.append(self.redis.counts[call[1]])
            else:
                self.redis.expiries[call[1]] = call[2]
                results.append(True)
        return results


def test_counts_are_kept_in_redis_when_configured(app, client, tiny_limit, monkeypatch):
    import redis

    fake = FakeRedis()
    monkeypatch.setattr(redis.Redis, "from_url", classmethod(lambda cls, url, **kw: fake))
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://cache.invalid:6379/0")
    statuses = [client.get(f"{API}/services").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert list(fake.counts.values()) == [4]
    assert list(fake.expiries.values()) == [120]
    assert db.session.query(ApiRateWindow).count() == 0
