"""The lists' bounded counts, short terms and terms that name a code, against the reference.

The search plans of the big lists (tests/support/list_reference.py forces
each on the small demo) must give the rows, order and counts of the plain
substring search of the manual.
"""

from __future__ import annotations

from unittest import mock

import pytest
from sqlalchemy import text

from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST, ListQuery, fetch_page, parse_terms, plan
from tests.support.callers import of_broker
from tests.support.list_reference import (
    DEMO,
    PLAN_MODES,
    SPECS,
    ids,
    matches,
    planned,
    python_order,
)

# --- bounded counts ------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("name, search", [("contracts", "e"), ("contracts", "lebend"),
                                          ("customers", "str"), ("customers", "e 1")])
def test_a_count_past_its_limit_is_a_lower_bound(list_reference, list_session, mode, name, search):
    spec = SPECS[name]
    order = [("town", "asc")]
    expected = python_order([r for r in list_reference[(name, DEMO)] if matches(search, r["shown"])], order)
    assert len(expected) > 40
    with planned(mode):
        page = fetch_page(list_session, of_broker(DEMO), spec, ListQuery(search=search, order=order, count_limit=20))
        assert (page.filtered, page.more, page.total) == (20, True, len(list_reference[(name, DEMO)]))
        assert [r.id for r in page.rows] == expected[:10]
        # Past the limit the count reaches the page's end, so "Nächste" stays provable.
        page = fetch_page(list_session, of_broker(DEMO), spec,
                          ListQuery(search=search, order=order, offset=30, count_limit=20))
        assert (page.filtered, page.more) == (40, True)
        assert [r.id for r in page.rows] == expected[30:40]
        # Exact again when the hits end before the limit.
        page = fetch_page(list_session, of_broker(DEMO), spec, ListQuery(search=search, count_limit=len(expected)))
        assert (page.filtered, page.more) == (len(expected), False)
        # Exports see every row whatever the page's count.
        assert ids(list_session, DEMO, spec, search=search, order=order) == expected


@pytest.mark.parametrize("method", ["fts", "fts_minus_others", "broker_rows", "table_scan"])
@pytest.mark.parametrize("search", ["str", "lebend", "e 1"])
def test_every_count_method_stops_at_the_limit(list_reference, list_session, method, search):
    if method == "fts_minus_others" and not all(len(t) >= 3 for t in parse_terms(search)):
        return  # the engine never picks it then
    with planned("fts"), mock.patch.object(plan, "count_method", lambda _est, **_kw: method):
        for name in SPECS:
            expected = sum(matches(search, r["shown"]) for r in list_reference[(name, DEMO)])
            page = fetch_page(list_session, of_broker(DEMO), SPECS[name], ListQuery(search=search, count_limit=12))
            assert (page.filtered, page.more) == ((12, True) if expected > 12 else (expected, False))


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("filters", [{}, {"status": "lebend"}, {"status": "storniert", "sparte": "130"},
                                     {"sparte": "040"}])
def test_total_and_status_sparte_counts_are_always_exact(list_reference, list_session, mode, filters):
    def keep(r):
        k = r["fields"]
        status = {"lebend": 1, "storniert": 4}.get(filters.get("status"))
        return (status is None or k.status == status) and filters.get("sparte", k.sparte) == k.sparte
    expected = sum(keep(r) for r in list_reference[("contracts", DEMO)])
    with planned(mode):
        page = fetch_page(list_session, of_broker(DEMO), CONTRACT_LIST,
                          ListQuery(filters=filters, limit=1, count_limit=0))
    assert (page.filtered, page.more) == (expected, False) and expected > 1
    assert page.total == len(list_reference[("contracts", DEMO)])


# --- short terms and terms that name a code ---------------------------------------------------------

