"""GDV import: contracts per second into an empty database, and again unchanged.

``import_gdv_file`` as ``bipro-gateway import-gdv`` runs it, on a synthetic
file of 1,000,000 contracts (``--quick``: 50,000; ``bench/_gdvfile.py``),
into a fresh SQLite database and a fresh PostgreSQL database: first
everything new, then the same file once more (nothing changes, every
contract is compared). Memory is the RSS of this process,
sampled while the import runs; the CPU time of this process (the whole
import on SQLite, the client's share on PostgreSQL) shows what the import
costs when the machine is shared. Target: at least 5,000 contracts per
second. The machine's load average (1 minute) at the start and the end of
each import goes into the note: on a shared machine the wall time says as
much about the neighbours as about the import.
"""

from __future__ import annotations

import os
import time

from bench import Options, Result, rate_result
from bench._gdvfile import write_synthetic_file
from bench._memory import MIB, RssSampler
from bench._setup import STAFF, fresh_database, workdir
from bipro.core.portfolio.gdv_import import import_gdv_file
from store.db import Database
from store.migrate import upgrade

TARGET_RATE = 5_000


def run(options: Options) -> list[Result]:
    count = options.scale(1_000_000, 50_000)
    path = write_synthetic_file(workdir(options, "gdv-import") / "bestand.gdv", count)
    backends = ["sqlite"] + (["postgresql"] if options.postgres_url else [])
    results = []
    try:
        for backend in backends:
            with fresh_database(options, backend) as url:
                db = Database(url)
                try:
                    upgrade(db.engine)
                    results.append(import_once(db, path, f"import of {count:,} new contracts ({backend})"))
                    results.append(import_once(db, path, f"the same file again, unchanged ({backend})"))
                finally:
                    db.dispose()
    finally:
        path.unlink()
    if len(backends) == 1:
        results.append(Result("PostgreSQL", None, None, "", note="skipped: no --postgres URL"))
    return results


def import_once(db: Database, path, name: str) -> Result:
    load_before = os.getloadavg()[0]
    with db.session() as session, RssSampler() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        report = import_gdv_file(session, path, by=STAFF)
        session.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = report.contracts_read / seconds
    result = rate_result(name, rate, "contracts/s", baseline="the target rate", baseline_rate=TARGET_RATE)
    result.failed = not report.ok or rate < TARGET_RATE
    result.note = (f"{report.contracts_read:,} contracts in {seconds:.1f} s ({report.contracts_created:,} new, "
                   f"{report.contracts_unchanged:,} unchanged), {path.stat().st_size / MIB:,.0f} MiB file; "
                   f"this process's CPU {cpu:.1f} s ({report.contracts_read / cpu:,.0f} contracts per CPU second); "
                   f"RSS growth {memory.peak_growth / MIB:.1f} MiB, in the second half "
                   f"{memory.second_half_growth / MIB:.1f} MiB; "
                   f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
                   f"{'within' if rate >= TARGET_RATE else 'UNDER'} the target of {TARGET_RATE:,} contracts/s")
    return result
