"""When a service next meets, from its weekly or monthly sessions.

Session times are local wall-clock times in England; the clock gives naive UTC.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from prescribing import clock

LOCAL = ZoneInfo("Europe/London")
# Far enough ahead to reach any "last Friday of the month" session.
LOOK_AHEAD_DAYS = 62


@dataclass(frozen=True)
class Occurrence:
    on: date
    opens_at: time
    closes_at: time
    note: str | None = None


def local_now(now_utc: datetime | None = None) -> datetime:
    """The local time in England now (naive), from naive UTC."""
    now_utc = now_utc or clock.utcnow()
    return now_utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL).replace(tzinfo=None)


def meets_on(schedule, day: date) -> bool:
    """Whether a session (byday_index, week_of_month) falls on this date."""
    if day.weekday() != schedule.byday_index:
        return False
    week = schedule.week_of_month
    if not week:
        return True
    if week == -1:
        return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    return (day.day - 1) // 7 + 1 == week


def next_session(schedules, now_local: datetime) -> Occurrence | None:
    """The next session that has not yet finished, or None when there are no sessions."""
    if not schedules:
        return None
    for offset in range(LOOK_AHEAD_DAYS):
        day = now_local.date() + timedelta(days=offset)
        todays = sorted(
            (s for s in schedules if meets_on(s, day) and (offset or s.closes_at > now_local.time())),
            key=lambda s: s.opens_at,
        )
        if todays:
            first = todays[0]
            return Occurrence(day, first.opens_at, first.closes_at, first.note)
    return None
