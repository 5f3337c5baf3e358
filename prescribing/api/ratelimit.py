"""A per-client limit on open API requests: a fixed-window counter per remote address.

Counts live where every worker sees them: Redis when REDIS_URL is set, otherwise a small
table in the database (rows older than two windows are pruned as new windows start).

    API_RATE_LIMIT = 600            requests per window and address; 0 switches the limit off
    API_RATE_WINDOW_SECONDS = 60
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from prescribing import clock
from prescribing.api.models import ApiRateWindow
from prescribing.extensions import db

DEFAULT_LIMIT = 600
DEFAULT_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window ends


EPOCH = datetime(1970, 1, 1)


def _window(now: datetime, seconds: int) -> tuple[datetime, int]:
    """The start of the window `now` (naive UTC) falls in, and the seconds left in it."""
    elapsed = int((now - EPOCH).total_seconds())
    start = elapsed - elapsed % seconds
    return EPOCH + timedelta(seconds=start), start + seconds - elapsed


def _count_in_database(key: str, start: datetime, seconds: int) -> int:
    session = db.session
    result = session.execute(
        update(ApiRateWindow)
        .where(ApiRateWindow.key == key, ApiRateWindow.window_start == start)
        .values(count=ApiRateWindow.count + 1)
    )
    if result.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(ApiRateWindow(key=key, window_start=start, count=1))
        except IntegrityError:  # another worker started this window first
            session.execute(
                update(ApiRateWindow)
                .where(ApiRateWindow.key == key, ApiRateWindow.window_start == start)
                .values(count=ApiRateWindow.count + 1)
            )
        else:
            session.execute(
                delete(ApiRateWindow).where(ApiRateWindow.window_start < start - timedelta(seconds=2 * seconds))
            )
    count = session.scalar(
        ApiRateWindow.__table__.select()
        .with_only_columns(ApiRateWindow.count)
        .where(ApiRateWindow.key == key, ApiRateWindow.window_start == start)
    )
    session.commit()
    return int(count or 0)


def _count_in_redis(url: str, key: str, start: datetime, seconds: int) -> int:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2)
    name = f"prescribing:api:{key}:{int((start - EPOCH).total_seconds())}"
    pipe = client.pipeline()
    pipe.incr(name)
    pipe.expire(name, seconds * 2)
    count, _ = pipe.execute()
    return int(count)


def check(address: str | None) -> Verdict:
    """Count this request against its address's window and say whether it may go ahead."""
    config = current_app.config
    limit = int(config.get("API_RATE_LIMIT", DEFAULT_LIMIT) or 0)
    seconds = int(config.get("API_RATE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS) or DEFAULT_WINDOW_SECONDS)
    if limit <= 0:
        return Verdict(True, 0, 0, 0)
    start, left = _window(clock.utcnow(), seconds)
    key = f"api:{address or 'unknown'}"[:100]
    url = config.get("REDIS_URL")
    count = _count_in_redis(url, key, start, seconds) if url else _count_in_database(key, start, seconds)
    return Verdict(count <= limit, limit, max(limit - count, 0), max(left, 1))
