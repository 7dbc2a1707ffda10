"""The broker portal (Extranet): a Flask application over the core use cases."""

from __future__ import annotations

from flask import Flask


def create_app(gateway=None, test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    if gateway is not None:
        app.config["SECRET_KEY"] = gateway.settings.secret_key
        app.extensions["gateway"] = gateway
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index():
        return "<!doctype html><title>Docura Extranet</title><p>Docura VVaG Extranet</p>"

    return app
