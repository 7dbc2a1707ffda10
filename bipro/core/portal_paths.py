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

_VARIABLE = re.compile(r"<(?:(\w+):)?(\w+)>")


def path(rule: str, **values: str) -> str:
    """*rule* with each ``<name>`` replaced by its value, every reserved character encoded
    (but the slashes of a ``<path:name>``)."""
    return _VARIABLE.sub(lambda match: quote(values[match.group(2)], safe="/" if match.group(1) == "path" else ""),
                         rule)


def url(public_url: str, rule: str, **values: str) -> str:
    """The absolute address of *rule* filled with *values*, below the portal's *public_url*."""
    return public_url.rstrip("/") + path(rule, **values)
