"""Configuration classes, chosen by the PRESCRIBING_ENV environment variable.

Everything that differs between machines comes from environment variables.
"""

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
DEV_SECRET = "dev-only-secret-not-for-production"


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'prescribing.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SERVICE_NAME = "Social prescribing"
    # Sessions end after 30 minutes idle: practice PCs are shared.
    IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    PERMANENT_SESSION_LIFETIME = IDLE_TIMEOUT
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which already expires when idle
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Sign-in throttle: per account first, with a much higher limit per address so a
    # practice behind one address is not locked out by one person's typos.
    SIGN_IN_WINDOW = timedelta(minutes=15)
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 5
    SIGN_IN_MAX_FAILURES_PER_ADDRESS = 100
    REDIS_URL = os.environ.get("REDIS_URL")
    # Open API: requests per window and client address (0 switches the limit off).
    API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "600"))
    API_RATE_WINDOW_SECONDS = int(os.environ.get("API_RATE_WINDOW_SECONDS", "60"))
    # Public forms (report a problem, ask to be listed): submissions per address per hour.
    PUBLIC_FORM_LIMIT_PER_HOUR = int(os.environ.get("PUBLIC_FORM_LIMIT_PER_HOUR", "5"))
    SAFE_CASELOAD = int(os.environ.get("SAFE_CASELOAD", "250"))
    SWEMWBS_CONVERSION_TABLE = os.environ.get("SWEMWBS_CONVERSION_TABLE")
    INVITATION_LIFETIME = timedelta(days=7)
    PASSWORD_RESET_LIFETIME = timedelta(hours=1)
    # Demo users may skip the second factor; never in production.
    DEMO_USERS_SKIP_SECOND_FACTOR = True
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")  # "outbox" or "smtp"
    MAIL_OUTBOX = Path(os.environ.get("MAIL_OUTBOX", INSTANCE / "outbox"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "no-reply@prescribing.example")
    # Links in e-mails need an absolute address; requests are not available to the CLI.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    GEOCODER = os.environ.get("GEOCODER", "offline")  # "offline" or "nominatim"
    GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))
    GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "prescribing")
    DEMO_DATA_BANNER = os.environ.get("DEMO_DATA_BANNER", "1") == "1"


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # External services point at addresses that fail loudly if a test forgets to fake them.
    MAIL_BACKEND = "outbox"
    MAIL_SERVER = "smtp.invalid"
    GEOCODER = "offline"
    REDIS_URL = None
    SIGN_IN_MAX_FAILURES_PER_ADDRESS = 20


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    DEMO_USERS_SKIP_SECOND_FACTOR = False
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    DEMO_DATA_BANNER = os.environ.get("DEMO_DATA_BANNER", "0") == "1"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


class UnsafeConfiguration(RuntimeError):
    """The configuration must not be used to serve real people's data."""


def check_production(config: dict) -> None:
    """Refuse to start production with a development secret, on SQLite, or with demo shortcuts."""
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET or len(secret) < 32:
        raise UnsafeConfiguration("Set SECRET_KEY to a random value of at least 32 characters.")
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        raise UnsafeConfiguration("Set DATABASE_URL to a PostgreSQL database.")
    if config.get("DEMO_USERS_SKIP_SECOND_FACTOR"):
        raise UnsafeConfiguration("DEMO_USERS_SKIP_SECOND_FACTOR must be off in production.")
