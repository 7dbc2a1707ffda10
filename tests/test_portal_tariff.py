"""Tarifrechner in the portal: the same premiums as the engine, German form errors, the offer PDF."""

from __future__ import annotations

import io

import lxml.html
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from bipro.core.formatting import format_money
from bipro.core.portfolio.code_names import sparte_name
from bipro.core.tariff import get_product, products_on_offer, quote, validate
from bipro.core.tariff.quotes import today
from portal.tariff_fields import answers_from_form
from tests.support.portal import csrf_token, form_post, log_in

# Valid form input per product on offer, as a browser sends it (ticked boxes only).
SAMPLES = {
    "HR-KOMFORT": {"living_area": "85.5", "postcode": "44789", "glass": "ja",
                   "bicycle_theft": "ja", "deductible": "150"},
    "PHV-KLASSIK": {"family_status": "family", "sum_insured": "20000000", "deductible": "250",
                    "birth_date": "1980-04-12"},
    "UNF-AKTIV": {"disability_sum": "100000", "progression": "350", "occupation_class": "B",
                  "birth_date": "1990-07-01"},
    "RS-BAUSTEIN": {"private": "ja", "job": "ja", "traffic": "ja", "deductible": "500"},
    "WG-KOMPAKT": {"living_area": "140", "construction_year": "1975", "postcode": "01067",
                   "natural_hazards": "ja", "deductible": "1000"},
}
HAUSRAT = "HR-KOMFORT"


@pytest.fixture(autouse=True)
def logged_in(auth):
    """Every test here starts with ``client`` logged in as the demo broker."""
    auth.login()


def calculate(client, product_id: str, data: dict):
    path = f"/tarifrechner/{product_id}"
    return form_post(client, path, data)


def html(answer) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(answer.get_data(as_text=True))


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.xpath(xpath)]


def premium_table(tree) -> list[dict[str, str]]:
    """The result table as one dict per row: column key -> shown text."""
    rows = []
    for row in tree.xpath('//table[@id="beitragstabelle"]/tbody/tr'):
        cells = {"frequency": row.xpath("./th")[0].text_content().strip()}
        cells.update({td.get("data-key"): td.text_content().strip() for td in row.xpath("./td")})
        rows.append(cells)
    return rows


def field_errors(tree, name: str) -> list[str]:
    return texts(tree, f'//ul[@id="frage-{name}-fehler"]/li')


def top_errors(tree) -> list[str]:
    return texts(tree, '//section[@aria-labelledby="risikoangaben"]/div[@role="alert"]//li')


def test_every_product_on_offer_has_a_sample():
    assert set(SAMPLES) == {product.product_id for product in products_on_offer(today())}


def test_index_lists_every_product_on_offer_with_its_sparte(client):
    tree = html(client.get("/tarifrechner"))
    cards = tree.xpath('//section[contains(@class, "product-card")]')
    offered = products_on_offer(today())
    assert len(cards) == len(offered)
    for card, product in zip(cards, offered):
        content = " ".join(card.text_content().split())
        assert product.name in content and f"Sparte {sparte_name(product.sparte)}" in content
        assert card.xpath(".//a/@href") == [f"/tarifrechner/{product.product_id}"]


