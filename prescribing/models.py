"""Every model, imported in one place so Alembic and `create_all` see them all."""

from prescribing.api.models import ApiRateWindow, OrukImportRecord
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
from prescribing.listings.models import ListingReminder, ListingRequest, ProblemReport, PublicFormSubmission
from prescribing.plans.models import (
    Episode,
    Goal,
    GoalReview,
    GoalStep,
    LinkWorkerChange,
    Person,
    Plan,
    PlanRevision,
    UnmetNeed,
)
from prescribing.practices.models import Pcn, Practice
from prescribing.referrals.models import Referral

__all__ = [
    "AccountToken",
    "ApiRateWindow",
    "AppUser",
    "AuditEvent",
    "Contact",
    "CostOption",
    "Episode",
    "Goal",
    "GoalReview",
    "GoalStep",
    "LinkWorkerChange",
    "ListingReminder",
    "ListingRequest",
    "ListingRevision",
    "Location",
    "Organization",
    "OrukImportRecord",
    "Pcn",
    "Person",
    "Plan",
    "PlanRevision",
    "Practice",
    "ProblemReport",
    "PublicFormSubmission",
    "RecoveryCode",
    "Referral",
    "Role",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceLanguage",
    "SignInFailure",
    "Taxonomy",
    "TaxonomyTerm",
    "UnmetNeed",
]
