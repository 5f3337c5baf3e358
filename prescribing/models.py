"""Every model, imported in one place so Alembic and `create_all` see them all."""

from prescribing.audit.models import AuditEvent
from prescribing.auth.models import AccountToken, AppUser, RecoveryCode, Role, SignInFailure
from prescribing.directory.models import (
    Contact,
    CostOption,
    ListingRevision,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    Taxonomy,
    TaxonomyTerm,
)
from prescribing.practices.models import Pcn, Practice

__all__ = [
    "AccountToken",
    "AppUser",
    "AuditEvent",
    "Contact",
    "CostOption",
    "ListingRevision",
    "Location",
    "Organization",
    "Pcn",
    "Practice",
    "RecoveryCode",
    "Role",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceLanguage",
    "SignInFailure",
    "Taxonomy",
    "TaxonomyTerm",
]
