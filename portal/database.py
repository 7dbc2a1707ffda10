"""One database session per request, committed before the response leaves."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def db() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        gateway = current_app.extensions["gateway"]
        g.db_session = Session(gateway.db.engine, expire_on_commit=False)
    return g.db_session


def init_app(app: Flask) -> None:
    @app.after_request
    def commit(response):
        # Committing here, not in teardown, lets a failed commit become a 500
        # instead of a success page for a change that was never stored.
        session = g.pop("db_session", None)
        if session is not None:
            try:
                if response.status_code < 500:
                    session.commit()
                else:
                    session.rollback()
            finally:
                session.close()
        return response

    @app.teardown_request
    def close(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()
