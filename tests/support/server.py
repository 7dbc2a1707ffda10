"""Serve a WSGI application over real HTTP from a thread, for zeep and browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import waitress.server


@contextmanager
def served(app, *, threads: int = 4, max_request_body_size: int = 1 << 30) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT``) while *app* is being served."""
    server = waitress.server.create_server(
        app, host="127.0.0.1", port=0, threads=threads,
        max_request_body_size=max_request_body_size, ident="bipro-test",
    )
    def run() -> None:
        # close() from this thread races the loop's select(); the loop then
        # sees a closed descriptor, which only means "stopped".
        try:
            server.run()
        except (OSError, ValueError):
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)
