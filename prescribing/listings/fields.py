"""What an editable listing is made of: its parts, their labels and their choices.

Forms, revisions and the history page all read these, so a field is named the same
everywhere.
"""

from prescribing.directory.models import Accepting, ListingStatus, Location

# (code used in forms and revisions, label, Service attribute)
DELIVERY = [
    ("venue", "At a venue", "at_venue"),
    ("online", "Online", "online"),
    ("phone", "By phone", "by_phone"),
    ("home", "At home", "at_home"),
]
ROUTES = [
    ("self", "People can contact the service themselves", "self_referral"),
    ("link_worker", "A social prescribing link worker can refer", "link_worker_referral"),
    ("gp", "A GP or practice can refer", "gp_referral"),
]
ACCEPTING = [
    (Accepting.YES.value, "Yes"),
    (Accepting.NO.value, "No"),
    (Accepting.WAITING_LIST.value, "Waiting list"),
]
EDITABLE_STATUSES = [
    (ListingStatus.ACTIVE.value, "Running"),
    (ListingStatus.INACTIVE.value, "Not running at the moment"),
]
ACCESS_FEATURES = list(Location.ACCESS_FEATURES.items())
WEEKS_OF_MONTH = [
    ("", "Every week"),
    ("1", "First week of the month"),
    ("2", "Second week of the month"),
    ("3", "Third week of the month"),
    ("4", "Fourth week of the month"),
    ("-1", "Last week of the month"),
]

SERVICE_LABELS = {
    "name": "Name",
    "description": "Description",
    "status": "Status",
    "email": "Email address",
    "phone": "Phone number",
    "url": "Website",
    "delivery": "How it is delivered",
    "referral_routes": "How people can join",
    "how_to_join": "How to join",
    "accepting": "Taking new people",
    "capacity_note": "Capacity",
    "cost": "Cost",
    "cost_description": "What the cost covers",
    "minimum_age": "Minimum age",
    "maximum_age": "Maximum age",
    "eligibility": "Who it is for",
    "languages": "Languages",
    "service_area": "Postcode districts it serves",
    "needs": "Needs it helps with",
    "sessions": "Sessions",
    "venues": "Venues",
    "last_verified_at": "Last confirmed as accurate",
    "archived_at": "Archived",
    "archive_reason": "Reason for archiving",
}
VENUE_LABELS = {
    "name": "Name",
    "address": "Address",
    "town": "Town",
    "postcode": "Postcode",
    "address_published": "Address published",
    "access": "Access",
}
ORGANIZATION_LABELS = {
    "name": "Name",
    "description": "Description",
    "email": "Email address",
    "phone": "Phone number",
    "url": "Website",
    "charity_number": "Charity number",
}
# The keys each form edits: a change by someone else to one of these is a conflict.
SERVICE_FORM_KEYS = frozenset(SERVICE_LABELS) - {
    "sessions",
    "venues",
    "last_verified_at",
    "archived_at",
    "archive_reason",
}
SESSION_FORM_KEYS = frozenset({"sessions"})


def venue_key(location_id: str, field: str) -> str:
    return f"venues.{location_id}.{field}"


def venue_form_keys(location_id: str) -> frozenset[str]:
    return frozenset({"venues"} | {venue_key(location_id, field) for field in VENUE_LABELS})
