"""``news add|list|remove`` and ``product add|list|remove``: the dashboard's Neuigkeiten and Produktwelt."""

from __future__ import annotations

import datetime as dt

from bipro.commands.users import _fail
from bipro.core.caller import command_line
from bipro.core.errors import CoreError
from bipro.core.portfolio.dashboard_content import BLOCKS, NEWS, PRODUCT, add_entry, list_entries, remove_entry


def register(commands) -> None:
    for command, kind in (("news", NEWS), ("product", PRODUCT)):
        parser = commands.add_parser(command, help=f"Einträge im Block {BLOCKS[kind]} der Startseite")
        actions = parser.add_subparsers(dest="action", required=True, metavar="AKTION")
        add = actions.add_parser("add", help="Eintrag hinzufügen")
        add.add_argument("title", metavar="TITEL")
        add.add_argument("--text", default="", help="Text unter dem Titel")
        add.add_argument("--date", type=dt.date.fromisoformat, default=None, metavar="JJJJ-MM-TT",
                         help="Datum des Eintrags (ohne: heute)")
        add.set_defaults(handler=_add, kind=kind)
        actions.add_parser("list", help="alle Einträge, neueste zuerst").set_defaults(handler=_list, kind=kind)
        remove = actions.add_parser("remove", help="Eintrag entfernen")
        remove.add_argument("id", type=int, metavar="ID")
        remove.set_defaults(handler=_remove, kind=kind)


def _add(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            entry = add_entry(session, args.kind, args.title, args.text, published_on=args.date, by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"{BLOCKS[args.kind]}: Eintrag {entry.id} „{entry.title}“ vom {entry.published_on:%d.%m.%Y}.")
    return 0


def _list(gateway, args) -> int:
    with gateway.db.session() as session:
        entries = list_entries(session, args.kind)
    for e in entries:
        print(f"{e.id}\t{e.published_on:%d.%m.%Y}\t{e.title}")
    return 0


def _remove(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            remove_entry(session, args.kind, args.id, by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"{BLOCKS[args.kind]}: Eintrag {args.id} entfernt.")
    return 0
