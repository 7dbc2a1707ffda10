"""Document intake under load and with a large file (heavy: run on demand and in CI)."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from bipro.core.shipments import iter_file_contents
from store.models import Document, IntakeKey, IntakeRequest, Shipment
from tests.support.intake import new_key, pdf_bytes, post

pytestmark = pytest.mark.heavy

DOCUMENTS = 1000
CLIENTS = 8
DISTINCT_KEYS = 800  # 200 posts repeat a key another client may be sending at the same moment


def metadata(n: int) -> dict:
    return {"Vermittlernummer": "100100", "Kategorie": "140013000", "Dokumentart": "Rechnung",
            "Titel": f"Intake-Last {n}"}


def test_parallel_clients_get_one_shipment_per_key_and_every_file_intact(gateway, base_url):
    key = new_key(gateway, "load")
    # Post k (k < DISTINCT_KEYS) is the original of idempotency key k; the repeats re-send
    # exactly the same content, interleaved so that originals and repeats race.
    contents = {k: pdf_bytes(2000 + k, seed=str(k).encode()) for k in range(DISTINCT_KEYS)}
    plan = [k for k in range(DISTINCT_KEYS)] + [k * 4 % DISTINCT_KEYS for k in range(DOCUMENTS - DISTINCT_KEYS)]
    plan = sorted(plan, key=lambda k: (k % 97, k))

    def send(chunk):
        answers = []
        with requests.Session() as session:
            for k in chunk:
                answer = post(base_url, key, metadata(k), [(f"rechnung-{k}.pdf", contents[k])],
                              idempotency_key=f"rechnung-{k}", session=session)
                answers.append((k, answer.status_code, answer.json().get("shipment_id")))
        return answers

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = [a for chunk in pool.map(send, [plan[i::CLIENTS] for i in range(CLIENTS)]) for a in chunk]

    assert len(results) == DOCUMENTS
    assert Counter(status for _k, status, _id in results) == {201: DISTINCT_KEYS, 200: DOCUMENTS - DISTINCT_KEYS}
    by_key: dict[int, set[str]] = {}
    for k, _status, public_id in results:
        by_key.setdefault(k, set()).add(public_id)
    assert all(len(ids) == 1 for ids in by_key.values())
    assert len(by_key) == DISTINCT_KEYS

    with gateway.db.session() as session:
        records = session.scalar(select(func.count()).select_from(IntakeRequest).join(IntakeKey)
                                 .where(IntakeKey.name == "load"))
        stored = session.execute(select(Shipment.public_id, Document.id, Document.size, Document.sha1, Document.title)
                                 .join(Document, Document.shipment_id == Shipment.id)
                                 .where(Document.title.like("Intake-Last %"))).all()
    assert records == DISTINCT_KEYS
    assert len(stored) == DISTINCT_KEYS  # one document per key, no duplicate from a racing repeat
    expected_ids = {k: ids.pop() for k, ids in by_key.items()}
    for public_id, document_id, size, sha1, title in stored:
        k = int(title.rsplit(" ", 1)[1])
        assert public_id == expected_ids[k]
        assert sha1 == hashlib.sha1(contents[k]).hexdigest()
        assert hashlib.sha1(b"".join(iter_file_contents(gateway.db.engine, document_id, size))).hexdigest() == sha1


def test_a_50_mb_file_streams_in_constant_memory(gateway, base_url, tmp_path):
    key = new_key(gateway, "large")
    size = 50 * 1024 * 1024
    big = tmp_path / "gross.pdf"
    digest = hashlib.sha1()
    with big.open("wb") as out:
        block = pdf_bytes(1024 * 1024)
        for _ in range(size // len(block)):
            out.write(block)
            digest.update(block)
    # The server runs in this process's threads, so tracemalloc sees its allocations too;
    # the client streams the body from disk (MultipartEncoder).
    tracemalloc.start()
    try:
        baseline, _ = tracemalloc.get_traced_memory()
        answer = post(base_url, key, metadata(0), [("gross.pdf", big)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status_code == 201, answer.text
    assert peak - baseline < 16 * 1024 * 1024, f"peak grew by {(peak - baseline) >> 20} MiB"
    with gateway.db.session() as session:
        document_id, stored_size, sha1 = session.execute(
            select(Document.id, Document.size, Document.sha1).join(Shipment)
            .where(Shipment.public_id == answer.json()["shipment_id"])).one()
    assert (stored_size, sha1) == (size, digest.hexdigest())
    streamed = hashlib.sha1()
    for chunk in iter_file_contents(gateway.db.engine, document_id, stored_size):
        streamed.update(chunk)
    assert streamed.hexdigest() == sha1
