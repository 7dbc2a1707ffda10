"""Logins for a broker's staff from a CSV file, each invited by mail to set its first password.

The CSV has a header row with the columns ``login``, ``vermittlernummer``,
``name`` and ``email`` (any order, any case, ``,`` or ``;`` between fields).
A file is applied whole or not at all: one bad row writes nothing. Logins
that exist already are left untouched and reported, so a file can be run
again after a correction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.errors import Problem, ValidationFailed
from bipro.core.identity.accounts import create_user, email_problem
from bipro.core.identity.password_reset import IssuedReset, issue_first_password
from bipro.core.identity.policy import IdentityPolicy
from store.db import begin_write
from store.models import Broker, User

COLUMNS = ("login", "vermittlernummer", "name", "email")
ALIASES = {"login-name": "login", "e-mail": "email", "vermittler": "vermittlernummer"}
LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,59}$")


@dataclass(frozen=True)
class UserRow:
    line: int
    login: str
    broker_number: str
    name: str
    email: str


@dataclass(frozen=True)
class UserImport:
    invited: list[IssuedReset]  # new logins; the raw links exist only here and in the mails
    existing: list[str]  # logins that were there already


def read_user_csv(text: str) -> list[UserRow]:
    """The rows of a user CSV; ValidationFailed names every bad line and field."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = next(reader, None)
    if header is None:
        raise ValidationFailed([Problem("CSV", "Die Datei ist leer.")])
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ValidationFailed([Problem("CSV", "Zeile 1: es fehlen die Spalten " + ", ".join(missing) + ".")])
    rows, problems = [], []
    for line, values in enumerate(reader, 2):
        if not any(v.strip() for v in values):
            continue
        record = {n: (values[i].strip() if i < len(values) else "") for i, n in enumerate(names)}
        row = UserRow(line, record["login"], record["vermittlernummer"], record["name"], record["email"])
        problems += _row_problems(row)
        rows.append(row)
    if problems:
        raise ValidationFailed(problems)
    return rows


def import_users(session: Session, policy: IdentityPolicy, rows: Iterable[UserRow], *,
                 by: SystemCaller) -> UserImport:
    """Create the new logins and issue their "Passwort festlegen" links (the caller sends the mails).

    The caller commits before sending: a link must be stored before it can be clicked.
    """
    rows = list(rows)
    begin_write(session)
    known_brokers = set(session.scalars(select(Broker.number).where(
        Broker.number.in_({r.broker_number for r in rows}))))
    existing = dict(session.execute(select(User.login, User.broker_id).where(
        User.login.in_({r.login for r in rows}))).all())
    problems = [Problem(f"Zeile {r.line}: vermittlernummer", f"Zeile {r.line}: Vermittlernummer "
                        f"{r.broker_number} ist unbekannt.")
                for r in rows if r.broker_number not in known_brokers]
    seen: dict[str, int] = {}
    for r in rows:
        if r.login in seen:
            problems.append(Problem(f"Zeile {r.line}: login", f"Zeile {r.line}: Login-Name {r.login} "
                                    f"steht schon in Zeile {seen[r.login]}."))
        seen.setdefault(r.login, r.line)
    if problems:
        raise ValidationFailed(problems)
    invited, skipped = [], []
    for r in rows:
        if r.login in existing:
            skipped.append(r.login)
            continue
        user, _never_shown = create_user(session, policy, r.broker_number, r.name, r.email, r.login, by=by)
        invited.append(issue_first_password(session, policy, user, by=by))
    return UserImport(invited, skipped)


def _row_problems(row: UserRow) -> list[Problem]:
    at = f"Zeile {row.line}"
    problems = []
    if not LOGIN.match(row.login):
        problems.append(Problem(f"{at}: login", f"{at}: der Login-Name '{row.login[:60]}' ist ungültig "
                                                "(2 bis 60 Buchstaben, Ziffern, . _ @ -)."))
    if not row.broker_number:
        problems.append(Problem(f"{at}: vermittlernummer", f"{at}: die Vermittlernummer fehlt."))
    if not row.name or len(row.name) > 120:
        problems.append(Problem(f"{at}: name", f"{at}: der Name fehlt oder ist länger als 120 Zeichen."))
    if not row.email:
        problems.append(Problem(f"{at}: email", f"{at}: die E-Mail-Adresse fehlt "
                                                "(sie wird für „Passwort festlegen“ gebraucht)."))
    elif problem := email_problem(row.email):
        problems.append(Problem(f"{at}: email", f"{at}: '{row.email[:60]}': {problem}"))
    return problems
