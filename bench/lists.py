"""The portal lists at scale: one page of customers and contracts, and 100,000-row exports.

The demo portfolio with 250,000 customers / 1,000,000 contracts for broker
``demo`` (``--quick``: 20,000 / 80,000), on SQLite and on PostgreSQL, built
once and cached (``bench/_bigdb.py``). Each page is ``fetch_page`` as the
portal calls it (10 rows, with the pager's counts); its baseline is the very
SQL it ran (caught from the engine) executed again straight on the DB-API
connection, so the ratio is what the core adds around the database: parsing,
building and compiling the statements, turning rows into ``ListRow``, and
the time of a walk abandoned for its budget (left out of the baseline). The
exports stream ``iter_values`` into the CSV and XLSX writers; their baseline is
fetching the same rows with the raw SQL. Target: every page under 150 ms
median on both databases.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import event
from sqlalchemy.orm import Session

from bench import Options, Result, time_result
from bench._bigdb import big_database
from bench._memory import MIB, RssSampler
from bench._xlsx_openpyxl import write_xlsx as openpyxl_xlsx
from bipro.core.caller import Caller
from bipro.core.exports import ExportColumn, ExportMeta, iter_csv, write_xlsx
from bipro.core.search import CONTRACT_LIST, CUSTOMER_LIST, ListQuery, fetch_page, iter_rows, iter_values
from store.db import Database

BROKER = Caller(user_id=1, broker_id=1, login="demo", channel="portal")  # the demo broker
PAGE = 10  # the portal's default page length
TARGET_MS = 150.0

# (list, label, query): what a broker types. The first four of each list are
# the scenario's core; the rest are the hard cases the list's design names.
CASES = [
    (CUSTOMER_LIST, "first page", ListQuery(limit=PAGE)),
    (CUSTOMER_LIST, "search 'müller'", ListQuery(search="müller", limit=PAGE)),
    (CUSTOMER_LIST, "search 'max 1980'", ListQuery(search="max 1980", limit=PAGE)),
    (CUSTOMER_LIST, "search 'bochum', sort ORT, GEBURTSDATUM desc",
     ListQuery(search="bochum", order=(("town", "asc"), ("birth_date", "desc")), limit=PAGE)),
    (CUSTOMER_LIST, "search 'str' (nearly every row)", ListQuery(search="str", limit=PAGE)),
    (CUSTOMER_LIST, "search 'ma 12' (short terms only)", ListQuery(search="ma 12", limit=PAGE)),
    (CONTRACT_LIST, "first page", ListQuery(limit=PAGE)),
    (CONTRACT_LIST, "search 'müller'", ListQuery(search="müller", limit=PAGE)),
    (CONTRACT_LIST, "search 'müller hausrat'", ListQuery(search="müller hausrat", limit=PAGE)),
    (CONTRACT_LIST, "search 'hausrat', sort KUNDE, STAND desc",
     ListQuery(search="hausrat", order=(("customer", "asc"), ("stand", "desc")), limit=PAGE)),
    (CONTRACT_LIST, "sort STATUS", ListQuery(order=(("status", "asc"),), limit=PAGE)),
    (CONTRACT_LIST, "search 'lebend' (88 % of rows)", ListQuery(search="lebend", limit=PAGE)),
    (CONTRACT_LIST, "search 'ma 12' (short terms only)", ListQuery(search="ma 12", limit=PAGE)),
]

KINDS = {"net_premium": "money", "gross_premium": "money", "stand": "date", "birth_date": "date"}


def run(options: Options) -> list[Result]:
    customers, contracts = options.scale(250_000, 20_000), options.scale(1_000_000, 80_000)
    rounds = options.scale(15, 5)
    backends = ["sqlite"] + (["postgresql"] if options.postgres_url else [])
    results = []
    for backend in backends:
        db = Database(big_database(options, backend, customers, contracts))
        try:
            scale = f"{customers:,}/{contracts:,}, {backend}"
            for spec, label, query in CASES:
                results.append(page_result(db, spec, label, query, rounds, scale))
            results += export_results(db, options, options.scale(100_000, 10_000), scale)
        finally:
            db.dispose()
    if len(backends) == 1:
        results.append(Result("PostgreSQL", None, None, "", note="skipped: no --postgres URL"))
    return results


class StatementLog:
    """The SQL statements and parameters the engine sends while active.

    ``answering`` leaves out what did not produce the page: a walk abandoned
    when its time budget ran out (``bipro.core.search.budget``) and the
    savepoint and timeout statements around it.
    """

    def __init__(self, engine) -> None:
        self.engine, self.statements, self.abandoned = engine, [], []

    def _catch(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.strip().upper() != "BEGIN":  # the session's, once per transaction
            self.statements.append((statement, parameters))

    def _failed(self, context) -> None:
        if self.statements and self.statements[-1][0] == context.statement:
            self.abandoned.append(self.statements.pop())

    @property
    def answering(self) -> list:
        return [(sql, params) for sql, params in self.statements if not _is_control(sql)]

    def __enter__(self) -> "StatementLog":
        event.listen(self.engine, "before_cursor_execute", self._catch)
        event.listen(self.engine, "handle_error", self._failed)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._catch)
        event.remove(self.engine, "handle_error", self._failed)


def _is_control(statement: str) -> bool:
    words = statement.split(None, 1)
    return bool(words) and (words[0].upper() in ("SAVEPOINT", "RELEASE", "ROLLBACK")
                            or "set_config(" in statement)


def raw_seconds(session: Session, statements) -> float:
    """Run the caught statements on the session's DB-API connection, fetching every row."""
    dbapi = session.connection().connection.driver_connection
    started = time.perf_counter()
    for statement, parameters in statements:
        cursor = dbapi.cursor()
        cursor.execute(statement, parameters)
        cursor.fetchall()
        cursor.close()
    return time.perf_counter() - started


