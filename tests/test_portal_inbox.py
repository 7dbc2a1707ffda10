"""Posteingang: every document of the broker, 25 a page, filters, search, read and unread."""

from __future__ import annotations

import re

from sqlalchemy import text

from tests.support.pages import clean, parse
from tests.support.portal import csrf_token, log_in

OPEN = re.compile(r"^/posteingang/(\d+)$")


def sql(gateway, query: str, **params):
    with gateway.db.engine.connect() as conn:
        return conn.execute(text(query), params).all()


def expected_ids(gateway, broker_id: int, where: str = "", **params) -> list[int]:
    """The broker's documents as the page must list them, by independent SQL."""
    return [row[0] for row in sql(
        gateway,
        "SELECT d.id FROM documents d JOIN shipments s ON s.id = d.shipment_id "
        "LEFT JOIN customers c ON c.id = s.customer_id LEFT JOIN contracts k ON k.id = s.contract_id "
        f"WHERE d.broker_id = :b {where} ORDER BY d.created_at DESC, d.id DESC", b=broker_id, **params)]


def client_of(app, login: str = "demo"):
    client = app.test_client()
    assert log_in(client, login).status_code == 302
    return client


def listed(client, query: str = "") -> tuple[list[int], object]:
    """Document ids of one Posteingang page in order, and the parsed page."""
    response = client.get(f"/posteingang{query}")
    assert response.status_code == 200
    doc = parse(response)
    ids = []
    for row in doc.xpath('//table[@id="posteingang-tabelle"]/tbody/tr[not(@class="empty-row")]'):
        hrefs = [OPEN.match(a.get("href")) for a in row.xpath(".//a")]
        ids += [int(m.group(1)) for m in hrefs if m]
    return ids, doc


def every_page(client, query: str = "") -> list[int]:
    ids, doc = listed(client, query)
    pages = len(doc.xpath('//nav[@aria-label="Seiten des Posteingangs"]//a[@aria-label]'))
    for number in range(2, pages + 1):
        more, _ = listed(client, f"{query}{'&' if query else '?'}seite={number}")
        ids += more
    return ids


def info(doc) -> str:
    return clean(doc.get_element_by_id("list-info").text_content())


