"""The public directory search form (GET, no CSRF token: it changes nothing and keeps nothing)."""

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import ValidationError

from prescribing.directory.models import DAY_NAMES, ServiceLanguage, TaxonomyTerm
from prescribing.directory.search import DEFAULT_MILES, MILES_CHOICES, SearchQuery
from prescribing.forms import Postcode, max_length


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class OneOf:
    """A select's value must be one of its choices; the message follows NHS content style."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if (field.data or "") not in {str(value) for value, _ in field.choices}:
            raise ValidationError(self.message)


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    postcode = StringField("Postcode", validators=[Postcode(optional=True)], filters=[_strip])
    # Choices are callables or set in load_choices: WTForms 3.3 warns when tuples are passed here.
    need = SelectField(
        "What would help",
        choices=lambda: [("", "Any need")],
        validate_choice=False,
        validators=[OneOf("Select a need from the list")],
    )
    keywords = StringField("Keywords (optional)", validators=[max_length(100, "Keywords")], filters=[_strip])
    miles = SelectField(
        "Distance",
        choices=lambda: [(str(m), f"Within {m} mile" + ("" if m == 1 else "s")) for m in MILES_CHOICES],
        default=str(DEFAULT_MILES),
        validate_choice=False,
        validators=[OneOf("Select a distance from the list")],
    )
    day = SelectField(
        "Day",
        choices=lambda: [("", "Any day"), *((str(i), name) for i, name in enumerate(DAY_NAMES))],
        validate_choice=False,
        validators=[OneOf("Select a day from the list")],
    )
    language = SelectField(
        "Language",
        choices=lambda: [("", "Any language")],
        validate_choice=False,
        validators=[OneOf("Select a language from the list")],
    )
    free_only = BooleanField("Free")
    step_free = BooleanField("Step-free access")
    self_referral = BooleanField("No referral needed: you can contact them yourself")
    include_remote = BooleanField("Include services online, by phone or at home")

    def load_choices(self, session) -> None:
        """Needs (each top-level need followed by its narrower ones) and the languages listed."""
        self.need.choices = [("", "Any need"), *need_choices(session)]
        self.language.choices = [("", "Any language"), *((name, name) for name in languages_listed(session))]

    def search_query(self, page: int = 1) -> SearchQuery:
        return SearchQuery(
            postcode=self.postcode.data or None,
            need=self.need.data or None,
            keywords=self.keywords.data or "",
            miles=int(self.miles.data or DEFAULT_MILES),
            day=int(self.day.data) if self.day.data else None,
            free_only=self.free_only.data,
            step_free=self.step_free.data,
            language=self.language.data or None,
            self_referral=self.self_referral.data,
            include_remote=self.include_remote.data,
            page=page,
        )

    @property
    def filters_used(self) -> bool:
        return bool(
            self.day.data
            or self.language.data
            or self.free_only.data
            or self.step_free.data
            or self.self_referral.data
            or self.include_remote.data
        )


def need_choices(session) -> list[tuple[str, str]]:
    terms = session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.name)).all()
    children: dict[str | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    choices = []
    for top in children.get(None, []):
        choices.append((top.code, top.name))
        choices.extend((child.code, f"{child.name} ({top.name.lower()})") for child in children.get(top.id, []))
    return choices


def languages_listed(session) -> list[str]:
    """Languages listings say they work in, one spelling each (read from the name index)."""
    names = session.scalars(select(ServiceLanguage.name).distinct()).all()
    spellings: dict[str, str] = {}
    for name in sorted(names):
        spellings.setdefault(name.strip().lower(), name.strip())
    return sorted(spellings.values(), key=str.lower)
