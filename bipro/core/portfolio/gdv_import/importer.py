"""The GDV import as a use case: one file in one transaction, or in resumable batches."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.clock import to_local
from bipro.core.gdv.reader import GdvReader, open_gdv
from bipro.core.identity import audit
from bipro.core.portfolio.gdv_import.applier import BatchApplier
from bipro.core.portfolio.gdv_import.bulk_load import BulkLoad
from bipro.core.portfolio.gdv_import.reading import batches, read_ahead
from bipro.core.portfolio.gdv_import.report import ImportReport, close_report
from store.base import utcnow
from store.db import begin_write
from store.models import GdvImportRun
from store.progress import Progress, silent

PORTFOLIO_IMPORTED = "portfolio_imported"


def import_gdv_file(session: Session, path: Path, *, by: SystemCaller, progress: Progress = silent,
                    now: dt.datetime | None = None, resumable: bool = False) -> ImportReport:
    """Apply the file in *session*'s transaction (the caller commits), or report its problems.

    One pass: batches are written as the file is read; at the first problem
    writing stops, reading goes on to name every further problem, and the
    transaction is rolled back, so a file with any problem changes nothing.
    A dry run is this followed by a rollback.

    ``resumable``: check the whole file first, then commit batch by batch
    with the progress, continuing after the last batch an earlier run of
    the same file committed (see the module's description).
    """
    if resumable:
        return _import_in_batches(session, path, by=by, progress=progress, now=now)
    report = ImportReport(str(path))
    now = (now or utcnow()).replace(microsecond=0)
    begin_write(session)
    conn = session.connection()
    _prepare(conn)
    applier = BatchApplier(conn, report, today=to_local(now).date(), now=now)
    bulk = BulkLoad(conn, path.stat().st_size)
    with open_gdv(path) as stream, \
            progress(f"GDV-Import {path.name}", path.stat().st_size, "B") as shown:
        reader = GdvReader(stream, path.name)
        applier.reader = reader
        for batch in read_ahead(batches(reader, report, shown)):
            applier.apply(batch)
            bulk.after_batch(report, len(batch))
        if not reader.errors:
            bulk.finish()
    if not close_report(report, reader):
        session.rollback()
        return report
    audit.record(session, PORTFOLIO_IMPORTED, by=by,
                 detail=f"GDV-Import {path.name}: {report.summary()}"[:500])
    return report



def _prepare(conn: Connection, *, committed_per_batch: bool = False) -> None:
    """Settings of an import transaction."""
    if conn.dialect.name == "postgresql":
        if committed_per_batch:
            # A commit need not wait for the disk: a batch lost in a server
            # crash loses its progress with it, and the re-run writes it again.
            conn.execute(text("SET LOCAL synchronous_commit = off"))
        # Every lookup here is by a unique key, but tables that grew in this
        # load (or were never analyzed) look small to the planner, which
        # then scans them once per batch: a million times too slow at scale.
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        # Building the indexes once at the end of a first load takes longer
        # than a web request may; this transaction is no request.
        conn.execute(text("SET LOCAL statement_timeout = 0"))
        conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))


# -- in resumable batches ------------------------------------------------------


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _import_in_batches(session: Session, path: Path, *, by: SystemCaller, progress: Progress,
                       now: dt.datetime | None) -> ImportReport:
    """Check the whole file, then commit batch by batch with how far the file got."""
    report = ImportReport(str(path))
    now = (now or utcnow()).replace(microsecond=0)
    digest = file_digest(path)
    run = session.execute(select(GdvImportRun.id, GdvImportRun.contracts_done, GdvImportRun.finished_at)
                          .where(GdvImportRun.file_sha256 == digest)).one_or_none()
    session.rollback()
    if run is None or run.finished_at is not None:
        # A fresh run: nothing is written before the whole file has been read without a problem.
        check = ImportReport(str(path))
        with open_gdv(path) as stream, \
                progress(f"GDV-Prüfung {path.name}", path.stat().st_size, "B") as shown:
            reader = GdvReader(stream, path.name)
            for _batch in batches(reader, check, shown):
                pass
        if not close_report(check, reader):
            return check
        begin_write(session)
        session.execute(delete(GdvImportRun).where(GdvImportRun.file_sha256 == digest))
        session.execute(insert(GdvImportRun).values(
            file_sha256=digest, file_name=path.name[:255], contracts_done=0, line_done=0, started_at=now,
            updated_at=now))
        session.commit()
        run = session.execute(select(GdvImportRun.id, GdvImportRun.contracts_done, GdvImportRun.finished_at)
                              .where(GdvImportRun.file_sha256 == digest)).one()
        session.rollback()
    skip = report.contracts_resumed = run.contracts_done
    run_id = run.id
    today = to_local(now).date()
    applier = BatchApplier(None, report, today=today, now=now)
    with open_gdv(path) as stream, \
            progress(f"GDV-Import {path.name}", path.stat().st_size, "B") as shown:
        reader = GdvReader(stream, path.name)
        applier.reader = reader
        for batch in read_ahead(batches(reader, report, shown, skip=skip)):
            begin_write(session)
            applier.conn = session.connection()
            _prepare(applier.conn, committed_per_batch=True)
            applier.apply(batch)
            session.execute(update(GdvImportRun).where(GdvImportRun.id == run_id).values(
                contracts_done=GdvImportRun.contracts_done + len(batch), line_done=batch[-1].line,
                updated_at=utcnow()))
            session.commit()
            report.batches_committed += 1
    if not close_report(report, reader):
        # The file changed under us (it was checked whole before): what is committed stays, resumable.
        return report
    begin_write(session)
    session.execute(update(GdvImportRun).where(GdvImportRun.id == run_id).values(
        finished_at=utcnow(), updated_at=utcnow()))
    audit.record(session, PORTFOLIO_IMPORTED, by=by,
                 detail=f"GDV-Import {path.name} in Teilen: {report.summary()}"[:500])
    return report

