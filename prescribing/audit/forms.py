"""Searching the audit log (GET: ids only, no personal data in the address)."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from prescribing.forms import max_length


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only search by GET

    user_id = SelectField("User", coerce=str, default="")
    object_type = SelectField("Kind of record", coerce=str, default="")
    object_id = StringField("Record id", validators=[max_length(64, "Record id")])
