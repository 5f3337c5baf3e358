"""Given a person and a goal, rank services with a score breakdown and reasons a person can read.

Plain Python: it takes a SQLAlchemy session and needs no Flask request, so the web pages,
the CLI, tests and the benchmark all call `match_goal` directly.

1. Candidates come from SQL (see candidates.py): topic-related services at venues in a box
   around the person, plus remote ones.
2. Hard filters (filters.py) exclude what cannot be offered, recording which constraint
   excluded which service.
3. Soft factors (scoring.py) give each remaining service points; the score is their sum.
4. Near misses are explained; when nothing fits, the nearest relaxations are offered.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from prescribing.clock import utcnow
from prescribing.matching import candidates as fetching
from prescribing.matching import scoring, uptake, words
from prescribing.matching.candidates import Candidate, RelatedTerms
from prescribing.matching.filters import CONSTRAINTS, exclusions, offers_language
from prescribing.matching.profile import WIDER_MILES, Profile, Relaxation
from prescribing.matching.text import keywords

# Approximate venues up to this far beyond the limit are fetched too: they are never excluded
# on an approximate distance, only labelled "about … — may be beyond your limit".
SLACK_MILES = 1.0
# How many matches of each kind (meets when free / at other times) are explained in words:
# the distances of these are measured exactly (geodesic) before the final ranking.
EXPLAIN_EACH = 20


@dataclass
class Match:
    service_id: str
    name: str
    organization_name: str
    score: float
    factors: list[scoring.Factor]
    reasons: list[str]
    checks: list[str]
    miles: float | None
    approximate: bool
    waiting_list: bool
    fits_free_time: bool | None
    remote: bool


@dataclass(frozen=True)
class NearMiss:
    code: str
    count: int
    text: str
    service_ids: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """A relaxation that would find something: "widen to 5 miles" (3 groups)."""

    text: str
    count: int
    miles: float | None = None
    include_paid: bool = False


@dataclass
class MatchResult:
    matches: list[Match]
    near_misses: list[NearMiss]
    exclusions: dict[str, list[str]]
    suggestions: list[Suggestion]
    limit_miles: float
    person_limit_miles: float
    relax: Relaxation
    considered: int
    total: int = 0
    total_at_free_times: int = 0
    has_location: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def nothing_fits(self) -> bool:
        return self.total == 0

    @property
    def at_free_times(self) -> list[Match]:
        """Matches that meet when the person is free, or whose times are not known."""
        return [m for m in self.matches if m.fits_free_time is not False]

    @property
    def at_other_times(self) -> list[Match]:
        return [m for m in self.matches if m.fits_free_time is False]


@dataclass
class _Run:
    ranked: list[tuple[float, bool | None, Candidate]]  # every candidate that passed, best first
    excluded: dict[str, list[Candidate]]
    considered: int
    history: dict


def match_goal(
    session,
    profile: Profile,
    goal,
    *,
    relax: Relaxation | None = None,
    now: datetime | None = None,
    suggest: bool = True,
) -> MatchResult:
    """Ranked matches for one goal (`goal.need_term_id`, `goal.own_words`), best first.

    Every candidate that passes the hard filters is scored and counted; the best of them (those
    that meet when the person is free, and those that do not) are explained in words.
    """
    relax = relax or Relaxation()
    now = now or utcnow()
    terms = fetching.related_terms(session, goal.need_term_id)
    stems = keywords(goal.own_words)
    limit = relax.miles or profile.limit_miles
    run = _run(session, profile, terms, stems, relax, limit, now)
    free = [c for _, fits, c in run.ranked if fits is not False][:EXPLAIN_EACH]
    other = [c for _, fits, c in run.ranked if fits is False][:EXPLAIN_EACH]
    matches = _explain(session, free + other, profile, terms, stems, limit, run.history, now)
    result = MatchResult(
        matches=matches,
        near_misses=_near_misses(run, profile, limit),
        exclusions={code: [c.service_id for c in found] for code, found in run.excluded.items()},
        suggestions=[],
        limit_miles=limit,
        person_limit_miles=profile.limit_miles,
        relax=relax,
        considered=run.considered,
        total=len(run.ranked),
        total_at_free_times=sum(1 for _, fits, _ in run.ranked if fits is not False),
        has_location=profile.has_location,
    )
    if not profile.travel_miles:
        result.notes.append(f"They have not said how far they can travel: showing groups within {limit:g} miles.")
    if profile.origin == "practice" and profile.has_location:
        result.notes.append("They have no postcode recorded: distances are from their GP practice.")
    if not profile.has_location:
        result.notes.append("Add their postcode to find groups near them: only online, phone and home services show.")
    if suggest and result.nothing_fits:
        result.suggestions, beyond = _suggestions(session, profile, terms, stems, relax, limit, run, now)
        if beyond:
            result.near_misses.insert(0, beyond)
    return result


def _run(
    session, profile: Profile, terms: RelatedTerms, stems: list[str], relax: Relaxation, limit: float, now
) -> _Run:
    # With both points precise, nothing beyond the limit can be offered: fetch only within it, and
    # approximate venues a little further. From an approximate point, every distance is approximate.
    found = fetching.fetch(
        session,
        latitude=profile.latitude,
        longitude=profile.longitude,
        outcode=profile.outcode,
        radius_miles=limit if profile.precise else limit + SLACK_MILES,
        imprecise_radius_miles=limit + SLACK_MILES if profile.precise else None,
        terms=terms,
        stems=stems,
    )
    fetching.add_costs(session, found)
    if profile.speaks_other_language_only:
        fetching.add_languages(session, found)

    def measure(candidate: Candidate) -> None:
        if candidate.miles is not None and not candidate.miles_exact:
            candidate.miles = fetching.exact_miles(
                profile.latitude, profile.longitude, candidate.latitude, candidate.longitude
            )
            candidate.miles_exact = True

    excluded: dict[str, list[Candidate]] = defaultdict(list)
    passing = []
    for candidate in found:
        codes = exclusions(candidate, profile, relax, limit, measure)
        for code in codes:
            excluded[code].append(candidate)
        if not codes:
            passing.append(candidate)
    fetching.add_sessions(session, passing)
    history = uptake.history(session, [c.service_id for c in passing])
    ranked = []
    for candidate in passing:
        total, fits = scoring.score(candidate, profile, terms, stems, limit, history, now)
        ranked.append((total, fits, candidate))
    ranked.sort(key=_rank)
    return _Run(ranked, dict(excluded), len(found), history)


def _rank(entry) -> tuple:
    total, _, candidate = entry
    return (-total, candidate.miles if candidate.miles is not None else math.inf, candidate.name)


def _explain(session, shortlist: list[Candidate], profile, terms, stems, limit, history, now) -> list[Match]:
    """Reasons for the shortlist, with each distance measured exactly (the ranking used great-circle
    figures, within 0.5%), ranked again on the exact figures."""
    fetching.add_organization_names(session, shortlist)
    explained = []
    for candidate in shortlist:
        if candidate.miles is not None and not candidate.miles_exact:
            candidate.miles = fetching.exact_miles(
                profile.latitude, profile.longitude, candidate.latitude, candidate.longitude
            )
            candidate.miles_exact = True
        factors, reasons, fits = scoring.explain(candidate, profile, terms, stems, limit, history, now)
        total = round(sum(f.points for f in factors), 2)
        match = Match(
            service_id=candidate.service_id,
            name=candidate.name,
            organization_name=candidate.organization_name,
            score=total,
            factors=factors,
            reasons=reasons + _language_reasons(candidate, profile),
            checks=_checks(candidate, profile),
            miles=candidate.miles,
            approximate=not (profile.precise and candidate.venue_precise),
            waiting_list=candidate.accepting == "waiting_list",
            fits_free_time=fits,
            remote=candidate.is_remote,
        )
        explained.append((total, fits, candidate, match))
    explained.sort(key=lambda e: _rank(e[:3]))
    return [match for *_, match in explained]


def _language_reasons(candidate: Candidate, profile: Profile) -> list[str]:
    if profile.speaks_other_language_only and offers_language(candidate, profile.language):
        listed = [n for n in candidate.languages if n.strip().lower() == profile.language.strip().lower()]
        return [f"sessions in {profile.language}"] if listed else ["interpreters available"]
    return []


def _checks(candidate: Candidate, profile: Profile) -> list[str]:
    """Things the link worker should check with the person or the group before referring."""
    checks = []
    if candidate.eligibility:
        checks.append(f"Check who it is for: {candidate.eligibility}")
    if profile.age is None and (candidate.minimum_age is not None or candidate.maximum_age is not None):
        low, high = candidate.minimum_age, candidate.maximum_age
        ages = (
            f"{low} to {high}"
            if low is not None and high is not None
            else (f"{low} and over" if low else f"up to {high}")
        )
        checks.append(f"For ages {ages}: add their date of birth to check")
    return checks


def _near_misses(run: _Run, profile: Profile, limit: float) -> list[NearMiss]:
    """Groups that only one thing ruled out, and groups that meet when the person is not free."""
    misses = []
    codes_per_service = defaultdict(int)
    for found in run.excluded.values():
        for candidate in found:
            codes_per_service[candidate.service_id] += 1
    only = defaultdict(list)
    for code, found in run.excluded.items():
        only[code] = [c for c in found if codes_per_service[c.service_id] == 1]
    limit_text = words.limit_words(limit)
    for code in CONSTRAINTS:
        found = only.get(code)
        if not found:
            continue
        one, many = CONSTRAINTS[code]
        phrase = (one if len(found) == 1 else many).format(limit=limit_text, language=profile.language)
        within = "" if code == "too_far" else _within(found, limit)
        count = len(found)
        text = f"{count} more {words.plural(count, 'group', 'groups')}{within} {phrase}"
        misses.append(NearMiss(code, count, text, tuple(c.service_id for c in found)))
    other_times = [c for _, fits, c in run.ranked if fits is False]
    if other_times:
        count = len(other_times)
        verb = "meets" if count == 1 else "meet"
        groups = words.plural(count, "group", "groups")
        text = f"{count} more {groups}{_within(other_times, limit)} {verb} when you are not free"
        misses.append(NearMiss("not_free", count, text, tuple(c.service_id for c in other_times)))
    return misses


def _within(found: list[Candidate], limit: float) -> str:
    distances = [c.miles for c in found if c.miles is not None]
    if distances and max(distances) <= limit:
        return f" within {limit:g} {'mile' if limit == 1 else 'miles'}"
    return ""


def _suggestions(
    session, profile, terms, stems, relax, limit, run: _Run, now
) -> tuple[list[Suggestion], NearMiss | None]:
    """The nearest relaxations that would find something when nothing fits, and the groups just
    beyond the limit (a near miss worth saying)."""
    found, beyond = [], None
    if profile.has_location:
        for miles in [m for m in WIDER_MILES if m > limit][:3]:
            wider = _run(session, profile, terms, stems, Relaxation(miles, relax.include_paid), miles, now)
            if wider.ranked:
                count = len(wider.ranked)
                found.append(Suggestion(f"widen to {miles:g} miles", count, miles=miles))
                groups = words.plural(count, "group is", "groups are")
                text = f"{count} more {groups} beyond your {words.limit_words(limit)} limit, within {miles:g} miles"
                beyond = NearMiss("too_far", count, text, tuple(c.service_id for _, _, c in wider.ranked))
                break
    if "cost" in run.excluded and not relax.include_paid:
        paid = _run(session, profile, terms, stems, Relaxation(relax.miles, True), limit, now)
        if paid.ranked:
            text = "include paid groups" if profile.max_cost == 0 else "include groups that cost more"
            found.append(Suggestion(text, len(paid.ranked), miles=relax.miles, include_paid=True))
    return found, beyond