def test_form_has_the_right_controls(client):
    tree = html(client.get(f"/tarifrechner/{HAUSRAT}"))
    # Decimal: a text field the engine reads as "72,5" or "72.5", its range as a hint.
    area = tree.get_element_by_id("frage-living_area")
    assert (area.get("type"), area.get("inputmode")) == ("text", "decimal")
    assert texts(tree, '//p[@id="frage-living_area-hilfe"]') == ["Zulässig: 10 bis 1.000 m²"]
    assert texts(tree, '//label[@for="frage-living_area"]') == ["Wohnfläche *"]
    assert "m²" in texts(tree, '//input[@id="frage-living_area"]/following-sibling::span')
    postcode = tree.get_element_by_id("frage-postcode")
    assert postcode.get("type") == "text" and postcode.get("pattern") == "[0-9]{5}"
    assert texts(tree, '//p[@id="frage-postcode-hilfe"]') == ["Postleitzahl des Risikoorts"]
    assert postcode.get("aria-describedby") == "frage-postcode-hilfe"
    deductible = tree.get_element_by_id("frage-deductible")
    assert deductible.tag == "select" and deductible.value == "0"
    assert texts(tree, '//label[@for="frage-deductible"]') == ["Selbstbeteiligung"]
    for name in ("bicycle_theft", "natural_hazards", "glass"):
        box = tree.get_element_by_id(f"frage-{name}")
        assert box.get("type") == "checkbox" and not box.checked
    assert tree.xpath('//form[@class="tariff-form"]//input[@name="csrf_token"]')
    assert not tree.xpath('//table[@id="beitragstabelle"]')

    accident = html(client.get("/tarifrechner/UNF-AKTIV"))
    assert accident.get_element_by_id("frage-birth_date").get("type") == "date"
    sum_field = accident.get_element_by_id("frage-disability_sum")
    assert (sum_field.get("type"), sum_field.get("min"), sum_field.get("max"),
            sum_field.get("step")) == ("number", "25000", "500000", "5000")
    assert texts(accident, '//p[@id="frage-disability_sum-hilfe"]') == [
        "Zulässig: 25.000 bis 500.000 €, in Schritten von 5.000 €"]
    # Its choices are too long for a select on a phone: radio buttons, none chosen yet.
    occupation = accident.get_element_by_id("frage-occupation_class")
    radios = occupation.xpath('.//input[@type="radio"][@name="occupation_class"]')
    assert occupation.tag == "fieldset" and [r.get("value") for r in radios] == ["A", "B"]
    assert not [r for r in radios if r.get("checked") is not None]
    assert texts(occupation, "./legend") == ["Gefahrengruppe *"]
    assert accident.get_element_by_id("frage-progression").value == "225"


@pytest.mark.parametrize("product_id", sorted(SAMPLES))
def test_portal_premiums_equal_the_engine(client, product_id):
    data = SAMPLES[product_id]
    tree = html(calculate(client, product_id, data))
    expected = quote(product_id, data, on=today())
    shown = premium_table(tree)
    assert [row["frequency"] for row in shown] == [
        "jährlich", "halbjährlich", "vierteljährlich", "monatlich"]
    assert shown == [{key: (value if key == "frequency" else format_money(value))
                      for key, value in row.items()} for row in expected.rows()]
    assert shown == expected.rows(formatted=True)
    labels = texts(tree, '//dl[@id="berechnete-angaben"]/dt')
    values = texts(tree, '//dl[@id="berechnete-angaben"]/dd')
    assert list(zip(labels, values)) == [(label, value or "–")
                                         for label, value in expected.answer_rows()]


def test_a_decimal_comma_is_read_the_german_way(client):
    data = {**SAMPLES[HAUSRAT], "living_area": "85,5"}
    tree = html(calculate(client, HAUSRAT, data))
    assert premium_table(tree) == quote(HAUSRAT, SAMPLES[HAUSRAT], on=today()).rows(formatted=True)
    assert "85,5 m²" in texts(tree, '//dl[@id="berechnete-angaben"]/dd')


def test_the_form_keeps_the_inputs_and_ignores_foreign_fields(client):
    data = {**SAMPLES[HAUSRAT], "rabatt": "50", "submit": "Beitrag berechnen"}
    tree = html(calculate(client, HAUSRAT, data))
    assert premium_table(tree) == quote(HAUSRAT, SAMPLES[HAUSRAT], on=today()).rows(formatted=True)
    assert tree.get_element_by_id("frage-living_area").value == "85.5"
    assert tree.get_element_by_id("frage-glass").checked
    assert not tree.get_element_by_id("frage-natural_hazards").checked
    assert tree.get_element_by_id("frage-deductible").value == "150"


