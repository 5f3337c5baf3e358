"""Shared form pieces: validators with NHS content-style messages, and a split date field.

Messages come from here so the wording is the same on every page.
"""

from dataclasses import dataclass
from datetime import date

from wtforms import Field
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from prescribing import geography


def required(message: str) -> InputRequired:
    return InputRequired(message=message)


def max_length(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit} characters or fewer")


def email_address(what: str = "Email address") -> list:
    return [
        required(f"Enter {what.lower()}" if what != "Email address" else "Enter an email address"),
        Email(
            message="Enter an email address in the correct format, like name@example.com", check_deliverability=False
        ),
        max_length(254, what),
    ]


def optional_email_address(what: str = "Email address") -> list:
    return [
        Optional(),
        Email(
            message="Enter an email address in the correct format, like name@example.com", check_deliverability=False
        ),
        max_length(254, what),
    ]


class Postcode:
    """Check a UK postcode's format and replace the field's data with its normal form."""

    def __init__(self, optional: bool = False):
        self.optional = optional

    def __call__(self, form, field) -> None:
        raw = (field.data or "").strip()
        if not raw:
            if self.optional:
                return
            raise ValidationError("Enter a postcode")
        normal = geography.normalise_postcode(raw)
        if normal is None:
            raise ValidationError("Enter a real postcode, like LS6 1AA")
        if not geography.is_covered(normal):
            raise ValidationError("Enter a postcode in England, Scotland or Wales")
        field.data = normal


@dataclass
class DateParts:
    day: str = ""
    month: str = ""
    year: str = ""


class SplitDateField(Field):
    """A date entered as day, month and year boxes (`name[day]` etc.), as the NHS pattern asks."""

    def __init__(self, label=None, validators=None, past_only=True, future_only=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.past_only = past_only
        self.future_only = future_only
        self._parts = DateParts()

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.data = data
        if data:
            self._parts = DateParts(str(data.day), str(data.month), str(data.year))
        if formdata is not None:
            self._parts = DateParts(
                *(formdata.get(f"{self.name}[{part}]", "").strip() for part in ("day", "month", "year"))
            )
            self.raw_data = [self._parts.day, self._parts.month, self._parts.year]
            self.data = None

    def parts(self) -> DateParts:
        return self._parts

    def pre_validate(self, form):
        p = self._parts
        # Messages name the date without the label's "(optional)".
        name = self.label.text.replace(" (optional)", "")
        label = name.lower()
        if not (p.day or p.month or p.year):
            return  # InputRequired / Optional decide whether empty is allowed
        if not (p.day and p.month and p.year):
            raise ValidationError(f"{name} must include a day, month and year")
        try:
            value = date(int(p.year), int(p.month), int(p.day))
        except ValueError as error:
            raise ValidationError(f"{name} must be a real date") from error
        if len(p.year) != 4:
            raise ValidationError("Year must include 4 numbers")
        if self.past_only and value > date.today():
            raise ValidationError(f"{name} must be today or in the past")
        if self.future_only and value < date.today():
            raise ValidationError(f"{name} must be today or in the future")
        if value.year < 1900:
            raise ValidationError(f"Enter a real {label}")
        self.data = value
