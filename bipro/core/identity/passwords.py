"""Password hashing with bcrypt and the password policy."""

from __future__ import annotations

import bcrypt

from bipro.core.errors import CoreError

# bcrypt only looks at the first 72 bytes; longer passwords are refused
# rather than silently truncated.
MAX_PASSWORD_BYTES = 72
MIN_PASSWORD_LENGTH = 10

_dummy_hashes: dict[int, bytes] = {}


class PasswordTooLong(CoreError):
    """The password exceeds bcrypt's 72 bytes."""


def hash_password(password: str, rounds: int = 12) -> str:
    raw = _encode(password)
    return bcrypt.hashpw(raw, bcrypt.gensalt(rounds)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    raw = _encode(password)
    try:
        return bcrypt.checkpw(raw, password_hash.encode("ascii"))
    except ValueError:  # a malformed stored hash never authenticates
        return False


def check_login_password(password: str, password_hash: str | None, rounds: int) -> bool:
    """Exactly one bcrypt check, whatever the case, so no answer is faster than another.

    Without a hash (unknown login, locked account) or with a password that
    cannot be right (longer than bcrypt's 72 bytes), a dummy hash of the same
    cost is checked instead and the answer is False.
    """
    raw = password.encode("utf-8")
    if password_hash is None or len(raw) > MAX_PASSWORD_BYTES:
        bcrypt.checkpw(raw[:MAX_PASSWORD_BYTES], _dummy_hash(rounds))
        return False
    try:
        return bcrypt.checkpw(raw, password_hash.encode("ascii"))
    except ValueError:  # a malformed stored hash never authenticates, at the usual cost
        bcrypt.checkpw(raw, _dummy_hash(rounds))
        return False


def _dummy_hash(rounds: int) -> bytes:
    if rounds not in _dummy_hashes:
        _dummy_hashes[rounds] = bcrypt.hashpw(b"no-such-user", bcrypt.gensalt(rounds))
    return _dummy_hashes[rounds]


def policy_problems(password: str, login: str) -> list[str]:
    """German messages for every rule the new password breaks; empty when fine."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        problems.append(f"Das Passwort darf höchstens {MAX_PASSWORD_BYTES} Bytes lang sein.")
    if login and login.casefold() in password.casefold():
        problems.append("Das Passwort darf den Login-Namen nicht enthalten.")
    if password.strip() != password:
        problems.append("Das Passwort darf nicht mit Leerzeichen beginnen oder enden.")
    return problems


def _encode(password: str) -> bytes:
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise PasswordTooLong(f"Passwörter sind auf {MAX_PASSWORD_BYTES} Bytes begrenzt.")
    return raw
