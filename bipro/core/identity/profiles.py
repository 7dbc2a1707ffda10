"""What the Vermittlermenü shows about the logged-in user and their broker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bipro.core.caller import Caller
from bipro.core.errors import NotFound
from store.models import Broker, User


@dataclass(frozen=True)
class UserProfile:
    login: str
    full_name: str
    email: str
    broker_number: str
    broker_name: str
    created_at: dt.datetime  # UTC
    last_login_at: dt.datetime | None
    password_changed_at: dt.datetime


@dataclass(frozen=True)
class BrokerProfile:
    number: str  # Vermittlernummer
    name: str
    street: str
    postcode: str
    town: str
    phone: str
    email: str

    @classmethod
    def of(cls, broker: Broker) -> BrokerProfile:
        return cls(broker.number, broker.name, broker.street, broker.postcode, broker.town,
                   broker.phone, broker.email)


def own_user(session: Session, caller: Caller, *, personal: bool = False) -> User:
    """The caller's own login, found by its id within the caller's broker; NotFound otherwise.

    The one rule for every use case about "my account". *personal*: a
    BiPRO-Zugang (a technical login) is "not found" as well.
    """
    user = session.get(User, caller.user_id)
    if user is None or user.broker_id != caller.broker_id or (personal and user.owner_user_id is not None):
        raise NotFound("Benutzer nicht gefunden.")
    return user


def user_profile(session: Session, caller: Caller) -> UserProfile:
    """The caller's own login."""
    user = own_user(session, caller)
    broker = session.get(Broker, user.broker_id)
    return UserProfile(user.login, user.full_name, user.email, broker.number, broker.name,
                       user.created_at, user.last_login_at, user.password_changed_at)


def broker_profile(session: Session, caller: Caller) -> BrokerProfile:
    """The caller's broker."""
    broker = session.get(Broker, caller.broker_id)
    if broker is None:
        raise NotFound("Vermittler nicht gefunden.")
    return BrokerProfile.of(broker)
