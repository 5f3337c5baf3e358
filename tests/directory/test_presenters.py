"""Display formatting for listings: plain functions, no Flask needed."""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from prescribing.directory import presenters
from prescribing.directory.models import Accepting, Schedule
from prescribing.directory.search import SearchPage, ServiceResult
from prescribing.directory.timetable import Occurrence


def service(**fields):
    defaults = {
        "is_free": True,
        "cost_options": [],
        "at_venue": True,
        "online": False,
        "by_phone": False,
        "at_home": False,
        "self_referral": False,
        "link_worker_referral": False,
        "gp_referral": False,
        "areas": [],
        "last_verified_at": None,
    }
    return SimpleNamespace(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("day", "week", "opens", "closes", "text"),
    [
        (1, None, time(10), time(12), "Every Tuesday, 10:00 to 12:00"),
        (3, 1, time(18, 30), time(20), "First Thursday of the month, 18:30 to 20:00"),
        (0, 2, time(9), time(9, 45), "Second Monday of the month, 09:00 to 09:45"),
        (4, -1, time(14), time(15), "Last Friday of the month, 14:00 to 15:00"),
    ],
)
def test_schedule_text(day, week, opens, closes, text):
    assert (
        presenters.schedule_text(Schedule(byday_index=day, week_of_month=week, opens_at=opens, closes_at=closes))
        == text
    )


@pytest.mark.parametrize(
    ("on", "text"),
    [
        (date(2025, 6, 3), "Today, 10:00 to 12:00"),
        (date(2025, 6, 4), "Tomorrow, 10:00 to 12:00"),
        (date(2025, 6, 10), "Tuesday 10 June, 10:00 to 12:00"),
    ],
)
def test_session_text(on, text):
    assert presenters.session_text(Occurrence(on, time(10), time(12)), date(2025, 6, 3)) == text
    assert presenters.session_text(None, date(2025, 6, 3)) is None


@pytest.mark.parametrize(
    ("fields", "lines"),
    [
        ({}, ["Free"]),
        ({"is_free": False, "cost_options": [SimpleNamespace(amount=3.5, option=None)]}, ["£3.50"]),
        (
            {"is_free": False, "cost_options": [SimpleNamespace(amount=12.0, option="for six weeks")]},
            ["£12 – for six weeks"],
        ),
        (
            {"is_free": False, "cost_options": [SimpleNamespace(amount=None, option="Donations welcome")]},
            ["Donations welcome"],
        ),
        ({"is_free": False, "cost_options": []}, ["Ask the group about cost"]),
    ],
)
def test_cost_lines(fields, lines):
    assert presenters.cost_lines(service(**fields)) == lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short.", "Short."),
        ("word " * 100, ("word " * 40).strip() + "…"),
        ("  spaced\n\n out  ", "spaced out"),
        (None, ""),
    ],
)
def test_short_description(text, expected):
    assert presenters.short_description(text) == expected
    assert len(presenters.short_description(text)) <= presenters.SHORT_DESCRIPTION + 1


def test_paragraphs():
    assert presenters.paragraphs("One\nline.\r\n\r\nTwo.\n\n\n") == ["One line.", "Two."]
    assert presenters.paragraphs(None) == []


@pytest.mark.parametrize(
    ("flags", "text"),
    [
        ({}, "At a venue"),
        ({"online": True}, "At a venue and online"),
        ({"at_venue": False, "online": True, "by_phone": True, "at_home": True}, "Online, by phone and at home"),
        ({"at_venue": False}, ""),
    ],
)
def test_delivery_text(flags, text):
    assert presenters.delivery_text(service(**flags)) == text


@pytest.mark.parametrize(
    ("minimum", "maximum", "text"),
    [(None, None, None), (18, None, "Ages 18 and over"), (None, 12, "Ages 12 and under"), (13, 25, "Ages 13 to 25")],
)
def test_age_range(minimum, maximum, text):
    assert presenters.age_range(minimum, maximum) == text


@pytest.mark.parametrize(
    ("accepting", "text"),
    [
        (Accepting.YES, "Taking new people"),
        (Accepting.NO, "Not taking new people at the moment"),
        (Accepting.WAITING_LIST, "Waiting list"),
    ],
)
def test_accepting_text(accepting, text):
    assert presenters.accepting_text(service(accepting=accepting)) == text