def test_every_document_newest_first_25_a_page(app, gateway):
    client = client_of(app)
    expected = expected_ids(gateway, 1)
    assert len(expected) > 25, "the demo needs more than one page of documents"
    first, doc = listed(client)
    assert first == expected[:25]
    assert info(doc) == f"1 bis 25 von {len(expected)} Dokumenten"
    second, doc = listed(client, "?seite=2")
    assert second == expected[25:50]
    assert info(doc).startswith("26 bis ")
    # A page beyond the end shows the last one; a page that is no number, the first.
    assert listed(client, "?seite=999")[0] == expected[25 * ((len(expected) - 1) // 25):]
    assert listed(client, "?seite=abc")[0] == expected[:25]


def test_read_state_filter(app, gateway):
    client = client_of(app)
    unread = expected_ids(gateway, 1, "AND d.read_at IS NULL")
    read = expected_ids(gateway, 1, "AND d.read_at IS NOT NULL")
    assert unread and read
    assert every_page(client, "?status=ungelesen") == unread
    assert every_page(client, "?status=gelesen") == read
    ids, doc = listed(client, "?status=gelesen")
    assert "(gefiltert von" in info(doc)
    assert doc.get_element_by_id("filter-status").xpath("option[@selected]")[0].get("value") == "gelesen"
    ids, doc = listed(client, "?status=kaputt")
    assert ids == expected_ids(gateway, 1)[:25]
    assert "Diesen Status gibt es nicht" in doc.text_content()


def test_document_type_filter_and_its_choices(app, gateway):
    client = client_of(app)
    ids, doc = listed(client)
    choices = doc.get_element_by_id("filter-art").xpath("option/@value")
    assert choices[1:] == sorted({row[0] for row in sql(
        gateway, "SELECT document_type FROM documents WHERE broker_id = 1")})
    assert every_page(client, "?art=Rechnung") == expected_ids(gateway, 1, "AND d.document_type = 'Rechnung'")
    both = expected_ids(gateway, 1, "AND d.document_type = 'Nachtrag' AND d.read_at IS NULL")
    assert every_page(client, "?art=Nachtrag&status=ungelesen") == both


def test_search_by_contract_number_or_customer_name(app, gateway):
    client = client_of(app)
    policy, last_name = sql(gateway, "SELECT k.policy_number, c.last_name FROM documents d "
                                     "JOIN shipments s ON s.id = d.shipment_id "
                                     "JOIN contracts k ON k.id = s.contract_id "
                                     "JOIN customers c ON c.id = s.customer_id "
                                     "WHERE d.broker_id = 1 ORDER BY d.id LIMIT 1")[0]
    assert every_page(client, f"?q={policy}") == expected_ids(gateway, 1, "AND k.policy_number = :p", p=policy)
    part = last_name[1:].lower()  # a substring, typed in lower case
    found = every_page(client, f"?q={part}")
    assert found and found == expected_ids(
        gateway, 1, "AND (LOWER(c.last_name) LIKE :p OR LOWER(c.first_name) LIKE :p "
                    "OR LOWER(k.policy_number) LIKE :p)", p=f"%{part}%")
    ids, doc = listed(client, "?q=Zzqxy")
    assert ids == [] and "Keine passenden Dokumente gefunden" in doc.text_content()
    # Wildcards are matched as typed, not as patterns.
    assert listed(client, "?q=%25")[0] == []


def test_open_marks_read_and_mark_unread_undoes_it(app, gateway):
    client = client_of(app)
    document = expected_ids(gateway, 1, "AND d.read_at IS NULL")[0]
    assert client.get(f"/posteingang/{document}").status_code == 200
    assert sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=document)[0][0] is not None
    ids, doc = listed(client, "?status=gelesen")
    assert document in ids
    row = doc.xpath(f'//table[@id="posteingang-tabelle"]//tr[.//a[@href="/posteingang/{document}"]]')[0]
    assert "gelesen" in clean(row.text_content())
    form = row.xpath(".//form")[0]
    assert form.get("action") == f"/posteingang/{document}/ungelesen"
    answer = client.post(form.get("action"), data={
        "csrf_token": csrf_token(client.get("/posteingang").get_data(as_text=True)),
        "status": "gelesen", "q": "", "seite": "1"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/posteingang?status=gelesen"
    assert "wieder als ungelesen markiert" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=document)[0][0] is None
    assert document in listed(client, "?status=ungelesen")[0]


def test_mark_unread_needs_the_csrf_token(app, gateway):
    client = client_of(app)
    document = expected_ids(gateway, 1, "AND d.read_at IS NOT NULL")[0]
    assert client.post(f"/posteingang/{document}/ungelesen").status_code == 400
    assert sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=document)[0][0] is not None


def test_another_brokers_document_is_not_found(app, gateway):
    intruder = client_of(app, "demo2")
    foreign = expected_ids(gateway, 1, "AND d.read_at IS NOT NULL")[0]
    before = sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=foreign)[0][0]
    token = csrf_token(intruder.get("/posteingang").get_data(as_text=True))
    assert intruder.post(f"/posteingang/{foreign}/ungelesen", data={"csrf_token": token}).status_code == 404
    assert sql(gateway, "SELECT read_at FROM documents WHERE id = :d", d=foreign)[0][0] == before
    own = every_page(intruder)
    assert own == expected_ids(gateway, 2) and foreign not in own
    policy = sql(gateway, "SELECT k.policy_number FROM documents d JOIN shipments s ON s.id = d.shipment_id "
                          "JOIN contracts k ON k.id = s.contract_id WHERE d.id = :d", d=foreign)[0][0]
    assert listed(intruder, f"?q={policy}")[0] == []
    ids, doc = listed(intruder)
    assert doc.get_element_by_id("filter-art").xpath("option/@value")[1:] == sorted({row[0] for row in sql(
        gateway, "SELECT document_type FROM documents WHERE broker_id = 2")})


def test_dashboard_keeps_the_last_ten_unread_and_links_the_whole_inbox(app, gateway):
    client = client_of(app)
    doc = parse(client.get("/"))
    block = doc.xpath('//section[@aria-labelledby="posteingang"]')[0]
    shown = [int(OPEN.match(a.get("href")).group(1)) for a in block.xpath('.//ul[@class="doclist"]//a')]
    assert shown == expected_ids(gateway, 1, "AND d.read_at IS NULL")[:10]
    assert block.xpath('.//a[text()="Alle Dokumente"]/@href') == ["/posteingang"]
    nav = doc.xpath('//nav[@aria-label="Hauptnavigation"]//a[text()="Posteingang"]/@href')
    assert nav == ["/posteingang"]


def test_posteingang_needs_a_login(app):
    answer = app.test_client().get("/posteingang")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
