"""The Open Referral UK 3.0 read API (no sign-in, nothing about people)."""

from flask import Blueprint, jsonify, url_for

from prescribing.auth.access import EVERYONE, access

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/")
@access(EVERYONE)
def index():
    """Service metadata: which version of the standard this API follows."""
    return jsonify(
        {
            "version": "3.0",
            "profile": "https://openreferraluk.org/",
            "openapi_url": url_for("api.index", _external=True) + "openapi.json",
        }
    )
