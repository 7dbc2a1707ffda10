"""The Startseite and opening documents of the Letzter Posteingang."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from bipro.core import shipments
from bipro.core.clock import local_today
from bipro.core.identity import profiles
from bipro.core.portfolio import birthdays, dashboard
from portal.chart import bar_chart, split_bar
from portal.database import db
from portal.downloads import set_attachment
from portal.login_session import current_caller, login_required
from portal.observing import document_delivered

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    caller = current_caller()
    session = db()
    today = local_today()  # once: birthdays and the page's Stand must agree at midnight
    portfolio = dashboard.portfolio_figures(session, caller)
    claims = dashboard.claim_figures(session, caller)
    return render_template(
        "dashboard.html",
        user=profiles.user_profile(session, caller),
        news=dashboard.news(session, "news"),
        products=dashboard.news(session, "product"),
        portfolio=portfolio,
        chart=bar_chart([(f.name, f.contracts) for f in portfolio.by_sparte]),
        claims=claims,
        split=split_bar(claims.open, claims.closed),
        birthdays=birthdays.upcoming_birthdays(session, caller, today),
        documents=shipments.unread_documents(session, caller),
        unread=shipments.unread_count(session, caller),
        today=today,
    )


@bp.get("/posteingang/<int:document_id>")
@login_required
def document(document_id: int):
    opened = shipments.read_document(db(), current_caller(), document_id)
    response = Response(opened.chunks, mimetype=opened.media_type)
    response.content_length = opened.size
    document_delivered(opened.size)
    # attachment with the stored (sniffed) type: documents from the insurer's systems are
    # downloaded, never rendered as a page of the portal's origin.
    set_attachment(response, opened.file_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
