"""A coordinator searches their PCN's audit log by user and by record."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from prescribing.accounts.services import users_of_pcn
from prescribing.audit.forms import AuditSearchForm
from prescribing.audit.models import AuditEvent
from prescribing.audit.services import search_audit
from prescribing.auth.access import access
from prescribing.auth.models import Role
from prescribing.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@access(Role.COORDINATOR)
def search():
    """Search the audit log of the coordinator's PCN."""
    form = AuditSearchForm(request.args)
    users = users_of_pcn(current_user.pcn_id)
    form.user_id.choices = [("", "Anyone")] + [(str(u.id), f"{u.name} ({u.role.label})") for u in users]
    types = db.session.scalars(
        select(AuditEvent.object_type)
        .where(AuditEvent.pcn_id == current_user.pcn_id, AuditEvent.object_type.is_not(None))
        .distinct()
    )
    form.object_type.choices = [("", "Any")] + [(t, t.replace("_", " ")) for t in sorted(types)]
    events = []
    if form.validate():
        events = search_audit(
            pcn_id=current_user.pcn_id,
            user_id=int(form.user_id.data) if form.user_id.data else None,
            object_type=form.object_type.data or None,
            object_id=(form.object_id.data or "").strip() or None,
        )
    status = 400 if form.errors else 200
    return render_template("audit/search.html", form=form, events=events), status
