"""Counting failed sign-ins where every worker sees them: the database, or Redis.

Accounts are limited first (5 failures in 15 minutes); addresses have a much higher
limit, so a practice behind one address is not locked out by one person's typing.
"""

import hashlib
import secrets
from datetime import UTC, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from prescribing.auth.models import SignInFailure
from prescribing.clock import utcnow
from prescribing.extensions import db


def account_key(email: str) -> str:
    # A hash, so the failure table holds no e-mail addresses.
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


_redis_clients: dict = {}


class DatabaseCounter:
    def count(self, key: str, window: timedelta) -> int:
        since = utcnow() - window
        return db.session.scalar(
            select(func.count()).select_from(SignInFailure).where(SignInFailure.key == key, SignInFailure.at >= since)
        )

    def add(self, key: str, window: timedelta) -> None:
        db.session.add(SignInFailure(key=key, at=utcnow()))
        # Old rows are no use to anyone: prune them as we go.
        db.session.execute(delete(SignInFailure).where(SignInFailure.at < utcnow() - 2 * window))

    def clear(self, key: str) -> None:
        db.session.execute(delete(SignInFailure).where(SignInFailure.key == key))


class RedisCounter:
    def __init__(self, url: str):
        import redis

        # One client (and connection pool) per URL, not a new connection per sign-in.
        if url not in _redis_clients:
            _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=2)
        self.redis = _redis_clients[url]

    def count(self, key: str, window: timedelta) -> int:
        now = utcnow().replace(tzinfo=UTC).timestamp()
        self.redis.zremrangebyscore(self._k(key), 0, now - window.total_seconds())
        return int(self.redis.zcard(self._k(key)))

    def add(self, key: str, window: timedelta) -> None:
        now = utcnow().replace(tzinfo=UTC).timestamp()
        pipe = self.redis.pipeline()
        # A random suffix, so two failures at the same instant are counted twice, not once.
        pipe.zadd(self._k(key), {f"{now}:{secrets.token_hex(4)}": now})
        pipe.expire(self._k(key), int(window.total_seconds()) * 2)
        pipe.execute()

    def clear(self, key: str) -> None:
        self.redis.delete(self._k(key))

    @staticmethod
    def _k(key: str) -> str:
        return f"prescribing:signin:{key}"


def counter():
    url = current_app.config.get("REDIS_URL")
    return RedisCounter(url) if url else DatabaseCounter()


def is_throttled(email: str, address: str | None) -> bool:
    config = current_app.config
    window = config["SIGN_IN_WINDOW"]
    c = counter()
    return (
        c.count(account_key(email), window) >= config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]
        or c.count(address_key(address), window) >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]
    )


def record_failure(email: str, address: str | None) -> None:
    window = current_app.config["SIGN_IN_WINDOW"]
    c = counter()
    c.add(account_key(email), window)
    c.add(address_key(address), window)


def clear_account(email: str) -> None:
    counter().clear(account_key(email))
