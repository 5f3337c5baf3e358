"""The current time, in one place so tests can move it.

Times are stored as naive UTC: SQLite keeps no time zone, and mixing aware and naive
datetimes is an error waiting to happen.
"""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
