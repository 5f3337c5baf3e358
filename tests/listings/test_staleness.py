"""Confirming listings, stale listings, and reminders sent by `flask --app wsgi daily`."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from prescribing.auth.models import Role
from prescribing.directory.models import ListingRevision, ListingStatus, Service
from prescribing.extensions import db
from prescribing.listings.models import ListingReminder
from tests.conftest import page, post_form, sign_in
from tests.factories import make_organization, make_service, make_user
from tests.listings.conftest import NOW


def test_a_listing_is_stale_after_180_days_unconfirmed(service):
    assert not service.is_stale(service.last_verified_at + timedelta(days=180))
    assert service.is_stale(service.last_verified_at + timedelta(days=180, seconds=1))


def test_confirming_in_one_action_records_who_and_when(client, editor, service, now):
    sign_in(client, editor)
    response = post_form(client, f"/listings/services/{service.id}/confirm", {"back": "list"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/listings/my-organisation")
    db.session.expire_all()
    saved = db.session.get(Service, service.id)
    assert (saved.last_verified_at, saved.last_verified_by_id) == (now.at(), editor.id)
    revision = db.session.scalars(select(ListingRevision)).one()
    assert revision.action == "confirmed"
    assert revision.changes["last_verified_at"][1] == now.at().isoformat()


def test_confirm_needs_post(client, editor, service):
    sign_in(client, editor)
    assert client.get(f"/listings/services/{service.id}/confirm").status_code == 405


def test_editor_start_page_prompts_for_stale_and_nearly_stale_listings(client, editor, org):
    make_service(organization=org, name="Fresh group", last_verified_at=NOW - timedelta(days=20))
    make_service(organization=org, name="Nearly stale group", last_verified_at=NOW - timedelta(days=160))
    make_service(organization=org, name="Stale group", last_verified_at=NOW - timedelta(days=200))
    make_service(
        organization=org,
        name="Archived group",
        status=ListingStatus.ARCHIVED,
        last_verified_at=NOW - timedelta(days=400),
    )
    make_service(organization=make_organization(), name="Not ours", last_verified_at=NOW - timedelta(days=400))
    sign_in(client, editor)
    html = page(client.get("/listings/my-organisation"))
    prompt = html.select_one(".nhsuk-card--warning")
    assert "Please confirm these listings are still accurate" in prompt.get_text()
    assert [a.get_text() for a in prompt.select("li a")] == ["Stale group", "Nearly stale group"]
    assert "out of date in 20 days" in prompt.get_text(" ", strip=True)
    table = {
        tr.select("td")[0].get_text(strip=True): tr.select("td")[2].get_text(" ", strip=True)
        for tr in html.select("tbody tr")
    }
    assert table == {
        "Fresh group": "Up to date",
        "Nearly stale group": "Confirm soon",
        "Stale group": "Out of date",
        "Archived group": "Archived",
    }


def test_no_prompt_when_everything_is_fresh(client, editor, service):
    sign_in(client, editor)
    assert page(client.get("/listings/my-organisation")).select_one(".nhsuk-card--warning") is None


def test_coordinator_sees_stale_listings_oldest_first(client, coordinator):
    make_service(name="Fresh", last_verified_at=NOW - timedelta(days=10))
    make_service(name="Stale", last_verified_at=NOW - timedelta(days=190))
    make_service(name="Staler", last_verified_at=NOW - timedelta(days=300))
    make_service(name="Gone", status=ListingStatus.ARCHIVED, last_verified_at=NOW - timedelta(days=300))
    sign_in(client, coordinator)
    html = page(client.get("/listings/stale"))
    assert [tr.select_one("td a").get_text() for tr in html.select("tbody tr")] == ["Staler", "Stale"]
    assert "2 listings have not been confirmed" in page(client.get("/listings/moderation")).get_text()


def run_daily(runner) -> str:
    result = runner.invoke(args=["daily"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def reminders_setup(org, editor):
    inactive = make_user(Role.ORG_EDITOR, organization=org, active=False)
    listing = make_service(organization=org, name="Walk and talk", last_verified_at=NOW)
    return listing, inactive


def test_reminders_go_at_150_180_and_210_days_once_each(runner, outbox, now, editor, reminders_setup):
    listing, inactive = reminders_setup
    now(149)
    run_daily(runner)
    assert outbox() == []

    now(1)  # 150 days
    output = run_daily(runner)
    assert "listing reminders: 1 reminder e-mails sent about 1 listings" in output
    assert [m["to"] for m in outbox()] == [editor.email]  # the deactivated editor is not written to
    run_daily(runner)  # again the same day: nothing new
    now(0.5)
    run_daily(runner)
    assert len(outbox()) == 1

    now(30)  # 180 days
    run_daily(runner)
    run_daily(runner)
    assert len(outbox()) == 2
    now(30)  # 210 days
    run_daily(runner)
    now(40)  # 250 days: no more reminders after the third
    run_daily(runner)
    assert len(outbox()) == 3
    assert sorted(r.days for r in db.session.scalars(select(ListingReminder))) == [150, 180, 210]


def test_reminder_email_has_only_a_link_and_no_personal_data(runner, outbox, now, editor, reminders_setup):
    now(151)
    run_daily(runner)
    (message,) = outbox()
    assert message["subject"] == "Please confirm your listings are still accurate"
    assert "/listings/my-organisation" in message["body"]
    for personal in (editor.name, editor.email, "Walk and talk"):
        assert personal not in message["body"]


def test_confirming_starts_the_reminders_again(client, runner, outbox, now, editor, reminders_setup):
    listing, _ = reminders_setup
    now(155)
    run_daily(runner)
    assert len(outbox()) == 1
    sign_in(client, editor)
    post_form(client, f"/listings/services/{listing.id}/confirm")
    now(100)
    run_daily(runner)
    assert len(outbox()) == 1
    now(50)  # 150 days after the confirmation
    run_daily(runner)
    assert len(outbox()) == 2


def test_a_late_run_sends_one_email_for_every_threshold_passed(runner, outbox, now, editor, reminders_setup):
    now(200)
    run_daily(runner)
    assert len(outbox()) == 1
    assert "for 150 days or more" in outbox()[0]["body"]
    now(5)
    run_daily(runner)
    assert len(outbox()) == 1


def test_one_email_per_editor_for_several_listings(runner, outbox, now, org, editor):
    make_service(organization=org, last_verified_at=NOW)
    make_service(organization=org, last_verified_at=NOW)
    now(150)
    run_daily(runner)
    (message,) = outbox()
    assert message["body"].startswith("2 of your organisation's listings")


def test_archived_listings_and_organisations_without_editors_get_no_email(runner, outbox, now, org, editor):
    make_service(organization=org, status=ListingStatus.ARCHIVED, last_verified_at=NOW)
    make_service(organization=make_organization(), last_verified_at=NOW)
    now(150)
    output = run_daily(runner)
    assert outbox() == []
    assert "1 listings have no active editor" in output
