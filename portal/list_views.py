"""The list page itself and the routes every list screen gets.

    add_list_routes(bp, CUSTOMERS, "/kunden")

adds ``/kunden`` (the page), ``/kunden/daten`` (DataTables JSON),
``/kunden/drucken``, ``/kunden/kopieren``, ``/kunden/excel``, ``/kunden/csv``
and ``/kunden/pdf`` to the blueprint. Querying is the core's
(``bipro.core.search``); the views only read the URL and render.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, render_template, request

from bipro.core.search import ASC, DESC, ListPage, ListQueryError, count_total
from portal import list_exports, list_json
from portal.database import db
from portal.list_screens import ListScreen
from portal.list_state import PAGE_SIZES, format_order, make_pager, parse_state
from portal.login_session import current_caller, login_required
from portal.observing import observed_page

BEYOND_THE_END = "Diese Seite gibt es nicht (mehr); angezeigt wird die letzte Seite."


def add_list_routes(bp: Blueprint, screen: ListScreen, path: str) -> None:
    def page():
        return list_page(screen)

    def data():
        return list_json.datatables(screen)

    def print_view():
        return list_exports.print_page(screen)

    def copy():
        return list_exports.copy_text(screen)

    def excel():
        return list_exports.xlsx_download(screen)

    def csv():
        return list_exports.csv_download(screen)

    def pdf():
        return list_exports.pdf_download(screen)

    bp.add_url_rule(path, "index", login_required(page))
    bp.add_url_rule(f"{path}/daten", "data", list_json.json_login_required(data))
    for name, view in (("drucken", print_view), ("kopieren", copy), ("excel", excel),
                       ("csv", csv), ("pdf", pdf)):
        bp.add_url_rule(f"{path}/{name}", f"export_{name}", login_required(view))


def list_page(screen: ListScreen):
    state = parse_state(request.args, screen.spec, screen.choices)
    session, caller = db(), current_caller()
    status, error = 200, None
    try:
        limit = list_json.count_limit()
        result = observed_page(session, caller, screen.spec, replace(state.query(), count_limit=limit))
        if not result.rows and result.filtered:  # a page beyond the end (the count is exact there)
            state = state.at_last_page(result.filtered, BEYOND_THE_END)
            result = observed_page(session, caller, screen.spec, replace(state.query(), count_limit=limit))
    except ListQueryError as refused:
        # Only the search text can still be refused here (too long, too many
        # terms): the rest of the URL was checked by parse_state.
        status, error = 400, str(refused)
        total = count_total(session, caller, screen.spec)
        result = ListPage(rows=[], total=total, filtered=0, offset=0, limit=state.size,
                          is_filtered=True)
    order = state.effective_order(screen.spec)
    return render_template(
        "lists/list.html", screen=screen, state=state, result=result, error=error,
        pager=make_pager(state, len(result.rows), result.filtered, result.total,
                         result.is_filtered, result.more),
        sort_dirs=dict(order), sort_ranks={key: rank for rank, (key, _) in enumerate(order, 1)},
        current_sort=format_order(order), sort_text=screen.sort_label(order),
        sort_options=sort_options(screen, order), more_sort_options=more_sort_options(screen, order),
        page_sizes=PAGE_SIZES, endpoint=request.blueprint,
    ), status


DIRECTIONS = (ASC, DESC)


def sort_options(screen: ListScreen, order) -> list[tuple[str, str]]:
    """(sort parameter, words) for sorting by one column: the select that works without a header click."""
    return [(format_order(((col.key, d),)), screen.sort_label(((col.key, d),)))
            for col in screen.spec.columns for d in DIRECTIONS]


def more_sort_options(screen: ListScreen, order) -> list[tuple[str, str]]:
    """(sort parameter, words) for adding a further sort key to *order* (what shift-click does)."""
    used = dict(order)
    return [(format_order(tuple(order) + ((col.key, d),)), screen.sort_label(((col.key, d),)))
            for col in screen.spec.columns if col.key not in used for d in DIRECTIONS]

