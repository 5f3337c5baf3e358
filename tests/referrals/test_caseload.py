"""Referral follow-ups on the link worker's caseload, and the count against a safe caseload."""

from datetime import UTC, date

from sqlalchemy import select

from prescribing import clock as service_clock
from prescribing.audit.models import AuditEvent
from prescribing.extensions import db
from prescribing.referrals.lifecycle import Actor
from prescribing.referrals.services import change_state, record_attendance
from tests.conftest import page, sign_in
from tests.factories import make_service


def sign_in_now(client, user) -> None:
    """Sign in at the service's (moved) time, so the idle timeout does not sign the user out."""
    sign_in(client, user)
    with client.session_transaction() as session:
        session["last_seen"] = service_clock.utcnow().replace(tzinfo=UTC).timestamp()


def section(html, heading: str) -> str:
    found = next(h for h in html.select("h2") if h.get_text(strip=True) == heading)
    return found.find_next_sibling().get_text(" ", strip=True)


def test_the_caseload_shows_referrals_waiting_not_attended_and_started(client, clock, link_worker, editor, refer):
    waiting = refer(make_service(organization=editor.organization, name="Book Club"))
    quiet = refer(make_service(organization=editor.organization, name="Choir"))
    missed = refer(make_service(organization=editor.organization, name="Allotment"))
    started = refer(make_service(organization=editor.organization, name="Walkers"))
    for referral in (quiet, missed, started):
        change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to="accepted", expected_version=1)
    clock.advance(days=15)
    record_attendance(
        referral=missed,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=missed.sent_at.date(),
        came=False,
        expected_version=2,
    )
    record_attendance(
        referral=started,
        user=editor,
        actor=Actor.ORGANISATION,
        session_on=started.sent_at.date(),
        came=True,
        expected_version=2,
    )
    sign_in_now(client, link_worker)
    html = page(client.get("/caseload"))
    assert "Book Club" in section(html, "Referrals waiting for an answer")
    assert "Choir" in section(html, "Accepted, but no attendance after 14 days")
    assert "Walkers" not in section(html, "Accepted, but no attendance after 14 days")
    assert "Allotment" in section(html, "Did not attend")
    assert "Walkers" in section(html, "Went to a first session in the last 28 days")
    assert "Zebulon Quillfeather: Walkers" in section(html, "Went to a first session in the last 28 days")
    assert waiting.status == "sent"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "caseload_viewed")) is not None


def test_the_caseload_counts_people_started_this_year_against_the_safe_caseload(app, client, link_worker, episode):
    sign_in(client, link_worker)
    text = page(client.get("/caseload")).select_one(".app-caseload-count").get_text(" ", strip=True)
    opened_recently = episode.opened_on > date.today().replace(year=date.today().year - 1)
    expected = 1 if opened_recently else 0
    assert f"support with {expected} " in text and "safe caseload of 250 a year" in text
    app.config["SAFE_CASELOAD"] = 0
    try:
        text = page(client.get("/caseload")).select_one(".app-caseload-count").get_text(" ", strip=True)
    finally:
        del app.config["SAFE_CASELOAD"]
    assert "safe caseload of 0 a year" in text
    assert ("over the safe caseload" in text) == bool(expected)
