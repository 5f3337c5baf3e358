"""Plain words for reasons: distances, days, times, money and how long ago."""

from datetime import datetime, time

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
PART_PLURALS = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}


def part_of_day(at: time) -> str:
    if at.hour < 12:
        return "morning"
    if at.hour < 17:
        return "afternoon"
    return "evening"


def clock(at: time) -> str:
    return at.strftime("%H:%M")


def session_words(day: int, opens: time, week_of_month: int | None) -> str:
    """`Tuesday 10:00`, or `the first Tuesday of the month at 10:00`."""
    if week_of_month:
        return f"the {ORDINALS.get(week_of_month, 'some')} {DAY_NAMES[day]} of the month at {clock(opens)}"
    return f"{DAY_NAMES[day]} {clock(opens)}"


def miles_words(miles: float, approximate: bool) -> str:
    text = "less than 0.1 miles" if miles < 0.1 else ("1 mile" if f"{miles:.1f}" == "1.0" else f"{miles:.1f} miles")
    return f"about {text}" if approximate else text


def limit_words(miles: float) -> str:
    shown = f"{miles:g}"
    return f"{shown}-mile" if shown != "1" else "1-mile"


def listing(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def money(amount: float) -> str:
    return f"£{amount:,.2f}".replace(".00", "")


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def months_since(then: datetime, now: datetime) -> int:
    return max(1, round((now - then).days / 30.4))
