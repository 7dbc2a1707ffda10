"""Security headers on every portal response; ``no-store`` on all but the static files."""

from __future__ import annotations

from flask import Flask, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        if request.path.startswith("/passwort-zuruecksetzen/"):
            # The link's token is in this page's URL: no Referer may carry it anywhere.
            response.headers["Referrer-Policy"] = "no-referrer"
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            # Pages, JSON and downloads show personal data: never keep them in any cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
