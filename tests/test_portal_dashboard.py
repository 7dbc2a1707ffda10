"""The Startseite: every figure checked against independent SQL, for demo and demo2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text

from bipro.core import shipments
from bipro.core.caller import Caller
from bipro.core.clock import local_now
from bipro.core.errors import NotFound
from bipro.core.formatting import format_date, format_decimal, format_money
from bipro.core.portfolio import birthdays, dashboard
from bipro.core.portfolio.code_names import sparte_name
from bipro.core.shipments.content import CHUNK_SIZE, INLINE_LIMIT
from tests.support.callers import STAFF, of_broker
from tests.support.portal import download_names, log_in

BROKERS = {"demo": 1, "demo2": 2}
PER_YEAR = {1: 1, 2: 2, 4: 4, 8: 12}
CENT = Decimal("0.01")


def sql(gateway, query: str, **params):
    with gateway.db.engine.connect() as conn:
        return conn.execute(text(query), params).all()


def expected_portfolio(gateway, broker_id):
    counts, premiums = {}, {}
    for sparte, frequency, gross in sql(
            gateway, "SELECT sparte, payment_frequency, gross_premium FROM contracts "
                     "WHERE broker_id = :b AND status = 1", b=broker_id):
        counts[sparte] = counts.get(sparte, 0) + 1
        amount = Decimal(str(gross)).quantize(CENT) * PER_YEAR[frequency]
        premiums[sparte] = premiums.get(sparte, Decimal(0)) + amount
    return counts, premiums


@pytest.mark.parametrize("login", BROKERS)
def test_portfolio_figures_match_sql(gateway, login):
    broker_id = BROKERS[login]
    counts, premiums = expected_portfolio(gateway, broker_id)
    with gateway.db.session() as session:
        figures = dashboard.portfolio_figures(session, of_broker(broker_id))
    assert figures.contracts == sum(counts.values()) > 0
    assert {f.sparte: f.contracts for f in figures.by_sparte} == counts
    assert {f.sparte: f.annual_gross for f in figures.by_sparte} == premiums
    assert figures.annual_gross == sum(premiums.values())
    assert [f.contracts for f in figures.by_sparte] == sorted(counts.values(), reverse=True)
    assert all(f.name == sparte_name(f.sparte) and not f.name.startswith("Sparte")
               for f in figures.by_sparte)


@pytest.mark.parametrize("login", BROKERS)
def test_claim_figures_match_sql(gateway, login):
    rows = dict(sql(gateway, "SELECT is_open, COUNT(*) FROM claims WHERE broker_id = :b "
                             "GROUP BY is_open", b=BROKERS[login]))
    with gateway.db.session() as session:
        figures = dashboard.claim_figures(session, of_broker(BROKERS[login]))
    assert (figures.open, figures.closed) == (rows.get(True, 0), rows.get(False, 0))


def independent_next(birth: dt.date, today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, birth.month, birth.day)
        except ValueError:  # 29 February outside a leap year
            candidate = dt.date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


def expected_birthdays(gateway, broker_id, today, limit=7):
    rows = sql(gateway, "SELECT id, partner_number, birth_date FROM customers "
                        "WHERE broker_id = :b AND birth_date IS NOT NULL", b=broker_id)
    dates = []
    for cid, partner, birth in rows:
        birth = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(birth)
        dates.append((independent_next(birth, today), f"{birth:%m%d}", cid, partner))
    return [(d[3], d[0]) for d in sorted(dates)[:limit]]


@pytest.mark.parametrize("login", BROKERS)
@pytest.mark.parametrize("today", [
    dt.date(2027, 2, 28),   # common year: leap-day children celebrate today
    dt.date(2028, 2, 28),   # leap year: they follow tomorrow
    dt.date(2027, 3, 1),    # just missed them
    dt.date(2026, 12, 30),  # the year wraps
    dt.date(2027, 1, 1),
])
def test_birthdays_match_an_independent_calculation(gateway, login, today):
    with gateway.db.session() as session:
        found = birthdays.upcoming_birthdays(session, of_broker(BROKERS[login]), today)
    assert [(b.partner_number, b.next_birthday) for b in found] == \
        expected_birthdays(gateway, BROKERS[login], today)


def test_the_demo_leap_day_child_is_found_on_28_february(gateway):
    (partner,) = sql(gateway, "SELECT partner_number FROM customers WHERE broker_id = 1 "
                              "AND birthday_mmdd = '0229' ORDER BY id LIMIT 1")[0]
    with gateway.db.session() as session:
        common = birthdays.upcoming_birthdays(session, of_broker(1), dt.date(2027, 2, 28), limit=40)
        leap = birthdays.upcoming_birthdays(session, of_broker(1), dt.date(2028, 2, 28), limit=40)
    assert (partner, dt.date(2027, 2, 28)) in [(b.partner_number, b.next_birthday) for b in common]
    assert (partner, dt.date(2028, 2, 29)) in [(b.partner_number, b.next_birthday) for b in leap]


def test_todays_birthday_comes_first(gateway):
    partner, birth = sql(gateway, "SELECT partner_number, birth_date FROM customers "
                                  "WHERE broker_id = 2 ORDER BY id LIMIT 1")[0]
    birth = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(birth)
    today = independent_next(birth, dt.date(2027, 6, 1))
    with gateway.db.session() as session:
        found = birthdays.upcoming_birthdays(session, of_broker(2), today)
    assert found[0].next_birthday == today
    assert partner in [b.partner_number for b in found if b.next_birthday == today]
    assert found[0].turns == today.year - birth.year


@pytest.mark.clock
@pytest.mark.parametrize("login", BROKERS)
def test_dashboard_page_shows_the_figures(app, gateway, login):
    client = app.test_client()
    log_in(client, login)
    page = client.get("/").get_data(as_text=True)
    broker_id = BROKERS[login]
    counts, premiums = expected_portfolio(gateway, broker_id)
    for heading in ("Neuigkeiten", "Produktwelt", "Bestand", "Beitrag", "Schäden",
                    "Nächste Geburtstage", "Letzter Posteingang"):
        assert heading in page
    assert f'<span class="kpi-value">{format_decimal(sum(counts.values()))}</span>' in page
    assert format_money(sum(premiums.values())) in page
    for sparte, amount in premiums.items():
        assert sparte_name(sparte) in page and format_money(amount) in page
    assert "<svg class=\"chart\"" in page and "<rect class=\"chart-bar\"" in page
    for title, in sql(gateway, "SELECT title FROM news"):
        assert title.replace("&", "&amp;") in page
    today = local_now().date()
    for partner, next_day in expected_birthdays(gateway, broker_id, today):
        assert f'href="/kunden/{partner}"' in page
        assert format_date(next_day) in page
    for (doc_id,) in sql(gateway, "SELECT id FROM documents WHERE broker_id = :b AND read_at IS NULL "
                                  "ORDER BY created_at DESC, id DESC LIMIT 3", b=broker_id):
        assert f'href="/posteingang/{doc_id}"' in page


@pytest.mark.clock
def test_birthday_links_open_the_customer(app, gateway):
    client = app.test_client()
    log_in(client, "demo2")
    partner, _day = expected_birthdays(gateway, 2, local_now().date())[0]
    assert client.get(f"/kunden/{partner}").status_code == 200
    (foreign,) = sql(gateway, "SELECT partner_number FROM customers WHERE broker_id = 1 LIMIT 1")[0]
    assert client.get(f"/kunden/{foreign}").status_code == 404


# --- Posteingang -----------------------------------------------------------------

@pytest.mark.parametrize("login", BROKERS)
def test_unread_documents_newest_first(gateway, login):
    expected = [row[0] for row in sql(
        gateway, "SELECT id FROM documents WHERE broker_id = :b AND read_at IS NULL "
                 "ORDER BY created_at DESC, id DESC", b=BROKERS[login])]
    with gateway.db.session() as session:
        broker = Caller(user_id=0, broker_id=BROKERS[login], login=login)
        listed = shipments.unread_documents(session, broker, limit=1000)
        count = shipments.unread_count(session, broker)
    assert [d.document_id for d in listed] == expected and count == len(expected) > 0


def test_opening_a_document_sends_it_and_marks_it_read(app, gateway):
    client = app.test_client()
    log_in(client, "demo2")
    doc_id, name, media, content = sql(
        gateway, "SELECT id, file_name, media_type, content FROM documents "
                 "WHERE broker_id = 2 AND read_at IS NULL ORDER BY created_at DESC LIMIT 1")[0]
    answer = client.get(f"/posteingang/{doc_id}")
    assert answer.status_code == 200
    assert answer.mimetype == media and answer.data == bytes(content)
    assert name in answer.headers["Content-Disposition"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=doc_id)[0][0] is not None
    assert f'href="/posteingang/{doc_id}"' not in client.get("/").get_data(as_text=True)
    assert client.get(f"/posteingang/{doc_id}").status_code == 200  # read documents still open


@pytest.mark.parametrize("stored, saved_as", [
    ("Rechnung 10€.pdf", "Rechnung 10€.pdf"),
    ("Łódź Schaden.pdf", "Łódź Schaden.pdf"),
    ('Brief "Kunde".pdf', 'Brief "Kunde".pdf'),
    ("Brief\r\nBcc: x.pdf", "Brief Bcc: x.pdf"),  # stored before file names were cleaned
    ("Brief\x01Kunde\u202e.pdf", "BriefKunde.pdf"),
])
def test_a_document_downloads_under_its_name_whatever_the_characters(app, gateway, tmp_path, stored, saved_as):
    path = tmp_path / "brief.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with gateway.db.session() as session:
        published = shipments.publish_shipment(session, 2, "100007000", [shipments.NewFile(path)],
                                               available_days=5, by=STAFF)
    with gateway.db.engine.begin() as conn:
        conn.execute(text("UPDATE documents SET file_name = :n WHERE shipment_id = :s"),
                     {"n": stored, "s": published.shipment_id})
    (doc_id,) = sql(gateway, "SELECT id FROM documents WHERE shipment_id = :s", s=published.shipment_id)[0]
    client = app.test_client()
    log_in(client, "demo2")
    answer = client.get(f"/posteingang/{doc_id}")
    assert answer.status_code == 200 and answer.data == b"%PDF-1.4\n"
    header = answer.headers["Content-Disposition"]
    header.encode("ascii")  # RFC 5987 carries the name, the header itself stays ASCII
    plain, extended = download_names(header)
    assert plain.isprintable() and not set(plain) & set('"\\%')
    assert (extended or plain) == saved_as


def test_a_large_document_is_streamed_in_slices(app, gateway, tmp_path):
    """A file stored in parts reaches the browser whole, with its length, slice by slice."""
    data = bytes(range(256)) * ((INLINE_LIMIT + CHUNK_SIZE + 17) // 256)
    path = tmp_path / "Bestand.pdf"
    path.write_bytes(data)
    with gateway.db.session() as session:
        published = shipments.publish_shipment(session, 2, "100007000", [shipments.NewFile(path)],
                                               available_days=5, by=STAFF)
    (doc_id,) = sql(gateway, "SELECT id FROM documents WHERE shipment_id = :s", s=published.shipment_id)[0]
    client = app.test_client()
    log_in(client, "demo2")
    answer = client.get(f"/posteingang/{doc_id}", buffered=False)
    assert answer.status_code == 200 and answer.is_streamed
    assert answer.content_length == len(data)
    slices = list(answer.response)
    assert b"".join(slices) == data and max(map(len, slices)) <= CHUNK_SIZE
    answer.close()


def test_another_brokers_document_is_not_found(app, gateway):
    client = app.test_client()
    log_in(client, "demo2")
    (foreign,) = sql(gateway, "SELECT id FROM documents WHERE broker_id = 1 AND read_at IS NULL "
                              "LIMIT 1")[0]
    answer = client.get(f"/posteingang/{foreign}")
    assert answer.status_code == 404
    assert sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=foreign)[0][0] is None
    assert client.get("/posteingang/99999999").status_code == 404
    with gateway.db.session() as session, pytest.raises(NotFound):
        shipments.read_document(session, Caller(user_id=0, broker_id=2, login="demo2"), foreign)
