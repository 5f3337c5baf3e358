"""A person with a goal, an organisation with an editor, and a referral between them.

The person carries sentinel details (a planted name, NHS number and postcode) that must never
appear in e-mails, logs or the organisation's aggregate view.
"""

from datetime import date

import pytest

from prescribing.auth.models import Role
from prescribing.plans import services as plan_services
from prescribing.plans.models import EpisodeSource
from prescribing.referrals.services import Consent, create_referral
from tests.factories import make_organization, make_practice, make_service, make_term, make_user
from tests.plans.conftest import make_person

SENTINEL_NAME = ("Zebulon", "Quillfeather")
SENTINEL_NHS = "9990000026"
SENTINEL_POSTCODE = "M33 7AB"
SENTINELS = [*SENTINEL_NAME, SENTINEL_NHS, "999 000 0026", SENTINEL_POSTCODE, "0161 496 0999", "zebulon@example.net"]


SHARE_ALL = Consent(name=True, contact=True, need=True, note=True, shared_note="Likes mornings")


@pytest.fixture
def practice():
    return make_practice(postcode="M33 3SA")


@pytest.fixture
def link_worker(practice):
    return make_user(Role.LINK_WORKER, pcn_id=practice.pcn_id)


@pytest.fixture
def person(link_worker, practice):
    return make_person(
        link_worker,
        practice,
        given_name=SENTINEL_NAME[0],
        family_name=SENTINEL_NAME[1],
        nhs_number=SENTINEL_NHS,
        postcode=SENTINEL_POSTCODE,
        phone="0161 496 0999",
        email="zebulon@example.net",
    )


@pytest.fixture
def episode(link_worker, person):
    return plan_services.open_episode(
        user=link_worker,
        person=person,
        source=EpisodeSource.GP,
        opened_on=date(2026, 1, 5),
        link_worker_id=link_worker.id,
    )


@pytest.fixture
def goal(link_worker, episode):
    plan_services.update_plan(
        user=link_worker, plan=episode.plan, what_matters="CLINICAL-SECRET matters", strengths="Loves dogs."
    )
    return plan_services.add_goal(
        user=link_worker,
        plan=episode.plan,
        own_words="Walk with others PLAN-SECRET",
        need_term_id=make_term("walking", name="Walking").id,
        priority=1,
        target_on=None,
        agreed_on=date(2026, 1, 5),
    )


@pytest.fixture
def organization():
    return make_organization(name="Canal Friends")


@pytest.fixture
def editor(organization):
    return make_user(Role.ORG_EDITOR, organization_id=organization.id, email="editor@canal.example")


@pytest.fixture
def service(organization, editor):
    return make_service(organization=organization, name="Sale Canal Walkers")


@pytest.fixture
def refer(link_worker, person, episode, goal):
    """Make a referral to a service, with what the person agreed to share."""

    def make(service, consent=SHARE_ALL):
        return create_referral(
            person=person, episode=episode, goal=goal, service=service, user=link_worker, consent=consent
        )

    return make


@pytest.fixture
def referral(refer, service):
    return refer(service)
