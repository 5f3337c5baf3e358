"""The listings blueprint, shared by the editor, moderation and public view modules."""

from flask import Blueprint

bp = Blueprint("listings", __name__, url_prefix="/listings")
