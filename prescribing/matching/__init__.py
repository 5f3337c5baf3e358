"""Goal-to-service matching that explains itself. Plain Python: no Flask request in here."""

from prescribing.matching.engine import Match, MatchResult, NearMiss, Suggestion, match_goal
from prescribing.matching.profile import DEFAULT_MILES, GoalQuery, Profile, Relaxation
from prescribing.matching.scoring import WEIGHTS, Factor

__all__ = [
    "DEFAULT_MILES",
    "WEIGHTS",
    "Factor",
    "GoalQuery",
    "Match",
    "MatchResult",
    "NearMiss",
    "Profile",
    "Relaxation",
    "Suggestion",
    "match_goal",
]
