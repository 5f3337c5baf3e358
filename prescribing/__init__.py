"""prescribing: social prescribing and a voluntary-sector directory for general practice."""

import logging
import os

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader

from prescribing.config import CONFIGS, ROOT, check_production
from prescribing.extensions import csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the application; `config` overrides settings (tests use it)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    env_name = (config or {}).get("ENV_NAME") or os.environ.get("PRESCRIBING_ENV", "development")
    app.config.from_object(CONFIGS[env_name])
    if config:
        app.config.update(config)
    if app.config["ENV_NAME"] == "production":
        check_production(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    # The NHS.UK macros need a lenient Undefined; their files end in .jinja, which Flask
    # would not autoescape, so autoescape is switched on for every template.
    app.jinja_options = {**app.jinja_options, "undefined": ChainableUndefined, "autoescape": True}
    app.jinja_loader = ChoiceLoader([app.jinja_loader, PackageLoader("nhsuk_frontend_jinja")])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    from prescribing import models  # noqa: F401  (registers every table)
    from prescribing.web import register_web

    register_web(app)
    return app
