"""Forms for keeping listings up to date, and the public forms that feed moderation."""

import re
from datetime import time

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Email, Optional, Regexp, ValidationError

from prescribing import geography
from prescribing.directory.models import DAY_NAMES
from prescribing.forms import Postcode, email_address, max_length, required
from prescribing.listings.fields import (
    ACCEPTING,
    ACCESS_FEATURES,
    DELIVERY,
    EDITABLE_STATUSES,
    ROUTES,
    WEEKS_OF_MONTH,
)
from prescribing.listings.models import PROBLEM_LABELS
from prescribing.listings.moderation import RequestDetails
from prescribing.listings.services import OrganizationDetails, ServiceDetails, SessionDetails, VenueDetails

YES_NO = [("yes", "Yes"), ("no", "No")]
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_SEPARATORS = re.compile(r"[,;\s]+")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _optional_text(limit: int, what: str) -> list:
    return [Optional(), max_length(limit, what)]


def _blank_to_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def _version_field() -> HiddenField:
    # The listing's version when the form was opened, so a later save can spot someone else's change.
    return HiddenField(validators=[required("Reload the page and try again"), Regexp(r"^\d{1,9}$")])


class AtLeastOne:
    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            raise ValidationError(self.message)


class CheckboxesField(SelectMultipleField):
    """Several choices, shown as NHS.UK checkboxes (see templates/forms/checkboxes.html)."""

    def pre_validate(self, form) -> None:
        allowed = {str(value) for value, _ in self.choices}
        if any(str(value) not in allowed for value in self.data or []):
            raise ValidationError("Choose only from the options shown")


