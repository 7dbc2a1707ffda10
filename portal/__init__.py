"""The broker portal (Extranet): a Flask application over the core use cases."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from bipro.config import Settings
from bipro.core import formatting
from bipro.gateway import Gateway


def create_app(gateway: Gateway | None = None, test_config: dict | None = None) -> Flask:
    """Build the portal for *gateway* (from the environment when None)."""
    if gateway is None:
        gateway = Gateway.from_settings(Settings.from_env())
    app = Flask(__name__, instance_relative_config=False)
    app.extensions["gateway"] = gateway
    register_config(app, gateway.settings)
    if test_config:
        app.config.update(test_config)
    register_extensions(app)
    register_database(app)
    register_sessions(app)
    register_observing(app)
    register_filters(app)
    register_blueprints(app)
    register_errors(app)
    register_security_headers(app)
    return app


def register_config(app: Flask, settings: Settings) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="docura_extranet",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https:"),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_idle_minutes),
        # The CSRF token lives as long as the session; the session ends itself.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )


def register_extensions(app: Flask) -> None:
    from portal.extensions import csrf

    csrf.init_app(app)


def register_database(app: Flask) -> None:
    from portal import database

    database.init_app(app)


def register_sessions(app: Flask) -> None:
    from portal import input_guard, login_session

    input_guard.init_app(app)  # first: nothing below may see a NUL byte
    login_session.init_app(app)


def register_observing(app: Flask) -> None:
    from portal import observing

    observing.init_app(app)


def register_filters(app: Flask) -> None:
    app.add_template_filter(formatting.format_date, "date")
    app.add_template_filter(formatting.format_datetime, "datetime")
    app.add_template_filter(formatting.format_money, "money")
    app.add_template_filter(formatting.format_decimal, "decimal")
    from portal.request_context import local_time

    app.add_template_filter(local_time, "local")


def register_blueprints(app: Flask) -> None:
    from portal import auth, contracts, customers, dashboard, inbox, profile, tariff

    for module in (auth, dashboard, inbox, profile, customers, contracts, tariff):
        app.register_blueprint(module.bp)
    from portal import audit_log, bipro_access, second_factor

    app.register_blueprint(audit_log.bp)
    app.register_blueprint(bipro_access.bp)
    app.register_blueprint(second_factor.bp)


def register_errors(app: Flask) -> None:
    from portal import errors

    errors.init_app(app)


def register_security_headers(app: Flask) -> None:
    from portal import headers

    headers.init_app(app)
