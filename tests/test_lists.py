"""The customer and contract lists against a plain Python reference of the manual's rules."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bipro.core.search import (
    CONTRACT_LIST,
    CUSTOMER_LIST,
    ListQuery,
    ListQueryError,
    fetch_page,
    iter_rows,
    iter_values,
    parse_terms,
    plan,
)
from store.search_text import SEPARATOR
from tests.support.callers import of_broker
from tests.support.list_reference import (
    DEMO,
    DEMO2,
    PLAN_MODES,
    SPECS,
    ids,
    matches,
    planned,
    python_order,
)

# --- the stored search text is the displayed row -------------------------------------------

@pytest.mark.parametrize("name", SPECS)
def test_search_text_is_the_displayed_row(list_reference, list_session, name):
    for row in list_reference[(name, DEMO)] + list_reference[(name, DEMO2)]:
        assert row["search_text"] == SEPARATOR.join(row["shown"]).lower()
    page = fetch_page(list_session, of_broker(DEMO), SPECS[name], ListQuery(limit=200))
    shown = {r["id"]: r["shown"] for r in list_reference[(name, DEMO)]}
    assert all(SPECS[name].display(row) == shown[row.id] for row in page.rows)


# --- search --------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["Max 1980", "44789 07", "max", "MAX 1980", '"Max" "1980"'])
def test_manual_examples_match_the_reference(list_reference, list_session, mode, search):
    expected = {r["id"] for r in list_reference[("customers", DEMO)] if matches(search, r["shown"])}
    with planned(mode):
        page = fetch_page(list_session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search=search, limit=1000))
    assert expected and {r.id for r in page.rows} == expected
    assert page.filtered == len(expected) and page.total == 140 and page.is_filtered


def test_manual_examples_find_the_planted_rows(list_session):
    rows = fetch_page(list_session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="Max 1980", limit=100)).rows
    assert rows and all(r["first_name"] == "Max" and r["birth_date"].year == 1980 for r in rows)
    rows = fetch_page(list_session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="44789 07", limit=100)).rows
    assert any(r["postcode"] == "44789" and r["birth_date"].month == 7 for r in rows)


@pytest.mark.parametrize("mode", PLAN_MODES)
def test_quoted_phrase_is_one_term(list_reference, list_session, mode):
    street = list_reference[("customers", DEMO)][7]["fields"].street  # e.g. "Hattinger Straße 12"
    phrase = f'"{street.lower()}"'
    expected = {r["id"] for r in list_reference[("customers", DEMO)] if street.lower() in r["shown"][3].lower()}
    with planned(mode):
        assert set(ids(list_session, DEMO, CUSTOMER_LIST, search=phrase)) == expected
    assert parse_terms(phrase) == (street.lower(),)


def test_case_does_not_matter(list_session):
    lists = [ids(list_session, DEMO, CUSTOMER_LIST, search=s) for s in ("bochum", "BOCHUM", "BoChUm")]
    assert lists[0] and lists[0] == lists[1] == lists[2]
    upper, lower = (ids(list_session, DEMO, CONTRACT_LIST, search=s) for s in ("LEBEND", "lebend"))
    assert upper == lower


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["%", "_", "1_8", "%max", "ma_", "a%b", "\\", "*", "[a]", '"m"x'])
def test_wildcards_are_literal(list_reference, list_session, mode, search):
    for name in SPECS:
        expected = {r["id"] for r in list_reference[(name, DEMO)] if matches(search, r["shown"])}
        with planned(mode):
            assert set(ids(list_session, DEMO, SPECS[name], search=search)) == expected
    with planned(mode):
        assert fetch_page(list_session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="%")).filtered == 0


@pytest.mark.parametrize("mode", PLAN_MODES)
def test_contract_search_covers_every_column(list_reference, list_session, mode):
    sample = list_reference[("contracts", DEMO)][3]
    for value in sample["shown"]:
        search = f'"{value}"'
        expected = {r["id"] for r in list_reference[("contracts", DEMO)] if matches(search, r["shown"])}
        with planned(mode):
            assert sample["id"] in set(ids(list_session, DEMO, CONTRACT_LIST, search=search)) == expected


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
def test_sort_matches_python_sort(list_reference, list_session, mode, name):
    for order in ORDERS[name]:
        for search in ("", "bochum", "e"):
            rows = [r for r in list_reference[(name, DEMO)] if matches(search, r["shown"])]
            expected = python_order(rows, order)
            with planned(mode):
                assert ids(list_session, DEMO, SPECS[name], search=search, order=order) == expected
                page = fetch_page(list_session, of_broker(DEMO), SPECS[name],
                                  ListQuery(search=search, order=order, offset=5))
                assert [r.id for r in page.rows] == expected[5:15]


def test_names_sort_in_german_alphabetical_order(list_session):
    """Umlauts sort as their base letter (DIN 5007), not after z as their code points would."""
    names = [r["last_name"]
             for r in iter_rows(list_session, of_broker(DEMO), CUSTOMER_LIST,
                                ListQuery(limit=None, order=[("last_name", "asc")]))]
    first_after_o = min(i for i, n in enumerate(names) if n[0] in "PQRSTUVWXYZ")
    last_before_o = max(i for i, n in enumerate(names) if n[0] in "ABCDEFGHIJKLMN")
    umlauts = [i for i, n in enumerate(names) if n.startswith("Ö")]
    assert umlauts, "the demo portfolio has a name starting with Ö"
    assert all(last_before_o < i < first_after_o for i in umlauts)


@pytest.mark.parametrize("name", SPECS)
def test_default_order_is_the_id_column(list_reference, list_session, name):
    rows = list_reference[(name, DEMO)]
    assert ids(list_session, DEMO, SPECS[name]) == python_order(rows, [("partner_number", "asc")])


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("name", SPECS)
def test_pages_concatenate_to_the_stream(list_session, mode, name):
    query = dict(search="e", order=[("town", "asc"), ("partner_number", "desc")])
    with planned(mode):
        everything = ids(list_session, DEMO, SPECS[name], **query)
        pages, offset = [], 0
        while True:
            page = fetch_page(list_session, of_broker(DEMO), SPECS[name], ListQuery(offset=offset, limit=25, **query))
            assert page.filtered == len(everything)
            if not page.rows:
                break
            pages.extend(r.id for r in page.rows)
            offset += 25
    assert pages == everything and len(set(everything)) == len(everything)


def test_stream_honours_offset_and_limit(list_session):
    everything = ids(list_session, DEMO, CONTRACT_LIST)
    part = [r.id for r in iter_rows(list_session, of_broker(DEMO), CONTRACT_LIST, ListQuery(offset=30, limit=40))]
    assert part == everything[30:70]


@pytest.mark.parametrize("spec", [CUSTOMER_LIST, CONTRACT_LIST], ids=["customers", "contracts"])
def test_stream_of_values_is_the_rows_values(list_session, spec):
    """Exports take ``iter_values``: the same values, in the same order, as ``iter_rows`` gives."""
    query = ListQuery(search="a", order=(("town", "desc"),), offset=3, limit=None)
    rows = [row.values for row in iter_rows(list_session, of_broker(DEMO), spec, query)]
    assert list(iter_values(list_session, of_broker(DEMO), spec, query)) == rows and len(rows) > 10


def test_counts(list_reference, list_session):
    page = fetch_page(list_session, of_broker(DEMO), CONTRACT_LIST, ListQuery())
    assert page.total == page.filtered == len(list_reference[("contracts", DEMO)]) and not page.is_filtered
    assert len(page.rows) == 10
    page = fetch_page(list_session, of_broker(DEMO2), CUSTOMER_LIST, ListQuery(search="zzzz-nothing"))
    assert (page.total, page.filtered, page.rows, page.is_filtered) == (25, 0, [], True)


@pytest.mark.parametrize("method", ["fts", "fts_minus_others", "broker_rows", "table_scan"])
@pytest.mark.parametrize("search", ["Max 1980", "str", "bochum 07", "lebend"])
def test_every_count_method_counts_the_same(list_reference, list_session, method, search):
    with planned("fts"), mock.patch.object(plan, "count_method", lambda _est, **_kw: method):
        for name in SPECS:
            expected = sum(matches(search, r["shown"]) for r in list_reference[(name, DEMO)])
            if method == "fts_minus_others" and not all(len(t) >= 3 for t in parse_terms(search)):
                continue  # the engine never picks it then
            assert fetch_page(list_session, of_broker(DEMO), SPECS[name], ListQuery(search=search)).filtered == expected


# --- filters -------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("status, codes", [("lebend", {1}), ("storniert", {4}), ("alle", {1, 4}), ("", {1, 4})])
@pytest.mark.parametrize("sparte", ["", "130", "040"])
def test_contract_filters(list_reference, list_session, mode, status, codes, sparte):
    expected = {r["id"] for r in list_reference[("contracts", DEMO)]
                if r["fields"].status in codes and (not sparte or r["fields"].sparte == sparte)
                and matches("e", r["shown"])}
    with planned(mode):
        page = fetch_page(list_session, of_broker(DEMO), CONTRACT_LIST,
                          ListQuery(search="e", filters={"status": status, "sparte": sparte}, limit=500))
    assert {r.id for r in page.rows} == expected and page.filtered == len(expected) > 0


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("filters", [
    {"last_name": "MÜLL"}, {"first_name": "max", "town": "boch"}, {"street": "straße 1"},
    {"postcode": "447"}, {"town": "ü"}, {"policy_number": "130-"}, {"last_name": "ÖZD"},
    {"policy_number": "-00000001"}, {"last_name": "e", "postcode": "4"},
])
def test_partner_field_filters(list_reference, list_session, mode, filters):
    fields = {"last_name": "last_name", "first_name": "first_name", "street": "street",
              "postcode": "postcode", "town": "town"}

    def keep(r):
        c = r["fields"]
        return all(v.lower() in (getattr(c, fields[k]).lower() if k in fields else "")
                   or (k == "policy_number" and any(v.lower() in p.lower() for p in r["policies"]))
                   for k, v in filters.items())
    expected = {r["id"] for r in list_reference[("customers", DEMO)] if keep(r)}
    with planned(mode):
        assert set(ids(list_session, DEMO, CUSTOMER_LIST, filters=filters)) == expected


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("filters", [{"partner_number": "1"}, {"partner_number": " 12 "},
                                     {"policy_number": "130-"}, {"policy_number": "-0000",
                                                                 "partner_number": "2"}])
def test_contract_field_filters(list_reference, list_session, mode, filters):
    def keep(r):
        wanted = filters.get("partner_number", r["customer"].partner_number).strip()
        return (wanted == r["customer"].partner_number
                and filters.get("policy_number", "").lower() in r["fields"].policy_number.lower())
    expected = {r["id"] for r in list_reference[("contracts", DEMO)] if keep(r)}
    with planned(mode):
        assert set(ids(list_session, DEMO, CONTRACT_LIST, filters=filters)) == expected != set()


@pytest.mark.parametrize("query", [
    ListQuery(order=[("nope", "asc")]), ListQuery(order=[("last_name", "up")]),
    ListQuery(filters={"colour": "red"}), ListQuery(offset=-1), ListQuery(limit=None),
    ListQuery(search="x " * 30),
])
def test_bad_queries_are_refused(list_session, query):
    with pytest.raises(ListQueryError):
        fetch_page(list_session, of_broker(DEMO), CUSTOMER_LIST, query)


@pytest.mark.parametrize("filters", [{"status": "verloren"}, {"sparte": "Hausrat"}])
def test_bad_contract_filters_are_refused(list_session, filters):
    with pytest.raises(ListQueryError):
        fetch_page(list_session, of_broker(DEMO), CONTRACT_LIST, ListQuery(filters=filters))


# --- tenant isolation -------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
def test_a_broker_never_sees_another_brokers_rows(list_reference, list_session, mode):
    for name, spec in SPECS.items():
        own = {r["id"] for r in list_reference[(name, DEMO2)]}
        foreign = list_reference[(name, DEMO)][0]
        searches = ["", "e", "bochum", "max 1980", foreign["shown"][0], f'"{foreign["shown"][3]}"']
        with planned(mode):
            for search in searches:
                page = fetch_page(list_session, of_broker(DEMO2), spec, ListQuery(search=search, limit=1000))
                assert {r.id for r in page.rows} <= own and page.total == len(own)
            assert foreign["id"] not in ids(list_session, DEMO2, spec, filters={"policy_number": "-"})


# --- random searches against the reference ------------------------------------------------------

ALPHABET = st.sampled_from(list('abmxyz äöüßÄÖÜ"%_\\*[]-.,€0123456789') + ["  ", "str", "max", "1980",
                                                                        "44789", "07", "bochum", "üll"])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(search=st.lists(ALPHABET, max_size=8).map("".join))
def test_random_searches_match_the_reference(list_reference, list_session, search):
    for mode in PLAN_MODES:
        with planned(mode):
            for name, spec in SPECS.items():
                expected = {r["id"] for r in list_reference[(name, DEMO)] if matches(search, r["shown"])}
                page = fetch_page(list_session, of_broker(DEMO), spec, ListQuery(search=search, limit=10_000))
                assert {r.id for r in page.rows} == expected and page.filtered == len(expected)
