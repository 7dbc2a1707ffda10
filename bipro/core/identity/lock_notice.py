"""The mail that tells a login's owner it was locked after failed attempts."""

from __future__ import annotations

import datetime as dt

from bipro.core import mail
from bipro.core.clock import to_local
from bipro.core.formatting import format_datetime
from bipro.core.identity.policy import IdentityPolicy
from store.models import User

SUBJECT = "Ihr Zugang zum Docura Extranet wurde vorübergehend gesperrt"


def message(policy: IdentityPolicy, user: User, until: dt.datetime):
    greeting = f"Guten Tag {user.full_name}," if user.full_name else "Guten Tag,"
    body = "\n".join([
        greeting,
        "",
        f"für Ihren Zugang „{user.login}“ zum Extranet und zu den BiPRO Services der Docura VVaG "
        f"wurde {policy.lockout_threshold}-mal hintereinander ein falsches Passwort eingegeben. Der Zugang ist "
        f"deshalb bis {format_datetime(to_local(until))} Uhr gesperrt.",
        "",
        "Waren Sie das selbst, zum Beispiel über Ihr Maklerverwaltungsprogramm mit einem alten "
        "Passwort, tragen Sie dort bitte das aktuelle Passwort ein.",
        "Waren Sie es nicht, vergeben Sie bitte über „Passwort vergessen?“ ein neues Passwort "
        "und informieren Sie uns.",
        "",
        "Mit freundlichen Grüßen",
        "Ihre Docura VVaG",
    ])
    return mail.compose(policy.mail, user.email, SUBJECT, body)


def send(policy: IdentityPolicy, user: User, until: dt.datetime) -> None:
    """Mail the owner aside, so the answer to the locking attempt takes no longer than others."""
    mail.send_in_background(policy.mail, message(policy, user, until),
                            f"Lock notice for user id {user.id}")
