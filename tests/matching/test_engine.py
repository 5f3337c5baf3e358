"""The matching engine on small hand-built directories: orderings a link worker would agree with.

The person lives at M33 7AB (Sale). Venues used, by distance from there: M33 6QA 0.3 miles,
M33 6GS 0.5, M33 5DB 0.8, WA14 5AZ 1.5, M32 0JP 2.5, WA15 8PU 3.0, M5 5JD 4.5.
"""

import math
from datetime import time, timedelta

import pytest

from prescribing import geography
from prescribing.clock import utcnow
from prescribing.directory.models import Accepting, GeoPrecision, ListingStatus, ServiceArea, ServiceLanguage
from prescribing.extensions import db
from prescribing.matching import WEIGHTS, GoalQuery, Profile, Relaxation, match_goal
from tests.factories import make_service, make_term

HOME = "M33 7AB"
TUESDAY, THURSDAY = 1, 3
MORNING = (time(10, 0), time(12, 0))


def profile(**overrides) -> Profile:
    place = geography.geocode_offline(HOME)
    fields = {
        "latitude": place.latitude,
        "longitude": place.longitude,
        "precise": True,
        "outcode": "M33",
        "age": 50,
        "travel_miles": 3.0,
        "free_slots": frozenset({(TUESDAY, "morning")}),
    }
    return Profile(**{**fields, **overrides})


@pytest.fixture
def walking():
    activity = make_term("physical-activity")
    return make_term("walking", parent=activity)


def tuesday_group(**overrides):
    fields = {"postcode": "M33 6GS", "sessions": [(TUESDAY, *MORNING)]}
    return make_service(**{**fields, **overrides})


def ranked(result) -> list[str]:
    return [m.service_id for m in result.matches]


def goal(term, words: str = "") -> GoalQuery:
    return GoalQuery(need_term_id=term.id, own_words=words)


def test_nearer_beats_farther_when_all_else_is_equal(walking):
    far = tuesday_group(terms=[walking], postcode="M32 0JP")
    near = tuesday_group(terms=[walking], postcode="M33 6GS")

    result = match_goal(db.session, profile(), goal(walking))

    assert ranked(result) == [near.id, far.id]
    assert "0.5 miles away" in result.matches[0].reasons


def test_right_day_beats_wrong_day(walking):
    thursday = tuesday_group(terms=[walking], sessions=[(THURSDAY, *MORNING)])
    tuesday = tuesday_group(terms=[walking])

    result = match_goal(db.session, profile(), goal(walking))

    assert ranked(result) == [tuesday.id, thursday.id]
    assert "meets Tuesday 10:00 — you are free Tuesday mornings" in result.matches[0].reasons
    assert result.matches[1].fits_free_time is False


def test_stale_listing_ranks_below_an_identical_fresh_one(walking):
    stale = tuesday_group(terms=[walking], last_verified_at=utcnow() - timedelta(days=200))
    fresh = tuesday_group(terms=[walking], last_verified_at=utcnow() - timedelta(days=21))

    result = match_goal(db.session, profile(), goal(walking))

    assert ranked(result) == [fresh.id, stale.id]
    assert "confirmed accurate 3 weeks ago" in result.matches[0].reasons
    assert any("check it is still running" in r for r in result.matches[1].reasons)


def test_wheelchair_user_never_sees_a_venue_without_step_free_access(walking):
    steps = tuesday_group(terms=[walking], postcode="M33 6QA", location={"step_free": False})
    step_free = tuesday_group(terms=[walking], postcode="M32 0JP", location={"step_free": True})

    result = match_goal(db.session, profile(access_needs=frozenset({"step_free"})), goal(walking))

    assert ranked(result) == [step_free.id]
    assert "step-free venue" in result.matches[0].reasons
    assert result.exclusions["access"] == [steps.id]


@pytest.mark.parametrize(("limit", "postcode"), [(1.0, "WA15 8PU"), (1.0, "WA14 5AZ"), (2.0, "WA15 8PU")])
def test_person_never_sees_a_venue_beyond_their_limit(walking, limit, postcode):
    beyond = tuesday_group(terms=[walking], postcode=postcode)
    within = tuesday_group(terms=[walking], postcode="M33 6QA")

    result = match_goal(db.session, profile(travel_miles=limit), goal(walking))

    assert ranked(result) == [within.id]
    assert beyond.id not in ranked(result)


