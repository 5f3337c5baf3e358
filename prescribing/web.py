"""Wiring the web layer: blueprints, request hooks, error pages, template helpers, commands."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from prescribing import filters
from prescribing.auth.access import enforce_access
from prescribing.auth.sessions import enforce_idle_timeout, load_user
from prescribing.extensions import login_manager
from prescribing.navigation import navigation_for
from prescribing.security import add_security_headers, csp_nonce

ERROR_TITLES = {
    400: "Sorry, there is a problem with this request",
    401: "You need to sign in",
    403: "You do not have permission to view this page",
    404: "Page not found",
    405: "Sorry, there is a problem with this request",
    413: "The file or form you sent is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def register_web(app: Flask) -> None:
    from prescribing.accounts.views import bp as accounts_bp
    from prescribing.api.views import bp as api_bp
    from prescribing.audit.views import bp as audit_bp
    from prescribing.auth.views import bp as auth_bp
    from prescribing.directory.views import bp as directory_bp
    from prescribing.listings.views import bp as listings_bp
    from prescribing.pages.views import bp as pages_bp
    from prescribing.plans.views import bp as plans_bp
    from prescribing.referrals.views import bp as referrals_bp
    from prescribing.reports.views import bp as reports_bp
    from prescribing.signposting.views import bp as signposting_bp

    for bp in (
        pages_bp,
        auth_bp,
        accounts_bp,
        audit_bp,
        directory_bp,
        listings_bp,
        plans_bp,
        signposting_bp,
        referrals_bp,
        reports_bp,
        api_bp,
    ):
        app.register_blueprint(bp)

    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None

    app.before_request(enforce_idle_timeout)
    app.before_request(enforce_access)
    app.after_request(add_security_headers)

    app.jinja_env.globals.update(csp_nonce=csp_nonce, navigation_for=navigation_for)
    filters.register(app)

    @app.context_processor
    def service_context():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "demo_data_banner": app.config["DEMO_DATA_BANNER"],
        }

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _error_page(400, "Your form could not be sent. Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _error_page(error.code or 500, error.description if error.code in (400, 413, 429) else None)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error on %s", request.endpoint)
        return _error_page(500)

    from prescribing.commands import register_commands

    register_commands(app)


def _error_page(code: int, message: str | None = None):
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return jsonify({"error": ERROR_TITLES.get(code, "Error"), "status": code, "detail": message}), code
    title = ERROR_TITLES.get(code, "Sorry, there is a problem")
    return render_template("errors/error.html", code=code, title=title, message=message), code
