"""``user create|import|reset-password|unlock|reset-2fa|transfer-format`` for the insurer's staff."""

from __future__ import annotations

import sys
from pathlib import Path

from bipro.core import mail
from bipro.core.caller import command_line
from bipro.core.errors import CoreError
from bipro.core.identity import second_factor
from bipro.core.identity.accounts import create_user, reset_password
from bipro.core.identity.auth import unlock
from bipro.core.identity.onboarding import import_users, read_user_csv
from bipro.core.identity.password_reset import first_password_message, reset_link
from bipro.core.shipments.transfer_format import LABELS, set_transfer_format_of


def register(commands) -> None:
    user = commands.add_parser("user", help="Benutzer anlegen, Passwort zurücksetzen, entsperren, "
                                            "zweiten Faktor entfernen, Dokumentabruf wählen")
    actions = user.add_subparsers(dest="action", required=True, metavar="AKTION")

    create = actions.add_parser("create", help="neuen Login für einen Vermittler anlegen")
    create.add_argument("--broker", required=True, help="Vermittlernummer")
    create.add_argument("--name", required=True, help="vollständiger Name")
    create.add_argument("--email", default="")
    create.add_argument("--login", default=None, help="Login-Name (sonst vom System vergeben)")
    create.set_defaults(handler=_create)

    import_cmd = actions.add_parser("import", help="Logins aus einer CSV-Datei anlegen (login, vermittlernummer, "
                                                   "name, email); jeder neue Login erhält eine "
                                                   "Mail „Passwort festlegen“")
    import_cmd.add_argument("csv", type=Path, metavar="CSV")
    import_cmd.set_defaults(handler=_import)

    reset = actions.add_parser("reset-password", help="neues Zufallspasswort setzen")
    reset.add_argument("login")
    reset.set_defaults(handler=_reset)

    unlock_cmd = actions.add_parser("unlock", help="gesperrten Login entsperren")
    unlock_cmd.add_argument("login")
    unlock_cmd.set_defaults(handler=_unlock)

    reset_2fa = actions.add_parser("reset-2fa", help="zweiten Faktor (TOTP) und Wiederherstellungscodes entfernen")
    reset_2fa.add_argument("login")
    reset_2fa.set_defaults(handler=_reset_2fa)

    transfer = actions.add_parser("transfer-format",
                                  help="Dokumentabruf über BiPRO: mtom (empfohlen) oder base64 (eingebettet)")
    transfer.add_argument("login")
    transfer.add_argument("format", choices=sorted(LABELS), metavar="mtom|base64")
    transfer.set_defaults(handler=_transfer_format)


def _create(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            user, password = create_user(session, gateway.identity_policy, args.broker, args.name,
                                         args.email, args.login, by=command_line())
            login = user.login
    except CoreError as exc:
        return _fail(exc)
    print(f"Login-Name: {login}\nErstpasswort: {password}")
    return 0


def _import(gateway, args) -> int:
    try:
        rows = read_user_csv(args.csv.read_text(encoding="utf-8-sig"))
        with gateway.db.session() as session:
            result = import_users(session, gateway.identity_policy, rows, by=command_line())
    except OSError as exc:
        print(f"Fehler: {args.csv} kann nicht gelesen werden ({exc.strerror}).", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(f"Fehler: {args.csv} ist nicht in UTF-8 geschrieben.", file=sys.stderr)
        return 1
    except CoreError as exc:
        for line in exc.message.split("; "):
            print(f"Fehler: {line}", file=sys.stderr)
        return 1
    # Sent after the commit: a link must be stored before it can be clicked.
    unsent = []
    policy = gateway.identity_policy
    for issued in result.invited:
        try:
            message = first_password_message(policy, issued, reset_link(policy.public_url, issued.token))
            mail.send(policy.mail, message)
        except Exception as exc:  # one bad address or a mail server hiccup must not hide the rest
            unsent.append(issued.login)
            print(f"Fehler: Mail an {issued.login} nicht gesendet ({exc}); der Login kann über "
                  "„Passwort vergessen?“ einen neuen Link anfordern.", file=sys.stderr)
        else:
            print(f"angelegt: {issued.login} – Mail „Passwort festlegen“ an {issued.email}")
    for login in result.existing:
        print(f"unverändert: {login} (gibt es bereits)")
    print(f"{len(result.invited)} angelegt, {len(result.existing)} bereits vorhanden.")
    return 1 if unsent else 0


def _reset(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            password, revoked = reset_password(session, gateway.identity_policy, args.login, by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"Neues Passwort für {args.login}: {password}\n{revoked} BiPRO-Token beendet.")
    return 0


def _reset_2fa(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            second_factor.reset(session, args.login, by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"Der zweite Faktor von {args.login} ist entfernt; die nächste Anmeldung verlangt nur das Passwort.")
    return 0


def _unlock(gateway, args) -> int:
    with gateway.db.session() as session:
        known = unlock(session, args.login, by=command_line())
    if not known:
        print(f"Fehler: Login-Name {args.login} ist unbekannt.", file=sys.stderr)
        return 1
    print(f"{args.login} ist entsperrt.")
    return 0


def _transfer_format(gateway, args) -> int:
    try:
        with gateway.db.session() as session:
            chosen = set_transfer_format_of(session, gateway.settings.mtom, args.login, args.format,
                                            by=command_line())
    except CoreError as exc:
        return _fail(exc)
    print(f"Dokumentabruf über BiPRO für {args.login}: {LABELS[chosen]}.")
    return 0


def _fail(exc: CoreError) -> int:
    print(f"Fehler: {exc.message}", file=sys.stderr)
    return 1
