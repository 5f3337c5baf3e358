"""Display formatting for templates: dates, times, miles, money."""

from datetime import date, datetime, time

from flask import Flask


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y} at {format_time(value.time())}"


def format_time(value: time | None) -> str:
    """24-hour clock, as NHS content style recommends for precision: 10:00, 18:30."""
    return "" if value is None else value.strftime("%H:%M")


def format_miles(value: float | None, approximate: bool = False) -> str:
    if value is None:
        return ""
    text = f"{value:.1f} miles" if value >= 0.1 else "less than 0.1 miles"
    return ("about " + text) if approximate else text


def format_money(value: float | None) -> str:
    if value is None:
        return ""
    return f"£{value:,.2f}".replace(".00", "")


def register(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_time, "time")
    app.add_template_filter(format_miles, "miles")
    app.add_template_filter(format_money, "money")
