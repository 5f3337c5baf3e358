"""Sign-in, second factor and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import ValidationError

from prescribing.auth.passwords import MAX_LENGTH, password_problem
from prescribing.forms import email_address, max_length, required


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=email_address())
    password = PasswordField(
        "Password", validators=[required("Enter your password"), max_length(MAX_LENGTH, "Password")]
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Security code",
        validators=[
            required("Enter the 6-digit security code from your authenticator app"),
            max_length(20, "Security code"),
        ],
    )


class RecoveryCodeForm(FlaskForm):
    recovery_code = StringField(
        "Recovery code", validators=[required("Enter one of your recovery codes"), max_length(20, "Recovery code")]
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email address", validators=email_address())


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[required("Enter a new password")])
    confirm = PasswordField("Confirm new password", validators=[required("Confirm your new password")])

    def validate_password(self, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError("Passwords do not match")
