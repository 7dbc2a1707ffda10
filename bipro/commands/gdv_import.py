"""``import-gdv``: the insurer's portfolio from GDV VU-Vermittler files."""

from __future__ import annotations

import sys
from pathlib import Path

from bipro.core.caller import command_line
from bipro.core.portfolio.gdv_import import ImportReport, import_gdv_file
from store import progress


def register(commands) -> None:
    parser = commands.add_parser(
        "import-gdv", help="Bestand (Vermittler, Kunden, Verträge) aus GDV-Dateien übernehmen")
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument("--dry-run", action="store_true",
                        help="nur prüfen und berichten, nichts speichern")
    parser.add_argument("--in-batches", action="store_true",
                        help="für Dateien, zu groß für eine Transaktion: erst die ganze Datei prüfen, dann "
                             "in Teilen ganzer Verträge speichern, jeden Teil mit dem Fortschritt; nach "
                             "einem Abbruch setzt derselbe Aufruf mit derselben Datei nach dem letzten "
                             "gespeicherten Teil fort")
    parser.set_defaults(handler=import_gdv)


def import_gdv(gateway, args) -> int:
    """Each file in its own transaction: applied whole, or (errors, --dry-run) not at all.

    ``--in-batches``: each file checked whole, then committed batch by batch, resumable.
    """
    failed = 0
    operator = command_line()
    for path in args.files:
        if not path.is_file():
            print(f"{path}: Datei nicht gefunden.", file=sys.stderr)
            failed += 1
            continue
        with gateway.db.session() as session:
            report = import_gdv_file(session, path, by=operator, progress=progress.bar,
                                     resumable=args.in_batches and not args.dry_run)
            if args.dry_run or not report.ok:
                session.rollback()
        failed += not report.ok
        _print(report, dry_run=args.dry_run)
    return 1 if failed else 0


def _print(report: ImportReport, *, dry_run: bool) -> None:
    if not report.ok:
        print(f"{report.file}: {report.error_count} Fehler, nichts übernommen.", file=sys.stderr)
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        if report.error_count > len(report.errors):
            print(f"  ... und {report.error_count - len(report.errors)} weitere", file=sys.stderr)
        return
    verb = "würde übernehmen (Probelauf, nichts gespeichert)" if dry_run else "übernommen"
    print(f"{report.file}: {verb}: {report.summary()}.")
    if report.skipped:
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(report.skipped.items()))
        print(f"  nicht gelesene Sätze: {kinds}")
