"""Forms a coordinator uses to manage accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf

from prescribing.auth.models import ROLE_LABELS, Role
from prescribing.forms import email_address, max_length, required

INVITABLE_ROLES = [(r.value, ROLE_LABELS[r]) for r in Role if r != Role.COMMISSIONER]


class RoleScopeMixin:
    # AnyOf instead of WTForms' own choice check, so a forged value gets the same NHS-style message.
    role = RadioField(
        "Role",
        validate_choice=False,
        validators=[required("Select a role"), AnyOf([value for value, _ in INVITABLE_ROLES], "Select a role")],
    )
    # Scope choices are checked by the service against the coordinator's PCN.
    practice_id = SelectField("Practice (for clinicians)", coerce=str, validate_choice=False)
    organization_id = SelectField("Organisation (for organisation editors)", coerce=str, validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here, not in the field: WTForms 3.3 deprecates tuple choices given to the constructor,
        # and the shared field macros read (value, label) pairs.
        self.role.choices = INVITABLE_ROLES

    def scope_ids(self) -> tuple[int | None, str | None]:
        """The chosen practice and organisation ids; anything malformed counts as not chosen."""
        practice = (self.practice_id.data or "").strip()
        organization = (self.organization_id.data or "").strip()
        return (int(practice) if practice.isdigit() and len(practice) < 10 else None), (organization[:64] or None)


class InviteUserForm(RoleScopeMixin, FlaskForm):
    name = StringField("Full name", validators=[required("Enter the person's full name"), max_length(120, "Full name")])
    email = EmailField("Email address", validators=email_address())


class ChangeRoleForm(RoleScopeMixin, FlaskForm):
    pass


class ConfirmForm(FlaskForm):
    """A button-only form: CSRF protection for one action."""
