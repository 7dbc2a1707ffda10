"""``broker create|update|list``: the insurer's brokers (Vermittler)."""

from __future__ import annotations

from bipro.commands.users import _fail
from bipro.core.caller import command_line
from bipro.core.errors import CoreError
from bipro.core.identity.brokers import BrokerData, create_broker, list_brokers, update_broker

FIELDS = (("name", "Name des Vermittlers"), ("street", "Straße und Hausnummer"), ("postcode", "PLZ"),
          ("town", "Ort"), ("phone", "Telefon"), ("email", "E-Mail-Adresse"))


def register(commands) -> None:
    broker = commands.add_parser("broker", help="Vermittler anlegen, ändern, auflisten")
    actions = broker.add_subparsers(dest="action", required=True, metavar="AKTION")
    for action, handler, text in (("create", _create, "neuen Vermittler anlegen"),
                                  ("update", _update, "Angaben eines Vermittlers ändern")):
        parser = actions.add_parser(action, help=text)
        parser.add_argument("number", metavar="VERMITTLERNUMMER")
        for name, label in FIELDS:
            parser.add_argument(f"--{name}", required=action == "create" and name == "name", help=label)
        parser.set_defaults(handler=handler)
    actions.add_parser("list", help="alle Vermittler").set_defaults(handler=_list)


def _data(args) -> BrokerData:
    return BrokerData(**{name: getattr(args, name) for name, _label in FIELDS})


def _create(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            created = create_broker(session, args.number, _data(args), by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"Vermittler {created.number} ({created.name}) angelegt.")
    return 0


def _update(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            updated = update_broker(session, args.number, _data(args), by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"Vermittler {updated.number} ({updated.name}) gespeichert.")
    return 0


def _list(gateway, args) -> int:
    with gateway.db.session() as session:
        brokers = list_brokers(session)
    for b in brokers:
        address = ", ".join(part for part in (b.street, f"{b.postcode} {b.town}".strip()) if part)
        print("\t".join((b.number, b.name, address, b.phone, b.email)))
    return 0