class ChoicesForm(FlaskForm):
    """Sets fields' choices after construction: WTForms 3.3 deprecates tuple choices in field constructors,
    and the shared field macros read (value, label) pairs."""

    CHOICES: dict[str, list[tuple[str, str]]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in self.CHOICES.items():
            self[name].choices = list(choices)


_PHONE = Regexp(r"^[0-9 +()\-]{6,40}$", message="Enter a phone number, like 0161 496 0000")
_URL = Regexp(
    r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$",
    message="Enter a website address in the correct format, like https://example.org",
)
_EMAIL = Email(
    message="Enter an email address in the correct format, like name@example.com", check_deliverability=False
)


class ServiceForm(ChoicesForm):
    CHOICES = {
        "status": EDITABLE_STATUSES,
        "delivery": [(code, label) for code, label, _ in DELIVERY],
        "referral_routes": [(code, label) for code, label, _ in ROUTES],
        "accepting": ACCEPTING,
        "cost": [("free", "It is free"), ("paid", "There is a cost")],
    }
    version = _version_field()
    name = StringField(
        "Name of the service", [required("Enter the name of the service"), max_length(250, "Name")], filters=[_strip]
    )
    description = TextAreaField(
        "Description", [required("Enter a description of the service"), max_length(5000, "Description")]
    )
    status = RadioField("Is it running?", validators=[required("Select whether it is running")])
    email = EmailField("Email address (optional)", [Optional(), _EMAIL, max_length(254, "Email address")])
    phone = StringField("Phone number (optional)", [Optional(), _PHONE])
    url = StringField("Website (optional)", [Optional(), max_length(500, "Website"), _URL], filters=[_strip])
    delivery = CheckboxesField(
        "How it is delivered",
        validators=[AtLeastOne("Select how the service is delivered")],
    )
    referral_routes = CheckboxesField(
        "How people can join",
        validators=[AtLeastOne("Select how people can join")],
    )
    how_to_join = TextAreaField("How to join (optional)", _optional_text(2000, "How to join"))
    accepting = RadioField("Is it taking new people?", validators=[required("Select whether it is taking new people")])
    capacity_note = StringField("Capacity (optional)", _optional_text(300, "Capacity"))
    cost = RadioField(
        "Does it cost anything?",
        validators=[required("Select whether there is a cost")],
    )
    cost_amount = StringField("Cost in pounds", [max_length(10, "Cost")], filters=[_strip])
    cost_description = StringField(
        "What the cost covers, and any concessions (optional)", _optional_text(300, "What the cost covers")
    )
    minimum_age = StringField("Youngest age (optional)", _optional_text(3, "Youngest age"), filters=[_strip])
    maximum_age = StringField("Oldest age (optional)", _optional_text(3, "Oldest age"), filters=[_strip])
    eligibility = TextAreaField("Who it is for (optional)", _optional_text(2000, "Who it is for"))
    languages = StringField("Languages (optional)", _optional_text(300, "Languages"))
    service_area = StringField("Postcode districts it serves (optional)", _optional_text(500, "Postcode districts"))
    needs = CheckboxesField("Needs it helps with", validators=[AtLeastOne("Select at least one need")])

    def validate_cost_amount(self, field) -> None:
        if self.cost.data != "paid":
            return
        if not field.data:
            raise ValidationError("Enter the cost in pounds, like 3.50")
        try:
            amount = float(field.data.lstrip("£"))
        except ValueError:
            raise ValidationError("Enter the cost in pounds, like 3.50") from None
        if not 0 <= amount < 10000:
            raise ValidationError("Cost must be between £0 and £9,999")

    def _age(self, field) -> int | None:
        if not field.data:
            return None
        if not field.data.isdigit() or int(field.data) > 120:
            raise ValidationError(
                f"{field.label.text.removesuffix(' (optional)')} must be a whole number from 0 to 120"
            )
        return int(field.data)

    def validate_minimum_age(self, field) -> None:
        self._age(field)

    def validate_maximum_age(self, field) -> None:
        youngest = self.minimum_age.data if (self.minimum_age.data or "").isdigit() else None
        oldest = self._age(field)
        if oldest is not None and youngest is not None and oldest < int(youngest):
            raise ValidationError("Oldest age must be the same as or more than the youngest age")

    def validate_service_area(self, field) -> None:
        for token in self.area_tokens():
            outcode = geography.normalise_outcode(token)
            if outcode is None or " " in (geography.normalise_postcode(token) or ""):
                raise ValidationError(f"'{token}' is not a postcode district. Enter districts like M33, WA14")
            if geography.outcode_centre(outcode) is None:
                raise ValidationError(f"We could not find the postcode district '{outcode}'. Check it and try again")

    def area_tokens(self) -> list[str]:
        return [t for t in _SEPARATORS.split(self.service_area.data or "") if t]

    def details(self) -> ServiceDetails:
        districts = []
        for token in self.area_tokens():
            outcode = geography.normalise_outcode(token)
            if outcode not in districts:
                districts.append(outcode)
        languages = [part.strip() for part in re.split(r"[,;]", self.languages.data or "") if part.strip()]
        paid = self.cost.data == "paid"
        return ServiceDetails(
            name=self.name.data,
            description=self.description.data.strip(),
            status=self.status.data,
            email=_blank_to_none(self.email.data),
            phone=_blank_to_none(self.phone.data),
            url=_blank_to_none(self.url.data),
            delivery=list(self.delivery.data),
            referral_routes=list(self.referral_routes.data),
            how_to_join=(self.how_to_join.data or "").strip(),
            accepting=self.accepting.data,
            capacity_note=_blank_to_none(self.capacity_note.data),
            is_free=not paid,
            cost_amount=float(self.cost_amount.data.lstrip("£")) if paid else None,
            cost_description=_blank_to_none(self.cost_description.data) if paid else None,
            minimum_age=int(self.minimum_age.data) if self.minimum_age.data else None,
            maximum_age=int(self.maximum_age.data) if self.maximum_age.data else None,
            eligibility=_blank_to_none(self.eligibility.data),
            languages=list(dict.fromkeys(languages)),
            service_area=districts,
            need_ids=list(self.needs.data),
        )


class VenueForm(ChoicesForm):
    CHOICES = {"address_published": YES_NO, "access": ACCESS_FEATURES}
    version = _version_field()
    name = StringField("Name of the venue", [required("Enter the name of the venue"), max_length(250, "Name")])
    address = StringField("Address", [required("Enter the address"), max_length(250, "Address")])
    town = StringField("Town or city (optional)", _optional_text(100, "Town or city"))
    postcode = StringField("Postcode", [Postcode()])
    address_published = RadioField(
        "Can the address be shown to the public?",
        validators=[required("Select whether the address can be shown to the public")],
    )
    access = CheckboxesField("Access at this venue (optional)")

    place: geography.Place | None = None

    def validate_postcode(self, field) -> None:
        if field.errors:
            return
        self.place = geography.geocoder_from_config(current_app.config).geocode(field.data)
        if self.place is None:
            raise ValidationError("We could not find this postcode. Check it and enter it again")

    def details(self) -> VenueDetails:
        return VenueDetails(
            name=self.name.data.strip(),
            address=self.address.data.strip(),
            town=(self.town.data or "").strip(),
            postcode=self.postcode.data,
            place=self.place,
            address_published=self.address_published.data == "yes",
            access=list(self.access.data),
        )


class SessionsFormBase(FlaskForm):
    """A fixed number of session rows, so the page works without JavaScript; empty rows are ignored."""

    version = _version_field()
    row_count = 0

    def row(self, index: int) -> dict:
        return {part: self[f"{part}_{index}"] for part in ("day", "opens", "closes", "week", "venue", "note")}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.sessions: list[SessionDetails] = []
        venues = {value for value, _ in self["venue_0"].choices} if self.row_count else set()
        for index in range(self.row_count):
            ok = self._validate_row(index, venues) and ok
        return ok

    def _validate_row(self, index: int, venues: set[str]) -> bool:
        row = self.row(index)
        number = index + 1
        if not any((row[part].data or "").strip() for part in ("day", "opens", "closes", "note")):
            return True
        found = True
        if row["day"].data not in {str(n) for n in range(7)}:
            row["day"].errors.append(f"Select a day for session {number}")
            found = False
        times = {}
        for part, what in (("opens", "a start"), ("closes", "an end")):
            times[part] = _parse_time(row[part].data)
            if times[part] is None:
                row[part].errors.append(f"Enter {what} time for session {number}, like 10:00 or 18:30")
                found = False
        if times["opens"] and times["closes"] and times["closes"] <= times["opens"]:
            row["closes"].errors.append(f"Session {number} must end after it starts")
            found = False
        if row["week"].data not in {value for value, _ in WEEKS_OF_MONTH}:
            row["week"].errors.append(f"Select how often session {number} runs")
            found = False
        if (row["venue"].data or "") not in venues:
            row["venue"].errors.append(f"Select where session {number} runs")
            found = False
        if found and not row["note"].errors:
            self.sessions.append(
                SessionDetails(
                    day_index=int(row["day"].data),
                    opens_at=times["opens"],
                    closes_at=times["closes"],
                    week_of_month=int(row["week"].data) if row["week"].data else None,
                    service_at_location_id=row["venue"].data or None,
                    note=_blank_to_none(row["note"].data),
                )
            )
        return found


def _parse_time(text: str | None) -> time | None:
    match = _TIME.match((text or "").strip())
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2])
    return time(hours, minutes) if hours <= 23 and minutes <= 59 else None


