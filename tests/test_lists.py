"""The customer and contract lists against a plain Python reference of the manual's rules."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from bipro.core.formatting import format_date, format_money
from bipro.core.search import (
    CONTRACT_LIST,
    CUSTOMER_LIST,
    ListQuery,
    ListQueryError,
    fetch,
    fetch_page,
    iter_rows,
    iter_values,
    parse_terms,
    plan,
)
from bipro.core.search.budget import BudgetSpent
from store.code_lists import SPARTE, VERTRAGSSTATUS
from store.models import Contract, Customer
from store.search_text import SEPARATOR
from store.sort_keys import german_sort_key as german
from tests.support.callers import of_broker

DEMO, DEMO2 = 1, 2


# --- the reference: every row of a broker, its displayed values, Python search and sort ----

def _customers(session, broker_id):
    rows = session.scalars(select(Customer).where(Customer.broker_id == broker_id)).all()
    return [{"id": c.id, "shown": (c.partner_number, c.first_name, c.last_name, c.street, c.postcode,
                                   c.town, format_date(c.birth_date)),
             "sort": {"partner_number": (c.id,), "first_name": (german(c.first_name),),
                      "last_name": (german(c.last_name),), "street": (german(c.street),),
                      "postcode": (c.postcode,), "town": (german(c.town),), "birth_date": (c.birth_date,)},
             "search_text": c.search_text, "fields": c, "policies": [k.policy_number for k in c.contracts]}
            for c in rows]


def _contracts(session, broker_id):
    rows = session.execute(select(Contract, Customer).join(Customer, Customer.id == Contract.customer_id)
                           .where(Contract.broker_id == broker_id)).all()
    return [{"id": k.id, "shown": (c.partner_number, f"{c.first_name} {c.last_name}", c.town,
                                   k.policy_number, SPARTE.names[k.sparte], VERTRAGSSTATUS.names[k.status],
                                   format_money(k.net_premium), format_money(k.gross_premium),
                                   format_date(k.stand)),
             "sort": {"partner_number": (c.id,), "customer": (german(c.last_name), german(c.first_name), c.id),
                      "town": (german(c.town), c.id), "policy_number": (k.policy_number,), "sparte": (k.sparte,),
                      "status": (k.status, k.sparte), "net_premium": (k.net_premium,),
                      "gross_premium": (k.gross_premium,), "stand": (k.stand,)},
             "search_text": k.search_text, "fields": k, "customer": c}
            for k, c in rows]


REFERENCE = {"customers": _customers, "contracts": _contracts}
SPECS = {"customers": CUSTOMER_LIST, "contracts": CONTRACT_LIST}


def matches(search: str, shown) -> bool:
    """The manual: every term is a case-insensitive substring of some displayed column."""
    return all(any(term in value.lower() for value in shown) for term in parse_terms(search))


def python_order(rows, order):
    rows = sorted(rows, key=lambda r: r["id"], reverse=order[-1][1] == "desc")
    for key, direction in reversed(order):
        rows = sorted(rows, key=lambda r: r["sort"][key], reverse=direction == "desc")
    return [r["id"] for r in rows]


def ids(session, broker_id, spec, **query):
    return [row.id for row in iter_rows(session, of_broker(broker_id), spec, ListQuery(limit=None, **query))]


def _budget_spent(*_args):
    raise BudgetSpent


@contextmanager
def planned(mode: str):
    """Force the plan choices, so the small demo exercises every path of the big lists.

    ``walk``: SQLite walks the sort order and PostgreSQL tries it within a
    budget (real, generous); ``fallback``: the same with every budget spent
    at once, so the page comes from the fetched and sorted hits.
    """
    walk = {"SMALL_LIST": 0, "WALK_MIN_MATCHES": 0, "WALK_SHARE": 0}
    patches = {"auto": {}, "fts": {"SMALL_LIST": 0, "WALK_MIN_MATCHES": 10**9},
               "walk": walk, "fallback": walk}[mode]
    with ExitStack() as stack:
        stack.enter_context(mock.patch.multiple(plan, **patches)) if patches else None
        if mode in ("walk", "fallback"):
            stack.enter_context(mock.patch.object(fetch, "PG_SORT_HITS_MAX", -1))
        if mode == "fallback":
            stack.enter_context(mock.patch.object(fetch, "within_budget", _budget_spent))
        yield


PLAN_MODES = ("auto", "fts", "walk", "fallback")


@pytest.fixture(scope="module")
def reference(gateway):
    with gateway.db.session() as session:
        return {(name, broker): build(session, broker)
                for name, build in REFERENCE.items() for broker in (DEMO, DEMO2)}


@pytest.fixture
def session(gateway):
    with gateway.db.session() as session:
        yield session


# --- the stored search text is the displayed row -------------------------------------------

@pytest.mark.parametrize("name", SPECS)
def test_search_text_is_the_displayed_row(reference, session, name):
    for row in reference[(name, DEMO)] + reference[(name, DEMO2)]:
        assert row["search_text"] == SEPARATOR.join(row["shown"]).lower()
    page = fetch_page(session, of_broker(DEMO), SPECS[name], ListQuery(limit=200))
    shown = {r["id"]: r["shown"] for r in reference[(name, DEMO)]}
    assert all(SPECS[name].display(row) == shown[row.id] for row in page.rows)


# --- search --------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["Max 1980", "44789 07", "max", "MAX 1980", '"Max" "1980"'])
def test_manual_examples_match_the_reference(reference, session, mode, search):
    expected = {r["id"] for r in reference[("customers", DEMO)] if matches(search, r["shown"])}
    with planned(mode):
        page = fetch_page(session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search=search, limit=1000))
    assert expected and {r.id for r in page.rows} == expected
    assert page.filtered == len(expected) and page.total == 140 and page.is_filtered


def test_manual_examples_find_the_planted_rows(session):
    rows = fetch_page(session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="Max 1980", limit=100)).rows
    assert rows and all(r["first_name"] == "Max" and r["birth_date"].year == 1980 for r in rows)
    rows = fetch_page(session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="44789 07", limit=100)).rows
    assert any(r["postcode"] == "44789" and r["birth_date"].month == 7 for r in rows)


@pytest.mark.parametrize("mode", PLAN_MODES)
def test_quoted_phrase_is_one_term(reference, session, mode):
    street = reference[("customers", DEMO)][7]["fields"].street  # e.g. "Hattinger Straße 12"
    phrase = f'"{street.lower()}"'
    expected = {r["id"] for r in reference[("customers", DEMO)] if street.lower() in r["shown"][3].lower()}
    with planned(mode):
        assert set(ids(session, DEMO, CUSTOMER_LIST, search=phrase)) == expected
    assert parse_terms(phrase) == (street.lower(),)


def test_case_does_not_matter(session):
    lists = [ids(session, DEMO, CUSTOMER_LIST, search=s) for s in ("bochum", "BOCHUM", "BoChUm")]
    assert lists[0] and lists[0] == lists[1] == lists[2]
    assert ids(session, DEMO, CONTRACT_LIST, search="LEBEND") == ids(session, DEMO, CONTRACT_LIST, search="lebend")


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["%", "_", "1_8", "%max", "ma_", "a%b", "\\", "*", "[a]", '"m"x'])
def test_wildcards_are_literal(reference, session, mode, search):
    for name in SPECS:
        expected = {r["id"] for r in reference[(name, DEMO)] if matches(search, r["shown"])}
        with planned(mode):
            assert set(ids(session, DEMO, SPECS[name], search=search)) == expected
    with planned(mode):
        assert fetch_page(session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="%")).filtered == 0


@pytest.mark.parametrize("mode", PLAN_MODES)
def test_contract_search_covers_every_column(reference, session, mode):
    sample = reference[("contracts", DEMO)][3]
    for value in sample["shown"]:
        search = f'"{value}"'
        expected = {r["id"] for r in reference[("contracts", DEMO)] if matches(search, r["shown"])}
        with planned(mode):
            assert sample["id"] in set(ids(session, DEMO, CONTRACT_LIST, search=search)) == expected


# --- sort, paging, streaming -----------------------------------------------------------------

ORDERS = {
    "customers": [[("last_name", "asc"), ("first_name", "desc")], [("town", "desc"), ("birth_date", "asc")],
                  [("postcode", "asc"), ("street", "asc")], [("birth_date", "desc")], [("partner_number", "desc")]],
    "contracts": [[("customer", "asc"), ("stand", "desc")], [("town", "desc"), ("gross_premium", "asc")],
                  [("status", "asc"), ("net_premium", "desc")], [("sparte", "desc"), ("policy_number", "asc")],
                  [("partner_number", "asc")], [("stand", "asc")]],
}


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("name", SPECS)
def test_sort_matches_python_sort(reference, session, mode, name):
    for order in ORDERS[name]:
        for search in ("", "bochum", "e"):
            rows = [r for r in reference[(name, DEMO)] if matches(search, r["shown"])]
            expected = python_order(rows, order)
            with planned(mode):
                assert ids(session, DEMO, SPECS[name], search=search, order=order) == expected
                page = fetch_page(session, of_broker(DEMO), SPECS[name],
                                  ListQuery(search=search, order=order, offset=5))
                assert [r.id for r in page.rows] == expected[5:15]


def test_names_sort_in_german_alphabetical_order(session):
    """Umlauts sort as their base letter (DIN 5007), not after z as their code points would."""
    names = [r["last_name"]
             for r in iter_rows(session, of_broker(DEMO), CUSTOMER_LIST,
                                ListQuery(limit=None, order=[("last_name", "asc")]))]
    first_after_o = min(i for i, n in enumerate(names) if n[0] in "PQRSTUVWXYZ")
    last_before_o = max(i for i, n in enumerate(names) if n[0] in "ABCDEFGHIJKLMN")
    umlauts = [i for i, n in enumerate(names) if n.startswith("Ö")]
    assert umlauts, "the demo portfolio has a name starting with Ö"
    assert all(last_before_o < i < first_after_o for i in umlauts)


@pytest.mark.parametrize("name", SPECS)
def test_default_order_is_the_id_column(reference, session, name):
    rows = reference[(name, DEMO)]
    assert ids(session, DEMO, SPECS[name]) == python_order(rows, [("partner_number", "asc")])


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("name", SPECS)
def test_pages_concatenate_to_the_stream(session, mode, name):
    query = dict(search="e", order=[("town", "asc"), ("partner_number", "desc")])
    with planned(mode):
        everything = ids(session, DEMO, SPECS[name], **query)
        pages, offset = [], 0
        while True:
            page = fetch_page(session, of_broker(DEMO), SPECS[name], ListQuery(offset=offset, limit=25, **query))
            assert page.filtered == len(everything)
            if not page.rows:
                break
            pages.extend(r.id for r in page.rows)
            offset += 25
    assert pages == everything and len(set(everything)) == len(everything)


def test_stream_honours_offset_and_limit(session):
    everything = ids(session, DEMO, CONTRACT_LIST)
    part = [r.id for r in iter_rows(session, of_broker(DEMO), CONTRACT_LIST, ListQuery(offset=30, limit=40))]
    assert part == everything[30:70]


@pytest.mark.parametrize("spec", [CUSTOMER_LIST, CONTRACT_LIST], ids=["customers", "contracts"])
def test_stream_of_values_is_the_rows_values(session, spec):
    """Exports take ``iter_values``: the same values, in the same order, as ``iter_rows`` gives."""
    query = ListQuery(search="a", order=(("town", "desc"),), offset=3, limit=None)
    rows = [row.values for row in iter_rows(session, of_broker(DEMO), spec, query)]
    assert list(iter_values(session, of_broker(DEMO), spec, query)) == rows and len(rows) > 10


def test_counts(reference, session):
    page = fetch_page(session, of_broker(DEMO), CONTRACT_LIST, ListQuery())
    assert page.total == page.filtered == len(reference[("contracts", DEMO)]) and not page.is_filtered
    assert len(page.rows) == 10
    page = fetch_page(session, of_broker(DEMO2), CUSTOMER_LIST, ListQuery(search="zzzz-nothing"))
    assert (page.total, page.filtered, page.rows, page.is_filtered) == (25, 0, [], True)


@pytest.mark.parametrize("method", ["fts", "fts_minus_others", "broker_rows", "table_scan"])
@pytest.mark.parametrize("search", ["Max 1980", "str", "bochum 07", "lebend"])
def test_every_count_method_counts_the_same(reference, session, method, search):
    with planned("fts"), mock.patch.object(plan, "count_method", lambda _est, **_kw: method):
        for name in SPECS:
            expected = sum(matches(search, r["shown"]) for r in reference[(name, DEMO)])
            if method == "fts_minus_others" and not all(len(t) >= 3 for t in parse_terms(search)):
                continue  # the engine never picks it then
            assert fetch_page(session, of_broker(DEMO), SPECS[name], ListQuery(search=search)).filtered == expected


# --- filters -------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("status, codes", [("lebend", {1}), ("storniert", {4}), ("alle", {1, 4}), ("", {1, 4})])
@pytest.mark.parametrize("sparte", ["", "130", "040"])
def test_contract_filters(reference, session, mode, status, codes, sparte):
    expected = {r["id"] for r in reference[("contracts", DEMO)]
                if r["fields"].status in codes and (not sparte or r["fields"].sparte == sparte)
                and matches("e", r["shown"])}
    with planned(mode):
        page = fetch_page(session, of_broker(DEMO), CONTRACT_LIST,
                          ListQuery(search="e", filters={"status": status, "sparte": sparte}, limit=500))
    assert {r.id for r in page.rows} == expected and page.filtered == len(expected) > 0


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("filters", [
    {"last_name": "MÜLL"}, {"first_name": "max", "town": "boch"}, {"street": "straße 1"},
    {"postcode": "447"}, {"town": "ü"}, {"policy_number": "130-"}, {"last_name": "ÖZD"},
    {"policy_number": "-00000001"}, {"last_name": "e", "postcode": "4"},
])
def test_partner_field_filters(reference, session, mode, filters):
    fields = {"last_name": "last_name", "first_name": "first_name", "street": "street",
              "postcode": "postcode", "town": "town"}

    def keep(r):
        c = r["fields"]
        return all(v.lower() in (getattr(c, fields[k]).lower() if k in fields else "")
                   or (k == "policy_number" and any(v.lower() in p.lower() for p in r["policies"]))
                   for k, v in filters.items())
    expected = {r["id"] for r in reference[("customers", DEMO)] if keep(r)}
    with planned(mode):
        assert set(ids(session, DEMO, CUSTOMER_LIST, filters=filters)) == expected


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("filters", [{"partner_number": "1"}, {"partner_number": " 12 "},
                                     {"policy_number": "130-"}, {"policy_number": "-0000",
                                                                 "partner_number": "2"}])
def test_contract_field_filters(reference, session, mode, filters):
    def keep(r):
        wanted = filters.get("partner_number", r["customer"].partner_number).strip()
        return (wanted == r["customer"].partner_number
                and filters.get("policy_number", "").lower() in r["fields"].policy_number.lower())
    expected = {r["id"] for r in reference[("contracts", DEMO)] if keep(r)}
    with planned(mode):
        assert set(ids(session, DEMO, CONTRACT_LIST, filters=filters)) == expected != set()


@pytest.mark.parametrize("query", [
    ListQuery(order=[("nope", "asc")]), ListQuery(order=[("last_name", "up")]),
    ListQuery(filters={"colour": "red"}), ListQuery(offset=-1), ListQuery(limit=None),
    ListQuery(search="x " * 30),
])
def test_bad_queries_are_refused(session, query):
    with pytest.raises(ListQueryError):
        fetch_page(session, of_broker(DEMO), CUSTOMER_LIST, query)


@pytest.mark.parametrize("filters", [{"status": "verloren"}, {"sparte": "Hausrat"}])
def test_bad_contract_filters_are_refused(session, filters):
    with pytest.raises(ListQueryError):
        fetch_page(session, of_broker(DEMO), CONTRACT_LIST, ListQuery(filters=filters))


# --- tenant isolation -------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
def test_a_broker_never_sees_another_brokers_rows(reference, session, mode):
    for name, spec in SPECS.items():
        own = {r["id"] for r in reference[(name, DEMO2)]}
        foreign = reference[(name, DEMO)][0]
        searches = ["", "e", "bochum", "max 1980", foreign["shown"][0], f'"{foreign["shown"][3]}"']
        with planned(mode):
            for search in searches:
                page = fetch_page(session, of_broker(DEMO2), spec, ListQuery(search=search, limit=1000))
                assert {r.id for r in page.rows} <= own and page.total == len(own)
            assert foreign["id"] not in ids(session, DEMO2, spec, filters={"policy_number": "-"})


# --- random searches against the reference ------------------------------------------------------

ALPHABET = st.sampled_from(list('abmxyz äöüßÄÖÜ"%_\\*[]-.,€0123456789') + ["  ", "str", "max", "1980",
                                                                        "44789", "07", "bochum", "üll"])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(search=st.lists(ALPHABET, max_size=8).map("".join))
def test_random_searches_match_the_reference(reference, session, search):
    for mode in PLAN_MODES:
        with planned(mode):
            for name, spec in SPECS.items():
                expected = {r["id"] for r in reference[(name, DEMO)] if matches(search, r["shown"])}
                page = fetch_page(session, of_broker(DEMO), spec, ListQuery(search=search, limit=10_000))
                assert {r.id for r in page.rows} == expected and page.filtered == len(expected)


# --- bounded counts ------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("name, search", [("contracts", "e"), ("contracts", "lebend"),
                                          ("customers", "str"), ("customers", "e 1")])
def test_a_count_past_its_limit_is_a_lower_bound(reference, session, mode, name, search):
    spec = SPECS[name]
    order = [("town", "asc")]
    expected = python_order([r for r in reference[(name, DEMO)] if matches(search, r["shown"])], order)
    assert len(expected) > 40
    with planned(mode):
        page = fetch_page(session, of_broker(DEMO), spec, ListQuery(search=search, order=order, count_limit=20))
        assert (page.filtered, page.more, page.total) == (20, True, len(reference[(name, DEMO)]))
        assert [r.id for r in page.rows] == expected[:10]
        # Past the limit the count reaches the page's end, so "Nächste" stays provable.
        page = fetch_page(session, of_broker(DEMO), spec,
                          ListQuery(search=search, order=order, offset=30, count_limit=20))
        assert (page.filtered, page.more) == (40, True)
        assert [r.id for r in page.rows] == expected[30:40]
        # Exact again when the hits end before the limit.
        page = fetch_page(session, of_broker(DEMO), spec, ListQuery(search=search, count_limit=len(expected)))
        assert (page.filtered, page.more) == (len(expected), False)
        # Exports see every row whatever the page's count.
        assert ids(session, DEMO, spec, search=search, order=order) == expected


@pytest.mark.parametrize("method", ["fts", "fts_minus_others", "broker_rows", "table_scan"])
@pytest.mark.parametrize("search", ["str", "lebend", "e 1"])
def test_every_count_method_stops_at_the_limit(reference, session, method, search):
    if method == "fts_minus_others" and not all(len(t) >= 3 for t in parse_terms(search)):
        return  # the engine never picks it then
    with planned("fts"), mock.patch.object(plan, "count_method", lambda _est, **_kw: method):
        for name in SPECS:
            expected = sum(matches(search, r["shown"]) for r in reference[(name, DEMO)])
            page = fetch_page(session, of_broker(DEMO), SPECS[name], ListQuery(search=search, count_limit=12))
            assert (page.filtered, page.more) == ((12, True) if expected > 12 else (expected, False))


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("filters", [{}, {"status": "lebend"}, {"status": "storniert", "sparte": "130"},
                                     {"sparte": "040"}])
def test_total_and_status_sparte_counts_are_always_exact(reference, session, mode, filters):
    def keep(r):
        k = r["fields"]
        status = {"lebend": 1, "storniert": 4}.get(filters.get("status"))
        return (status is None or k.status == status) and filters.get("sparte", k.sparte) == k.sparte
    expected = sum(keep(r) for r in reference[("contracts", DEMO)])
    with planned(mode):
        page = fetch_page(session, of_broker(DEMO), CONTRACT_LIST, ListQuery(filters=filters, limit=1, count_limit=0))
    assert (page.filtered, page.more) == (expected, False) and expected > 1
    assert page.total == len(reference[("contracts", DEMO)])


# --- short terms and terms that name a code ---------------------------------------------------------

def assert_first_page(session, spec, search, order, count_limit, expected):
    """The first page of the search is the reference's, counted exactly or up to *count_limit*; all rows too."""
    page = fetch_page(session, of_broker(DEMO), spec,
                      ListQuery(search=search, order=order, count_limit=count_limit))
    assert [r.id for r in page.rows] == expected[:10]
    bounded = count_limit is not None and len(expected) > count_limit
    assert (page.filtered, page.more) == ((count_limit, True) if bounded else (len(expected), False))
    assert ids(session, DEMO, spec, search=search, order=order) == expected


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["ma 12", "07", "e 1", "12 bochum", "07 44789", "1 müller"])
@pytest.mark.parametrize("count_limit", [None, 15])
def test_short_terms_are_substrings_anywhere(reference, session, mode, search, count_limit):
    for name, spec in SPECS.items():
        order = [("last_name", "desc")] if name == "customers" else [("stand", "asc")]
        expected = python_order([r for r in reference[(name, DEMO)] if matches(search, r["shown"])], order)
        with planned(mode):
            assert_first_page(session, spec, search, order, count_limit, expected)


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["lebend", "storniert", "Hausrat", "Unfall", "leben", "hausrat bochum",
                                    "storniert 1"])
