"""``init-db`` and ``demo``."""

from __future__ import annotations

import sys

from bipro.core.identity.passwords import hash_password
from store import progress
from store.demo.loader import DemoError, holds_data, load_demo
from store.migrate import upgrade

DEMO_PASSWORD = "demo-passwort"


def register(commands) -> None:
    init = commands.add_parser("init-db", help="Datenbankschema anlegen oder aktualisieren")
    init.set_defaults(handler=init_db)

    demo = commands.add_parser("demo", help="Demo-Bestand in eine leere Datenbank laden")
    demo.add_argument("--customers", type=int, default=140, help="Kunden des Vermittlers demo")
    demo.add_argument("--contracts", type=int, default=None, help="Verträge des Vermittlers demo")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--if-empty", action="store_true",
                      help="nichts tun, wenn die Datenbank schon Daten enthält")
    demo.set_defaults(handler=demo_data)


def init_db(gateway, _args) -> int:
    upgrade(gateway.db.engine)
    print("Datenbankschema ist aktuell.")
    return 0


def demo_data(gateway, args) -> int:
    upgrade(gateway.db.engine)
    if args.if_empty and holds_data(gateway.db):  # before the password is hashed: a restart costs nothing
        print("Die Datenbank enthält bereits Daten; keine Demo geladen.")
        return 0
    try:
        summary = load_demo(
            gateway.db,
            hash_password(DEMO_PASSWORD, gateway.settings.bcrypt_rounds),
            customers=args.customers, contracts=args.contracts, seed=args.seed,
            progress=progress.bar,
        )
    except DemoError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    print(f"Demo geladen in {summary.seconds} s: Vermittler demo mit {args.customers} Kunden; "
          f"insgesamt {summary.customers} Kunden, {summary.contracts} Verträge, "
          f"{summary.claims} Schäden, {summary.shipments} Lieferungen.")
    return 0
