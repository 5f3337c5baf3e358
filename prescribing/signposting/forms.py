"""Forms for signposting and requests to the link worker team."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from prescribing.forms import Postcode, SplitDateField, max_length, optional_email_address, required
from prescribing.plans.forms import ChoicesForm, MultiCheckboxField, NhsNumber
from prescribing.signposting.models import Urgency

MILES_CHOICES = [
    ("", "Up to 3 miles (the usual)"),
    ("1", "1 mile"),
    ("2", "2 miles"),
    ("5", "5 miles"),
    ("10", "10 miles"),
]


class SignpostForm(ChoicesForm):
    """Where (a postcode, or a person the practice knows) and which needs. Sent by POST, never in addresses."""

    CHOICES = {"miles": MILES_CHOICES}

    postcode = StringField("Their postcode", validators=[max_length(10, "Postcode"), Postcode(optional=True)])
    person_id = SelectField(
        "Or choose someone your practice has already referred",
        coerce=str,
        default="",
        invalid_choice_message="Choose someone from the list",
    )
    needs = MultiCheckboxField(
        "What would help?",
        validators=[required("Select at least one need")],
        invalid_choice_message="Select needs from the list",
    )
    free_only = BooleanField("Free groups only")
    step_free = BooleanField("Step-free access needed")
    miles = SelectField("Within", default="", invalid_choice_message="Select a distance from the list")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.postcode.errors and not self.person_id.errors:
            if not self.postcode.data and not self.person_id.data:
                self.postcode.errors = list(self.postcode.errors) + ["Enter a postcode or choose a person"]
                return False
            if self.postcode.data and self.person_id.data:
                self.postcode.errors = list(self.postcode.errors) + ["Enter a postcode or choose a person, not both"]
                return False
        return ok

    @property
    def miles_value(self) -> float | None:
        return float(self.miles.data) if self.miles.data else None


class PrintForm(FlaskForm):
    """The groups shown, as hidden `need` and `group` ("<need id>|<service id>") fields."""


class RequestForm(ChoicesForm):
    CHOICES = {"urgency": [(u.value, u.label) for u in Urgency]}

    given_name = StringField(
        "First name", validators=[required("Enter their first name"), max_length(100, "First name")]
    )
    family_name = StringField("Last name", validators=[required("Enter their last name"), max_length(100, "Last name")])
    date_of_birth = SplitDateField("Date of birth", validators=[required("Enter their date of birth")])
    nhs_number = StringField(
        "NHS number", validators=[required("Enter their NHS number"), max_length(20, "NHS number"), NhsNumber()]
    )
    phone = StringField("Phone number", validators=[max_length(40, "Phone number")])
    email = EmailField(
        "Email address (optional)",
        validators=optional_email_address(),
    )
    reason = TextAreaField(
        "Why would link worker support help?",
        validators=[required("Enter why link worker support would help"), max_length(2000, "The reason")],
    )
    urgency = RadioField("How soon should the team get in touch?", validators=[required("Select how soon")])
    agreed_to_contact = BooleanField(
        "They have agreed to be contacted by the link worker team",
        validators=[required("Confirm they have agreed to be contacted by the link worker team")],
    )

    def validate_phone(self, field) -> None:
        if not (field.data or "").strip() and not (self.email.data or "").strip():
            raise ValidationError("Enter a phone number or email address")

    def request_data(self) -> dict:
        return {
            "given_name": self.given_name.data,
            "family_name": self.family_name.data,
            "date_of_birth": self.date_of_birth.data,
            "nhs_number": self.nhs_number.data,
            "phone": self.phone.data,
            "email": self.email.data,
            "reason": self.reason.data,
            "urgency": self.urgency.data,
            "agreed_to_contact": bool(self.agreed_to_contact.data),
        }


class AcceptForm(FlaskForm):
    # "" records a new person; otherwise the id of one of the possible duplicates shown.
    person_id = StringField(validators=[Optional(), max_length(36, "Person")])


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Why can the team not take this on?",
        validators=[required("Enter why the team cannot take this on"), max_length(500, "The reason")],
    )
