"""Uptake: how often people referred to a service went, smoothed so new services are not punished."""

from datetime import date, timedelta

import pytest

from prescribing.auth.models import Role
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.matching import WEIGHTS, GoalQuery, match_goal
from prescribing.plans import services
from prescribing.plans.models import EpisodeSource
from prescribing.referrals.models import Referral
from tests.factories import make_practice, make_service, make_term, make_user
from tests.matching.test_engine import profile
from tests.plans.conftest import make_person


@pytest.fixture
def referred():
    """A person with an episode, to hang referral outcomes on."""
    practice = make_practice(postcode="M33 3SA")
    user = make_user(Role.LINK_WORKER, pcn_id=practice.pcn_id)
    person = make_person(user, practice)
    episode = services.open_episode(
        user=user, person=person, source=EpisodeSource.GP, opened_on=date(2026, 1, 1), link_worker_id=user.id
    )
    return user, person, episode


def add_outcomes(referred, service, statuses: list[str]) -> None:
    user, person, episode = referred
    for n, status in enumerate(statuses):
        db.session.add(
            Referral(
                pcn_id=person.pcn_id,
                practice_id=person.practice_id,
                person_id=person.id,
                episode_id=episode.id,
                service_id=service.id,
                referred_by_id=user.id,
                sent_at=utcnow() - timedelta(days=n),
                status=status,
            )
        )
    db.session.commit()


def uptake_points(result, service) -> float:
    match = next(m for m in result.matches if m.service_id == service.id)
    return next(f.points for f in match.factors if f.code == "uptake")


def test_services_people_went_to_rank_above_ones_they_did_not(referred):
    walking = make_term("walking")
    went = make_service(terms=[walking], postcode="M33 6GS")
    missed = make_service(terms=[walking], postcode="M33 6GS")
    add_outcomes(referred, went, ["attended"] * 7 + ["did_not_attend"] * 3)
    add_outcomes(referred, missed, ["did_not_attend"] * 3 + ["sent"] * 5)  # waiting answers say nothing yet

    result = match_goal(db.session, profile(), GoalQuery(walking.id))

    assert [m.service_id for m in result.matches] == [went.id, missed.id]
    assert "7 of the last 10 people referred went" in result.matches[0].reasons
    assert uptake_points(result, went) == round(WEIGHTS["uptake"] * (7 + 2) / (10 + 4), 2)
    assert uptake_points(result, missed) == round(WEIGHTS["uptake"] * 2 / (3 + 4), 2)


def test_only_the_last_ten_outcomes_count(referred):
    walking = make_term("walking")
    service = make_service(terms=[walking], postcode="M33 6GS")
    add_outcomes(referred, service, ["attended"] * 10 + ["did_not_attend"] * 5)  # the misses are older

    result = match_goal(db.session, profile(), GoalQuery(walking.id))

    assert "10 of the last 10 people referred went" in result.matches[0].reasons
