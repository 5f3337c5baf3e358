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
from prescribing.outcomes.models import PersonContact, WellbeingMeasure
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
from prescribing.referrals.models import GpCoding, Referral, ReferralEvent
from prescribing.signposting.models import CommunityPrescription, LinkWorkerRequest, SignpostingCount

__all__ = [
    "AccountToken",
    "ApiRateWindow",
    "AppUser",
    "AuditEvent",
    "CommunityPrescription",
    "Contact",
    "CostOption",
    "Episode",
    "Goal",
    "GpCoding",
    "GoalReview",
    "GoalStep",
    "LinkWorkerChange",
    "LinkWorkerRequest",
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
    "PersonContact",
    "Referral",
    "ReferralEvent",
    "Role",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceLanguage",
    "SignInFailure",
    "SignpostingCount",
    "Taxonomy",
    "TaxonomyTerm",
    "UnmetNeed",
    "WellbeingMeasure",
]