def test_one_mile_limit_explains_a_group_just_beyond_it(walking):
    tuesday_group(terms=[walking], postcode="WA14 5AZ")  # 1.5 miles

    result = match_goal(db.session, profile(travel_miles=1.0), goal(walking))

    assert result.nothing_fits
    assert [m.text for m in result.near_misses] == ["1 more group is beyond your 1-mile limit, within 2 miles"]
    assert [(s.text, s.count, s.miles) for s in result.suggestions] == [("widen to 2 miles", 1, 2.0)]


def test_goal_words_lift_the_listing_that_mentions_them(walking):
    plain = tuesday_group(terms=[walking], description="A friendly walk for all abilities.")
    canal = tuesday_group(terms=[walking], description="A friendly walk along the canal towpath.")

    result = match_goal(db.session, profile(), goal(walking, "I want to get out walking by the canal"))

    assert ranked(result) == [canal.id, plain.id]
    assert "mentions “walk” and “canal”" in result.matches[0].reasons
    assert "mentions “walk”" in result.matches[1].reasons


def test_a_goal_without_a_need_is_matched_on_its_own_words(walking):
    choir = tuesday_group(terms=[make_term("music-and-singing")], name="Sale Community Choir")
    tuesday_group(terms=[walking])

    result = match_goal(db.session, profile(), GoalQuery(need_term_id=None, own_words="sing in a choir again"))

    assert ranked(result) == [choir.id]


def test_listings_under_unrelated_needs_are_not_offered_for_a_word_in_common(walking):
    tuesday_group(terms=[make_term("debt-advice")], description="Walk in for free debt advice.")

    assert match_goal(db.session, profile(), goal(walking, "walk more")).matches == []


def test_breakdown_adds_up_to_the_score(walking):
    tuesday_group(terms=[walking])
    tuesday_group(terms=[walking], postcode="M32 0JP", cost=3.0, accepting=Accepting.WAITING_LIST)
    tuesday_group(terms=[walking.parent], postcode=None, online=True, sessions=[(THURSDAY, time(18), time(19))])

    result = match_goal(db.session, profile(), goal(walking, "walks in the park"))

    assert len(result.matches) == 3
    for match in result.matches:
        assert [f.code for f in match.factors] == list(WEIGHTS)
        assert math.isclose(sum(f.points for f in match.factors), match.score, abs_tol=1e-6)
        assert all(0 <= f.points <= f.max_points for f in match.factors)
    assert sum(WEIGHTS.values()) == 100


def test_exact_need_beats_a_broader_one_and_unrelated_needs_are_not_offered(walking):
    debt = make_term("debt-advice")
    broader = tuesday_group(terms=[walking.parent])
    exact = tuesday_group(terms=[walking])
    tuesday_group(terms=[debt])

    result = match_goal(db.session, profile(), goal(walking))

    assert ranked(result) == [exact.id, broader.id]
    assert "listed for walking" in result.matches[0].reasons
    assert "listed for physical activity" in result.matches[1].reasons


def test_remote_services_are_never_excluded_by_distance(walking):
    online = tuesday_group(terms=[walking], postcode=None, online=True)

    result = match_goal(db.session, profile(travel_miles=0.5), goal(walking))

    assert ranked(result) == [online.id]
    assert "online — no travel" in result.matches[0].reasons


def test_remote_service_outside_its_area_is_excluded(walking):
    elsewhere = tuesday_group(terms=[walking], postcode=None, by_phone=True, areas=[ServiceArea(outcode="M20")])
    here = tuesday_group(terms=[walking], postcode=None, by_phone=True, areas=[ServiceArea(outcode="M33")])

    result = match_goal(db.session, profile(), goal(walking))

    assert ranked(result) == [here.id]
    assert result.exclusions == {"outside_area": [elsewhere.id]}


