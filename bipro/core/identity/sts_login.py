"""A broker program's login at the STS (Norm 410): the password, the token, what the login leaves behind.

The password is checked by the same rule as a portal login's
(``auth.authenticate``: rate limits, lockout, "nur über BiPRO-Zugänge");
then a SecurityContextToken is issued, and a BiPRO-Zugang remembers when it
last got one. The adapter only reads the credentials and writes the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bipro.core.identity.auth import authenticate
from bipro.core.identity.bipro_access import record_token
from bipro.core.identity.policy import IdentityPolicy
from bipro.core.identity.tokens import IssuedToken, issue_token


@dataclass(frozen=True)
class StsLogin:
    """The token of a successful login, and who got it (for the request's log line)."""

    token: IssuedToken
    login: str
    broker_id: int


def with_password(session: Session, policy: IdentityPolicy, login: str, password: str, *,
                  ttl_seconds: int, remote_addr: str = "") -> StsLogin:
    """A new token for a correct login and password; raises as ``auth.authenticate`` does."""
    user = authenticate(session, policy, login, password, channel="bipro", remote_addr=remote_addr)
    token = issue_token(session, user, ttl_seconds, remote_addr=remote_addr)
    record_token(session, user)
    return StsLogin(token, user.login, user.broker_id)
