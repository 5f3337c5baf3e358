"""Soft factors: each gives points out of its weight, and a note in plain words.

The score is the sum of the factors' points, so the breakdown always adds up to it. Every
candidate is scored with the numbers alone (`score`); only the shortlist a page shows is
explained in words (`explain`), from the same numbers.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from prescribing.directory.presenters import how_long_ago
from prescribing.matching import words
from prescribing.matching.candidates import Candidate, RelatedTerms
from prescribing.matching.filters import cheapest, missing_access
from prescribing.matching.profile import Profile

# Points available for each factor; they add up to 100.
WEIGHTS = {
    "topic": 35.0,
    "distance": 20.0,
    "time": 15.0,
    "cost": 10.0,
    "freshness": 10.0,
    "capacity": 5.0,
    "uptake": 5.0,
}
LABELS = {
    "topic": "Fits the goal",
    "distance": "Distance",
    "time": "Day and time",
    "cost": "Cost",
    "freshness": "Listing confirmed",
    "capacity": "Taking referrals",
    "uptake": "People referred went",
}
# Within a topic's points: the share from the taxonomy, and from the goal's own words.
TERM_SHARE, WORDS_SHARE = 0.75, 0.25
TERM_FIT = {"exact": 1.0, "narrower": 0.9, "broader": 0.6}
# At the person's own limit a venue keeps a quarter of the distance points.
DISTANCE_DECAY = math.log(4)
REMOTE_FIT = 0.6
FRESH_FOR = timedelta(days=90)
STALE_AFTER = timedelta(days=180)
# Uptake is smoothed towards an even chance, so a new service is not punished for having no history.
UPTAKE_PRIOR, UPTAKE_PRIOR_WEIGHT = 0.5, 4
NEUTRAL = 0.5
ACCESS_PHRASES = {
    "step_free": "step-free venue",
    "accessible_toilet": "accessible toilet",
    "hearing_loop": "hearing loop",
    "bsl": "British Sign Language",
    "parking": "parking",
    "public_transport": "near public transport",
}


@dataclass(frozen=True)
class Factor:
    code: str
    points: float
    max_points: float
    note: str

    @property
    def label(self) -> str:
        return LABELS[self.code]


def points(code: str, fit: float) -> float:
    return round(WEIGHTS[code] * max(0.0, min(1.0, fit)), 2)


# The numbers ------------------------------------------------------------------------------------


def topic_fit(candidate: Candidate, terms: RelatedTerms, stems: list[str]) -> tuple[float, str | None, list[str]]:
    """Taxonomy fit (exact, a narrower need or a broader one) and the goal's own words in the listing."""
    kind = None
    if terms.exact and terms.exact in candidate.term_ids:
        kind = "exact"
    elif terms.children and not candidate.term_ids.isdisjoint(terms.children):
        kind = "narrower"
    elif terms.parent and terms.parent in candidate.term_ids:
        kind = "broader"
    found = list(candidate.words_found)
    words_fit = min(1.0, len(found) / min(len(stems), 3)) if stems else 0.0
    return TERM_SHARE * TERM_FIT.get(kind, 0.0) + WORDS_SHARE * words_fit, kind, found


def distance_fit(candidate: Candidate, limit_miles: float) -> tuple[float, bool]:
    """(fit, whether it is the remote option that counts). Decays relative to the person's own limit."""
    venue = None
    if candidate.at_venue and candidate.miles is not None:
        venue = math.exp(-DISTANCE_DECAY * candidate.miles / limit_miles)
    if candidate.is_remote and (venue is None or venue <= REMOTE_FIT):
        return REMOTE_FIT, True
    return (venue if venue is not None else NEUTRAL), False


