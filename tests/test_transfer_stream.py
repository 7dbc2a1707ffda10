"""getShipment of a large file streams: the answer is never held in memory whole."""

from __future__ import annotations

import hashlib
import tracemalloc
from dataclasses import replace

import pytest
from sqlalchemy import select

from bipro.core.identity.tokens import issue_token
from bipro.gateway import Gateway
from bipro.soap import transfer
from bipro.soap.namespaces import TRAN
from bipro.soap.registry import soap_applications
from store.models import User
from tests.support import soapraw
from tests.support.transfer import decode_mtom, publish_bytes, random_pdf, wsgi_post

SIZE = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def big_shipment(gateway, tmp_path_factory):
    data = random_pdf(SIZE)
    shipment_id = publish_bytes(gateway, tmp_path_factory.mktemp("big"), 1, {"Gross.pdf": data})
    return shipment_id, hashlib.sha1(data).hexdigest()


@pytest.fixture(scope="module")
def token(gateway):
    with gateway.db.session() as session:
        user = session.scalar(select(User).where(User.login == "demo"))
        return issue_token(session, user, 600).identifier


@pytest.mark.parametrize("mtom", [True, False], ids=["mtom", "base64"])
def test_large_file_streams_in_constant_memory(gateway, big_shipment, token, mtom):
    shipment_id, sha1 = big_shipment
    app = soap_applications(Gateway(settings=replace(gateway.settings, mtom=mtom), db=gateway.db))[transfer.PATH]
    request = soapraw.envelope(f'<tran:getShipment xmlns:tran="{TRAN}"><tran:Request><tran:ID>{shipment_id}'
                               "</tran:ID></tran:Request></tran:getShipment>",
                               soapraw.sct_header(token)).encode()
    tracemalloc.start()
    try:
        started, chunks = wsgi_post(app, transfer.PATH, request)
        total, head, tail, largest = 0, b"", b"", 0
        for chunk in chunks:
            total += len(chunk)
            largest = max(largest, len(chunk))
            if len(head) < 64 * 1024:
                head += chunk[:64 * 1024]
            tail = (tail + chunk[-64 * 1024:])[-64 * 1024:]
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert started["status"].startswith("200")
    assert int(started["headers"]["Content-Length"]) == total
    assert total > SIZE
    # Far below the file size (a joined answer would need at least 2x): only chunks are in memory.
    assert largest < SIZE / 10
    assert peak < SIZE / 2, f"peak {peak} bytes"
    if mtom:
        assert started["headers"]["Content-Type"].startswith("multipart/related")
    assert sha1.encode() in head + tail  # the envelope around the data was sent too


def test_large_file_arrives_intact(gateway, big_shipment, token):
    shipment_id, sha1 = big_shipment
    app = soap_applications(gateway)[transfer.PATH]
    request = soapraw.envelope(f'<getShipment xmlns="{TRAN}"><Request><ID>{shipment_id}</ID></Request>'
                               "</getShipment>", soapraw.sct_header(token)).encode()
    started, chunks = wsgi_post(app, transfer.PATH, request)
    answer = decode_mtom(started["headers"]["Content-Type"], b"".join(chunks))
    (media_type, data), = answer.parts.values()
    assert media_type == "application/pdf" and len(data) == SIZE
    assert hashlib.sha1(data).hexdigest() == sha1
