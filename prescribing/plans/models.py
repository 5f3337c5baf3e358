"""People, their episodes of link worker support, personal health plans and goals.

Corrections, never deletions: a goal entered in error is marked so (kept in history, out of
reports); an edited plan keeps its earlier wording. Every event records when it happened
(a date, which may be back-dated but never in the future) apart from when it was recorded.
"""

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from prescribing.clock import utcnow
from prescribing.extensions import db
from prescribing.ids import new_id

# A goal with no review for this long is due one (a follow-up), while its episode is open.
REVIEW_EVERY = timedelta(weeks=6)


def _enum(kind) -> Enum:
    return Enum(kind, native_enum=False, length=30, values_callable=lambda members: [m.value for m in members])


class ContactPreference(enum.StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    LETTER = "letter"
    NO_PREFERENCE = "no_preference"


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_STATED = "not_stated"


# NHS ethnic category codes (NHS Data Dictionary, 2001 census categories).
ETHNIC_CATEGORIES = {
    "A": "White: British",
    "B": "White: Irish",
    "C": "White: any other White background",
    "D": "Mixed: White and Black Caribbean",
    "E": "Mixed: White and Black African",
    "F": "Mixed: White and Asian",
    "G": "Mixed: any other mixed background",
    "H": "Asian or Asian British: Indian",
    "J": "Asian or Asian British: Pakistani",
    "K": "Asian or Asian British: Bangladeshi",
    "L": "Asian or Asian British: any other Asian background",
    "M": "Black or Black British: Caribbean",
    "N": "Black or Black British: African",
    "P": "Black or Black British: any other Black background",
    "R": "Other ethnic groups: Chinese",
    "S": "Other ethnic groups: any other ethnic group",
    "Z": "Not stated",
}

# Access needs, named as the directory names venue features (Location columns).
ACCESS_NEEDS = {
    "step_free": "Step-free access (for example, uses a wheelchair)",
    "accessible_toilet": "Accessible toilet",
    "hearing_loop": "Hearing loop",
    "bsl": "British Sign Language",
    "parking": "Parking close by",
    "public_transport": "Near public transport",
}
TRAVEL_MODES = {
    "walk": "Walking",
    "bus": "Bus",
    "tram_train": "Tram or train",
    "car": "Drives",
    "lift": "Lift from family or friends",
    "community_transport": "Community transport or taxi",
}
PARTS_OF_DAY = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}


class EpisodeSource(enum.StrEnum):
    GP = "gp"
    PRACTICE_STAFF = "practice_staff"
    SELF = "self"
    OTHER_AGENCY = "other_agency"
    CLINICIAN_REQUEST = "clinician_request"

    @property
    def label(self) -> str:
        return {
            "gp": "GP",
            "practice_staff": "Other practice staff",
            "self": "Self-referral",
            "other_agency": "Another agency",
            "clinician_request": "A clinician's request to the link worker team",
        }[self.value]


class ClosedReason(enum.StrEnum):
    GOALS_MET = "goals_met"
    DECLINED = "declined"
    MOVED_AWAY = "moved_away"
    LOST_CONTACT = "lost_contact"
    DIED = "died"

    @property
    def label(self) -> str:
        return {
            "goals_met": "Goals met",
            "declined": "Declined further support",
            "moved_away": "Moved away",
            "lost_contact": "Lost contact",
            "died": "Died",
        }[self.value]


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    CHANGED = "changed"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Priority(enum.IntEnum):
    HIGH = 1
    MEDIUM = 2
    LOW = 3

    @property
    def label(self) -> str:
        return self.name.capitalize()


class StepOwner(enum.StrEnum):
    PERSON = "person"
    LINK_WORKER = "link_worker"
    SOMEONE_ELSE = "someone_else"

    @property
    def label(self) -> str:
        return {"person": "The person", "link_worker": "Link worker", "someone_else": "Someone else"}[self.value]


