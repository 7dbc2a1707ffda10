"""Kundenübersicht and Kundenansicht (placeholders until the list and the view exist)."""

from __future__ import annotations

from flask import Blueprint, render_template

from bipro.core.ownership import customer_id_of
from portal.database import db
from portal.guard import current_caller, login_required

bp = Blueprint("customers", __name__)


@bp.get("/kunden")
@login_required
def index():
    return render_template("placeholder.html", title="Kundenübersicht", active="customers")


@bp.get("/kunden/<partner_number>")
@login_required
def show(partner_number: str):
    # Another broker's customer is "not found" (raises NotFound -> 404).
    customer_id_of(db(), current_caller().broker_id, partner_number)
    return render_template("placeholder.html", title=f"Kunde {partner_number}",
                           active="customers")