def sessions_form(rows: int, venue_choices: list[tuple[str, str]], **kwargs) -> SessionsFormBase:
    """A sessions form with `rows` rows; each row may name one of the service's venues."""
    days = [("", "Choose a day")] + [(str(n), name) for n, name in enumerate(DAY_NAMES)]
    attributes = {"row_count": rows}
    for i in range(rows):
        attributes[f"day_{i}"] = SelectField("Day", validate_choice=False)
        attributes[f"opens_{i}"] = StringField("Starts", [max_length(5, "Start time")])
        attributes[f"closes_{i}"] = StringField("Ends", [max_length(5, "End time")])
        attributes[f"week_{i}"] = SelectField("How often", validate_choice=False)
        attributes[f"venue_{i}"] = SelectField("Where", validate_choice=False)
        attributes[f"note_{i}"] = StringField("Note (optional)", _optional_text(300, "Note"))
    form = type("SessionsForm", (SessionsFormBase,), attributes)(**kwargs)
    venues = [("", "Not tied to one venue"), *venue_choices]
    for i in range(rows):
        form[f"day_{i}"].choices = days
        form[f"week_{i}"].choices = list(WEEKS_OF_MONTH)
        form[f"venue_{i}"].choices = venues
    return form


class OrganizationForm(FlaskForm):
    version = _version_field()
    name = StringField(
        "Name of the organisation", [required("Enter the name of the organisation"), max_length(250, "Name")]
    )
    description = TextAreaField("About the organisation", _optional_text(5000, "About the organisation"))
    email = EmailField("Email address (optional)", [Optional(), _EMAIL, max_length(254, "Email address")])
    phone = StringField("Phone number (optional)", [Optional(), _PHONE])
    url = StringField("Website (optional)", [Optional(), max_length(500, "Website"), _URL], filters=[_strip])
    charity_number = StringField("Charity number (optional)", _optional_text(20, "Charity number"))

    def details(self) -> OrganizationDetails:
        return OrganizationDetails(
            name=self.name.data.strip(),
            description=(self.description.data or "").strip(),
            email=_blank_to_none(self.email.data),
            phone=_blank_to_none(self.phone.data),
            url=_blank_to_none(self.url.data),
            charity_number=_blank_to_none(self.charity_number.data),
        )


