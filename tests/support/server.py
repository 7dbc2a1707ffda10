"""Serve a WSGI application over real HTTP from a thread, for zeep and browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bipro.embedded_server import serve_in_thread


@contextmanager
def served(app, *, threads: int = 4, max_request_body_size: int = 1 << 30) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT``) while *app* is being served."""
    with serve_in_thread(app, threads=threads, max_request_body_size=max_request_body_size,
                         ident="bipro-test") as url:
        yield url
