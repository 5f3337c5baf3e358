"""Hard filters: reasons a service cannot be offered to this person at all.

Each returns the constraint's code when it excludes the candidate. A candidate may fail
several; all of them are recorded (unmet need keeps which constraint excluded which service).
"""

from prescribing.matching.candidates import Candidate
from prescribing.matching.profile import Profile, Relaxation

# Codes in the order they are explained, with the words for "N more groups …".
CONSTRAINTS = {
    "inactive": ("is not running at the moment", "are not running at the moment"),
    "not_accepting": ("is not taking referrals at the moment", "are not taking referrals at the moment"),
    "too_far": ("is beyond your {limit} limit", "are beyond your {limit} limit"),
    "outside_area": ("only serves other areas", "only serve other areas"),
    "age": ("is for a different age group", "are for a different age group"),
    "access": ("does not meet your access needs", "do not meet your access needs"),
    "language": ("has no sessions in {language}", "have no sessions in {language}"),
    "cost": ("costs more than you can afford", "cost more than you can afford"),
}
# A small tolerance either side of a distance limit, inside which the geodesic decides.
EDGE = 0.01


def exclusions(
    candidate: Candidate,
    profile: Profile,
    relax: Relaxation,
    limit_miles: float,
    exact_distance,
) -> list[str]:
    found = []
    if candidate.status == "inactive":
        found.append("inactive")
    if candidate.accepting == "no":
        found.append("not_accepting")
    if _too_far(candidate, profile, limit_miles, exact_distance):
        found.append("too_far")
    if candidate.areas and profile.outcode and profile.outcode not in candidate.areas:
        found.append("outside_area")
    if profile.age is not None and (
        (candidate.minimum_age is not None and profile.age < candidate.minimum_age)
        or (candidate.maximum_age is not None and profile.age > candidate.maximum_age)
    ):
        found.append("age")
    if candidate.venue_only and missing_access(candidate, profile):
        found.append("access")
    if profile.speaks_other_language_only and not offers_language(candidate, profile.language):
        found.append("language")
    if not relax.include_paid and too_costly(candidate, profile):
        found.append("cost")
    return found


def _too_far(candidate: Candidate, profile: Profile, limit_miles: float, exact_distance) -> bool:
    """Only venue services, and only when both points are known to the postcode."""
    if not candidate.venue_only or candidate.miles is None:
        return False
    if not (profile.precise and candidate.venue_precise):
        return False
    if candidate.miles > limit_miles * (1 + EDGE):
        return True
    if candidate.miles < limit_miles * (1 - EDGE):
        return False
    exact_distance(candidate)
    return candidate.miles > limit_miles


def missing_access(candidate: Candidate, profile: Profile) -> list[str]:
    return [need for need in sorted(profile.access_needs) if not candidate.has_access(need)]


def offers_language(candidate: Candidate, language: str) -> bool:
    wanted = language.strip().lower()
    names = [name.strip().lower() for name in candidate.languages]
    # A listing may say "Interpreters on request"; then any language can be met.
    return wanted in names or any("interpret" in name for name in names)


def cheapest(candidate: Candidate) -> float | None:
    return min(candidate.costs) if candidate.costs else None


def too_costly(candidate: Candidate, profile: Profile) -> bool:
    if profile.max_cost is None or candidate.is_free:
        return False
    price = cheapest(candidate)
    if price is None:
        # It costs something, but we do not know how much: only "free groups only" rules it out.
        return profile.max_cost == 0
    return price > profile.max_cost
