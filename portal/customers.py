"""Kundenübersicht (the list, its exports and JSON), Kundenansicht and its edit form."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from bipro.core import portal_paths
from bipro.core.errors import Conflict, ValidationFailed
from bipro.core.portfolio import customer_edit
from bipro.core.portfolio import records as portfolio
from bipro.core.portfolio import related as portfolio_related
from bipro.core.portfolio.code_names import payment_frequency_name, salutation_name, sparte_name, status_name
from bipro.core.portfolio.contact_rules import CONTACT_FIELDS
from portal.database import db
from portal.forms import CustomerContactForm, apply_problems
from portal.list_screens import CUSTOMERS
from portal.list_views import add_list_routes
from portal.login_session import current_caller, login_required

bp = Blueprint("customers", __name__)

SAVED = "Die Kundendaten wurden gespeichert."
UNCHANGED = "Es wurden keine Daten geändert."

add_list_routes(bp, CUSTOMERS, "/kunden")


@bp.get(portal_paths.CUSTOMER)
@login_required
def show(partner_number: str):
    caller, session = current_caller(), db()
    customer = portfolio.get_customer(session, caller, partner_number)  # NotFound -> 404
    return render_template(
        "customers/show.html", customer=customer,
        salutation=salutation_name(customer.salutation),
        contracts=portfolio.contracts_of_customer(session, caller, customer.id),
        claims=portfolio_related.claims_of_customer(session, caller, customer.id),
        documents=portfolio_related.documents_of_customer(session, caller, customer.id),
        history=portfolio_related.change_history(session, caller, customer.id),
        status_name=status_name, payment_frequency_name=payment_frequency_name,
        sparte_name=sparte_name,
    )


@bp.route(portal_paths.CUSTOMER + "/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(partner_number: str):
    caller, session = current_caller(), db()
    customer = portfolio.get_customer(session, caller, partner_number)  # NotFound -> 404
    form = CustomerContactForm(data=_form_data(customer))
    problems: list[str] = []
    conflict = None
    if form.validate_on_submit():  # the CSRF token; the data rules are the core's
        changes = {name: getattr(form, name).data for name in CONTACT_FIELDS}
        try:
            changed = customer_edit.update_customer_contact(
                session, caller, customer.partner_number, _version(form.version.data), changes)
        except ValidationFailed as failure:
            apply_problems(form, failure, problems)
        except Conflict as refused:
            # Show what is stored now; the broker's entries stay in the form, which
            # from now on carries the current version.
            conflict = refused.message
            customer = portfolio.get_customer(session, caller, partner_number)
            form.version.data = str(customer.version)
        else:
            flash(SAVED if changed else UNCHANGED, "success" if changed else "info")
            return redirect(url_for("customers.show", partner_number=customer.partner_number))
    status = 409 if conflict else 200
    return render_template("customers/edit.html", customer=customer, form=form,
                           problems=problems, conflict=conflict,
                           salutation=salutation_name(customer.salutation)), status


def _form_data(customer: portfolio.CustomerData) -> dict:
    data = {name: getattr(customer, name) for name in CONTACT_FIELDS}
    data["version"] = str(customer.version)
    return data


def _version(text: str | None) -> int:
    """The version the form was loaded with; an unreadable one can match no stored version."""
    try:
        return int(text or "")
    except ValueError:
        return -1
