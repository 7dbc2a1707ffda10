"""The portal's part of a request's log line and metrics: which page, which broker.

Pages are named by their Flask endpoint (``customers.index``), a fixed set,
never by the URL a client sent. List queries are timed here and labelled
with the plan the core chose for them.
"""

from __future__ import annotations

import time

from flask import Flask, g, request

from bipro.core.search import fetch_page
from bipro.observability import context, metrics
from bipro.observability.context import PORTAL
from bipro.observability.identity import note_caller
from portal.database import db


def init_app(app: Flask) -> None:
    """Register after the login session (portal.login_session), so the caller is known."""

    @app.before_request
    def note_page():
        context.update(service=request.blueprint or "-", operation=request.endpoint or "-")
        if g.get("caller") is not None:
            note_caller(db(), g.caller)


def observed_page(session, caller, spec, query):
    """``fetch_page`` for a list screen, timed by list and plan."""
    started = time.perf_counter()
    page = fetch_page(session, caller, spec, query)
    metrics.record_list_query(request.blueprint or spec.name, page.plan, time.perf_counter() - started)
    return page


def document_delivered(size: int) -> None:
    metrics.record_document(PORTAL, size)
