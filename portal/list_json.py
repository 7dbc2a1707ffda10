"""The lists in the DataTables server-side protocol.

In: ``draw``, ``start``, ``length``, ``search[value]``, ``order[i][column]`` and
``order[i][dir]`` (the column's index in the list's columns), plus the list's
filters (``status``, ``sparte``). Out: ``draw`` (echoed as a number),
``recordsTotal``, ``recordsFiltered``, ``recordsFilteredIsLowerBound`` (true when
the search's count stopped at its bound, 10,000: more rows match than
``recordsFiltered`` says) and ``data``: one array per row with the
column texts as shown on the page and, last, the AKTION links
(``{"customer": "/kunden/12", "contract": "/vertraege/..."}``). A request the
list cannot answer is a 400 with a German ``error``, as DataTables shows it.
"""

from __future__ import annotations

import functools
import re

from flask import current_app, g, jsonify, request

from bipro.core.search import ASC, DESC, ListQuery, ListQueryError
from portal.database import db
from portal.list_screens import ListScreen
from portal.login_session import current_caller
from portal.observing import observed_page

MAX_LENGTH = 1_000
_ORDER_PARAM = re.compile(r"order\[(\d{1,3})\]\[(column|dir)\]")


class BadRequest(ValueError):
    """A parameter DataTables would never send like this; the message is German."""


def json_login_required(view):
    """Like ``login_required``, but a script gets a 401 with a German message, not a redirect."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("caller") is None:
            response = jsonify(error="Sie sind nicht (mehr) angemeldet. Bitte melden Sie sich an.")
            return response, 401
        return view(*args, **kwargs)

    return wrapped


def datatables(screen: ListScreen):
    draw = 0
    try:
        draw = _integer("draw", 0, 0, 2**31 - 1)
        query = parse_request(screen)
        page = observed_page(db(), current_caller(), screen.spec, query)
    except (BadRequest, ListQueryError) as refused:
        return jsonify(draw=draw, recordsTotal=0, recordsFiltered=0, data=[],
                       error=str(refused)), 400
    return jsonify(
        draw=draw, recordsTotal=page.total, recordsFiltered=page.filtered,
        recordsFilteredIsLowerBound=page.more,
        data=[[*screen.spec.display(row),
               {action.kind: action.url for action in screen.actions(row)}]
              for row in page.rows])


def count_limit() -> int | None:
    """How far a search's hits are counted exactly (app config ``LIST_EXACT_COUNT_LIMIT``).

    None: the core's default, 10,000.
    """
    value = current_app.config.get("LIST_EXACT_COUNT_LIMIT")
    return None if value is None else int(value)


def parse_request(screen: ListScreen) -> ListQuery:
    """The DataTables parameters of the current request as a list query."""
    start = _integer("start", 0, 0, 10**9)
    length = _integer("length", 10, 0, MAX_LENGTH)
    search = request.values.get("search[value]", "")
    filters = {c.name: request.values[c.name] for c in screen.choices if c.name in request.values}
    return ListQuery(search=search, order=_order(screen), offset=start, limit=length,
                     filters=filters, count_limit=count_limit())


def _order(screen: ListScreen) -> tuple[tuple[str, str], ...]:
    found: dict[int, dict[str, str]] = {}
    for name, value in request.values.items():
        match = _ORDER_PARAM.fullmatch(name)
        if match:
            found.setdefault(int(match.group(1)), {})[match.group(2)] = value.strip()
    columns = screen.spec.columns
    order = []
    for index in sorted(found):
        entry = found[index]
        text = entry.get("column", "")
        if not (text.isascii() and text.isdigit() and int(text) < len(columns)):
            raise BadRequest(f"Nach der Spalte {text or '(keine)'} kann nicht sortiert werden.")
        direction = entry.get("dir", ASC).lower() or ASC
        if direction not in (ASC, DESC):
            raise BadRequest(f"Unbekannte Sortierrichtung: {direction}")
        order.append((columns[int(text)].key, direction))
    return tuple(order)


def _integer(name: str, default: int, low: int, high: int) -> int:
    text = request.values.get(name, "").strip()
    if not text:
        return default
    if not (text.lstrip("-").isascii() and text.lstrip("-").isdigit()) or len(text) > 12:
        raise BadRequest(f"Der Parameter {name} muss eine ganze Zahl sein.")
    value = int(text)
    if name == "length" and value == -1:
        raise BadRequest(f"Bitte höchstens {MAX_LENGTH:,} Einträge auf einmal abrufen."
                         .replace(",", "."))
    if not low <= value <= high:
        raise BadRequest(f"Der Parameter {name} liegt außerhalb des erlaubten Bereichs.")
    return value