class Person(db.Model):
    """Someone a link worker supports. Scoped to a PCN (link workers) and a practice (clinicians)."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_pcn_name_dob", "pcn_id", "family_name", "given_name", "date_of_birth"),)
    __scope_columns__ = {"pcn": "pcn_id", "practice": "practice_id"}

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date | None]
    # Ten digits, no spaces; checked with the Modulus 11 rule before saving.
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    postcode: Mapped[str | None] = mapped_column(String(8))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    geo_precision: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    contact_preference: Mapped[ContactPreference] = mapped_column(
        _enum(ContactPreference), default=ContactPreference.NO_PREFERENCE
    )
    language: Mapped[str] = mapped_column(String(60), default="English")
    needs_interpreter: Mapped[bool] = mapped_column(default=False)
    access_needs: Mapped[list] = mapped_column(JSON, default=list)
    # When they are free, as "<day index>-<part of day>": "1-morning" is Tuesday mornings.
    free_slots: Mapped[list] = mapped_column(JSON, default=list)
    travel_miles: Mapped[float | None]
    travel_modes: Mapped[list] = mapped_column(JSON, default=list)
    # Most they can pay for a session: 0 means free groups only; empty means cost is no limit.
    max_cost: Mapped[float | None]
    wants_company: Mapped[bool] = mapped_column(default=False)
    sex: Mapped[Sex] = mapped_column(_enum(Sex), default=Sex.NOT_STATED)
    ethnic_category: Mapped[str] = mapped_column(String(1), default="Z")
    died_on: Mapped[date | None]
    # A duplicate merged into another record: kept, read-only, pointing at the record that holds its history.
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"), index=True)
    merged_at: Mapped[datetime | None]
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    practice = relationship("Practice")
    pcn = relationship("Pcn")
    episodes: Mapped[list["Episode"]] = relationship(
        back_populates="person", order_by="(Episode.opened_on.desc(), Episode.recorded_at.desc())"
    )

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_died(self) -> bool:
        return self.died_on is not None

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def open_episode(self) -> "Episode | None":
        return next((e for e in self.episodes if e.is_open), None)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class Episode(db.Model):
    """A period of link worker support, from accepting it to closing with a reason."""

    __tablename__ = "episode"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    source: Mapped[EpisodeSource] = mapped_column(_enum(EpisodeSource))
    link_worker_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    opened_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    closed_on: Mapped[date | None]
    closed_reason: Mapped[ClosedReason | None] = mapped_column(_enum(ClosedReason))
    closed_recorded_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    person: Mapped[Person] = relationship(back_populates="episodes")
    link_worker = relationship("AppUser", foreign_keys=[link_worker_id])
    plan: Mapped["Plan | None"] = relationship(back_populates="episode", uselist=False)
    link_worker_changes: Mapped[list["LinkWorkerChange"]] = relationship(
        back_populates="episode", order_by="LinkWorkerChange.recorded_at"
    )

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def follow_ups_stop(self) -> bool:
        """Closing an episode, or the person's death, stops every follow-up and reminder."""
        return not self.is_open or self.person.has_died


class LinkWorkerChange(db.Model):
    """History of who the named link worker was (the first row is the one named at opening)."""

    __tablename__ = "link_worker_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episode.id"), index=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    changed_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    episode: Mapped[Episode] = relationship(back_populates="link_worker_changes")
    from_user = relationship("AppUser", foreign_keys=[from_user_id])
    to_user = relationship("AppUser", foreign_keys=[to_user_id])


class Plan(db.Model):
    """A personal health plan: what matters to the person, their strengths, and goals."""

    __tablename__ = "plan"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    episode_id: Mapped[str] = mapped_column(ForeignKey("episode.id"), unique=True)
    what_matters: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    episode: Mapped[Episode] = relationship(back_populates="plan")
    goals: Mapped[list["Goal"]] = relationship(back_populates="plan", order_by="(Goal.priority, Goal.created_at)")
    revisions: Mapped[list["PlanRevision"]] = relationship(back_populates="plan", order_by="PlanRevision.recorded_at")

    def current_goals(self) -> list["Goal"]:
        return [g for g in self.goals if not g.entered_in_error]


