"""Forms a coordinator uses to manage accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField

from prescribing.auth.models import ROLE_LABELS, Role
from prescribing.forms import email_address, max_length, required

INVITABLE_ROLES = [(r.value, ROLE_LABELS[r]) for r in Role if r != Role.COMMISSIONER]


class RoleScopeMixin:
    role = RadioField("Role", choices=INVITABLE_ROLES, validators=[required("Select a role")])
    practice_id = SelectField("Practice (for clinicians)", coerce=str, validate_choice=False)
    organization_id = SelectField("Organisation (for organisation editors)", coerce=str, validate_choice=False)


class InviteUserForm(RoleScopeMixin, FlaskForm):
    name = StringField("Full name", validators=[required("Enter the person's full name"), max_length(120, "Full name")])
    email = EmailField("Email address", validators=email_address())


class ChangeRoleForm(RoleScopeMixin, FlaskForm):
    pass


class ConfirmForm(FlaskForm):
    """A button-only form: CSRF protection for one action."""
