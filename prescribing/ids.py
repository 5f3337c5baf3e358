"""Identifiers that are safe to show in URLs and the open API."""

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
