"""The portal's addresses that links lead to: one place for its routes and for every link to them.

Norm 440 answers links to a customer and to a contract; the reset and
first-password mails carry a link to set a password. These addresses are a
fixed contract (brokers' programs and mailboxes keep them). The portal
declares its routes with the rules below and the core formats its links
from the same rules, so a route cannot move without its links.

A rule is a path with ``<name>`` for each variable part, as the portal's
routes write it; :func:`url` fills them in, percent-encoded. Customer and
policy numbers are the insurer's and may hold a slash ("AB/12345/2020"):
their rules take the rest of the path (``<path:name>``) and keep the slash
as it is, since many proxies refuse an encoded one.
"""

from __future__ import annotations

import re
from urllib.parse import quote

CUSTOMER = "/kunden/<path:partner_number>"
CONTRACT = "/vertraege/<path:policy_number>"
RESET_PASSWORD = "/passwort-zuruecksetzen/<token>"

# The pages beside a customer's or contract's own, which a number must not
# name: the lists' data and exports (``/kunden/daten``) and the pages below
# one customer (``/kunden/<nummer>/bearbeiten``).
LIST_PAGES = ("daten", "drucken", "kopieren", "excel", "csv", "pdf")
DETAIL_PAGES = ("bearbeiten",)

_VARIABLE = re.compile(r"<(?:(\w+):)?(\w+)>")


def path(rule: str, **values: str) -> str:
    """*rule* with each ``<name>`` replaced by its value, every reserved character encoded
    (but the slashes of a ``<path:name>``)."""
    return _VARIABLE.sub(lambda match: quote(values[match.group(2)], safe="/" if match.group(1) == "path" else ""),
                         rule)


def url(public_url: str, rule: str, **values: str) -> str:
    """The absolute address of *rule* filled with *values*, below the portal's *public_url*."""
    return public_url.rstrip("/") + path(rule, **values)


def unlinkable(number: str) -> str | None:
    """Why a customer or policy number can't end the address of its page (German), or None.

    A number that names a page beside it, or ends in one after a slash,
    would open that page instead; an empty, "." or ".." part between
    slashes is dropped or resolved by browsers before the request is sent.
    """
    parts = number.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "darf keinen leeren Teil und kein „.“ oder „..“ zwischen Schrägstrichen haben"
    if number in LIST_PAGES:
        return f"„{number}“ ist der Name einer Portalseite"
    if len(parts) > 1 and parts[-1] in DETAIL_PAGES:
        return f"darf nicht auf „/{parts[-1]}“ enden (Name einer Portalseite)"
    return None
