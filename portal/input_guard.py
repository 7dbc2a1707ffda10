"""Requests whose parameters hold a NUL byte are refused at the door.

No field of the portal can carry one (PostgreSQL refuses it in any text,
SQLite would store it), so one check before every view answers it with a
German 400 page, whatever form, query or path the byte is in.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest

NUL = "\x00"


class NulInRequest(BadRequest):
    """A parameter name or value, or the path, holds a NUL byte."""


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul():
        if NUL in request.path or any(NUL in key or NUL in value
                                      for values in (request.args, request.form)
                                      for key, value in values.items(multi=True)):
            raise NulInRequest()
