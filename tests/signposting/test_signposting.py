"""A GP's start page: a postcode (or a known person) and needs, to the best few groups per need, by
the same engine and reasons link workers use. Nothing about the patient is stored."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from prescribing import geography
from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.matching import GoalQuery, match_goal
from prescribing.plans import people
from prescribing.signposting import services
from prescribing.signposting.models import SignpostingCount
from tests.conftest import page, post_form, sign_in
from tests.factories import make_practice, make_term, make_user
from tests.signposting.conftest import NHS_NUMBERS


def find(client, **data):
    return post_form(client, "/signposting/results", data)


def shown(html, need_name: str) -> list[str]:
    section = next(s for s in html.select(".app-signposting-need") if s.h2.get_text(strip=True) == need_name)
    return [card.select_one("h3").get_text(strip=True) for card in section.select(".app-match")]


def test_start_page_asks_for_a_postcode_and_needs(gp, activity, company):
    html = page(gp.get("/signposting"))

    assert html.h1.get_text(strip=True) == "Signpost a patient"
    needs = [label.get_text(strip=True) for label in html.select("#needs label, .nhsuk-checkboxes label")]
    assert "Physical activity" in needs and "Loneliness and isolation" in needs
    form = html.select_one("form[action='/signposting/results']")
    assert form["method"] == "post"


@pytest.mark.parametrize("role", [Role.LINK_WORKER, Role.ORG_EDITOR, Role.COORDINATOR, Role.COMMISSIONER])
def test_only_clinicians_signpost(client, role, activity):
    sign_in(client, make_user(role))
    assert client.get("/signposting").status_code == 403
    assert find(client, postcode="M33 7AB", needs=activity.id).status_code == 403


def test_a_postcode_and_a_need_give_the_best_groups_with_reasons(gp, groups, activity, company):
    response = find(gp, postcode="M33 7AB", needs=[activity.id, company.id])

    assert response.status_code == 200
    html = page(response)
    assert shown(html, "Physical activity") == ["Sale Canal Walkers", "Chair Yoga"]
    assert shown(html, "Loneliness and isolation") == ["Friday Lunch Club"]
    reasons = [li.get_text(strip=True) for li in html.select(".app-match")[0].select(".app-reasons li")]
    assert "0.5 miles away" in reasons
    assert "M33 7AB" not in response.get_data(as_text=True)


def test_matching_is_the_same_as_the_link_workers_for_the_same_inputs(gp, groups, activity, link_worker, practice):
    """Parity: a person with this postcode, limit and needs, through plans' profile and the engine."""
    person = people.create_person(
        user=link_worker,
        data={
            "given_name": "Alex",
            "family_name": "Example",
            "nhs_number": NHS_NUMBERS[0],
            "practice_id": practice.id,
            "postcode": "M33 7AB",
            "travel_miles": 5.0,
            "max_cost": 0.0,
        },
        geocoder=geography.Geocoder("offline"),
    )
    engine = match_goal(db.session, people.profile_for(person, utcnow().date()), GoalQuery(activity.id, ""))
    link_worker_order = [m.name for m in engine.at_free_times + engine.at_other_times][:5]

    html = page(find(gp, postcode="M33 7AB", needs=activity.id, miles="5", free_only="y"))

    assert link_worker_order == ["Sale Canal Walkers"]
    assert shown(html, "Physical activity") == link_worker_order
    engine_reasons = engine.matches[0].reasons
    assert [li.get_text(strip=True) for li in html.select(".app-match .app-reasons li")] == engine_reasons


def test_choosing_a_person_the_practice_knows_uses_their_recorded_profile(gp, groups, activity, link_worker, practice):
    person = people.create_person(
        user=link_worker,
        data={
            "given_name": "Sam",
            "family_name": "Known",
            "date_of_birth": date(1950, 1, 2),
            "practice_id": practice.id,
            "postcode": "M33 7AB",
            "max_cost": 0.0,
        },
        geocoder=geography.Geocoder("offline"),
    )
    options = [o.get_text(strip=True) for o in page(gp.get("/signposting")).select("#person_id option")]
    assert "Sam Known, born 02/01/1950" in options
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "practice_people_viewed")) is not None

    response = find(gp, person_id=person.id, needs=activity.id)

    assert shown(page(response), "Physical activity") == ["Sale Canal Walkers"]  # free only, as recorded
    assert "M33 7AB" not in response.get_data(as_text=True)
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person_signposted"))
    assert entry.object_id == person.id and entry.detail == "needs=1 unmet=0"


