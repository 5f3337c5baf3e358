"""E-mail to the organisation on a new referral, and expiry through the daily command.

Sentinel personal details planted on the person must never reach an e-mail or a log line.
"""

import logging

import pytest
from sqlalchemy import select

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import Role
from prescribing.extensions import db
from prescribing.referrals.lifecycle import Actor
from prescribing.referrals.models import Referral
from prescribing.referrals.services import change_state
from tests.factories import make_organization, make_service, make_user
from tests.referrals.conftest import SENTINELS


def assert_no_personal_data(text: str) -> None:
    for sentinel in SENTINELS:
        assert sentinel.lower() not in text.lower(), sentinel


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_new_referral_tells_each_active_editor_by_email_with_only_a_link(outbox, logs, organization, editor, refer):
    make_user(Role.ORG_EDITOR, organization_id=organization.id, email="gone@canal.example", active=False)
    second = make_user(Role.ORG_EDITOR, organization_id=organization.id, email="second@canal.example")
    referral = refer(make_service(organization=organization))
    messages = outbox()
    assert sorted(m["to"] for m in messages) == sorted([editor.email, second.email])
    for message in messages:
        assert message["subject"] == "New referral to your organisation"
        assert f"/referrals/{referral.id}" in message["body"]
        assert_no_personal_data(message["subject"] + message["body"])
    assert_no_personal_data(logs.text)


@pytest.mark.parametrize("signpost_only", [True, False])
def test_services_without_an_inbox_send_no_email(outbox, refer, signpost_only):
    organization = make_organization()
    if signpost_only:
        make_user(Role.ORG_EDITOR, organization_id=organization.id)
    refer(make_service(organization=organization, signpost_only=signpost_only))
    assert outbox() == []


def test_answers_and_attendance_leave_no_personal_data_in_logs(logs, referral, editor):
    change_state(referral=referral, user=editor, actor=Actor.ORGANISATION, to="accepted", expected_version=1)
    assert "accepted" in logs.text
    assert_no_personal_data(logs.text)
    for entry in db.session.scalars(select(AuditEvent)):
        assert_no_personal_data(entry.detail or "")


def test_an_unanswered_referral_expires_after_14_days_through_the_daily_command(
    runner, clock, outbox, logs, referral, link_worker
):
    clock.advance(days=13, hours=23)
    assert "0 unanswered referrals expired" in runner.invoke(args=["daily"]).output
    assert db.session.get(Referral, referral.id).status == "sent"
    clock.advance(hours=2)
    first = runner.invoke(args=["daily"])
    assert first.exit_code == 0 and "1 unanswered referrals expired" in first.output
    db.session.expire_all()
    found = db.session.get(Referral, referral.id)
    assert found.status == "expired" and found.events[-1].recorded_by_id is None
    told = [m for m in outbox() if m["to"] == link_worker.email]
    assert len(told) == 1 and told[0]["subject"] == "A referral expired without an answer"
    assert f"/people/{referral.person_id}" in told[0]["body"]
    assert_no_personal_data(told[0]["body"])
    assert_no_personal_data(logs.text)
    # Idempotent: a second run changes nothing and sends nothing more.
    second = runner.invoke(args=["daily"])
    assert "0 unanswered referrals expired" in second.output
    assert len([m for m in outbox() if m["to"] == link_worker.email]) == 1
    db.session.expire_all()
    assert len(db.session.get(Referral, referral.id).events) == 2


def test_answered_and_link_worker_tracked_referrals_never_expire(runner, clock, refer, service, editor):
    answered = refer(service)
    change_state(referral=answered, user=editor, actor=Actor.ORGANISATION, to="waiting_list", expected_version=1)
    tracked = refer(make_service(signpost_only=True))
    clock.advance(days=60)
    assert "0 unanswered referrals expired" in runner.invoke(args=["daily"]).output
    db.session.expire_all()
    assert db.session.get(Referral, answered.id).status == "waiting_list"
    assert db.session.get(Referral, tracked.id).status == "sent"


def test_a_mail_server_failure_does_not_lose_the_referral(monkeypatch, logs, refer, service):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("prescribing.referrals.services.send_mail", broken)
    referral = refer(service)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status == "sent"
    assert "could not send the new-referral e-mail" in logs.text
    assert_no_personal_data(logs.text)
