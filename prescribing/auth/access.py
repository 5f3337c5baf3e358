"""Who may use which view: one declaration per view, and everything else is refused.

    @access(Role.LINK_WORKER)            signed in with one of these roles
    @access(SIGNED_IN)                   any signed-in user
    @access(EVERYONE)                    no sign-in needed

A view with no declaration is refused for everyone (deny by default), and a test walks
every route to make sure each one declares its rule.

Objects are checked against the user's scope with `get_in_scope_or_404`: a record
outside the user's scope is reported as not found, so its existence is not revealed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import Select, false, select

from prescribing.auth.models import Role
from prescribing.extensions import db

EVERYONE = "everyone"
SIGNED_IN = "signed_in"
# Endpoints Flask itself adds, which serve no data of ours.
BUILT_IN_ENDPOINTS = {"static"}


@dataclass(frozen=True)
class AccessRule:
    who: frozenset[str]

    @property
    def is_public(self) -> bool:
        return EVERYONE in self.who

    def allows(self, user) -> bool:
        if self.is_public:
            return True
        if not user.is_authenticated:
            return False
        return SIGNED_IN in self.who or user.role.value in self.who


def access(*who: str | Role) -> Callable:
    """Declare who may use this view."""
    rule = AccessRule(frozenset(str(w) for w in who))

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            return view(*args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorate


def rule_for(endpoint: str | None) -> AccessRule | None:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return getattr(view, "access_rule", None)


def enforce_access():
    """Before every request: apply the view's declared rule, refusing undeclared views."""
    if request.endpoint in BUILT_IN_ENDPOINTS or request.endpoint is None:
        return None  # unknown URLs fall through to the 404 handler
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("refused: endpoint %s declares no access rule", request.endpoint)
        abort(403)
    if rule.is_public:
        return None
    if not current_user.is_authenticated:
        if request.blueprint == "api":
            abort(401)
        if request.method == "GET":
            session["next_path"] = request.full_path if request.query_string else request.path
        else:
            session["next_path"] = None
        return redirect(url_for("auth.sign_in"))
    if not rule.allows(current_user):
        abort(403)
    return None


def scope_filter(model, user) -> object:
    """A WHERE clause limiting `model` to the rows this user may see.

    Each scoped model names the column that ties it to a PCN, practice or organisation
    through `__scope_columns__`; a model without that is visible to nobody by this route.
    """
    columns = getattr(model, "__scope_columns__", {})
    scope = user.role.scope
    if scope == "pcn" and "pcn" in columns:
        return getattr(model, columns["pcn"]) == user.pcn_id
    if scope == "practice" and "practice" in columns:
        return getattr(model, columns["practice"]) == user.practice_id
    if scope == "organization" and "organization" in columns:
        return getattr(model, columns["organization"]) == user.organization_id
    return false()


def in_scope(query: Select, model, user) -> Select:
    return query.where(scope_filter(model, user))


def get_in_scope_or_404(model, object_id, user=None):
    """Load one record, or 404 when it does not exist or lies outside the user's scope."""
    user = user or current_user
    found = db.session.scalar(select(model).where(model.id == object_id, scope_filter(model, user)))
    if found is None:
        abort(404)
    return found