def test_a_person_of_another_practice_cannot_be_chosen(gp, groups, activity, link_worker, pcn):
    other = make_practice(pcn)
    person = people.create_person(
        user=link_worker,
        data={"given_name": "Not", "family_name": "Ours", "nhs_number": NHS_NUMBERS[1], "practice_id": other.id},
    )
    assert "Not Ours" not in gp.get("/signposting").get_data(as_text=True)

    response = find(gp, person_id=person.id, needs=activity.id)

    assert response.status_code == 400
    assert "Choose someone from the list" in page(response).select_one(".nhsuk-error-summary").get_text()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"postcode": "M33 7AB"}, "Select at least one need"),
        ({"postcode": "ZZ9 ZZ", "needs": "x"}, "Enter a real postcode, like LS6 1AA"),
        ({"needs": "x"}, "Enter a postcode or choose a person"),
        ({"postcode": "M33 7AB", "needs": "no-such-need"}, "Select needs from the list"),
        ({"postcode": "M33 7AB", "needs": "x", "miles": "1000"}, "Select a distance from the list"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_counted(gp, activity, data, message):
    data = {k: (activity.id if v == "x" else v) for k, v in data.items()}

    response = find(gp, **data)

    assert response.status_code == 400
    html = page(response)
    assert message in html.select_one(".nhsuk-error-summary").get_text()
    assert html.title.get_text().startswith("Error: ")
    assert db.session.scalar(select(func.count()).select_from(SignpostingCount)) == 0


def test_filters_narrow_the_groups(gp, groups, activity):
    assert shown(page(find(gp, postcode="M33 7AB", needs=activity.id, free_only="y")), "Physical activity") == [
        "Sale Canal Walkers"
    ]
    within_a_mile = shown(page(find(gp, postcode="M33 7AB", needs=activity.id, miles="10")), "Physical activity")
    assert "Bolton Striders" not in within_a_mile


def test_step_free_leaves_out_venues_without_step_free_access(gp, groups, activity):
    assert shown(page(find(gp, postcode="M33 7AB", needs=activity.id, step_free="y")), "Physical activity") == []


def test_only_anonymous_counts_are_kept(gp, groups, activity, company):
    find(gp, postcode="M33 7AB", needs=[activity.id, company.id])
    find(gp, postcode="M33 7AD", needs=[activity.id])

    counts = {(c.need_term_id, c.outcode): (c.searches, c.unmet) for c in db.session.scalars(select(SignpostingCount))}
    assert counts == {(activity.id, "M33"): (2, 0), (company.id, "M33"): (1, 0)}
    columns = {c["name"] for c in inspect(db.engine).get_columns("signposting_count")}
    assert columns == {"id", "day", "need_term_id", "outcode", "searches", "unmet"}
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signposting_searched"))
    assert entry.object_id is None and entry.detail == "needs=2 unmet=0"


def test_nothing_within_reach_counts_once_as_unmet_need(gp, groups, activity):
    lonely_far = make_term("debt-advice", name="Debt advice")

    response = find(gp, postcode="M33 7AB", needs=[lonely_far.id, activity.id])

    assert "Nothing found within reach" in page(response).select_one(".app-nothing-found").get_text()
    counts = {c.need_term_id: (c.searches, c.unmet) for c in db.session.scalars(select(SignpostingCount))}
    assert counts == {lonely_far.id: (1, 1), activity.id: (1, 0)}


def test_reports_read_the_counts_by_need_and_district_over_days(gp, groups, activity):
    today = utcnow().date()
    for days_ago, searches in ((1, 2), (40, 5)):
        db.session.add(
            SignpostingCount(
                day=today - timedelta(days=days_ago),
                need_term_id=activity.id,
                outcode="M33",
                searches=searches,
                unmet=1,
            )
        )
    db.session.commit()
    find(gp, postcode="M33 7AB", needs=activity.id)
    find(gp, postcode="BL1 1RU", needs=activity.id)

    rows = services.signposting_counts(today - timedelta(days=7), today)

    assert [(r.need_term_id, r.outcode, r.searches, r.unmet) for r in rows] == [
        (activity.id, "BL1", 1, 0),
        (activity.id, "M33", 3, 1),
    ]
