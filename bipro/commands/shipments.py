"""``publish`` and ``gdv-export``: put documents and GDV data into brokers' shipments."""

from __future__ import annotations

import sys
from pathlib import Path

from bipro.core.caller import command_line
from bipro.core.clock import to_local
from bipro.core.errors import CoreError
from bipro.core.formatting import format_datetime
from bipro.core.shipments import NewFile, broker_of_login, export_portfolio, export_targets, publish_shipment
from store import progress


def register(commands) -> None:
    publish = commands.add_parser("publish", help="Dokumente als Lieferung für einen Vermittler einstellen")
    publish.add_argument("--broker", required=True, metavar="LOGIN", help="Login-Name eines Benutzers des Vermittlers")
    publish.add_argument("--category", required=True, metavar="CODE", help="Kategorie (GeVo-Art, neun Ziffern)")
    publish.add_argument("files", nargs="+", metavar="FILE", type=Path)
    publish.set_defaults(handler=publish_files)

    export = commands.add_parser("gdv-export", help="Bestand im GDV-Format als Lieferung bereitstellen")
    export.add_argument("--broker", metavar="LOGIN", help="nur dieser Vermittler (ohne: alle)")
    export.add_argument("--changes", action="store_true",
                        help="nur seit dem letzten Export geänderte Verträge (Kategorie 999010020)")
    export.set_defaults(handler=gdv_export)


def publish_files(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            broker_id = broker_of_login(session, args.broker)
            published = publish_shipment(session, broker_id, args.category,
                                         [NewFile(path) for path in args.files],
                                         available_days=gateway.settings.shipment_days, by=command_line())
    except CoreError as exc:
        print(f"Fehler: {exc.message}", file=sys.stderr)
        return 1
    print(f"Lieferung {published.public_id} eingestellt: {published.file_count} Datei(en), "
          f"{published.total_size} Bytes, verfügbar bis {format_datetime(to_local(published.available_until))} Uhr.")
    return 0


def gdv_export(gateway, args) -> int:
    """Export each broker in a transaction of its own; a refused one is reported and the rest go on."""
    out_dir = gateway.settings.instance_path / "gdv"
    try:
        with gateway.db.session() as session:
            broker_ids = export_targets(session, args.broker)
    except CoreError as exc:
        print(f"Fehler: {exc.message}", file=sys.stderr)
        return 1
    failed = 0
    by = command_line()
    for broker_id in broker_ids:
        try:
            # One transaction per broker: a failure keeps the exports already done.
            with gateway.db.session() as session:
                result = export_portfolio(session, broker_id, out_dir, changes=args.changes,
                                          available_days=gateway.settings.shipment_days,
                                          progress=progress.bar, by=by)
        except CoreError as exc:
            print(f"Fehler: {exc.message}", file=sys.stderr)
            failed += 1
            continue
        print(f"Vermittler {result.broker_number}: {result.contract_count} Verträge, "
              f"{result.path} ({result.size} Bytes), Lieferung {result.public_id} "
              f"(Kategorie {result.category}).")
    if failed and len(broker_ids) > 1:
        print(f"{failed} von {len(broker_ids)} Vermittlern nicht exportiert.", file=sys.stderr)
    return 1 if failed else 0
