"""Count bcrypt checks made in this process (the served test gateway runs in a thread here).

Tests compare the cost of answers by counting the checks, never by timing them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import bcrypt
import pytest


class BcryptChecks:
    """The hashes passed to ``bcrypt.checkpw`` while the spy is installed, in order."""

    def __init__(self) -> None:
        self.hashes: list[bytes] = []
        self._lock = threading.Lock()

    def record(self, hashed: bytes) -> None:
        with self._lock:
            self.hashes.append(hashed)

    def __len__(self) -> int:
        with self._lock:
            return len(self.hashes)

    def against(self, password_hash: str) -> int:
        """How many checks compared with this stored hash (not with the dummy one)."""
        with self._lock:
            return sum(1 for h in self.hashes if h == password_hash.encode("ascii"))


class Gate:
    """Holds the check of one password until opened, to put a check in flight at a chosen moment."""

    def __init__(self, password: str) -> None:
        self.password = password.encode("utf-8")
        self.entered = threading.Event()
        self.opened = threading.Event()

    def wait_if_mine(self, password: bytes) -> None:
        if password == self.password:
            self.entered.set()
            self.opened.wait(30)


@contextmanager
def counted_bcrypt_checks(gate: Gate | None = None) -> Iterator[BcryptChecks]:
    checks = BcryptChecks()
    real = bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        checks.record(hashed)
        if gate is not None:
            gate.wait_if_mine(password)
        return real(password, hashed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bcrypt, "checkpw", counting)
        yield checks