def time_fit(candidate: Candidate, profile: Profile) -> tuple[float, bool | None, tuple | None]:
    """(fit, fits the person's free time — None when unknown, best session)."""
    if not candidate.sessions or not profile.free_slots:
        return NEUTRAL, None, None
    best, best_fit = None, 0.0
    for day, opens, _closes, week in candidate.sessions:
        part = words.part_of_day(opens)
        if (day, part) in profile.free_slots:
            fit = 0.8 if week else 1.0  # a monthly session is harder to keep to
            if fit > best_fit:
                best, best_fit = (day, opens, week, part), fit
    return best_fit, best is not None, best


def cost_fit(candidate: Candidate, profile: Profile) -> float:
    if candidate.is_free:
        return 1.0
    if not candidate.costs:
        return 0.4
    return 0.6 if profile.max_cost is not None else NEUTRAL


def freshness_fit(candidate: Candidate, now: datetime) -> float:
    """Stale listings (unconfirmed for 6 months) get no points."""
    verified = candidate.last_verified_at
    if verified is None or now - verified > STALE_AFTER:
        return 0.0
    age = now - verified
    if age <= FRESH_FOR:
        return 1.0
    return 1.0 - 0.6 * (age - FRESH_FOR) / (STALE_AFTER - FRESH_FOR)


def capacity_fit(candidate: Candidate) -> float:
    return 0.2 if candidate.accepting == "waiting_list" else 1.0


def uptake_fit(went: int, outcomes: int) -> float:
    return (went + UPTAKE_PRIOR * UPTAKE_PRIOR_WEIGHT) / (outcomes + UPTAKE_PRIOR_WEIGHT)


def score(candidate, profile, terms, stems, limit_miles, history, now) -> tuple[float, bool | None]:
    """The score and whether it meets when the person is free, without any words."""
    topic, _, _ = topic_fit(candidate, terms, stems)
    distance, _ = distance_fit(candidate, limit_miles)
    time, fits, _ = time_fit(candidate, profile)
    went, outcomes = history.get(candidate.service_id, (0, 0))
    total = (
        points("topic", topic)
        + points("distance", distance)
        + points("time", time)
        + points("cost", cost_fit(candidate, profile))
        + points("freshness", freshness_fit(candidate, now))
        + points("capacity", capacity_fit(candidate))
        + points("uptake", uptake_fit(went, outcomes))
    )
    return round(total, 2), fits


# The words --------------------------------------------------------------------------------------


def explain(candidate, profile, terms, stems, limit_miles, history, now) -> tuple[list[Factor], list[str], bool | None]:
    """The breakdown (each factor with its note) and the reasons, from the same numbers as `score`."""
    topic, kind, found = topic_fit(candidate, terms, stems)
    topic_note, topic_reasons = _topic_words(candidate, terms, kind, found)
    distance, remote = distance_fit(candidate, limit_miles)
    distance_note, distance_reasons = _distance_words(candidate, profile, limit_miles, remote)
    time, fits, best = time_fit(candidate, profile)
    time_note = _time_words(candidate, profile, fits, best)
    cost = cost_fit(candidate, profile)
    cost_note = _cost_words(candidate, profile)
    fresh = freshness_fit(candidate, now)
    fresh_note = _freshness_words(candidate, now)
    capacity = capacity_fit(candidate)
    capacity_note = _capacity_words(candidate)
    went, outcomes = history.get(candidate.service_id, (0, 0))
    uptake = uptake_fit(went, outcomes)
    uptake_note = (
        f"{went} of the last {outcomes} {words.plural(outcomes, 'person', 'people')} referred went"
        if outcomes
        else "no referrals with an outcome yet (counted as even)"
    )
    factors = [
        Factor("topic", points("topic", topic), WEIGHTS["topic"], topic_note),
        Factor("distance", points("distance", distance), WEIGHTS["distance"], distance_note),
        Factor("time", points("time", time), WEIGHTS["time"], time_note),
        Factor("cost", points("cost", cost), WEIGHTS["cost"], cost_note),
        Factor("freshness", points("freshness", fresh), WEIGHTS["freshness"], fresh_note),
        Factor("capacity", points("capacity", capacity), WEIGHTS["capacity"], capacity_note),
        Factor("uptake", points("uptake", uptake), WEIGHTS["uptake"], uptake_note),
    ]
    reasons = [
        *distance_reasons,
        time_note,
        cost_note,
        *access_reasons(candidate, profile),
        fresh_note,
        *([capacity_note] if candidate.accepting == "waiting_list" else []),
        *([uptake_note] if outcomes else []),
        *topic_reasons,
    ]
    return factors, reasons, fits


