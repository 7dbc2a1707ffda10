"""Tarifrechner: every product on offer, a form per product, the premium table, the offer PDF.

Rating and the offer's content live in ``bipro.core.tariff.offers`` (the same
engine as the BiPRO getQuote service); reading the form and sorting problems
onto it in ``portal.tariff_fields``; this module only moves values between
the request and the core.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request

from bipro.core.portfolio.code_names import sparte_name
from bipro.core.tariff import TABLE_HEADINGS, Product, UnknownProduct, get_product, offers
from bipro.core.tariff.offer_pdf import offer_pdf
from bipro.core.tariff.quotes import today
from portal.database import db
from portal.downloads import set_attachment
from portal.login_session import current_caller, login_required
from portal.tariff_fields import FormOutcome, answers_from_form, form_fields, form_outcome, form_values

bp = Blueprint("tariff", __name__)


@bp.get("/tarifrechner")
@login_required
def index():
    return render_template("tariff/index.html", spartes=offers.offer_by_sparte(today()),
                           today=today())


@bp.route("/tarifrechner/<product_id>", methods=["GET", "POST"])
@login_required
def calculate(product_id: str):
    product = _product_on_offer(product_id)
    if request.method == "GET":
        return _form_page(product, None, FormOutcome())
    return _form_page(product, request.form, _rate(product))


@bp.post("/tarifrechner/<product_id>/angebot")
@login_required
def offer(product_id: str):
    """The offer as a PDF download, rated again from the submitted answers."""
    product = _product_on_offer(product_id)
    outcome = _rate(product)
    if not outcome.ok:
        return _form_page(product, request.form, outcome, status=422)
    document = offers.make_offer(db(), current_caller(), outcome.quote, created_on=today())
    response = make_response(offer_pdf(document))
    response.headers["Content-Type"] = "application/pdf"
    set_attachment(response, document.file_name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _product_on_offer(product_id: str) -> Product:
    try:
        return get_product(product_id, today())
    except UnknownProduct:
        abort(404)


def _rate(product: Product) -> FormOutcome:
    """The submitted form rated: its answers to the core, the outcome sorted for the form."""
    rating = offers.rate(product, answers_from_form(product, request.form), today())
    return form_outcome(product, rating)


def _form_page(product: Product, submitted, outcome: FormOutcome, status: int = 200):
    quote = outcome.quote
    return render_template(
        "tariff/product.html", product=product, quote=quote,
        sparte=sparte_name(product.sparte),
        fields=form_fields(product, submitted, outcome.field_errors),
        problems=outcome.general_errors,
        headings=TABLE_HEADINGS, short_headings=offers.SHORT_HEADINGS,
        column_groups=offers.COLUMN_GROUPS, per_payment=offers.PER_PAYMENT,
        rows=quote.rows(formatted=True) if quote else [],
        answer_rows=quote.answer_rows() if quote else [],
        offer_values=form_values(quote, submitted) if quote else {},
    ), status
