"""Bestandsverträge and Vertragsansicht (placeholders until the list and the view exist)."""

from __future__ import annotations

from flask import Blueprint, render_template

from bipro.core.ownership import contract_id_of
from portal.database import db
from portal.guard import current_caller, login_required

bp = Blueprint("contracts", __name__)


@bp.get("/vertraege")
@login_required
def index():
    return render_template("placeholder.html", title="Bestandsverträge", active="contracts")


@bp.get("/vertraege/<policy_number>")
@login_required
def show(policy_number: str):
    contract_id_of(db(), current_caller().broker_id, policy_number)
    return render_template("placeholder.html", title=f"Vertrag {policy_number}",
                           active="contracts")
