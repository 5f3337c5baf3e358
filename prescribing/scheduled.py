"""Scheduled work, run once a day by `flask --app wsgi daily`. Every job is idempotent."""

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete

from prescribing.auth.models import SignInFailure
from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.listings.reminders import send_listing_reminders
from prescribing.listings.spam import prune_submissions
from prescribing.referrals.services import expire_unanswered


def prune_sign_in_failures() -> str:
    """Forget failed sign-ins older than a day; they only matter for 15 minutes."""
    result = db.session.execute(delete(SignInFailure).where(SignInFailure.at < utcnow() - timedelta(days=1)))
    db.session.commit()
    return f"{result.rowcount} old failed sign-ins removed"


# Later features add their jobs here (listing reminders, referral expiry, follow-ups).
JOBS: list[tuple[str, Callable[[], str]]] = [
    ("sign-in failures", prune_sign_in_failures),
    ("listing reminders", send_listing_reminders),
    ("public form records", prune_submissions),
    ("referral expiry", expire_unanswered),
]


def run_daily() -> dict[str, str]:
    return {name: job() for name, job in JOBS}
