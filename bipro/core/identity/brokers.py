"""Brokers (Vermittler) as the insurer's staff create and maintain them (CLI ``broker``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from bipro.core.caller import SystemCaller
from bipro.core.errors import NotFound, Problem, ValidationFailed
from bipro.core.identity import audit
from bipro.core.identity.profiles import BrokerProfile
from bipro.core.mail import is_mail_address
from bipro.core.text_rules import FORBIDDEN_CHARACTERS, composed, has_forbidden_characters
from store.db import begin_write
from store.models import Broker

# The Vermittlernummer travels in GDV lines (10 columns, "Geschäftsstelle/
# Vermittler") and in BiPRO answers (allg:Vermittlernummer, up to 17): the
# narrower of the two is its limit, so every broker can be exported and sent.
BROKER_NUMBER_LENGTH = 10
BROKER_NUMBER = re.compile(rf"^[0-9A-Za-z][0-9A-Za-z./-]{{0,{BROKER_NUMBER_LENGTH - 1}}}$")
# Column lengths of the brokers table, checked here so that bad input is a clear answer.
LIMITS = {"name": 120, "street": 80, "postcode": 10, "town": 60, "phone": 40, "email": 120}


@dataclass(frozen=True)
class BrokerData:
    """What staff may set on a broker; None on update means "leave as it is"."""

    name: str | None = None
    street: str | None = None
    postcode: str | None = None
    town: str | None = None
    phone: str | None = None
    email: str | None = None


def create_broker(session: Session, number: str, data: BrokerData, *, by: SystemCaller) -> BrokerProfile:
    """A new broker; the Vermittlernummer must be new and the name given."""
    number = (number or "").strip()
    data = _cleaned(data)
    problems = _number_problems(number) + _data_problems(data, creating=True)
    if problems:
        raise ValidationFailed(problems)
    begin_write(session)
    if session.scalar(select(Broker.id).where(Broker.number == number)) is not None:
        raise ValidationFailed([Problem("Vermittlernummer", f"Die Vermittlernummer {number} gibt es bereits.")])
    broker = Broker(number=number, **{f.name: getattr(data, f.name) or "" for f in fields(data)})
    session.add(broker)
    session.flush()
    audit.record(session, audit.BROKER_CREATED, broker_id=broker.id, by=by,
                 detail=f"Vermittlernummer {number}")
    return BrokerProfile.of(broker)


def update_broker(session: Session, number: str, data: BrokerData, *, by: SystemCaller) -> BrokerProfile:
    """Change the given fields of an existing broker; the audit names the changed fields."""
    data = _cleaned(data)
    problems = _data_problems(data, creating=False)
    if problems:
        raise ValidationFailed(problems)
    begin_write(session)
    broker = session.scalar(select(Broker).where(Broker.number == (number or "").strip()))
    if broker is None:
        raise NotFound(f"Vermittlernummer {number} ist unbekannt.")
    changed = []
    for f in fields(data):
        value = getattr(data, f.name)
        if value is not None and value != getattr(broker, f.name):
            setattr(broker, f.name, value)
            changed.append(f.name)
    if changed:
        audit.record(session, audit.BROKER_UPDATED, broker_id=broker.id, by=by,
                     detail="geändert: " + ", ".join(changed))
    return BrokerProfile.of(broker)


def list_brokers(session: Session) -> list[BrokerProfile]:
    return [BrokerProfile.of(b) for b in session.scalars(select(Broker).order_by(Broker.number))]


def _number_problems(number: str) -> list[Problem]:
    if not BROKER_NUMBER.match(number):
        return [Problem("Vermittlernummer", f"Die Vermittlernummer besteht aus 1 bis {BROKER_NUMBER_LENGTH} "
                                            "Ziffern, Buchstaben, Punkten, Schrägstrichen oder "
                                            "Bindestrichen.")]
    return []


def _cleaned(data: BrokerData) -> BrokerData:
    """The given values trimmed and composed (NFC), as every typed text is kept."""
    return BrokerData(**{f.name: None if (value := getattr(data, f.name)) is None else composed(value.strip())
                         for f in fields(data)})


def _data_problems(data: BrokerData, *, creating: bool) -> list[Problem]:
    problems = []
    if creating and not data.name:
        problems.append(Problem("name", "Der Name des Vermittlers fehlt."))
    if data.name is not None and not creating and not data.name:
        problems.append(Problem("name", "Der Name des Vermittlers darf nicht leer sein."))
    for name, limit in LIMITS.items():
        value = getattr(data, name)
        if value is None:
            continue
        # The name heads every GDV file as its addressee, and like every text it
        # is shown and exported: no control or invisible character.
        if has_forbidden_characters(value):
            problems.append(Problem(name, FORBIDDEN_CHARACTERS))
        elif len(value) > limit:
            problems.append(Problem(name, f"{name} ist länger als {limit} Zeichen."))
    if data.email and not is_mail_address(data.email) and not has_forbidden_characters(data.email):
        problems.append(Problem("email", f"'{data.email[:60]}' ist keine E-Mail-Adresse."))
    return problems
