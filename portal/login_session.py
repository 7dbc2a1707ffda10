"""Who is logged in: the signed cookie holds a random session id, the database the rest.

``login_required`` sends anonymous visitors to the login page and keeps the
page they wanted in ``next``; a session ended by logout or by inactivity is
sent there with a German notice.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Flask, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from bipro.core.caller import Caller
from bipro.core.identity import portal_sessions, second_factor
from bipro.core.identity.portal_sessions import SessionEnded
from portal.database import db
from portal.request_context import identity_policy

SESSION_KEY = "sid"
SETUP_ENDPOINTS = {"second_factor.index"}  # open to a broker without the required second factor


class PortalSessionInterface(SecureCookieSessionInterface):
    """Marks the cookie Secure whenever the request itself came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app: Flask) -> None:
    app.session_interface = PortalSessionInterface()

    @app.before_request
    def load_caller():
        g.caller = None
        g.session_notice = None
        if request.endpoint == "static" or SESSION_KEY not in session:
            return
        try:
            g.caller = portal_sessions.resolve_session(
                db(), identity_policy(), session[SESSION_KEY], remote_addr=request.remote_addr or "")
        except SessionEnded as ended:
            session.clear()
            g.session_notice = ended.message


def current_caller() -> Caller:
    """The logged-in caller (only inside views wrapped by ``login_required``)."""
    return g.caller


def login_required(view):
    """Let only logged-in brokers through; others go to the login page."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("caller") is None:
            if g.get("session_notice"):
                flash(g.session_notice, "notice")
            target = request.full_path if request.query_string else request.path
            return redirect(url_for("auth.login", next=target))
        if (identity_policy().require_2fa and request.endpoint not in SETUP_ENDPOINTS
                and not second_factor.enabled(db(), g.caller)):
            # BIPRO_REQUIRE_2FA: nothing but the setup until a second factor is in place.
            return redirect(url_for("second_factor.index"))
        return view(*args, **kwargs)

    return wrapped


def begin(session_id: str) -> None:
    """Put a fresh session id in a fresh cookie (the old cookie's content is dropped)."""
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = session_id


def begin_anonymous() -> None:
    """Drop the session id (and the CSRF secret with it) from the cookie."""
    session.clear()


def current_session_id() -> str:
    return session.get(SESSION_KEY, "")


def safe_next(target: str | None) -> str | None:
    """*target* when it is a local path (``/...`` but not ``//...``), else None."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
