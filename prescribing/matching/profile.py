"""What the engine is asked: who the person is (as far as matching needs), the goal, and any
constraint the link worker has chosen to relax for this search."""

from dataclasses import dataclass, field

# Used when the person has not said how far they can travel.
DEFAULT_MILES = 3.0
# Steps offered when nothing fits within the person's limit ("widen to 5 miles").
WIDER_MILES = (1.0, 2.0, 3.0, 5.0, 10.0, 15.0)
PARTS_OF_DAY = ("morning", "afternoon", "evening")


@dataclass(frozen=True)
class Profile:
    """A person as the engine sees them. No name, no NHS number, no full postcode."""

    latitude: float | None = None
    longitude: float | None = None
    # True only when the point comes from a full postcode; approximate points never exclude.
    precise: bool = False
    origin: str = "home"  # "home", or "practice" when the person has no postcode
    outcode: str | None = None
    age: int | None = None
    travel_miles: float | None = None
    access_needs: frozenset[str] = field(default_factory=frozenset)
    language: str = "English"
    needs_interpreter: bool = False
    # (day index 0 = Monday, "morning" / "afternoon" / "evening")
    free_slots: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    # Most they can pay per session: 0 = free groups only; None = cost is not a limit.
    max_cost: float | None = None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def limit_miles(self) -> float:
        return self.travel_miles if self.travel_miles else DEFAULT_MILES

    @property
    def speaks_other_language_only(self) -> bool:
        return self.needs_interpreter and self.language.strip().lower() != "english"


@dataclass(frozen=True)
class GoalQuery:
    """A goal as the engine reads it; a plans Goal has the same two attributes."""

    need_term_id: str | None
    own_words: str = ""


@dataclass(frozen=True)
class Relaxation:
    """Constraints the link worker has chosen to widen for one search."""

    miles: float | None = None
    include_paid: bool = False

    @property
    def is_relaxed(self) -> bool:
        return self.miles is not None or self.include_paid
