"""``intake-key create|revoke|list`` and ``publish-folder DIR``: the doors for the insurer's document system."""

from __future__ import annotations

import sys
from pathlib import Path

from bipro.commands.users import _fail
from bipro.core.caller import command_line
from bipro.core.errors import CoreError
from bipro.core.intake import create_key, list_keys, publish_folder, revoke_key


def register(commands) -> None:
    key = commands.add_parser("intake-key", help="Schlüssel für die Dokumentannahme (POST /intake/...)")
    actions = key.add_subparsers(dest="action", required=True, metavar="AKTION")
    create = actions.add_parser("create", help="neuen Schlüssel erzeugen (wird nur einmal angezeigt)")
    create.add_argument("name", metavar="NAME")
    create.set_defaults(handler=_create)
    revoke = actions.add_parser("revoke", help="Schlüssel widerrufen")
    revoke.add_argument("name", metavar="NAME")
    revoke.set_defaults(handler=_revoke)
    actions.add_parser("list", help="alle Schlüssel (ohne den Schlüssel selbst)").set_defaults(handler=_list)

    folder = commands.add_parser("publish-folder",
                                 help="jede Datei mit JSON-Begleitdatei (DATEI.json) als Lieferung einstellen")
    folder.add_argument("folder", type=Path, metavar="DIR")
    folder.set_defaults(handler=_publish_folder)


def _create(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            key = create_key(session, args.name, by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"Intake-Schlüssel {args.name} (wird nur jetzt angezeigt, gespeichert ist nur sein Hash):\n{key}")
    return 0


def _revoke(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            revoke_key(session, args.name, by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"Intake-Schlüssel {args.name} ist widerrufen.")
    return 0


def _list(gateway, args) -> int:
    with gateway.db.session() as session:
        keys = list_keys(session)
    for name, revoked in keys:
        print(f"{name}\t{'widerrufen' if revoked else 'gültig'}")
    return 0


def _publish_folder(gateway, args) -> int:
    if not args.folder.is_dir():
        print(f"Fehler: {args.folder} ist kein Verzeichnis.", file=sys.stderr)
        return 1
    result = publish_folder(gateway.db.session, args.folder, available_days=gateway.settings.shipment_days,
                            max_bytes=gateway.settings.intake_max_bytes, by=command_line())
    for name, public_id in result.published:
        print(f"eingestellt: {name} → Lieferung {public_id}")
    for name, reason in result.refused:
        print(f"abgelehnt: {name}: {reason}")
    print(f"{len(result.published)} eingestellt, {len(result.refused)} abgelehnt.")
    return 1 if result.refused else 0
