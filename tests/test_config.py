"""Configuration: production refuses unsafe settings; tests cannot reach real services."""

import os
import secrets

import pytest

from prescribing import create_app
from prescribing.config import (
    DEV_SECRET,
    ProductionConfig,
    TestConfig,
    UnsafeConfiguration,
    check_production,
)

POSTGRES = "postgresql+psycopg://prescribing@db.invalid:5432/prescribing"
GOOD_SECRET = secrets.token_urlsafe(48)


@pytest.mark.parametrize(
    ("secret", "database", "message"),
    [
        (DEV_SECRET, POSTGRES, "SECRET_KEY"),
        ("", POSTGRES, "SECRET_KEY"),
        ("short-secret", POSTGRES, "SECRET_KEY"),
        ("x" * 31, POSTGRES, "SECRET_KEY"),
        (GOOD_SECRET, "sqlite:///instance/prescribing.sqlite", "PostgreSQL"),
        (GOOD_SECRET, "sqlite://", "PostgreSQL"),
    ],
)
def test_production_refuses_unsafe_settings(secret, database, message):
    with pytest.raises(UnsafeConfiguration, match=message):
        create_app({"ENV_NAME": "production", "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": database})


def test_production_refuses_demo_users_skipping_the_second_factor():
    settings = {
        "SECRET_KEY": GOOD_SECRET,
        "SQLALCHEMY_DATABASE_URI": POSTGRES,
        "DEMO_USERS_SKIP_SECOND_FACTOR": True,
    }
    with pytest.raises(UnsafeConfiguration, match="DEMO_USERS_SKIP_SECOND_FACTOR"):
        check_production(settings)


def test_production_accepts_a_long_secret_and_postgresql():
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": GOOD_SECRET, "SQLALCHEMY_DATABASE_URI": POSTGRES})
    assert app.config["ENV_NAME"] == "production"
    assert app.config["DEMO_USERS_SKIP_SECOND_FACTOR"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.config.get("TESTING")


def test_production_defaults_are_the_safe_ones():
    assert ProductionConfig.DEMO_USERS_SKIP_SECOND_FACTOR is False
    if "SESSION_COOKIE_SECURE" not in os.environ:
        assert ProductionConfig.SESSION_COOKIE_SECURE is True
    if "MAIL_BACKEND" not in os.environ:
        assert ProductionConfig.MAIL_BACKEND == "smtp"


def test_test_config_points_external_services_at_addresses_that_fail():
    assert TestConfig.MAIL_SERVER.endswith(".invalid")
    assert TestConfig.GEOCODER == "offline"
    assert TestConfig.REDIS_URL is None
    assert TestConfig.SECRET_KEY != DEV_SECRET


def test_the_test_app_uses_the_test_config(app):
    assert app.config["ENV_NAME"] == "test"
    assert app.config["MAIL_SERVER"].endswith(".invalid")
    assert app.config["MAIL_BACKEND"] == "outbox"
    assert app.config["IDLE_TIMEOUT"].total_seconds() == 30 * 60
    assert app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"] == 5
