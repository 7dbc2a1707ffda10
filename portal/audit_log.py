"""Protokoll: the audit events of the logged-in broker, newest first, paged."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from bipro.core.identity import audit_pages as audit_log
from portal.database import db
from portal.login_session import current_caller, login_required

bp = Blueprint("audit", __name__)


@bp.get("/protokoll")
@login_required
def index():
    # A page number that is not a number is page 1, not an error.
    page = request.args.get("seite", 1, type=int) or 1
    return render_template("protokoll.html", log=audit_log.broker_events(db(), current_caller(), page))