@pytest.mark.parametrize("product_id, data, placed", [
    # missing: every required field at once
    (HAUSRAT, {}, {"living_area": "Wohnfläche fehlt", "postcode": "Postleitzahl fehlt"}),
    # out of range, bad format and bad choice together
    (HAUSRAT, {"living_area": "5", "postcode": "4478", "deductible": "99"},
     {"living_area": "Wohnfläche muss zwischen 10 und 1.000 m² liegen",
      "postcode": None, "deductible": None}),
    # not a number, a step that does not fit, an age out of range
    ("UNF-AKTIV", {"disability_sum": "27000", "occupation_class": "C",
                   "birth_date": "1900-01-01"},
     {"disability_sum": "Invaliditätsgrundsumme muss ein Vielfaches von 5.000 € sein",
      "occupation_class": None, "birth_date": None}),
    ("WG-KOMPAKT", {"living_area": "viel", "construction_year": "1975", "postcode": "01067"},
     {"living_area": "Wohnfläche muss eine Zahl sein"}),
    ("PHV-KLASSIK", {"family_status": "single", "birth_date": "31.02.1990"},
     {"birth_date": "Geburtsdatum des Versicherungsnehmers muss ein gültiges Datum sein "
                    "(TT.MM.JJJJ)"}),
])
def test_invalid_input_gives_german_errors_beside_each_field(client, product_id, data, placed):
    answer = calculate(client, product_id, data)
    assert answer.status_code == 200
    tree = html(answer)
    assert not tree.xpath('//table[@id="beitragstabelle"]')
    problems = validate(product_id, answers_from_form(get_product(product_id, today()), data),
                        on=today())
    assert {problem.field for problem in problems} == set(placed)
    for problem in problems:
        assert problem.message in field_errors(tree, problem.field)
        field = tree.get_element_by_id(f"frage-{problem.field}")
        assert field.get("aria-invalid") == "true"
        assert f"frage-{problem.field}-fehler" in field.get("aria-describedby")
    for name, message in placed.items():
        if message:
            assert field_errors(tree, name) == [message]
    assert texts(tree, '//div[@role="alert"]/p') == ["Bitte prüfen Sie die markierten Angaben."]


@pytest.mark.parametrize("data, message", [
    ({"deductible": "150"},
     "Bitte mindestens einen Baustein wählen (Privat, Beruf, Verkehr oder Wohnen)"),
    ({"job": "ja", "traffic": "ja"}, "Beruf ist nur zusammen mit Privat versicherbar"),
])
def test_cross_field_problems_go_to_the_top(client, data, message):
    tree = html(calculate(client, "RS-BAUSTEIN", data))
    assert top_errors(tree) == [message]
    assert not tree.xpath('//ul[contains(@class, "field-errors")]')
    assert not tree.xpath('//table[@id="beitragstabelle"]')


def test_unknown_product_is_not_found(client):
    assert client.get("/tarifrechner/GIBT-ES-NICHT").status_code == 404
    assert calculate(client, "hr-komfort", SAMPLES[HAUSRAT]).status_code == 404
    page = client.get(f"/tarifrechner/{HAUSRAT}").get_data(as_text=True)
    answer = client.post("/tarifrechner/GIBT-ES-NICHT/angebot",
                         data={"csrf_token": csrf_token(page), **SAMPLES[HAUSRAT]})
    assert answer.status_code == 404 and "nicht gefunden" in answer.get_data(as_text=True)


def test_posts_without_a_csrf_token_are_refused(client):
    for path in (f"/tarifrechner/{HAUSRAT}", f"/tarifrechner/{HAUSRAT}/angebot"):
        answer = client.post(path, data=SAMPLES[HAUSRAT])
        assert answer.status_code == 400, path
        assert "Formular abgelaufen" in answer.get_data(as_text=True)
        assert answer.mimetype == "text/html"


