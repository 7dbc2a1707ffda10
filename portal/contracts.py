"""Bestandsverträge (the list, its exports and JSON) and the Vertragsansicht."""

from __future__ import annotations

from flask import Blueprint, render_template

from bipro.core import portal_paths
from bipro.core.portfolio import records as portfolio
from bipro.core.portfolio import related as portfolio_related
from bipro.core.portfolio.code_names import payment_frequency_name, sparte_name, status_name
from portal.database import db
from portal.list_screens import CONTRACTS
from portal.list_views import add_list_routes
from portal.login_session import current_caller, login_required

bp = Blueprint("contracts", __name__)
add_list_routes(bp, CONTRACTS, "/vertraege")


@bp.get(portal_paths.CONTRACT)
@login_required
def show(policy_number: str):
    caller, session = current_caller(), db()
    contract = portfolio.get_contract(session, caller, policy_number)  # NotFound -> 404
    return render_template(
        "contracts/show.html", contract=contract,
        sparte=sparte_name(contract.sparte), status=status_name(contract.status),
        payment_frequency=payment_frequency_name(contract.payment_frequency),
        claims=portfolio_related.claims_of_contract(session, caller, contract.id),
        documents=portfolio_related.documents_of_contract(session, caller, contract.id),
    )