class PlanRevision(db.Model):
    """The wording a plan had before an edit, so a change never loses what was written."""

    __tablename__ = "plan_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    what_matters: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    plan: Mapped[Plan] = relationship(back_populates="revisions")


class Goal(db.Model):
    __tablename__ = "goal"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plan.id"), index=True)
    own_words: Mapped[str] = mapped_column(Text)
    need_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    priority: Mapped[int] = mapped_column(default=Priority.MEDIUM)
    target_on: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(_enum(GoalStatus), default=GoalStatus.ACTIVE)
    status_changed_on: Mapped[date | None]
    agreed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_in_error_at: Mapped[datetime | None]
    entered_in_error_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_in_error_reason: Mapped[str | None] = mapped_column(String(300))

    plan: Mapped[Plan] = relationship(back_populates="goals")
    need = relationship("TaxonomyTerm")
    steps: Mapped[list["GoalStep"]] = relationship(back_populates="goal", order_by="GoalStep.recorded_at")
    reviews: Mapped[list["GoalReview"]] = relationship(
        back_populates="goal", order_by="(GoalReview.reviewed_on, GoalReview.recorded_at)"
    )

    @property
    def entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def latest_review(self) -> "GoalReview | None":
        return self.reviews[-1] if self.reviews else None

    def review_due_on(self) -> date:
        last = self.latest_review.reviewed_on if self.latest_review else self.agreed_on
        return last + REVIEW_EVERY

    def open_steps(self) -> list["GoalStep"]:
        return [s for s in self.steps if s.done_on is None]


class GoalStep(db.Model):
    """Who does what by when: the person's steps and the link worker's."""

    __tablename__ = "goal_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goal.id"), index=True)
    owner: Mapped[StepOwner] = mapped_column(_enum(StepOwner))
    what: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    goal: Mapped[Goal] = relationship(back_populates="steps")


class GoalReview(db.Model):
    """Progress towards a goal on a 0 to 10 scale, with a note."""

    __tablename__ = "goal_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goal.id"), index=True)
    score: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    goal: Mapped[Goal] = relationship(back_populates="reviews")


class UnmetNeedKind(enum.StrEnum):
    NOTHING_WITHIN_REACH = "nothing_within_reach"
    NONE_SUIT = "none_suit"


class NoneSuitReason(enum.StrEnum):
    TIMES = "times"
    TOO_FAR = "too_far"
    COST = "cost"
    NOT_RIGHT_KIND = "not_right_kind"
    ACCESS = "access"
    PERSON_DECLINED = "person_declined"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "times": "None meet at a time that suits",
            "too_far": "All too far or too hard to get to",
            "cost": "Cost",
            "not_right_kind": "Not the right kind of group",
            "access": "Access needs not met",
            "person_declined": "The person did not want any of these",
            "other": "Another reason",
        }[self.value]


class UnmetNeed(db.Model):
    """A goal for which no suitable service was within reach: recorded once per goal.

    Holds the need, the postcode district and which constraint excluded which services,
    never the person's name or full postcode. Marked met when a referral follows.
    """

    __tablename__ = "unmet_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goal.id"), unique=True)
    pcn_id: Mapped[int] = mapped_column(ForeignKey("pcn.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    need_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    outcode: Mapped[str | None] = mapped_column(String(4), index=True)
    kind: Mapped[UnmetNeedKind] = mapped_column(_enum(UnmetNeedKind))
    reason: Mapped[NoneSuitReason | None] = mapped_column(_enum(NoneSuitReason))
    # {constraint code: [service ids]}; "shown" lists what the link worker saw and turned down.
    exclusions: Mapped[dict] = mapped_column(JSON, default=dict)
    recorded_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    met_at: Mapped[datetime | None]
    met_by_referral_id: Mapped[str | None] = mapped_column(String(36))

    goal: Mapped[Goal] = relationship()
    need = relationship("TaxonomyTerm")

    __scope_columns__ = {"pcn": "pcn_id", "practice": "practice_id"}
