"""Demo people: fictional, with test-range NHS numbers, enough to fill every page, and loaded only once."""

import nhs_number
from sqlalchemy import func, select

from prescribing.demo.seed import seed_demo
from prescribing.extensions import db
from prescribing.plans.models import Episode, Goal, GoalReview, Person
from prescribing.referrals.models import Referral


def counts() -> dict:
    db.session.expire_all()
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Person, Episode, Goal, GoalReview, Referral)
    }


def test_demo_people_have_plans_goals_and_test_range_nhs_numbers_and_load_once():
    first = seed_demo()
    after_first = counts()
    second = seed_demo()

    assert first["people_added"] == 4 and second["people_added"] == 0
    assert counts() == after_first
    assert after_first["Goal"] >= 5 and after_first["GoalReview"] >= 3 and after_first["Referral"] >= 1
    for person in db.session.scalars(select(Person)):
        assert person.nhs_number.startswith("999") and nhs_number.is_valid(person.nhs_number)
        episode = person.open_episode()
        assert episode is not None and episode.plan.what_matters and episode.plan.goals
        assert person.latitude is not None
