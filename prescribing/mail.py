"""Sending e-mail: through SMTP, or into a local outbox folder in development and tests.

Messages carry links, never personal data about the people we support.
"""

import json
import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from prescribing.clock import utcnow

log = logging.getLogger("prescribing.mail")


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message with the configured backend."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if config["MAIL_BACKEND"] == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        _write_to_outbox(Path(config["MAIL_OUTBOX"]), to, subject, body)
    log.info("mail sent subject=%r", subject)


def _write_to_outbox(outbox: Path, to: str, subject: str, body: str) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    existing = len(list(outbox.glob("*.json")))
    path = outbox / f"{stamp}-{existing:05d}.json"
    path.write_text(json.dumps({"to": to, "subject": subject, "body": body}, indent=2))


def read_outbox(outbox: Path) -> list[dict]:
    """Messages in the outbox, oldest first (for tests and the development console)."""
    if not outbox.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(outbox.glob("*.json"))]