def test_join_routes():
    assert presenters.join_routes(service()) == []
    routes = presenters.join_routes(service(self_referral=True, gp_referral=True))
    assert routes == [
        "Contact the group yourself – you do not need a referral",
        "Ask your GP or practice team to refer you",
    ]


def test_areas_text():
    assert presenters.areas_text(service()) is None
    one = service(areas=[SimpleNamespace(outcode="M33")])
    assert presenters.areas_text(one) == "Only for people who live in the M33 postcode area"
    three = service(areas=[SimpleNamespace(outcode=o) for o in ("M33", "M32", "WA14")])
    assert presenters.areas_text(three) == "Only for people who live in the M32, M33 or WA14 postcode areas"


NOW = datetime(2025, 6, 30, 12)


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0, "today"),
        (1, "yesterday"),
        (5, "5 days ago"),
        (21, "3 weeks ago"),
        (7 * 8, "8 weeks ago"),
        (95, "3 months ago"),
        (400, "1 year ago"),
        (800, "2 years ago"),
    ],
)
def test_how_long_ago(days, text):
    assert presenters.how_long_ago(NOW - timedelta(days=days), NOW) == text


def test_confirmed_text():
    assert (
        presenters.confirmed_text(service(last_verified_at=datetime(2025, 6, 9)), NOW)
        == "Confirmed accurate 3 weeks ago"
    )
    assert presenters.confirmed_text(service(), NOW) == "Never confirmed by the organisation"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org", "https://example.org"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("example.org", "https://example.org"),
        ("javascript:alert(1)", None),
        ("  JAVASCRIPT:alert(1)", None),
        ("data:text/html,x", None),
        ("ftp://example.org", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url, safe):
    assert presenters.safe_url(url) == safe


def result(**fields):
    defaults = {
        "service": service(),
        "miles": None,
        "approximate": False,
        "next_session": None,
        "score": 0,
        "score_parts": {},
    }
    return ServiceResult(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"miles": 1.234}, "1.2 miles"),
        ({"miles": 1.234, "approximate": True}, "about 1.2 miles"),
        ({"miles": 0.04}, "less than 0.1 miles"),
        ({"remote": True, "service": service(at_venue=False, online=True, by_phone=True)}, "Online or by phone"),
        ({"location": SimpleNamespace()}, "Distance not known"),
        ({}, None),
    ],
)
def test_distance_text(fields, text):
    assert presenters.distance_text(result(**fields)) == text


def test_place_text_hides_an_unpublished_address():
    published = SimpleNamespace(address_published=True, name="Sale Library", postcode="M33 7ZF", outcode="M33")
    hidden = SimpleNamespace(address_published=False, name="Refuge", postcode="M33 7ZF", outcode="M33")
    assert presenters.place_text(published) == "Sale Library, M33 7ZF"
    assert presenters.place_text(hidden) == "M33 area"
    assert presenters.place_text(None) is None


def search_page(total, current, per_page=20):
    shown = max(0, min(per_page, total - (current - 1) * per_page))
    return SearchPage(results=[object()] * shown, total=total, page=current, per_page=per_page)


@pytest.mark.parametrize(
    ("total", "current", "numbers"),
    [
        (40, 1, [1, 2]),
        (200, 1, [1, 2, 3, None, 10]),
        (200, 5, [1, 2, 3, 4, 5, 6, 7, None, 10]),
        (200, 10, [1, None, 8, 9, 10]),
    ],
)
def test_pagination_items(total, current, numbers):
    params = presenters.pagination(search_page(total, current), lambda n: f"?page={n}")
    assert [item.get("number") for item in params["items"]] == numbers
    assert [item["number"] for item in params["items"] if item.get("current")] == [current]
    assert (params["previous"] is None) == (current == 1)
    assert (params["next"] is None) == (current * 20 >= total)
    if params["next"]:
        assert params["next"]["href"] == f"?page={current + 1}"


def test_no_pagination_for_one_page():
    assert presenters.pagination(search_page(20, 1), str) is None


@pytest.mark.parametrize(
    ("total", "current", "heading"),
    [(0, 1, "No results"), (1, 1, "1 result"), (7, 1, "7 results"), (45, 3, "Showing 41 to 45 of 45 results")],
)
def test_results_heading(total, current, heading):
    assert presenters.results_heading(search_page(total, current)) == heading


def test_ordering_is_explained_with_the_real_weights():
    lines = presenters.ordering_explained()
    assert [line.split("(")[1].split(")")[0] for line in lines] == ["35%", "30%", "20%", "15%"]
