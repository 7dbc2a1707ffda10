"""Every page of the portal, as a browser visits it: the tour the width and axe tests take.

A ``Stop`` is one page in one state (with data, with an empty search, with a
form error). ``stops(gateway)`` lists them all; ``visit(page, stop)`` opens one
in a Playwright page that is already logged in (or not, for ``public`` stops).
``tests/test_portal_tour_browser.py`` checks that no portal route is missing here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from bipro.core.tariff import catalogue
from bipro.core.tariff.model import QuestionType
from bipro.core.tariff.quotes import today
from store.models import Contract, Customer, Document

WIDTHS = (390, 768, 1366)
NO_HITS = "Zzqxy"  # a search no demo customer, contract or document matches


@dataclass(frozen=True)
class Stop:
    name: str  # file name of its screenshots
    path: str
    endpoint: str  # the Flask endpoint it shows
    prepare: Callable | None = None  # what to do on the page after opening it
    public: bool = False  # shown logged out
    paper: bool = False  # a print layout: no width check


def tariff_answers(product) -> dict[str, str]:
    """Valid form answers for every question of *product* (first choice, smallest number)."""
    answers = {}
    for question in product.questions:
        if question.type is QuestionType.CHOICE:
            answers[question.name] = question.choice_values[0]
        elif question.type is QuestionType.BOOLEAN:
            answers[question.name] = "ja"  # every Rechtsschutz module, Beruf with Privat
        elif question.type is QuestionType.DATE:
            answers[question.name] = "1980-03-15"
        elif question.type is QuestionType.TEXT:
            answers[question.name] = "44789"
        else:
            answers[question.name] = str(question.minimum if question.minimum is not None else 1)
    return answers


def _fill_tariff(answers: dict[str, str]):
    def fill(page):
        form = page.locator("form.tariff-form")
        for name, value in answers.items():
            control = form.locator(f'[name="{name}"]').first
            kind = control.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
            if kind == "radio":
                control = form.locator(f'[name="{name}"][value="{value}"]')
            if kind == "select":
                control.select_option(value)
            elif kind in ("checkbox", "radio"):
                control.check()
            else:
                control.fill(value)
        with page.expect_navigation():
            form.get_by_role("button", name="Beitrag berechnen").click()
        page.wait_for_selector("#beitragstabelle")
    return fill


def _submit_empty(button: str, wait_for: str = ".field-errors, .alert-error"):
    def submit(page):
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        page.wait_for_selector(wait_for)
    return submit


def _bad_postcode(page):
    page.get_by_label("PLZ").fill("123")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("#postcode-fehler")


def _bad_login(page):
    # An unknown name gets the same message and locks nobody out.
    page.get_by_label("Login-Name").fill("niemand")
    page.get_by_label("Passwort", exact=True).fill("falsch")
    with page.expect_navigation():
        page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector(".alert-error")


def _open_menu(page):
    page.locator("details.usermenu summary").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".usermenu-panel", state="visible")


def _forgot(page):
    page.get_by_label("Login-Name").fill("niemand")
    with page.expect_navigation():
        page.get_by_role("button", name="Link anfordern").click()


def demo_ids(gateway, broker_id: int = 1) -> dict[str, str]:
    with gateway.db.session() as session:
        customer = session.scalar(select(Customer.partner_number).join(
            Contract, Contract.customer_id == Customer.id).where(Customer.broker_id == broker_id)
            .order_by(Customer.id).limit(1))
        contract = session.scalar(select(Contract.policy_number).where(
            Contract.broker_id == broker_id).order_by(Contract.id).limit(1))
        document = session.scalar(select(Document.id).where(Document.broker_id == broker_id)
                                  .order_by(Document.id).limit(1))
    return {"customer": customer, "contract": contract, "document": str(document)}


def stops(gateway) -> list[Stop]:
    ids = demo_ids(gateway)
    customer, contract = ids["customer"], ids["contract"]
    tour = [
        Stop("login", "/login", "auth.login", public=True),
        Stop("login-fehler", "/login", "auth.login", _bad_login, public=True),
        Stop("passwort-vergessen", "/passwort-vergessen", "auth.forgot_password", public=True),
        Stop("passwort-vergessen-gesendet", "/passwort-vergessen", "auth.forgot_password", _forgot,
             public=True),
        Stop("passwort-zuruecksetzen", "/passwort-zuruecksetzen/ungueltig", "auth.reset_password",
             public=True),
        Stop("startseite", "/", "dashboard.index"),
        Stop("vermittlermenue", "/", "dashboard.index", _open_menu),
        Stop("kunden", "/kunden", "customers.index"),
        Stop("kunden-sortiert", "/kunden?sort=last_name:asc,first_name:desc&size=25", "customers.index"),
        Stop("kunden-leer", f"/kunden?q={NO_HITS}", "customers.index"),
        Stop("kunden-kopieren", "/kunden/kopieren", "customers.export_kopieren"),
        Stop("kunden-drucken", "/kunden/drucken", "customers.export_drucken", paper=True),
        Stop("vertraege", "/vertraege", "contracts.index"),
        Stop("vertraege-gefiltert", "/vertraege?status=lebend&sparte=130", "contracts.index"),
        Stop("vertraege-leer", f"/vertraege?q={NO_HITS}", "contracts.index"),
        Stop("vertraege-kopieren", "/vertraege/kopieren", "contracts.export_kopieren"),
        Stop("vertraege-drucken", "/vertraege/drucken", "contracts.export_drucken", paper=True),
        Stop("kunde", f"/kunden/{customer}", "customers.show"),
        Stop("kunde-bearbeiten", f"/kunden/{customer}/bearbeiten", "customers.edit"),
        Stop("kunde-bearbeiten-fehler", f"/kunden/{customer}/bearbeiten", "customers.edit", _bad_postcode),
        Stop("vertrag", f"/vertraege/{contract}", "contracts.show"),
        Stop("posteingang", "/posteingang", "inbox.index"),
        Stop("posteingang-ungelesen", "/posteingang?status=ungelesen&seite=2", "inbox.index"),
        Stop("posteingang-leer", f"/posteingang?q={NO_HITS}", "inbox.index"),
        Stop("tarifrechner", "/tarifrechner", "tariff.index"),
        Stop("profil", "/profil", "profile.user_profile"),
        Stop("vermittlerprofil", "/vermittlerprofil", "profile.broker_profile"),
        Stop("passwort-aendern", "/passwort-aendern", "profile.change_password"),
        Stop("passwort-aendern-fehler", "/passwort-aendern", "profile.change_password",
             _submit_empty("Passwort ändern")),
        Stop("protokoll", "/protokoll", "audit.index"),
        Stop("anmeldung-absichern", "/anmeldung-absichern", "second_factor.index"),
        Stop("bipro-zugaenge", "/bipro-zugaenge", "bipro_access.index"),
        Stop("nicht-gefunden", "/kunden/99999999", "customers.show"),
    ]
    for product in catalogue.on_offer(today()):
        pid = product.product_id
        tour.append(Stop(f"tarif-{pid}", f"/tarifrechner/{pid}", "tariff.calculate"))
        tour.append(Stop(f"tarif-{pid}-ergebnis", f"/tarifrechner/{pid}", "tariff.calculate",
                         _fill_tariff(tariff_answers(product))))
    first = catalogue.on_offer(today())[0].product_id
    tour.append(Stop(f"tarif-{first}-fehler", f"/tarifrechner/{first}", "tariff.calculate",
                     _submit_empty("Beitrag berechnen")))
    return tour


# Endpoints that are no page of their own: downloads, JSON, form targets that redirect.
NOT_PAGES = {
    "static", "auth.logout", "dashboard.document", "inbox.mark_unread", "tariff.offer",
    "auth.second_factor_step",  # needs a login in progress: test_second_factor_browser checks it
    "customers.data", "customers.export_excel", "customers.export_csv", "customers.export_pdf",
    "contracts.data", "contracts.export_excel", "contracts.export_csv", "contracts.export_pdf",
}


def visit(page, stop: Stop) -> None:
    page.goto(stop.path)
    if stop.prepare:
        stop.prepare(page)


def new_tab(browser, portal_url: str, width: int, *, logged_in: bool = True):
    """A fresh context at *width* (900 px high), logged in as demo unless told otherwise."""
    from tests.support.browser import log_in

    context = browser.new_context(base_url=portal_url, locale="de-DE",
                                  viewport={"width": width, "height": 900})
    tab = context.new_page()
    if logged_in:
        log_in(tab)
    return tab


def page_width_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