def assert_first_page(list_session, spec, search, order, count_limit, expected):
    """The first page of the search is the reference's, counted exactly or up to *count_limit*; all rows too."""
    page = fetch_page(list_session, of_broker(DEMO), spec,
                      ListQuery(search=search, order=order, count_limit=count_limit))
    assert [r.id for r in page.rows] == expected[:10]
    bounded = count_limit is not None and len(expected) > count_limit
    assert (page.filtered, page.more) == ((count_limit, True) if bounded else (len(expected), False))
    assert ids(list_session, DEMO, spec, search=search, order=order) == expected


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["ma 12", "07", "e 1", "12 bochum", "07 44789", "1 müller"])
@pytest.mark.parametrize("count_limit", [None, 15])
def test_short_terms_are_substrings_anywhere(list_reference, list_session, mode, search, count_limit):
    for name, spec in SPECS.items():
        order = [("last_name", "desc")] if name == "customers" else [("stand", "asc")]
        expected = python_order([r for r in list_reference[(name, DEMO)] if matches(search, r["shown"])], order)
        with planned(mode):
            assert_first_page(list_session, spec, search, order, count_limit, expected)


@pytest.mark.parametrize("mode", PLAN_MODES)
@pytest.mark.parametrize("search", ["lebend", "storniert", "Hausrat", "Unfall", "leben", "hausrat bochum",
                                    "storniert 1"])
def test_code_names_match_like_any_text(list_reference, list_session, mode, search):
    expected = {r["id"] for r in list_reference[("contracts", DEMO)] if matches(search, r["shown"])}
    with planned(mode):
        page = fetch_page(list_session, of_broker(DEMO), CONTRACT_LIST, ListQuery(search=search, limit=1000))
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
def test_code_terms_answer_like_the_plain_search(list_reference, list_session, mode, search, count_limit):
    rows = [r for r in list_reference[("contracts", DEMO)] if matches(search, r["shown"])]
    for order in CODE_ORDERS:
        expected = python_order(rows, order)
        with planned(mode):
            assert_first_page(list_session, CONTRACT_LIST, search, order, count_limit, expected)
            beyond = fetch_page(list_session, of_broker(DEMO), CONTRACT_LIST,
                                ListQuery(search=search, order=order, offset=10, count_limit=count_limit))
            assert [r.id for r in beyond.rows] == expected[10:20]
            bounded = count_limit is not None and len(expected) > 20
            assert (beyond.filtered, beyond.more) == ((20, True) if bounded else (len(expected), False))


def test_code_searches_cover_names_found_elsewhere_too(list_reference):
    """The searches above include terms found both in a code's name and in other columns."""
    def where(term):
        found = set()
        for r in list_reference[("contracts", DEMO)]:
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
def test_code_terms_with_code_filters(list_reference, list_session, mode, search, filters):
    status = {"lebend": 1}.get(filters.get("status"))
    expected = python_order([r for r in list_reference[("contracts", DEMO)] if matches(search, r["shown"])
                             and (status is None or r["fields"].status == status)
                             and filters.get("sparte", r["fields"].sparte) == r["fields"].sparte],
                            [("partner_number", "asc")])
    for count_limit in (None, 10):
        with planned(mode):
            page = fetch_page(list_session, of_broker(DEMO), CONTRACT_LIST,
                              ListQuery(search=search, filters=filters, count_limit=count_limit))
        bounded = count_limit is not None and len(expected) > count_limit
        assert [r.id for r in page.rows] == expected[:10]
        assert (page.filtered, page.more) == ((count_limit, True) if bounded else (len(expected), False))


def test_list_queries_are_planned_for_their_own_pattern(gateway, list_session):
    """PostgreSQL must not settle on a generic plan made without the search pattern, for this transaction only."""
    if gateway.db.is_sqlite:
        pytest.skip("plan_cache_mode is PostgreSQL's")
    fetch_page(list_session, of_broker(DEMO), CUSTOMER_LIST, ListQuery(search="müller"))
    assert list_session.execute(text("SELECT current_setting('plan_cache_mode')")).scalar() == "force_custom_plan"
    list_session.commit()
    assert list_session.execute(text("SELECT current_setting('plan_cache_mode')")).scalar() == "auto"
