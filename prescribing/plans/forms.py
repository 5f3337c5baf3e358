"""Forms for people, episodes, plans and goals."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from prescribing.forms import Postcode, SplitDateField, max_length, optional_email_address, required
from prescribing.plans.models import (
    ACCESS_NEEDS,
    ETHNIC_CATEGORIES,
    PARTS_OF_DAY,
    TRAVEL_MODES,
    ClosedReason,
    ContactPreference,
    EpisodeSource,
    GoalStatus,
    NoneSuitReason,
    Priority,
    Sex,
    StepOwner,
)
from prescribing.plans.people import NhsNumberError, normalise_nhs_number

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FREE_SLOTS = [(f"{d}-{part}", f"{DAYS[d]} {plural}") for d in range(7) for part, plural in PARTS_OF_DAY.items()]
TRAVEL_CHOICES = [("", "Not asked yet"), ("0.5", "Half a mile"), ("1", "1 mile"), ("2", "2 miles")] + [
    (str(m), f"{m} miles") for m in (3, 5, 10, 15)
]
COST_CHOICES = [
    ("", "Cost is not a limit (or not asked yet)"),
    ("0", "Free groups only"),
    ("2", "Up to £2 a session"),
    ("5", "Up to £5 a session"),
    ("10", "Up to £10 a session"),
]
CONTACT_CHOICES = [
    (ContactPreference.PHONE.value, "Phone call"),
    (ContactPreference.TEXT.value, "Text message"),
    (ContactPreference.EMAIL.value, "Email"),
    (ContactPreference.LETTER.value, "Letter"),
    (ContactPreference.NO_PREFERENCE.value, "No preference"),
]
SEX_CHOICES = [
    (Sex.FEMALE.value, "Female"),
    (Sex.MALE.value, "Male"),
    (Sex.OTHER.value, "Other"),
    (Sex.NOT_STATED.value, "Not stated"),
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChoicesForm(FlaskForm):
    """Sets fields' choices after construction: WTForms 3.3 deprecates tuple choices in field constructors."""

    CHOICES: dict[str, list[tuple[str, str]]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in self.CHOICES.items():
            getattr(self, name).choices = list(choices)


class NhsNumber:
    """Optional; 10 digits passing the Modulus 11 check; replaced by its 10-digit normal form."""

    def __call__(self, form, field) -> None:
        try:
            field.data = normalise_nhs_number(field.data)
        except NhsNumberError as error:
            raise ValidationError(str(error)) from error


def _to_float(value):
    return float(value) if value not in (None, "") else None


class PersonForm(ChoicesForm):
    CHOICES = {
        "contact_preference": CONTACT_CHOICES,
        "access_needs": list(ACCESS_NEEDS.items()),
        "free_slots": FREE_SLOTS,
        "travel_miles": TRAVEL_CHOICES,
        "travel_modes": list(TRAVEL_MODES.items()),
        "max_cost": COST_CHOICES,
        "sex": SEX_CHOICES,
        "ethnic_category": list(ETHNIC_CATEGORIES.items()),
    }

    given_name = StringField(
        "First name", validators=[required("Enter their first name"), max_length(100, "First name")]
    )
    family_name = StringField("Last name", validators=[required("Enter their last name"), max_length(100, "Last name")])
    date_of_birth = SplitDateField("Date of birth", validators=[Optional()])
    nhs_number = StringField("NHS number (optional)", validators=[max_length(20, "NHS number"), NhsNumber()])
    practice_id = SelectField(
        "GP practice",
        coerce=str,
        validators=[required("Select their GP practice")],
        invalid_choice_message="Select their GP practice",
    )
    postcode = StringField("Postcode (optional)", validators=[max_length(10, "Postcode"), Postcode(optional=True)])
    phone = StringField("Phone number (optional)", validators=[max_length(40, "Phone number")])
    email = EmailField(
        "Email address (optional)",
        validators=optional_email_address(),
    )
    contact_preference = RadioField(
        "How would they like to be contacted?", default=ContactPreference.NO_PREFERENCE.value
    )
    language = StringField("Preferred language", default="English", validators=[max_length(60, "Preferred language")])
    needs_interpreter = BooleanField("They need an interpreter")
    access_needs = MultiCheckboxField("Access needs")
    free_slots = MultiCheckboxField("When are they free?")
    travel_miles = SelectField("How far can they travel?", default="")
    travel_modes = MultiCheckboxField("How can they get there?")
    max_cost = RadioField("What can they afford?", default="")
    wants_company = BooleanField("They would like someone to go with them the first time")
    sex = RadioField("Sex (optional)", default=Sex.NOT_STATED.value)
    ethnic_category = SelectField("Ethnic group (optional)", default="Z")
    # Set by the "save as a new person" button once possible duplicates have been shown.
    confirm_new = StringField(validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not self.date_of_birth.data and not self.nhs_number.data:
            self.date_of_birth.errors = list(self.date_of_birth.errors) + ["Enter a date of birth or an NHS number"]
            return False
        return ok

    def person_data(self) -> dict:
        """What the people service takes, with types it stores."""
        return {
            "given_name": self.given_name.data,
            "family_name": self.family_name.data,
            "date_of_birth": self.date_of_birth.data,
            "nhs_number": self.nhs_number.data,
            "practice_id": int(self.practice_id.data),
            "postcode": self.postcode.data,
            "phone": self.phone.data,
            "email": self.email.data,
            "contact_preference": ContactPreference(self.contact_preference.data or "no_preference"),
            "language": self.language.data,
            "needs_interpreter": bool(self.needs_interpreter.data),
            "access_needs": self.access_needs.data or [],
            "free_slots": self.free_slots.data or [],
            "travel_miles": _to_float(self.travel_miles.data),
            "travel_modes": self.travel_modes.data or [],
            "max_cost": _to_float(self.max_cost.data),
            "wants_company": bool(self.wants_company.data),
            "sex": Sex(self.sex.data or "not_stated"),
            "ethnic_category": self.ethnic_category.data or "Z",
        }

    @classmethod
    def data_from(cls, person) -> dict:
        """Initial data for editing a person."""
        return {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth,
            "nhs_number": person.nhs_number,
            "practice_id": str(person.practice_id),
            "postcode": person.postcode,
            "phone": person.phone,
            "email": person.email,
            "contact_preference": person.contact_preference.value,
            "language": person.language,
            "needs_interpreter": person.needs_interpreter,
            "access_needs": person.access_needs,
            "free_slots": person.free_slots,
            "travel_miles": "" if person.travel_miles is None else f"{person.travel_miles:g}",
            "travel_modes": person.travel_modes,
            "max_cost": "" if person.max_cost is None else f"{person.max_cost:g}",
            "wants_company": person.wants_company,
            "sex": person.sex.value,
            "ethnic_category": person.ethnic_category,
        }


class FindPersonForm(FlaskForm):
    query = StringField(
        "Name or NHS number", validators=[required("Enter a name or an NHS number"), max_length(100, "Search")]
    )


class EpisodeForm(ChoicesForm):
    CHOICES = {"source": [(s.value, s.label) for s in EpisodeSource]}

    source = RadioField(
        "How did they come to link worker support?",
        validators=[required("Select how they came to link worker support")],
        invalid_choice_message="Select how they came to link worker support",
    )
    opened_on = SplitDateField(
        "Date they accepted support", validators=[required("Enter the date they accepted support")]
    )
    link_worker_id = SelectField(
        "Named link worker",
        coerce=str,
        validators=[required("Select the named link worker")],
        invalid_choice_message="Select a link worker in your primary care network",
    )


class CloseEpisodeForm(ChoicesForm):
    CHOICES = {"reason": [(r.value, r.label) for r in ClosedReason]}

    reason = RadioField(
        "Why is support ending?",
        validators=[required("Select why support is ending")],
    )
    closed_on = SplitDateField("Date support ended", validators=[required("Enter the date support ended")])


class ChangeLinkWorkerForm(FlaskForm):
    link_worker_id = SelectField(
        "New named link worker",
        coerce=str,
        validators=[required("Select a link worker")],
        invalid_choice_message="Select a link worker in your primary care network",
    )
    changed_on = SplitDateField("Date of the change", validators=[required("Enter the date of the change")])


class PlanForm(FlaskForm):
    what_matters = TextAreaField(
        "What matters to me", validators=[required("Enter what matters to them"), max_length(2000, "What matters")]
    )
    strengths = TextAreaField("My strengths (optional)", validators=[max_length(2000, "Strengths")])


class GoalForm(ChoicesForm):
    CHOICES = {"priority": [(str(p.value), p.label) for p in Priority]}

    own_words = TextAreaField(
        "The goal, in their own words",
        validators=[required("Enter the goal in their own words"), max_length(500, "The goal")],
    )
    need_term_id = SelectField(
        "Need",
        coerce=str,
        validators=[required("Select the need this goal is about")],
        invalid_choice_message="Select the need this goal is about",
    )
    priority = RadioField(
        "Priority",
        default=str(Priority.MEDIUM.value),
        validators=[required("Select a priority")],
    )
    target_on = SplitDateField("Target date (optional)", validators=[Optional()], past_only=False, future_only=True)
    agreed_on = SplitDateField("Date agreed", validators=[required("Enter the date the goal was agreed")])


class StepForm(ChoicesForm):
    CHOICES = {"owner": [(o.value, o.label) for o in StepOwner]}

    owner = RadioField("Who will do it?", validators=[required("Select who will do it")])
    what = StringField("What will they do?", validators=[required("Enter the step"), max_length(300, "The step")])
    due_on = SplitDateField("By when? (optional)", validators=[Optional()], past_only=False)


class ReviewForm(ChoicesForm):
    CHOICES = {"score": [(str(n), str(n)) for n in range(11)]}

    score = RadioField(
        "How close are they to the goal, from 0 (not at all) to 10 (achieved)?",
        validators=[required("Select a score from 0 to 10")],
        invalid_choice_message="Select a score from 0 to 10",
    )
    note = TextAreaField("Note (optional)", validators=[max_length(1000, "Note")])
    reviewed_on = SplitDateField("Date of the review", validators=[required("Enter the date of the review")])


class GoalStatusForm(ChoicesForm):
    CHOICES = {"status": [(s.value, s.label) for s in GoalStatus]}

    status = RadioField("Goal status", validators=[required("Select a status")])
    changed_on = SplitDateField("Date of the change", validators=[required("Enter the date of the change")])


class EnteredInErrorForm(FlaskForm):
    reason = StringField(
        "Why was it entered in error?",
        validators=[required("Enter why it was entered in error"), max_length(300, "The reason")],
    )


class NoneSuitForm(ChoicesForm):
    CHOICES = {"reason": [(r.value, r.label) for r in NoneSuitReason]}

    reason = RadioField(
        "Why do none of these suit?",
        validators=[required("Select why none of these suit")],
    )


class ReferForm(FlaskForm):
    """One button per match: the service to refer to."""

    service_id = StringField(validators=[required("Select a service"), max_length(36, "Service")])


class ConfirmForm(FlaskForm):
    """A button-only form: CSRF protection for one action."""