def _topic_words(candidate: Candidate, terms: RelatedTerms, kind: str | None, found: list[str]):
    reasons = []
    if kind == "exact":
        note = f"listed for {terms.exact_name.lower()}"
    elif kind == "narrower":
        child = next(terms.children[i] for i in sorted(candidate.term_ids & terms.children.keys()))
        note = f"listed for {child.lower()}, part of {terms.exact_name.lower()}"
    elif kind == "broader":
        note = f"listed for {terms.parent_name.lower()}"
    else:
        note = "not listed under this need"
    if kind:
        reasons.append(note)
    if found:
        quoted = f"mentions {words.listing([f'“{w}”' for w in found])}"
        reasons.append(quoted)
        note = f"{note}; {quoted}"
    return note, reasons


def _distance_words(candidate: Candidate, profile: Profile, limit_miles: float, remote: bool):
    modes = [m for m, on in (("online", candidate.online), ("by phone", candidate.by_phone)) if on]
    if candidate.at_home:
        modes.append("at home")
    remote_note = " and ".join(modes) + " — no travel" if modes else ""
    if remote:
        return remote_note, [remote_note]
    if candidate.at_venue and candidate.miles is not None:
        approximate = not (profile.precise and candidate.venue_precise)
        where = "from their practice" if profile.origin == "practice" else "away"
        note = f"{words.miles_words(candidate.miles, approximate)} {where}"
        if approximate and candidate.miles > limit_miles:
            note += f" — may be beyond your {words.limit_words(limit_miles)} limit"
        return note, [note] + ([" and ".join(modes) + " too"] if modes else [])
    note = "distance not known — add a postcode" if candidate.at_venue else "distance not known"
    return note, [note]


def _time_words(candidate: Candidate, profile: Profile, fits: bool | None, best) -> str:
    if not candidate.sessions:
        return "times by arrangement — contact the group"
    if best is not None:
        day, opens, week, part = best
        return (
            f"meets {words.session_words(day, opens, week)} — you are free "
            f"{words.DAY_NAMES[day]} {words.PART_PLURALS[part]}"
        )
    day, opens, _closes, week = candidate.sessions[0]
    first = f"meets {words.session_words(day, opens, week)}"
    return f"{first} — not when you are free" if fits is False else first


def _cost_words(candidate: Candidate, profile: Profile) -> str:
    if candidate.is_free:
        return "free"
    price = cheapest(candidate)
    if price is None:
        return "there is a cost — check with the group"
    note = f"{words.money(price)} a session"
    return note + ", within what you can afford" if profile.max_cost is not None else note


def _freshness_words(candidate: Candidate, now: datetime) -> str:
    verified = candidate.last_verified_at
    if verified is None:
        return "never confirmed — check it is still running"
    if now - verified > STALE_AFTER:
        return f"not confirmed for {words.months_since(verified, now)} months — check it is still running"
    return f"confirmed accurate {how_long_ago(verified, now)}"


def _capacity_words(candidate: Candidate) -> str:
    if candidate.accepting == "waiting_list":
        return "waiting list" + (f": {candidate.capacity_note}" if candidate.capacity_note else "")
    return "taking referrals" + (f" ({candidate.capacity_note})" if candidate.capacity_note else "")


def access_reasons(candidate: Candidate, profile: Profile) -> list[str]:
    """The venue features the person needs that it has: "step-free venue"."""
    if not candidate.at_venue or not profile.access_needs or missing_access(candidate, profile):
        return []
    return [ACCESS_PHRASES[n] for n in sorted(profile.access_needs) if n in ACCESS_PHRASES]
