"""The referral loop in a real browser: a link worker refers, the organisation accepts and marks the
first session attended, and the link worker sees uptake on the caseload and the person's page."""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from prescribing.auth.models import Role
from prescribing.plans import services as plan_services
from prescribing.plans.models import EpisodeSource
from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD, make_organization, make_practice, make_service, make_term, make_user
from tests.plans.conftest import make_person

pytestmark = pytest.mark.browser


@pytest.fixture
def loop(db):
    practice = make_practice(name="Brooklands Medical Practice", postcode="M33 3SA")
    worker = make_user(Role.LINK_WORKER, pcn_id=practice.pcn_id, is_demo=True, name="Lena Walker")
    organization = make_organization(name="Canal Friends")
    editor = make_user(Role.ORG_EDITOR, organization_id=organization.id, is_demo=True, name="Omar Editor")
    walking = make_term("walking", parent=make_term("physical-activity", name="Physical activity"), name="Walking")
    make_service(
        organization=organization,
        terms=[walking],
        name="Sale Canal Walkers",
        postcode="M33 6GS",
        sessions=[(1, time(10), time(12))],
    )
    person = make_person(worker, practice, given_name="Margaret", family_name="Holt")
    episode = plan_services.open_episode(
        user=worker, person=person, source=EpisodeSource.GP, opened_on=date(2026, 1, 5), link_worker_id=worker.id
    )
    goal = plan_services.add_goal(
        user=worker,
        plan=episode.plan,
        own_words="Walk by the canal with other people",
        need_term_id=walking.id,
        priority=1,
        target_on=None,
        agreed_on=date(2026, 1, 5),
    )
    found = {"worker": worker.email, "editor": editor.email, "person": person.id, "goal": goal.id}
    db.session.commit()  # end the test's read transaction before the server's threads write
    return found


def signed_in(new_context, email):
    page = new_context().new_page()
    page.set_default_timeout(10_000)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_refer_accept_attend_and_see_uptake(new_context, loop):
    worker = signed_in(new_context, loop["worker"])
    expect(worker.locator("h1")).to_have_text("Your caseload")
    worker.goto(f"/people/{loop['person']}/goals/{loop['goal']}")
    worker.get_by_role("button", name="Find groups for this goal").click()
    worker.locator(".app-match").first.get_by_role("button", name="Refer to Sale Canal Walkers").click()
    expect(worker.get_by_text("Referral sent.")).to_be_visible()

    editor = signed_in(new_context, loop["editor"])
    editor.get_by_role("link", name="Referrals").first.click()
    expect(editor.locator("h1")).to_have_text("Referrals to your organisation")
    assert_accessible(editor)
    editor.locator("table a").first.click()
    expect(editor.locator("h1")).to_contain_text("Referral sent")
    expect(editor.locator("main")).not_to_contain_text("Margaret")  # she has not agreed to share her name yet
    assert_accessible(editor)
    editor.get_by_label("Accept").check()
    editor.get_by_role("button", name="Send answer").click()
    expect(editor.get_by_text("Referral updated.")).to_be_visible()
    today = date.today()
    editor.locator('input[name="session_on[day]"]').fill(str(today.day))
    editor.locator('input[name="session_on[month]"]').fill(str(today.month))
    editor.locator('input[name="session_on[year]"]').fill(str(today.year))
    editor.get_by_label("Came", exact=True).check()
    editor.get_by_role("button", name="Record attendance").click()
    expect(editor.get_by_text("Attendance recorded.")).to_be_visible()
    expect(editor.locator("main")).to_contain_text("Went to a first session")

    worker.goto("/caseload")
    started = worker.locator("h2", has_text="Went to a first session in the last 28 days").locator(
        "xpath=following-sibling::*[1]"
    )
    expect(started).to_contain_text("Margaret Holt: Sale Canal Walkers")
    assert_accessible(worker)
    worker.goto(f"/people/{loop['person']}")
    expect(worker.locator("main")).to_contain_text("Sale Canal Walkers: Went to a first session")
    worker.get_by_role("link", name="Sale Canal Walkers").first.click()
    expect(worker.locator(".app-referral-history")).to_contain_text("Went to a first session")
    assert_accessible(worker)
