"""A portal login from start to finish: the password, the code if one is set up, the new session.

The steps are one rule wherever a browser logs in: a login in a browser that
still holds a session ends that one (its id must not stay usable once the
cookie carries the new one); with a second factor the password alone starts
no session, and the browser's old one ends already then. Each use case
commits its own work, so the adapter only carries ids between cookie and core.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bipro.core.identity import portal_sessions, second_factor
from bipro.core.identity.auth import authenticate
from bipro.core.identity.policy import IdentityPolicy
from store.models import User


@dataclass(frozen=True)
class PortalLogin:
    """Where a login stands: a new session, or the code still to come for *user_id*."""

    user_id: int
    session_id: str = ""                 # for the cookie; empty while the code is due
    second_factor_missing: bool = False  # BIPRO_REQUIRE_2FA and none set up: only the setup is open

    @property
    def code_due(self) -> bool:
        return not self.session_id


def with_password(session: Session, policy: IdentityPolicy, login: str, password: str, *,
                  replacing: str = "", remote_addr: str = "") -> PortalLogin:
    """The first step: the password. Raises as ``auth.authenticate`` does.

    *replacing* is the session id the browser still holds (or empty); it ends
    either way, since the browser is about to carry another login's cookie.
    """
    user = authenticate(session, policy, login, password, channel="portal", remote_addr=remote_addr)
    if user.totp_secret is not None:
        # The password was right; the session starts only with the code.
        portal_sessions.end_session(session, replacing, remote_addr=remote_addr)
        session.commit()
        return PortalLogin(user.id)
    return _start(session, policy, user, replacing, remote_addr)


def with_code(session: Session, policy: IdentityPolicy, user_id: int, code: str, *,
              replacing: str = "", remote_addr: str = "") -> PortalLogin:
    """The second step: the code from the app or a recovery code. Raises as
    ``second_factor.verify_login`` does."""
    user = second_factor.verify_login(session, policy, user_id, code, remote_addr=remote_addr)
    return _start(session, policy, user, replacing, remote_addr)


def log_out(session: Session, session_id: str, *, remote_addr: str = "") -> bool:
    """End the browser's session; True when a live one was ended."""
    ended = portal_sessions.end_session(session, session_id, remote_addr=remote_addr)
    session.commit()
    return ended


def _start(session: Session, policy: IdentityPolicy, user: User, replacing: str,
           remote_addr: str) -> PortalLogin:
    portal_sessions.end_session(session, replacing, remote_addr=remote_addr)
    session_id = portal_sessions.start_session(session, user, remote_addr=remote_addr)
    login = PortalLogin(user.id, session_id,
                        second_factor_missing=policy.require_2fa and user.totp_secret is None)
    session.commit()
    return login