def page_result(db: Database, spec, label: str, query: ListQuery, rounds: int, scale: str) -> Result:
    core_times, raw_times = [], []
    with db.session() as session:
        fetch_page(session, BROKER, spec, query)  # warms the caches
        # Logged warm, so the baseline runs the statements of a warm call
        # (a walk may keep within its budget only once the pages are cached).
        with StatementLog(db.engine) as log:
            page = fetch_page(session, BROKER, spec, query)
        raw_seconds(session, log.answering)
        for _ in range(rounds):  # interleaved, so load from elsewhere hits both alike
            started = time.perf_counter()
            fetch_page(session, BROKER, spec, query)
            core_times.append(time.perf_counter() - started)
            raw_times.append(raw_seconds(session, log.answering))
    name = "Kundenübersicht" if spec is CUSTOMER_LIST else "Bestandsverträge"
    result = time_result(f"{name}: {label}", core_times, baseline="its SQL, run directly",
                         baseline_seconds=raw_times)
    verdict = "within" if result.median < TARGET_MS else "OVER"
    walk = "; a walk in sort order abandoned for its budget" if log.abandoned else ""
    counted = f"more than {page.filtered:,}" if page.more else f"{page.filtered:,}"
    result.note = (f"{counted} of {page.total:,} rows; {len(log.answering)} statements{walk}; "
                   f"{verdict} the target of {TARGET_MS:.0f} ms ({scale})")
    return result


def export_columns(spec) -> list[ExportColumn]:
    return [ExportColumn(col.header, KINDS.get(col.key, "text")) for col in spec.columns]


def export_results(db: Database, options: Options, count: int, scale: str) -> list[Result]:
    """*count* contract rows in the default order, as CSV and XLSX.

    Memory is the growth of the process's RSS during the export (sampled, so
    the export runs at full speed): what streaming holds, plus the writers'.
    """
    query = ListQuery(limit=count)
    columns = export_columns(CONTRACT_LIST)
    meta = ExportMeta("Bestandsverträge", "", dt.datetime.now())
    target = options.workdir / "lists-export.xlsx"

    def rows(session):
        return iter_values(session, BROKER, CONTRACT_LIST, query)

    def csv_export():
        with db.session() as session:
            return sum(len(chunk) for chunk in iter_csv(columns, rows(session)))

    def xlsx_export():
        with db.session() as session:
            write_xlsx(str(target), columns, rows(session), meta)
        return target.stat().st_size

    def openpyxl_export():
        with db.session() as session:
            openpyxl_xlsx(str(target), columns, rows(session), meta)
        return target.stat().st_size

    with db.session() as session, StatementLog(db.engine) as log:
        sum(1 for _ in iter_rows(session, BROKER, CONTRACT_LIST, query))
    results = []
    for label, export in (("CSV", csv_export), ("XLSX (XlsxWriter)", xlsx_export),
                          ("XLSX (openpyxl write-only, comparison)", openpyxl_export)):
        with RssSampler() as memory:
            started = time.perf_counter()
            size = export()
            seconds = time.perf_counter() - started
        with db.session() as session:
            raw = raw_seconds(session, log.statements)
        result = time_result(f"export {count:,} contracts as {label} (iter_values)", [seconds],
                             unit="s", baseline="fetching the rows with its SQL", baseline_seconds=[raw])
        result.note = (f"{count / seconds:,.0f} rows/s, {size / MIB:.1f} MiB file, RSS growth "
                       f"{memory.peak_growth / MIB:.1f} MiB, in the second half "
                       f"{memory.second_half_growth / MIB:.1f} MiB ({scale})")
        results.append(result)
    return results