def test_approximate_distance_never_excludes_a_group(walking):
    far = tuesday_group(terms=[walking], postcode="WA14 5AZ")  # 1.5 miles
    far.locations_at[0].location.geo_precision = GeoPrecision.SECTOR
    db.session.commit()

    result = match_goal(db.session, profile(travel_miles=1.0), goal(walking))

    assert ranked(result) == [far.id]
    assert result.matches[0].approximate
    assert "about 1.5 miles away — may be beyond your 1-mile limit" in result.matches[0].reasons


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": ListingStatus.INACTIVE}, "inactive"),
        ({"accepting": Accepting.NO}, "not_accepting"),
        ({"minimum_age": 65}, "age"),
        ({"maximum_age": 25}, "age"),
        ({"cost": 6.0}, "cost"),
    ],
)
def test_hard_filters_exclude_and_say_which_constraint(walking, fields, code):
    excluded = tuesday_group(terms=[walking], **fields)

    result = match_goal(db.session, profile(max_cost=5.0), goal(walking))

    assert result.matches == []
    assert result.exclusions == {code: [excluded.id]}


def test_archived_listings_are_never_candidates(walking):
    tuesday_group(terms=[walking], status=ListingStatus.ARCHIVED)

    result = match_goal(db.session, profile(), goal(walking))

    assert result.matches == [] and result.exclusions == {} and result.considered == 0


def test_waiting_list_is_shown_as_such(walking):
    waiting = tuesday_group(terms=[walking], accepting=Accepting.WAITING_LIST, capacity_note="About 6 weeks.")

    result = match_goal(db.session, profile(), goal(walking))

    assert ranked(result) == [waiting.id]
    assert result.matches[0].waiting_list
    assert "waiting list: About 6 weeks." in result.matches[0].reasons


def test_free_only_suggests_including_paid_groups(walking):
    tuesday_group(terms=[walking], cost=2.5)

    result = match_goal(db.session, profile(max_cost=0.0), goal(walking))

    assert result.nothing_fits
    assert [m.text for m in result.near_misses] == ["1 more group within 3 miles costs more than you can afford"]
    assert [(s.text, s.include_paid) for s in result.suggestions] == [("include paid groups", True)]
    relaxed = match_goal(db.session, profile(max_cost=0.0), goal(walking), relax=Relaxation(include_paid=True))
    assert "£2.50 a session, within what you can afford" in relaxed.matches[0].reasons


def test_interpreter_needed_keeps_only_groups_in_the_persons_language(walking):
    english = tuesday_group(terms=[walking], languages=[ServiceLanguage(name="English")])
    urdu = tuesday_group(terms=[walking], languages=[ServiceLanguage(name="English"), ServiceLanguage(name="Urdu")])

    result = match_goal(db.session, profile(language="Urdu", needs_interpreter=True), goal(walking))

    assert ranked(result) == [urdu.id]
    assert "sessions in Urdu" in result.matches[0].reasons
    assert result.exclusions == {"language": [english.id]}
    assert result.near_misses[0].text == "1 more group within 3 miles has no sessions in Urdu"


def test_groups_meeting_when_the_person_is_not_free_are_explained(walking):
    tuesday_group(terms=[walking])
    tuesday_group(terms=[walking], sessions=[(THURSDAY, *MORNING)], postcode="M33 6QA")
    tuesday_group(terms=[walking], sessions=[(TUESDAY, time(19), time(20))], postcode="M33 5DB")

    result = match_goal(db.session, profile(), goal(walking))

    assert len(result.at_free_times) == 1
    assert len(result.at_other_times) == 2
    assert [m.text for m in result.near_misses] == ["2 more groups within 3 miles meet when you are not free"]


def test_reasons_are_plain_words(walking):
    tuesday_group(terms=[walking], postcode="M33 5DB", last_verified_at=utcnow() - timedelta(weeks=3))

    match = match_goal(db.session, profile(), goal(walking)).matches[0]

    assert match.reasons[:3] == ["0.8 miles away", "meets Tuesday 10:00 — you are free Tuesday mornings", "free"]
    assert "confirmed accurate 3 weeks ago" in match.reasons


def test_no_referral_outcomes_give_every_service_the_same_neutral_uptake(walking):
    tuesday_group(terms=[walking])
    tuesday_group(terms=[walking], postcode="M32 0JP")

    result = match_goal(db.session, profile(), goal(walking))

    uptake = [next(f for f in m.factors if f.code == "uptake").points for m in result.matches]
    assert uptake == [WEIGHTS["uptake"] / 2] * 2


def test_without_a_location_only_remote_services_show(walking):
    tuesday_group(terms=[walking])
    phone = tuesday_group(terms=[walking], postcode=None, by_phone=True)

    result = match_goal(db.session, Profile(), goal(walking))

    assert ranked(result) == [phone.id]
    assert any("Add their postcode" in note for note in result.notes)
