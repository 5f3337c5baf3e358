"""When a service next meets."""

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest

from prescribing.directory.timetable import local_now, meets_on, next_session


def session(day, opens=time(10), closes=time(12), week=None):
    return SimpleNamespace(byday_index=day, opens_at=opens, closes_at=closes, week_of_month=week, note=None)


@pytest.mark.parametrize(
    ("week", "day", "expected"),
    [
        (None, date(2025, 6, 3), True),  # every Tuesday
        (1, date(2025, 6, 3), True),  # first Tuesday of June 2025
        (1, date(2025, 6, 10), False),
        (2, date(2025, 6, 10), True),
        (-1, date(2025, 6, 24), True),
        (-1, date(2025, 6, 17), False),
        (4, date(2025, 6, 24), True),
    ],
)
def test_meets_on(week, day, expected):
    assert meets_on(session(1, week=week), day) is expected


def test_next_session_is_later_today_when_it_has_not_finished():
    now = datetime(2025, 6, 3, 11, 0)  # a Tuesday, mid-session
    found = next_session([session(1)], now)
    assert (found.on, found.opens_at) == (date(2025, 6, 3), time(10))


def test_next_session_moves_to_next_week_once_finished():
    found = next_session([session(1)], datetime(2025, 6, 3, 12, 0))
    assert found.on == date(2025, 6, 10)


def test_the_earliest_of_several_sessions_wins():
    found = next_session([session(4), session(2, opens=time(18), closes=time(19))], datetime(2025, 6, 3, 13))
    assert (found.on, found.opens_at) == (date(2025, 6, 4), time(18))


def test_a_monthly_session_finds_its_day():
    found = next_session([session(3, week=1)], datetime(2025, 6, 6, 9))  # first Thursday of July
    assert found.on == date(2025, 7, 3)


def test_no_sessions_means_no_next_session():
    assert next_session([], datetime(2025, 6, 3)) is None


def test_local_time_follows_british_summer_time():
    assert local_now(datetime(2025, 6, 3, 9, 30)) == datetime(2025, 6, 3, 10, 30)
    assert local_now(datetime(2025, 1, 3, 9, 30)) == datetime(2025, 1, 3, 9, 30)
