"""Post to the document intake over real HTTP, streaming multipart bodies from files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import requests
from requests_toolbelt import MultipartEncoder
from sqlalchemy import func, select

from bipro.core.intake import create_key
from store.models import Document, DocumentPart, IntakeRequest, Shipment
from tests.support.callers import STAFF

PDF = b"%PDF-1.7\n"


def pdf_bytes(size: int = 2000, seed: bytes = b"") -> bytes:
    """Bytes that start like a PDF (the intake checks only the first bytes)."""
    body = seed + os.urandom(max(0, size - len(PDF) - len(seed)))
    return PDF + body


def new_key(gateway, name: str) -> str:
    with gateway.db.session() as session:
        return create_key(session, name, by=STAFF)


def post(base_url: str, key: str | None, metadata, files: list[tuple[str, bytes | Path]], *,
         path: str = "/intake/documents", idempotency_key: str | None = None,
         session: requests.Session | None = None) -> requests.Response:
    """POST *files* (name, bytes or a path streamed from disk) with *metadata* (dict or raw text)."""
    field = "file" if path.endswith("/documents") else "files"
    parts = [("metadata", metadata if isinstance(metadata, str) else json.dumps(metadata))]
    opened = []
    for name, content in files:
        if isinstance(content, Path):
            handle = content.open("rb")
            opened.append(handle)
            parts.append((field, (name, handle, "application/octet-stream")))
        else:
            parts.append((field, (name, content, "application/octet-stream")))
    body = MultipartEncoder(fields=parts)
    headers = {"Content-Type": body.content_type}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    try:
        return (session or requests).post(base_url + path, data=body, headers=headers, timeout=300)
    finally:
        for handle in opened:
            handle.close()


def post_named(base_url: str, key: str, metadata: dict, encoded_name: str, content: bytes) -> requests.Response:
    """POST one file whose name is sent as RFC 5987 ``filename*=UTF-8''<encoded_name>``.

    The only multipart form that carries any character, line breaks and
    control characters included, to the server's form parser.
    """
    boundary = "grenze" + os.urandom(8).hex()
    body = b"".join([
        f'--{boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n'.encode(),
        json.dumps(metadata).encode(), b"\r\n",
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{encoded_name}\r\n"
        f"Content-Type: application/octet-stream\r\n\r\n".encode("ascii"),
        content, f"\r\n--{boundary}--\r\n".encode()])
    return requests.post(base_url + "/intake/documents", data=body, timeout=60, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Authorization": f"Bearer {key}"})


def row_counts(gateway) -> dict[str, int]:
    with gateway.db.session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (Shipment, Document, DocumentPart, IntakeRequest)}