def test_code_names_match_like_any_text(reference, session, mode, search):
    expected = {r["id"] for r in reference[("contracts", DEMO)] if matches(search, r["shown"])}
    with planned(mode):
        page = fetch_page(session, of_broker(DEMO), CONTRACT_LIST, ListQuery(search=search, limit=1000))
    assert expected and {r.id for r in page.rows} == expected and page.filtered == len(expected)


# Terms that name a code and also stand elsewhere in some rows ("aus": Hausrat and Klaus;
# "sch": Rechtsschutz and Schmidt ...), one that names a status and a Sparte ("leben"),
# codes with other terms, and the common ones of the big lists ("lebend e": a short term naming
# codes beside a long one, so a bounded count's PostgreSQL estimate plans lists of codes).
CODE_SEARCHES = ["lebend", "hausrat", "leben", "aus", "sch", "ben", "chu", "e", "lebend hausrat", "storniert 1",
                 "müller hausrat", "bochum lebend", '"lebend kurzfristig"', "privathaftpflicht", "lebend e"]
CODE_ORDERS = [[("partner_number", "asc")], [("customer", "asc"), ("stand", "desc")],
               [("status", "desc"), ("net_premium", "asc")], [("sparte", "asc")]]


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", CODE_SEARCHES)
@pytest.mark.parametrize("count_limit", [None, 12])
def test_code_terms_answer_like_the_plain_search(reference, session, mode, search, count_limit):
    rows = [r for r in reference[("contracts", DEMO)] if matches(search, r["shown"])]
    for order in CODE_ORDERS:
        expected = python_order(rows, order)
        with planned(mode):
            assert_first_page(session, CONTRACT_LIST, search, order, count_limit, expected)
            beyond = fetch_page(session, of_broker(DEMO), CONTRACT_LIST,
                                ListQuery(search=search, order=order, offset=10, count_limit=count_limit))
            assert [r.id for r in beyond.rows] == expected[10:20]
            bounded = count_limit is not None and len(expected) > 20
            assert (beyond.filtered, beyond.more) == ((20, True) if bounded else (len(expected), False))


