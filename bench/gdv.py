"""GDV export of a large portfolio: records per second and memory.

``export_portfolio`` as the ``gdv-export`` command runs it, for broker
``demo`` of the large demo database (1,000,000 contracts; ``--quick``:
80,000; built and cached by ``bench/_bigdb.py``), on SQLite and on
PostgreSQL. The export's database writes (the published shipment, the
export record) are rolled back, so the cached database stays as built.
Per database the writer over the contracts streamed from the database (the
query ``export_portfolio`` runs); once (on PostgreSQL when given)
``export_portfolio`` end to end, which also stores the finished file as a
shipment. Memory is
the RSS of this process, sampled while the export runs: "constant memory"
means it stops growing once the first chunks are in flight, however many
contracts follow. Target: at least 50,000 records per second.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy.orm import Session

from bench import Options, Result, rate_result
from bench._bigdb import big_database
from bench._memory import MIB, RssSampler
from bench._setup import STAFF, workdir
from bipro.core.gdv import GdvHeader, write_portfolio
from bipro.core.shipments import export_portfolio, gdv_export
from bipro.core.shipments.gdv_export import INSURER, VU_NUMBER
from store.db import Database

BROKER = 1
TARGET_RATE = 50_000


def run(options: Options) -> list[Result]:
    customers, contracts = options.scale(250_000, 20_000), options.scale(1_000_000, 80_000)
    backends = ["sqlite"] + (["postgresql"] if options.postgres_url else [])
    results = []
    for backend in backends:
        db = Database(big_database(options, backend, customers, contracts))
        try:
            # End to end only once, on the production database when there is
            # one: at full scale it adds over a minute and shows the same thing.
            results += export_once(db, options, backend, end_to_end_too=backend == backends[-1])
        finally:
            db.dispose()
    if len(backends) == 1:
        results.append(Result("PostgreSQL", None, None, "", note="skipped: no --postgres URL"))
    return results


def export_once(db: Database, options: Options, backend: str, *, end_to_end_too: bool) -> list[Result]:
    results = [writer_only(db, options, backend)]
    if not end_to_end_too:
        return results
    try:
        results.append(end_to_end(db, options, backend))
    except Exception as exc:  # reported as a row: the writer's figures still stand
        results.append(Result(f"export_portfolio, published ({backend})", None, None, "records/s",
                              note=f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}",
                              failed=True))
    return results


def writer_only(db: Database, options: Options, backend: str) -> Result:
    """The streaming part: contracts from the database through the GDV writer into a file."""
    path = workdir(options, f"gdv-{backend}") / "writer.gdv"
    header = GdvHeader(vu_number=VU_NUMBER, sender=INSURER, addressee="Bench", created=dt.date.today(),
                       period_from=dt.date.today(), period_to=dt.date.today(), broker_number="1")
    with Session(db.engine) as session, RssSampler() as memory:
        started = time.perf_counter()
        with path.open("wb") as out:
            summary = write_portfolio(out, header, gdv_export._contracts(session, BROKER, None))
        seconds = time.perf_counter() - started
    size = path.stat().st_size
    path.unlink()
    return rate_row(f"GDV writer over {summary.contract_count:,} streamed contracts ({backend})",
                    summary.record_count, summary.contract_count, size, seconds, memory)


def end_to_end(db: Database, options: Options, backend: str) -> Result:
    """``export_portfolio``: the same, plus storing the file as a shipment (rolled back here)."""
    session = Session(db.engine)
    try:
        with RssSampler() as memory:
            started = time.perf_counter()
            exported = export_portfolio(session, BROKER, workdir(options, f"gdv-{backend}"), by=STAFF)
            session.flush()
            seconds = time.perf_counter() - started
    finally:
        session.rollback()  # the published shipment and the export record
        session.close()
    with exported.path.open("rb") as gdv:
        records = exported.size // len(gdv.readline())
    exported.path.unlink()
    result = rate_row(f"export_portfolio of {exported.contract_count:,} contracts, published ({backend})",
                      records, exported.contract_count, exported.size, seconds, memory)
    result.note += "; the file is stored in 1 MiB slices"
    return result


def rate_row(name: str, records: int, contracts: int, size: int, seconds: float,
             memory: RssSampler) -> Result:
    rate = records / seconds
    result = rate_result(name, rate, "records/s", baseline="the target rate", baseline_rate=TARGET_RATE)
    verdict = "within" if rate >= TARGET_RATE else "UNDER"
    result.note = (f"{records:,} records (lines) in {seconds:.1f} s, {contracts / seconds:,.0f} contracts/s, "
                   f"{size / MIB:,.0f} MiB file; RSS growth {memory.peak_growth / MIB:.1f} MiB, "
                   f"in the second half {memory.second_half_growth / MIB:.1f} MiB; "
                   f"{verdict} the target of {TARGET_RATE:,} records/s")
    return result
