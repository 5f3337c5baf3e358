"""Forms for contacts and wellbeing measures."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.validators import NumberRange

from prescribing.forms import SplitDateField, max_length, required
from prescribing.outcomes.models import ContactMode
from prescribing.outcomes.scoring import Instrument
from prescribing.plans.forms import ChoicesForm

MODE_CHOICES = [(m.value, m.label) for m in ContactMode]


class ContactForm(ChoicesForm):
    CHOICES = {"mode": MODE_CHOICES}

    contact_on = SplitDateField("Date of the contact", validators=[required("Enter the date of the contact")])
    mode = RadioField("How were you in contact?", validators=[required("Select how you were in contact")])
    minutes = IntegerField(
        "How long, in minutes",
        validators=[
            required("Enter how long the contact took, in minutes"),
            NumberRange(1, 600, "How long must be between 1 and 600 minutes"),
        ],
    )
    note = TextAreaField("Note (optional)", validators=[max_length(2000, "Note")])


def measure_form(instrument: Instrument) -> type[FlaskForm]:
    """A form with the date it was taken and one whole-number box per question, range checked."""

    class MeasureForm(FlaskForm):
        taken_on = SplitDateField("Date taken", validators=[required("Enter the date the measure was taken")])

    for n, question in enumerate(instrument.items, start=1):
        message = f"Question {n} must be a whole number between {instrument.low} and {instrument.high}"
        field = IntegerField(
            question,
            validators=[
                required(f"Enter an answer for question {n}"),
                NumberRange(instrument.low, instrument.high, message),
            ],
        )
        setattr(MeasureForm, f"item_{n}", field)
    return MeasureForm


def answers(form, instrument: Instrument) -> list[int]:
    return [getattr(form, f"item_{n}").data for n in range(1, len(instrument.items) + 1)]
