"""Episodes, plans and goals: back-dated events, corrections kept in history, follow-ups that stop."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.plans import services
from prescribing.plans.models import Episode, Goal, GoalReview, GoalStep, LinkWorkerChange, PlanRevision
from tests.conftest import page, post_form
from tests.factories import make_user


def date_fields(name: str, day: date) -> dict:
    return {f"{name}[day]": str(day.day), f"{name}[month]": str(day.month), f"{name}[year]": str(day.year)}


def test_opening_an_episode_can_be_back_dated(signed_in, person, link_worker):
    back = date(2026, 3, 2)
    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/new",
        {"source": "self", "link_worker_id": str(link_worker.id), **date_fields("opened_on", back)},
    )

    assert response.status_code == 302
    episode = db.session.scalar(select(Episode))
    assert episode.opened_on == back
    assert episode.recorded_at.date() == utcnow().date()
    assert episode.plan is not None
    assert [c.to_user_id for c in episode.link_worker_changes] == [link_worker.id]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source": "", "opened_on": date(2026, 3, 2)}, "Select how they came to link worker support"),
        ({"source": "gp", "opened_on": date.today() + timedelta(days=3)}, "must be today or in the past"),
        ({"source": "carrier pigeon", "opened_on": date(2026, 3, 2)}, "Select how they came to link worker support"),
    ],
)
def test_bad_episode_input_is_refused(signed_in, person, link_worker, fields, message):
    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/new",
        {
            "source": fields["source"],
            "link_worker_id": str(link_worker.id),
            **date_fields("opened_on", fields["opened_on"]),
        },
    )

    assert response.status_code == 400
    assert message in page(response).select_one(".nhsuk-error-summary").get_text()
    assert db.session.scalar(select(Episode)) is None


def test_a_second_open_episode_is_refused(signed_in, person, episode, link_worker):
    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/new",
        {"source": "gp", "link_worker_id": str(link_worker.id), **date_fields("opened_on", date(2026, 3, 2))},
    )

    assert response.status_code == 400
    assert "already has an open episode" in page(response).select_one(".nhsuk-error-summary").get_text()


def test_changing_the_named_link_worker_keeps_the_history(signed_in, person, episode, link_worker):
    colleague = make_user(Role.LINK_WORKER, pcn_id=link_worker.pcn_id, name="Colleague")

    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/{episode.id}/link-worker",
        {"link_worker_id": str(colleague.id), **date_fields("changed_on", date(2026, 2, 1))},
    )

    assert response.status_code == 302
    db.session.refresh(episode)
    assert episode.link_worker_id == colleague.id
    changes = db.session.scalars(select(LinkWorkerChange).order_by(LinkWorkerChange.id)).all()
    assert [(c.from_user_id, c.to_user_id) for c in changes] == [(None, link_worker.id), (link_worker.id, colleague.id)]
    history = signed_in.get(f"/people/{person.id}/episodes/{episode.id}").get_data(as_text=True)
    assert "took over from" in history


def test_a_link_worker_of_another_pcn_cannot_be_named(signed_in, person, episode):
    stranger = make_user(Role.LINK_WORKER)

    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/{episode.id}/link-worker",
        {"link_worker_id": str(stranger.id), **date_fields("changed_on", date(2026, 2, 1))},
    )

    assert response.status_code == 400
    assert "Select a link worker in your primary care network" in response.get_data(as_text=True)


@pytest.mark.parametrize("reason", ["goals_met", "declined", "moved_away", "lost_contact", "died"])
def test_closing_an_episode_stops_follow_ups(signed_in, link_worker, person, episode, goal, reason):
    today = utcnow().date()
    assert [d.goal.id for d in services.reviews_due(link_worker, today)] == [goal.id]

    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/{episode.id}/close",
        {"reason": reason, **date_fields("closed_on", date(2026, 4, 1))},
    )

    assert response.status_code == 302
    assert services.reviews_due(link_worker, today) == []
    assert services.caseload(link_worker) == []
    db.session.refresh(person)
    assert (person.died_on == date(2026, 4, 1)) is (reason == "died")


def test_after_death_no_new_episode_or_referral(link_worker, person, episode, goal, walking_group):
    services.close_episode(
        user=link_worker, episode=episode, reason=services.ClosedReason.DIED, closed_on=date(2026, 4, 1)
    )
    with pytest.raises(services.PlanError):
        services.open_episode(
            user=link_worker,
            person=person,
            source=services.EpisodeSource.GP,
            opened_on=date(2026, 5, 1),
            link_worker_id=link_worker.id,
        )
    with pytest.raises(services.PlanError):
        services.start_referral(user=link_worker, person=person, goal=goal, service_id=walking_group.id)


def test_closing_before_opening_is_refused(signed_in, person, episode):
    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/{episode.id}/close",
        {"reason": "declined", **date_fields("closed_on", date(2025, 12, 1))},
    )

    assert response.status_code == 400
    assert db.session.get(Episode, episode.id).is_open


def test_editing_the_plan_keeps_the_earlier_wording(signed_in, person, episode):
    url = f"/people/{person.id}/episodes/{episode.id}/plan"
    post_form(signed_in, url, {"what_matters": "Seeing my grandchildren.", "strengths": "Patient."})
    post_form(signed_in, url, {"what_matters": "Getting out of the house.", "strengths": "Patient."})

    db.session.refresh(episode.plan)
    assert episode.plan.what_matters == "Getting out of the house."
    assert [r.what_matters for r in db.session.scalars(select(PlanRevision))] == ["Seeing my grandchildren."]


def test_plan_without_what_matters_is_refused(signed_in, person, episode):
    response = post_form(signed_in, f"/people/{person.id}/episodes/{episode.id}/plan", {"what_matters": ""})

    assert response.status_code == 400
    assert "Enter what matters to them" in page(response).select_one(".nhsuk-error-summary").get_text()


def test_writing_a_goal(signed_in, person, episode, walking):
    response = post_form(
        signed_in,
        f"/people/{person.id}/episodes/{episode.id}/goals/new",
        {
            "own_words": "Walk to the park without stopping",
            "need_term_id": walking.id,
            "priority": "1",
            **date_fields("target_on", date(2027, 6, 1)),
            **date_fields("agreed_on", date(2026, 2, 1)),
        },
    )

    assert response.status_code == 302
    goal = db.session.scalar(select(Goal))
    assert goal.own_words == "Walk to the park without stopping"
    assert goal.target_on == date(2027, 6, 1) and goal.agreed_on == date(2026, 2, 1)
    assert response.headers["Location"].endswith(f"/people/{person.id}/goals/{goal.id}")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"own_words": ""}, "Enter the goal in their own words"),
        ({"own_words": "x" * 501}, "The goal must be 500 characters or fewer"),
        ({"need_term_id": ""}, "Select the need this goal is about"),
        ({"need_term_id": "no-such-need"}, "Select the need this goal is about"),
        # A target already gone would print on the person's plan as if it were still to come.
        (date_fields("target_on", date(2020, 1, 1)), "Target date must be today or in the future"),
    ],
)
def test_bad_goals_are_refused(signed_in, person, episode, walking, overrides, message):
    data = {
        "own_words": "Walk more",
        "need_term_id": walking.id,
        "priority": "2",
        **date_fields("agreed_on", date(2026, 2, 1)),
    }

    response = post_form(signed_in, f"/people/{person.id}/episodes/{episode.id}/goals/new", {**data, **overrides})

    assert response.status_code == 400
    assert message in page(response).select_one(".nhsuk-error-summary").get_text()
    assert db.session.scalar(select(Goal)) is None


def test_steps_and_reviews_show_progress_over_time(signed_in, person, goal):
    base = f"/people/{person.id}/goals/{goal.id}"
    post_form(signed_in, f"{base}/steps", {"owner": "person", "what": "Ring the walking group"})
    for score, day in ((2, date(2026, 2, 1)), (6, date(2026, 3, 1))):
        post_form(signed_in, f"{base}/reviews", {"score": str(score), "note": "ok", **date_fields("reviewed_on", day)})
    step = db.session.scalar(select(GoalStep))
    post_form(signed_in, f"{base}/steps/{step.id}/done")

    html = page(signed_in.get(base))
    progress = [row.get_text(" ", strip=True) for row in html.select(".app-progress tbody tr")]
    assert progress[0].startswith("1 February 2026") and "2 out of 10" in progress[0]
    assert progress[1].startswith("1 March 2026") and "6 out of 10" in progress[1]
    assert html.select_one(".app-score-bar--6") is not None
    db.session.refresh(step)
    assert step.done_on == utcnow().date()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score": "11"}, "Select a score from 0 to 10"),
        ({"score": ""}, "Select a score from 0 to 10"),
        ({"score": "5", "note": "x" * 1001}, "Note must be 1000 characters or fewer"),
    ],
)
def test_bad_reviews_are_refused(signed_in, person, goal, data, message):
    response = post_form(
        signed_in,
        f"/people/{person.id}/goals/{goal.id}/reviews",
        {**data, **date_fields("reviewed_on", date(2026, 2, 1))},
    )

    assert response.status_code == 400
    assert message in page(response).select_one(".nhsuk-error-summary").get_text()
    assert db.session.scalar(select(GoalReview)) is None


def test_a_review_cannot_be_in_the_future(signed_in, person, goal):
    future = date.today() + timedelta(days=10)
    response = post_form(
        signed_in, f"/people/{person.id}/goals/{goal.id}/reviews", {"score": "5", **date_fields("reviewed_on", future)}
    )

    assert response.status_code == 400
    assert db.session.scalar(select(GoalReview)) is None


def test_goal_status_changes_with_a_date(signed_in, person, goal):
    response = post_form(
        signed_in,
        f"/people/{person.id}/goals/{goal.id}/status",
        {"status": "achieved", **date_fields("changed_on", date(2026, 5, 1))},
    )

    assert response.status_code == 302
    db.session.refresh(goal)
    assert goal.status.value == "achieved" and goal.status_changed_on == date(2026, 5, 1)


def test_goal_entered_in_error_is_kept_in_history_but_leaves_the_plan_and_reports(signed_in, person, goal):
    response = post_form(
        signed_in, f"/people/{person.id}/goals/{goal.id}/entered-in-error", {"reason": "Recorded for the wrong person"}
    )

    assert response.status_code == 302
    assert db.session.get(Goal, goal.id) is not None
    assert db.session.scalars(services.reportable_goals()).all() == []
    person_page = signed_in.get(f"/people/{person.id}").get_data(as_text=True)
    assert goal.own_words not in person_page
    record = signed_in.get(f"/people/{person.id}/record.json").get_json()
    goals = record["episodes"][0]["plan"]["goals"]
    assert goals[0]["entered_in_error"] is True
    assert goals[0]["entered_in_error_reason"] == "Recorded for the wrong person"


def test_entered_in_error_needs_a_reason(signed_in, person, goal):
    response = post_form(signed_in, f"/people/{person.id}/goals/{goal.id}/entered-in-error", {"reason": ""})

    assert response.status_code == 400
    assert db.session.get(Goal, goal.id).entered_in_error_at is None


def test_caseload_lists_open_support_and_reviews_due(signed_in, person, goal):
    html = page(signed_in.get("/caseload"))

    assert html.h1.get_text(strip=True) == "Your caseload"
    assert "Alex Example" in html.select_one("table").get_text()
    assert "Reviews due" in html.get_text()