def test_code_searches_cover_names_found_elsewhere_too(reference):
    """The searches above include terms found both in a code's name and in other columns."""
    def where(term):
        found = set()
        for r in reference[("contracts", DEMO)]:
            shown = [v.lower() for v in r["shown"]]
            found |= {"code" if i in (4, 5) else "other" for i, v in enumerate(shown) if term in v}
        return found
    both = ("aus", "sch", "ben", "chu", "e")
    assert all(CONTRACT_LIST.code_conditions(t) for t in both + ("leben",))
    assert all(where(t) == {"code", "other"} for t in both)
    assert CONTRACT_LIST.code_conditions("müller") == () and CUSTOMER_LIST.code_conditions("lebend") == ()


@pytest.mark.parametrize("search, filters", [("hausrat", {"status": "lebend"}), ("lebend", {"sparte": "130"}),
                                             ("storniert", {"status": "lebend"})])
@pytest.mark.parametrize("mode", PLAN_MODES)
def test_code_terms_with_code_filters(reference, session, mode, search, filters):
    status = {"lebend": 1}.get(filters.get("status"))
    expected = python_order([r for r in reference[("contracts", DEMO)] if matches(search, r["shown"])
                             and (status is None or r["fields"].status == status)
                             and filters.get("sparte", r["fields"].sparte) == r["fields"].sparte],
                            [("partner_number", "asc")])
    for count_limit in (None, 10):
        with planned(mode):
            page = fetch_page(session, of_broker(DEMO), CONTRACT_LIST,
                              ListQuery(search=search, filters=filters, count_limit=count_limit))
        bounded = count_limit is not None and len(expected) > count_limit
        assert [r.id for r in page.rows] == expected[:10]
        assert (page.filtered, page.more) == ((count_limit, True) if bounded else (len(expected), False))


def test_list_queries_are_planned_for_their_own_pattern(gateway, session):
    """PostgreSQL must not settle on a generic plan made without the search pattern, for this transaction only."""
    if gateway.db.is_sqlite:
        pytest.skip("plan_cache_mode is PostgreSQL's")
    fetch_page(session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="müller"))
    assert session.execute(text("SELECT current_setting('plan_cache_mode')")).scalar() == "force_custom_plan"
    session.commit()
    assert session.execute(text("SELECT current_setting('plan_cache_mode')")).scalar() == "auto"