def test_login_is_required(app):
    anonymous = app.test_client()
    for path in ("/tarifrechner", f"/tarifrechner/{HAUSRAT}"):
        answer = anonymous.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next=")
    token = csrf_token(anonymous.get("/login").get_data(as_text=True))
    answer = anonymous.post(f"/tarifrechner/{HAUSRAT}/angebot",
                            data={"csrf_token": token, **SAMPLES[HAUSRAT]})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next=")


def offer_from_result_page(client, product_id: str, data: dict):
    """Calculate, then send the result page's own PDF form as a browser would."""
    tree = html(calculate(client, product_id, data))
    form = tree.xpath('//form[@class="offer-form"]')[0]
    fields = {field.get("name"): field.get("value") for field in form.xpath(".//input")}
    return client.post(form.get("action"), data=fields)


def pdf_text(answer) -> str:
    reader = PdfReader(io.BytesIO(answer.get_data()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.clock
def test_offer_pdf_has_product_inputs_and_gross_premium(client, gateway):
    answer = offer_from_result_page(client, HAUSRAT, SAMPLES[HAUSRAT])
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="Angebot_{HAUSRAT}_{today().isoformat()}.pdf"')
    assert answer.get_data().startswith(b"%PDF")
    content = pdf_text(answer)
    expected = quote(HAUSRAT, SAMPLES[HAUSRAT], on=today())
    product = expected.product
    assert f"Angebot {product.name}" in content and f"({HAUSRAT})" in content
    assert product.version in content
    for label, value in expected.answer_rows():
        assert f"{label} {value}" in content
    for row in expected.rows():
        assert format_money(row["gross"]) in content and format_money(row["annual_gross"]) in content
    number, name = gateway.db.engine.connect().execute(text(
        "SELECT number, name FROM brokers WHERE id = 1")).one()
    assert number in content and name in content
    assert "unverbindlich" in content and today().strftime("%d.%m.%Y") in content


def test_offer_pdf_names_the_callers_own_broker(app, gateway):
    other = app.test_client()
    log_in(other, "demo2")
    content = pdf_text(offer_from_result_page(other, "PHV-KLASSIK", SAMPLES["PHV-KLASSIK"]))
    names = dict(gateway.db.engine.connect().execute(text("SELECT id, number FROM brokers")).all())
    assert names[2] in content and names[1] not in content


def test_offer_with_tampered_answers_shows_the_form_again(client):
    page = client.get(f"/tarifrechner/{HAUSRAT}").get_data(as_text=True)
    answer = client.post(f"/tarifrechner/{HAUSRAT}/angebot",
                         data={"csrf_token": csrf_token(page), "living_area": "5000",
                               "postcode": "44789"})
    assert answer.status_code == 422 and answer.mimetype == "text/html"
    assert field_errors(html(answer), "living_area") == [
        "Wohnfläche muss zwischen 10 und 1.000 m² liegen"]


def test_pdf_text_maps_what_the_builtin_fonts_cannot_show():
    from bipro.core.exports.pdftext import pdf_safe_text as safe

    assert safe("Größe „Wohnfläche“ – 1.234,56 €") == "Größe „Wohnfläche“ – 1.234,56 €"
    assert safe("Łódź ≥ 5 Ősz 漢") == "Lódz >= 5 Osz ?"  # ó is in Windows-1252


def test_offer_pdf_survives_names_outside_latin_1(client, gateway):
    with gateway.db.engine.begin() as connection:
        old = connection.execute(text("SELECT name FROM brokers WHERE id = 1")).scalar()
        connection.execute(text("UPDATE brokers SET name = :name WHERE id = 1"),
                           {"name": "Łukasz Ősz 漢 Makler"})
    try:
        content = pdf_text(offer_from_result_page(client, HAUSRAT, SAMPLES[HAUSRAT]))
    finally:
        with gateway.db.engine.begin() as connection:
            connection.execute(text("UPDATE brokers SET name = :name WHERE id = 1"), {"name": old})
    assert "Lukasz Osz ? Makler" in content
