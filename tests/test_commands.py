"""The command-line jobs: the first coordinator, the daily run, and demo data kept out of production."""

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from prescribing import create_app
from prescribing.auth.models import AppUser, Role, SignInFailure
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.practices.models import Pcn
from tests.conftest import post_form
from tests.factories import make_pcn, make_user

STRONG = "a long and unguessable password"


def create_user(runner, *extra, email="lead@example.org", password=STRONG):
    return runner.invoke(
        args=["create-user", "--email", email, "--name", "Lee Lead", "--password", password, *extra],
    )


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_user_makes_the_first_coordinator_with_a_new_pcn(app, runner):
    result = create_user(runner, "--pcn-ods", "u99999", "--pcn-name", "Riverside PCN")
    assert result.exit_code == 0, result.output
    assert "Created pcn coordinator lead@example.org" in result.output

    pcn = db.session.scalar(select(Pcn).where(Pcn.ods_code == "U99999"))
    assert pcn.name == "Riverside PCN"
    user = db.session.scalar(select(AppUser).where(AppUser.email == "lead@example.org"))
    assert (user.role, user.pcn_id) == (Role.COORDINATOR, pcn.id)
    assert user.password_hash.startswith("$argon2id$")

    # They can sign in straight away (and set up their second factor).
    response = post_form(app.test_client(), "/sign-in", {"email": "lead@example.org", "password": STRONG})
    assert response.headers["Location"] == "/sign-in/set-up-security-codes"


def test_create_user_joins_an_existing_pcn(runner):
    pcn = make_pcn()
    result = create_user(runner, "--pcn-ods", pcn.ods_code.lower())
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(AppUser.pcn_id).where(AppUser.email == "lead@example.org")) == pcn.id


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Password must be 12 characters or more"),
        ("aaaaaaaaaaaaaaaa", "Password must not repeat the same few characters"),
    ],
)
def test_create_user_refuses_a_weak_password(runner, password, message):
    result = create_user(runner, "--pcn-ods", "U99999", "--pcn-name", "Riverside PCN", password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert count(AppUser) == 0
    assert count(Pcn) == 0


def test_create_user_refuses_a_duplicate_email(runner):
    existing = make_user(Role.COMMISSIONER)
    pcns = count(Pcn)
    result = create_user(runner, "--pcn-ods", "U99999", "--pcn-name", "Riverside PCN", email=existing.email.upper())
    assert result.exit_code != 0
    assert "An account with this email address already exists" in result.output
    # The runner shares this test's session; a real command ends here without committing.
    db.session.rollback()
    assert count(AppUser) == 1
    assert count(Pcn) == pcns  # nothing half-made


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "needs --pcn-ods"),
        (["--pcn-ods", "U00000"], "No PCN with ODS code U00000; give --pcn-name to create it"),
        (["--role", "clinician"], "Invite clinicians and organisation editors from the Users page"),
        (["--role", "wizard"], "Invalid value for '--role'"),
    ],
)
def test_create_user_explains_what_is_missing(runner, extra, message):
    result = create_user(runner, *extra)
    assert result.exit_code != 0
    assert message in result.output
    assert count(AppUser) == 0


def test_create_user_makes_a_commissioner_without_a_pcn(runner):
    result = create_user(runner, "--role", "commissioner")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(AppUser).where(AppUser.email == "lead@example.org"))
    assert (user.role, user.pcn_id) == (Role.COMMISSIONER, None)


def test_daily_runs_twice_without_error(runner):
    db.session.add_all(
        [
            SignInFailure(key="address:192.0.2.1", at=utcnow() - timedelta(days=2)),
            SignInFailure(key="address:192.0.2.1", at=utcnow()),
        ]
    )
    db.session.commit()
    first = runner.invoke(args=["daily"])
    assert first.exit_code == 0, first.output
    assert "sign-in failures: 1 old failed sign-ins removed" in first.output
    second = runner.invoke(args=["daily"])
    assert second.exit_code == 0, second.output
    assert "sign-in failures: 0 old failed sign-ins removed" in second.output
    assert count(SignInFailure) == 1


def test_seed_demo_refuses_to_run_in_production(app):
    production = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            # Never connected to: the command refuses before touching the database.
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://prescribing@db.invalid:5432/prescribing",
        }
    )
    # `flask` pushes the app's context itself; the runner needs it pushed for a second app.
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "seed-demo refuses to run in production" in result.output
    assert count(AppUser) == 0
