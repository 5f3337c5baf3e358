"""The header navigation each role sees."""

from flask import url_for

from prescribing.auth.models import Role

# (label, endpoint, roles that see it; None = everyone)
ITEMS = [
    ("Find a group", "directory.search", None),
    ("Caseload", "plans.caseload", {Role.LINK_WORKER}),
    ("Requests from GPs", "signposting.inbox", {Role.LINK_WORKER}),
    ("Signposting", "signposting.start", {Role.CLINICIAN}),
    ("Practice plans", "plans.practice_people", {Role.CLINICIAN}),
    ("Your organisation", "listings.my_organisation", {Role.ORG_EDITOR}),
    ("Referrals", "referrals.inbox", {Role.ORG_EDITOR}),
    ("Coordinator", "pages.coordinator", {Role.COORDINATOR}),
    ("Users", "accounts.users", {Role.COORDINATOR}),
    ("Audit log", "audit.search", {Role.COORDINATOR}),
    ("Reports", "reports.dashboard", {Role.COORDINATOR, Role.COMMISSIONER}),
]


def navigation_for(user, current_endpoint: str | None) -> list[dict]:
    role = user.role if user.is_authenticated else None
    return [
        {"href": url_for(endpoint), "text": label, "current": endpoint == current_endpoint}
        for label, endpoint, roles in ITEMS
        if roles is None or role in roles
    ]


START_PAGES = {
    Role.LINK_WORKER: "plans.caseload",
    Role.CLINICIAN: "signposting.start",
    Role.ORG_EDITOR: "listings.my_organisation",
    Role.COORDINATOR: "pages.coordinator",
    Role.COMMISSIONER: "reports.dashboard",
}


def start_page_for(user) -> str:
    return url_for(START_PAGES[user.role])
