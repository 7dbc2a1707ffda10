"""``/intake/``: the HTTP door for the insurer's document system (a small Flask app of its own).

``POST /intake/documents`` (one file) and ``POST /intake/shipments`` (several
files as one shipment), multipart with the JSON ``metadata``; authenticated
by an intake key as ``Authorization: Bearer <key>``. Uploads are spooled to
temporary files as they arrive and handed to the core by path, so a large
document never sits in memory. Every refusal is an RFC 9457 problem JSON.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from flask import Flask, Request, jsonify, request
from werkzeug.exceptions import HTTPException

from bipro.core.caller import SystemCaller
from bipro.core.errors import AuthenticationFailed, ValidationFailed
from bipro.core.intake import (
    IdempotencyConflict,
    IncomingFile,
    UnsupportedFile,
    authenticate_key,
    parse_metadata,
    receive_documents,
)
from bipro.core.intake.metadata import MAX_JSON as METADATA_LIMIT
from bipro.gateway import Gateway
from bipro.serving import INTAKE_FRAMING

log = logging.getLogger("bipro.intake")

PREFIX = "/intake/"
PROBLEM_TYPE = "about:blank"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# Werkzeug applies this to its parser's buffer too, so it must exceed one read (64 KiB);
# the metadata's own limit (64 KiB) is checked with the metadata.
FORM_FIELD_BYTES = 1024 * 1024


class SpoolingRequest(Request):
    """Every uploaded file goes straight into a named temporary file, whatever its size."""

    max_form_memory_size = FORM_FIELD_BYTES

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return tempfile.NamedTemporaryFile("w+b", prefix="bipro-intake-")


def create_intake_app(gateway: Gateway) -> Flask:
    app = Flask(__name__)
    app.request_class = SpoolingRequest
    app.config["MAX_CONTENT_LENGTH"] = gateway.settings.intake_max_bytes + INTAKE_FRAMING
    app.extensions["bipro_gateway"] = gateway

    @app.post("/intake/documents")
    def post_document():
        return _receive(gateway, multiple=False)

    @app.post("/intake/shipments")
    def post_shipment():
        return _receive(gateway, multiple=True)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 413:
            return problem(413, "Anfrage zu groß", f"Die Anfrage ist größer als "
                           f"{gateway.settings.intake_max_bytes} Bytes (BIPRO_INTAKE_MAX_BYTES).")
        return problem(error.code or 500, error.name, error.description or "")

    return app


def _receive(gateway: Gateway, *, multiple: bool):
    settings = gateway.settings
    with gateway.db.session() as session:
        try:
            key_id = authenticate_key(session, _bearer())
        except AuthenticationFailed as failed:
            response = problem(401, "Nicht angemeldet", failed.message)
            response.headers["WWW-Authenticate"] = 'Bearer realm="bipro-intake"'
            return response
    # Only now is the body read: an unauthenticated upload is never spooled.
    uploads = request.files.getlist("files" if multiple else "file")
    if not uploads:
        return problem(422, "Ungültige Anfrage", "Es wurde keine Datei übergeben.",
                       [{"field": "files" if multiple else "file", "message": "Die Datei fehlt."}])
    if len(uploads) > 1 and not multiple:
        return problem(422, "Ungültige Anfrage", "Für mehrere Dateien: POST /intake/shipments.",
                       [{"field": "file", "message": "Genau eine Datei."}])
    too_big = [u.filename for u in uploads if _size(u) > settings.intake_max_bytes]
    if too_big:
        return problem(413, "Datei zu groß", f"Die Datei {too_big[0]} ist größer als "
                       f"{settings.intake_max_bytes} Bytes (BIPRO_INTAKE_MAX_BYTES).")
    idempotency_key = request.headers.get("Idempotency-Key")
    try:
        meta = parse_metadata(_metadata_text(), len(uploads))
        with gateway.db.session() as session:
            received = receive_documents(
                session, meta, [IncomingFile(Path(u.stream.name), u.filename or "") for u in uploads],
                available_days=settings.shipment_days, key_id=key_id, idempotency_key=idempotency_key,
                by=SystemCaller(f"Intake-Schlüssel {key_id}", channel="intake"))
    except ValidationFailed as invalid:
        return problem(422, "Ungültige Metadaten", invalid.message,
                       [{"field": p.field, "message": p.message} for p in invalid.problems])
    except UnsupportedFile as unsupported:
        return problem(415, "Dateityp nicht erlaubt", unsupported.message,
                       [{"field": unsupported.field, "message": unsupported.message}])
    except IdempotencyConflict as conflict:
        return problem(409, "Idempotency-Key bereits verwendet", conflict.message)
    body = {"shipment_id": received.public_id, "files": received.file_count, "bytes": received.total_size}
    return jsonify(body), 201 if received.created else 200


def _metadata_text() -> str | bytes | None:
    """The metadata as a form field, or as a file part (``curl -F metadata=@meta.json``)."""
    if "metadata" in request.form:
        return request.form["metadata"]
    part = request.files.get("metadata")
    return part.stream.read(METADATA_LIMIT + 1) if part is not None else None


def _bearer() -> str | None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


def _size(upload) -> int:
    stream = upload.stream
    stream.flush()  # the core reads the file by its path
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def problem(status: int, title: str, detail: str, errors: list[dict] | None = None):
    """An RFC 9457 problem document; ``errors`` names each invalid field."""
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MEDIA_TYPE
    return response
