"""Forms for answering referrals, the attendance register, consent, and the link worker's changes."""

from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from prescribing.forms import SplitDateField, max_length, required
from prescribing.plans.forms import ChoicesForm, MultiCheckboxField
from prescribing.referrals.lifecycle import NOTE_LIMIT, DeclineReason, FinishReason, State

ANSWER_CHOICES = [
    (State.ACCEPTED.value, "Accept"),
    (State.WAITING_LIST.value, "Put on the waiting list"),
    (State.DECLINED.value, "Decline"),
]
DECLINE_CHOICES = [(r.value, r.label) for r in DeclineReason]
FINISH_CHOICES = [(r.value, r.label) for r in FinishReason]
CAME_CHOICES = [("yes", "Came"), ("no", "Did not come")]
SHARE_CHOICES = [
    ("name", "Their name"),
    ("contact", "Their contact details (phone and email)"),
    ("need", "What they would like help with"),
    ("note", "The note below"),
]


class Versioned(ChoicesForm):
    # The version of the referral the page was showing: a stale one is refused.
    version = HiddenField(validators=[InputRequired("Reload the page and try again")])

    def validate_version(self, field):
        if not (field.data or "").isdigit() or len(field.data) > 9:
            raise ValidationError("Reload the page and try again")

    @property
    def expected_version(self) -> int:
        return int(self.version.data)


class AnswerForm(Versioned):
    CHOICES = {"decision": ANSWER_CHOICES, "decline_reason": DECLINE_CHOICES}

    decision = RadioField("Your answer", validators=[required("Select your answer")])
    decline_reason = RadioField("Why are you declining?", validators=[Optional()])
    note = TextAreaField("Note for the link worker (optional)", validators=[max_length(NOTE_LIMIT, "Note")])


class AttendanceForm(Versioned):
    CHOICES = {"came": CAME_CHOICES}

    session_on = SplitDateField("Date of the session", validators=[required("Enter the date of the session")])
    came = RadioField("Did they come?", validators=[required("Select whether they came")])


class FinishForm(Versioned):
    CHOICES = {"outcome": FINISH_CHOICES}

    outcome = RadioField("How did it finish?", validators=[required("Select how it finished")])
    note = TextAreaField("Note", validators=[max_length(NOTE_LIMIT, "Note")])
    note_shared = BooleanField("Share this note with the organisation")

    def validate_note(self, field):
        if self.outcome.data == FinishReason.STOPPED.value and not (field.data or "").strip():
            raise ValidationError("Enter why the person stopped")


class WithdrawForm(Versioned):
    note = TextAreaField("Note (optional)", validators=[max_length(NOTE_LIMIT, "Note")])


class ConsentForm(ChoicesForm):
    CHOICES = {"fields": SHARE_CHOICES}

    fields = MultiCheckboxField("What the person agreed to share with the organisation")
    shared_note = TextAreaField("Note for the organisation", validators=[max_length(NOTE_LIMIT, "Note")])

    def validate_shared_note(self, field):
        if "note" in (self.fields.data or []) and not (field.data or "").strip():
            raise ValidationError("Enter the note the person agreed to share, or untick it")


class ConfirmForm(Versioned):
    """A button with nothing else to fill in (withdraw consent, mark entered in error)."""
