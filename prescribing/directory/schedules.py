"""Reading and writing session times such as `Tue 10:00-12:00; 1st Thu 18:30-20:00`."""

import re
from dataclasses import dataclass
from datetime import time

DAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
WEEK_WORDS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4, "last": -1}
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}
_SESSION = re.compile(
    r"^(?:(?P<week>1st|2nd|3rd|4th|first|second|third|fourth|last)\s+)?"
    r"(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*(?:-|–|to)\s*(?P<end>\d{1,2}:\d{2})$",
    re.IGNORECASE,
)


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Session:
    day_index: int
    opens_at: time
    closes_at: time
    week_of_month: int | None = None


def _time(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ScheduleError(f"'{text}' is not a time on the 24-hour clock")
    return time(hours, minutes)


def parse_sessions(text: str | None) -> list[Session]:
    """Parse `;`-separated sessions; raise ScheduleError naming the first bad one."""
    sessions = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        match = _SESSION.match(part)
        if not match:
            raise ScheduleError(f"'{part}' is not a session like 'Tue 10:00-12:00' or '1st Thu 18:30-20:00'")
        opens, closes = _time(match["start"]), _time(match["end"])
        if closes <= opens:
            raise ScheduleError(f"'{part}' ends before it starts")
        week = WEEK_WORDS[match["week"].lower()] if match["week"] else None
        sessions.append(Session(DAY_ABBREVIATIONS[match["day"].lower()[:3]], opens, closes, week))
    return sessions
