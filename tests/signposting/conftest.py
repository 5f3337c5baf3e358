"""A practice in a PCN with a link worker team, a clinician, a link worker and two needs with groups."""

from datetime import time

import pytest

from prescribing.auth.models import Role
from tests.conftest import sign_in
from tests.factories import make_pcn, make_practice, make_service, make_term, make_user

# Valid NHS numbers from the 999 test range, never issued to real people.
NHS_NUMBERS = ["9990000018", "9990000026"]


@pytest.fixture
def pcn():
    return make_pcn(name="Sale PCN", link_worker_team_phone="0161 555 0100", link_worker_team_email="team@example.org")


@pytest.fixture
def practice(pcn):
    return make_practice(pcn, name="Sale Surgery", postcode="M33 3SA")


@pytest.fixture
def clinician(practice):
    return make_user(Role.CLINICIAN, practice_id=practice.id)


@pytest.fixture
def link_worker(pcn):
    return make_user(Role.LINK_WORKER, pcn_id=pcn.id)


@pytest.fixture
def gp(client, clinician):
    sign_in(client, clinician)
    return client


@pytest.fixture
def activity():
    return make_term("physical-activity", name="Physical activity")


@pytest.fixture
def company():
    return make_term("loneliness", name="Loneliness and isolation")


@pytest.fixture
def groups(activity, company):
    walking = make_term("walking", parent=activity, name="Walking")
    return {
        "walkers": make_service(
            terms=[walking],
            name="Sale Canal Walkers",
            description="A gentle walk along the canal, with a cup of tea after.",
            postcode="M33 6GS",
            sessions=[(1, time(10), time(12))],
            how_to_join="Just turn up at the library steps.",
            phone="0161 555 0111",
        ),
        "yoga": make_service(
            terms=[activity],
            name="Chair Yoga",
            description="Gentle seated yoga.",
            postcode="M33 7XX",
            cost=4.0,
            sessions=[(3, time(14), time(15))],
            phone="0161 555 0122",
            location={"address_published": False},
        ),
        "far": make_service(terms=[activity], name="Bolton Striders", postcode="BL1 1RU"),
        "lunch": make_service(
            terms=[company], name="Friday Lunch Club", postcode="M33 7XX", sessions=[(4, time(12), time(14))]
        ),
    }
