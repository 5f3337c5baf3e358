"""Keeping spam out of the public forms: a honeypot field, and a limit per address per hour.

Submissions are counted in the database so every worker sees them. The address is stored
only as a keyed hash, and the records are pruned by the daily job.
"""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from prescribing import clock
from prescribing.extensions import db
from prescribing.listings.models import PublicFormSubmission

WINDOW = timedelta(hours=1)
DEFAULT_LIMIT = 5


def _key(purpose: str, address: str | None) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:40]
    return f"{purpose}:{digest}"


def limit_per_hour() -> int:
    return int(current_app.config.get("PUBLIC_FORM_LIMIT_PER_HOUR", DEFAULT_LIMIT))


def is_rate_limited(purpose: str, address: str | None) -> bool:
    """True when this address has already sent the form as often as an hour allows."""
    since = clock.utcnow() - WINDOW
    count = db.session.scalar(
        select(func.count())
        .select_from(PublicFormSubmission)
        .where(PublicFormSubmission.key == _key(purpose, address), PublicFormSubmission.at >= since)
    )
    return count >= limit_per_hour()


def count_submission(purpose: str, address: str | None) -> None:
    """Add one submission to the current transaction; the caller commits."""
    db.session.add(PublicFormSubmission(key=_key(purpose, address), at=clock.utcnow()))


def prune_submissions() -> str:
    """Forget public form submissions older than a day; only the last hour matters."""
    result = db.session.execute(
        delete(PublicFormSubmission).where(PublicFormSubmission.at < clock.utcnow() - timedelta(days=1))
    )
    db.session.commit()
    return f"{result.rowcount} old public form records removed"