class ConfirmForm(FlaskForm):
    """A button-only form: CSRF protection for one action."""


class ArchiveForm(FlaskForm):
    reason = TextAreaField("Why is it being archived? (optional)", _optional_text(500, "Reason"))


class HoneypotMixin:
    # Hidden from people (CSS and aria-hidden); bots that fill every box give themselves away.
    website = StringField("Leave this blank")


class ReportProblemForm(HoneypotMixin, ChoicesForm):
    CHOICES = {"kind": [(kind.value, label) for kind, label in PROBLEM_LABELS.items()]}
    kind = RadioField(
        "What is wrong?",
        validators=[required("Select what is wrong")],
    )
    details = TextAreaField("Tell us more (optional)", [max_length(2000, "What you tell us")])

    def validate_details(self, field) -> None:
        if self.kind.data == "other" and not (field.data or "").strip():
            raise ValidationError("Tell us what is wrong")


class AskToBeListedForm(HoneypotMixin, FlaskForm):
    organisation_name = StringField(
        "Name of your organisation", [required("Enter the name of your organisation"), max_length(250, "Name")]
    )
    contact_name = StringField("Your name", [required("Enter your name"), max_length(120, "Your name")])
    email = EmailField("Your email address", validators=email_address("Your email address"))
    phone = StringField("Phone number (optional)", [Optional(), _PHONE])
    offers = TextAreaField(
        "What does your organisation offer?",
        [required("Tell us what your organisation offers"), max_length(2000, "What your organisation offers")],
    )
    area = StringField(
        "Where do you work?", [required("Enter the area you work in"), max_length(200, "The area you work in")]
    )
    charity_number = StringField("Charity number (optional)", _optional_text(20, "Charity number"))

    def details(self) -> RequestDetails:
        return RequestDetails(
            organisation_name=self.organisation_name.data.strip(),
            contact_name=self.contact_name.data.strip(),
            email=self.email.data.strip(),
            phone=_blank_to_none(self.phone.data),
            offers=self.offers.data.strip(),
            area=self.area.data.strip(),
            charity_number=_blank_to_none(self.charity_number.data),
        )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Reason (we will email this to the person who asked)",
        [required("Enter the reason, so the person who asked knows why"), max_length(1000, "Reason")],
    )
