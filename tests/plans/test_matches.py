"""The matches page: ranked groups with reasons, one action to refer, and unmet need recorded honestly."""

from datetime import date, time

from sqlalchemy import func, select

from prescribing.audit.models import AuditEvent
from prescribing.extensions import db
from prescribing.plans import services
from prescribing.plans.models import EpisodeSource, UnmetNeed
from prescribing.referrals.models import Referral
from tests.conftest import page, post_form
from tests.factories import make_service
from tests.plans.conftest import NHS_NUMBERS, make_person


def matches_url(person, goal, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/people/{person.id}/goals/{goal.id}/matches" + (f"?{query}" if query else "")


def test_matches_show_reasons_a_person_can_follow(signed_in, person, goal, walking_group):
    html = page(signed_in.get(matches_url(person, goal)))

    assert html.h1.get_text(strip=True) == "Groups for this goal"
    card = html.select_one(".app-match")
    assert "Sale Canal Walkers" in card.select_one("h2").get_text()
    reasons = [li.get_text(strip=True) for li in card.select(".app-reasons li")]
    assert reasons[:3] == ["0.5 miles away", "meets Tuesday 10:00 — you are free Tuesday mornings", "free"]
    assert "mentions “walk” and “canal”" in reasons
    assert "Why it scores" in card.select_one(".app-breakdown summary").get_text()
    assert "Just turn up" not in card.get_text()  # how to join is on the printable plan, once chosen
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "matches_viewed"))
    assert entry.object_id == person.id and entry.detail == f"goal={goal.id} found=1"


def test_referring_from_a_match_is_one_action(signed_in, link_worker, person, episode, goal, walking_group):
    response = post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/refer", {"service_id": walking_group.id})

    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert (referral.person_id, referral.episode_id, referral.goal_id, referral.service_id) == (
        person.id,
        episode.id,
        goal.id,
        walking_group.id,
    )
    assert referral.referred_by_id == link_worker.id and referral.status == "sent"
    assert referral.sent_at is not None and referral.created_at is not None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "referral_created"))
    assert audit.object_type == "person" and audit.object_id == person.id
    goal_page = signed_in.get(f"/people/{person.id}/goals/{goal.id}").get_data(as_text=True)
    assert "Sale Canal Walkers: sent" in goal_page


def test_referral_to_an_unknown_or_closed_service_is_refused(signed_in, person, goal):
    closed = make_service(accepting="no", name="Closed group")
    for service_id in ("no-such-service", closed.id):
        response = post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/refer", {"service_id": service_id})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(matches_url(person, goal))
    assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_nothing_within_reach_is_said_honestly_and_recorded_once_as_unmet_need(signed_in, person, goal, walking):
    make_service(terms=[walking], postcode="M5 5JD", sessions=[(1, time(10), time(12))])  # 4.5 miles away

    for _ in range(3):
        html = page(signed_in.get(matches_url(person, goal)))

    assert "No group within reach fits this goal" in html.get_text()
    assert "recorded as unmet need" in html.get_text()
    suggestion = html.select_one(".app-suggestions a")
    assert suggestion.get_text(strip=True) == "Widen to 5 miles"
    assert suggestion["href"].endswith("miles=5")
    unmet = db.session.scalars(select(UnmetNeed)).all()
    assert len(unmet) == 1
    assert unmet[0].need_term_id == walking.id and unmet[0].outcode == "M33"
    assert unmet[0].kind.value == "nothing_within_reach" and unmet[0].met_at is None

    wider = page(signed_in.get(suggestion["href"]))
    assert "Showing groups within 5 miles, wider than their usual 3" in wider.get_text()
    assert len(wider.select(".app-match")) == 1


def test_a_referral_after_unmet_need_marks_it_met(signed_in, person, goal, walking):
    far = make_service(terms=[walking], postcode="M5 5JD")
    signed_in.get(matches_url(person, goal))

    post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/refer", {"service_id": far.id})

    unmet = db.session.scalar(select(UnmetNeed))
    db.session.refresh(unmet)
    referral = db.session.scalar(select(Referral))
    assert unmet.met_at is not None and unmet.met_by_referral_id == referral.id


def test_none_of_these_suit_is_recorded_with_a_reason(signed_in, person, goal, walking_group):
    response = post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/none-suit", {"reason": "times"})

    assert response.status_code == 302
    unmet = db.session.scalar(select(UnmetNeed))
    assert unmet.kind.value == "none_suit" and unmet.reason.value == "times"
    assert unmet.exclusions["shown"] == [walking_group.id]
    again = post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/none-suit", {"reason": "cost"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(UnmetNeed.id))) == 1


def test_none_suit_without_a_reason_is_refused(signed_in, person, goal, walking_group):
    response = post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/none-suit", {"reason": ""})

    assert response.status_code == 400
    assert "Select why none of these suit" in page(response).select_one(".nhsuk-error-summary").get_text()
    assert db.session.scalar(select(UnmetNeed)) is None


def test_groups_at_other_times_are_near_misses(signed_in, person, goal, walking, walking_group):
    make_service(terms=[walking], postcode="M33 6QA", sessions=[(4, time(18), time(20))])

    html = page(signed_in.get(matches_url(person, goal)))

    assert [li.get_text(strip=True) for li in html.select(".app-near-misses li")] == [
        "1 more group within 3 miles meets when you are not free"
    ]
    assert "Groups that meet when they are not free (1)" in html.get_text()


def test_a_wheelchair_user_never_sees_a_venue_with_steps(signed_in, link_worker, practice, walking):
    person = make_person(link_worker, practice, access_needs=["step_free"], nhs_number=NHS_NUMBERS[2])
    episode = services.open_episode(
        user=link_worker,
        person=person,
        source=EpisodeSource.SELF,
        opened_on=date(2026, 1, 1),
        link_worker_id=link_worker.id,
    )
    goal = services.add_goal(
        user=link_worker,
        plan=episode.plan,
        own_words="walk",
        need_term_id=walking.id,
        priority=2,
        target_on=None,
        agreed_on=date(2026, 1, 1),
    )
    make_service(terms=[walking], postcode="M33 6QA", location={"step_free": False}, name="Upstairs Walks")
    make_service(terms=[walking], postcode="M33 6GS", location={"step_free": True}, name="Level Walks")

    text = page(signed_in.get(matches_url(person, goal))).get_text()

    assert "Level Walks" in text and "step-free venue" in text
    assert "Upstairs Walks" not in text
    assert "1 more group within 3 miles does not meet your access needs" in text
