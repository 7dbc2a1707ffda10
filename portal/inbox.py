"""Posteingang: every document of the broker, paged, with filters and search.

``/posteingang`` lists (state in the URL: ``status``, ``art``, ``q``, ``seite``);
opening a document is ``dashboard.document`` (it marks it read);
``/posteingang/<id>/ungelesen`` marks it unread again and returns to the list.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bipro.core import shipments
from bipro.core.shipments import InboxQuery
from portal.database import db
from portal.list_state import page_numbers
from portal.login_session import current_caller, login_required

bp = Blueprint("inbox", __name__)

READ_LABELS = {"alle": "Alle", "ungelesen": "Ungelesen", "gelesen": "Gelesen"}
STATE_ARGS = ("status", "art", "q", "seite")
DEFAULTS = {"status": "alle", "seite": "1"}


def _query(args, notices: list[str]) -> InboxQuery:
    read = args.get("status", "alle")
    if read not in shipments.READ_STATES:
        notices.append("Diesen Status gibt es nicht; angezeigt werden alle Dokumente.")
        read = "alle"
    page = args.get("seite", 1, type=int) or 1
    return InboxQuery(read=read, document_type=args.get("art", "").strip()[:40],
                      search=args.get("q", "").strip(), page=max(1, min(page, 10_000_000)))


def _state_args(query: InboxQuery, page: int | None = None) -> dict[str, str]:
    """URL parameters for this state; defaults are left out."""
    args = {}
    if query.read != "alle":
        args["status"] = query.read
    if query.document_type:
        args["art"] = query.document_type
    if query.search:
        args["q"] = query.search
    page = query.page if page is None else page
    if page != 1:
        args["seite"] = str(page)
    return args


@bp.get("/posteingang")
@login_required
def index():
    notices: list[str] = []
    query = _query(request.args, notices)
    result = shipments.inbox_page(db(), current_caller(), query)
    if query.document_type and query.document_type not in result.document_types:
        notices.append("Diese Dokumentart gibt es in Ihrem Posteingang nicht.")
    return render_template(
        "inbox.html", query=query, result=result, notices=notices,
        read_labels=READ_LABELS, type_name=shipments.document_type_name,
        page_url=lambda page: url_for("inbox.index", **_state_args(query, page)),
        state=_state_args(query, result.page), pages=page_numbers(result.page, result.pages),
    )


@bp.post("/posteingang/<int:document_id>/ungelesen")
@login_required
def mark_unread(document_id: int):
    shipments.mark_unread(db(), current_caller(), document_id)
    flash("Das Dokument ist wieder als ungelesen markiert.", "success")
    # Back to the list as it was; default values stay out of the address.
    back = {name: request.form[name] for name in STATE_ARGS
            if request.form.get(name) not in (None, "", DEFAULTS.get(name))}
    return redirect(url_for("inbox.index", **back))
