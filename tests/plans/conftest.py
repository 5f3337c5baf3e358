"""People, episodes and goals for the plans tests, made through the services a link worker uses."""

from datetime import date, time

import pytest

from prescribing import geography
from prescribing.auth.models import Role
from prescribing.plans import people, services
from prescribing.plans.models import EpisodeSource
from tests.conftest import sign_in
from tests.factories import make_practice, make_service, make_term, make_user

# Valid NHS numbers from the 999 test range, which is never issued to real people.
NHS_NUMBERS = ["9990000018", "9990000026", "9990000034", "9990000042"]


@pytest.fixture
def practice():
    return make_practice(postcode="M33 3SA")


@pytest.fixture
def link_worker(practice):
    return make_user(Role.LINK_WORKER, pcn_id=practice.pcn_id)


@pytest.fixture
def signed_in(client, link_worker):
    sign_in(client, link_worker)
    return client


def make_person(user, practice, **overrides):
    data = {
        "given_name": "Alex",
        "family_name": "Example",
        "date_of_birth": date(1960, 5, 17),
        "nhs_number": NHS_NUMBERS[0],
        "practice_id": practice.id,
        "postcode": "M33 7AB",
        "free_slots": ["1-morning"],
        "travel_miles": 3.0,
        **overrides,
    }
    return people.create_person(user=user, data=data, geocoder=geography.Geocoder("offline"))


@pytest.fixture
def person(link_worker, practice):
    return make_person(link_worker, practice)


@pytest.fixture
def episode(link_worker, person):
    return services.open_episode(
        user=link_worker,
        person=person,
        source=EpisodeSource.GP,
        opened_on=date(2026, 1, 5),
        link_worker_id=link_worker.id,
    )


@pytest.fixture
def walking():
    return make_term("walking", parent=make_term("physical-activity"), name="Walking")


@pytest.fixture
def goal(link_worker, episode, walking):
    services.update_plan(user=link_worker, plan=episode.plan, what_matters="Getting out more.", strengths="Loves dogs.")
    return services.add_goal(
        user=link_worker,
        plan=episode.plan,
        own_words="Go for a walk by the canal with other people",
        need_term_id=walking.id,
        priority=1,
        target_on=None,
        agreed_on=date(2026, 1, 5),
    )


@pytest.fixture
def walking_group(walking):
    return make_service(
        terms=[walking],
        name="Sale Canal Walkers",
        description="A gentle walk along the canal.",
        postcode="M33 6GS",
        sessions=[(1, time(10), time(12))],
        how_to_join="Just turn up at the library steps.",
    )
