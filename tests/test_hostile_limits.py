"""Large and slow request bodies: refused early, read no further than the limit, never a crash."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest
import requests

from bipro.soap.guard import SoapGuard
from bipro.wsgi import GatewayApplication
from tests.hostile import snapshot
from tests.hostile.case import Case, sts
from tests.hostile.checks import TIMEOUT, Answer, health_problems, problems_with_answer, send
from tests.support.bipro_client import STS_PATH
from tests.support.databases import fresh_database
from tests.support.gateways import demo_gateway
from tests.support.server import served

MEGABYTE = 1024 * 1024
USERNAME_OPEN = sts().split("<wsse:Username>")[0].encode() + b"<wsse:Username>"
USERNAME_CLOSE = sts().split("</wsse:Username>", 1)[1].encode()
UPLOAD_TIMEOUT = (TIMEOUT, TIMEOUT)  # connect and answer; the upload itself is not bounded


class GeneratedBody:
    """A file-like body of *total* bytes made on the fly: the client never holds it whole."""

    def __init__(self, total: int, head: bytes = b"", tail: bytes = b"", piece: bytes = b"x" * 65536):
        self.total, self.head, self.tail, self.piece = total, head, tail, piece
        self.sent = 0

    def __len__(self) -> int:
        return self.total - self.sent

    def read(self, size: int = -1) -> bytes:
        size = self.total - self.sent if size < 0 else min(size, self.total - self.sent)
        out = bytearray()
        while len(out) < size:
            pos = self.sent + len(out)
            if pos < len(self.head):
                out += self.head[pos:pos + size - len(out)]
            elif pos >= self.total - len(self.tail):
                start = pos - (self.total - len(self.tail))
                out += self.tail[start:start + size - len(out)]
            else:
                middle_left = self.total - len(self.tail) - pos
                out += self.piece[:min(size - len(out), middle_left)]
        self.sent += len(out)
        return bytes(out)


class CountingInput:
    """Wraps ``wsgi.input`` to count what the application reads."""

    def __init__(self, stream, tally: list[int]) -> None:
        self.stream, self.tally = stream, tally

    def read(self, *args):
        data = self.stream.read(*args)
        self.tally[-1] += len(data)
        return data

    def __getattr__(self, name):
        return getattr(self.stream, name)


@pytest.fixture(scope="module")
def counted(gateway):
    """The gateway served with a tally of the bytes it read from each request body."""
    app, tally = GatewayApplication(gateway), []

    def counting(environ, start_response):
        tally.append(0)
        environ["wsgi.input"] = CountingInput(environ["wsgi.input"], tally)
        return app(environ, start_response)

    counting.serving_at = app.serving_at
    with served(counting) as url:
        yield url, tally


def post(url: str, data, **headers) -> requests.Response:
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""', **headers}
    return requests.post(url + STS_PATH, data=data, headers=headers, timeout=UPLOAD_TIMEOUT)


def test_50mb_with_content_length_is_refused_without_reading(counted, gateway):
    url, tally = counted
    before = snapshot.take(gateway.db)
    response = post(url, GeneratedBody(50 * MEGABYTE, head=USERNAME_OPEN))
    assert response.status_code == 413
    assert tally[-1] == 0
    assert snapshot.take(gateway.db).changed_tables(before) == []
    assert health_problems(url) == []


def test_50mb_chunked_is_read_only_up_to_the_limit(counted, gateway):
    url, tally = counted
    body = GeneratedBody(50 * MEGABYTE, head=USERNAME_OPEN)
    response = post(url, iter(lambda: body.read(65536), b""))  # a generator: sent chunked
    assert response.status_code == 413
    # waitress de-chunks and states the length, so the guard refuses without reading; a server
    # that passes the chunked stream on gets read at most one byte past the limit.
    assert tally[-1] <= gateway.settings.max_request_bytes + 1
    assert health_problems(url) == []


def test_20mb_text_node_with_content_length_at_default_limit(counted):
    url, _ = counted
    response = post(url, GeneratedBody(20 * MEGABYTE, head=USERNAME_OPEN, tail=USERNAME_CLOSE))
    assert response.status_code == 413


@pytest.fixture(scope="module")
def roomy_url(tmp_path_factory):
    """A gateway whose request limit is raised above libxml2's own limit for one text node."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("roomy-db")) as database_url:
        gw = demo_gateway(tmp_path_factory.mktemp("roomy"), database_url, max_request_bytes=64 * MEGABYTE)
        with served(GatewayApplication(gw)) as url:
            yield url
        gw.db.dispose()


@pytest.mark.parametrize("where", ["text_node", "attribute_value", "cdata", "comment"])
def test_20mb_node_with_raised_limit_is_a_fault(roomy_url, where):
    head, tail = {
        "text_node": (USERNAME_OPEN, USERNAME_CLOSE),
        "attribute_value": (USERNAME_OPEN[:-len(b">")] + b' a="', b'">' + USERNAME_CLOSE),
        "cdata": (USERNAME_OPEN + b"<![CDATA[", b"]]>" + USERNAME_CLOSE),
        "comment": (USERNAME_OPEN + b"<!--", b"-->" + USERNAME_CLOSE),
    }[where]
    response = post(roomy_url, GeneratedBody(20 * MEGABYTE, head=head, tail=tail))
    case = Case(f"20mb_{where}", b"", frozenset({"00931"}))
    assert problems_with_answer(case, Answer(response.status_code, response.headers.get("Content-Type", ""),
                                             response.content)) == []
    assert health_problems(roomy_url) == []


def _open_slowly(url: str, declared: int, first: bytes) -> socket.socket:
    parts = urlsplit(url)
    conn = socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT)
    conn.sendall((f"POST {STS_PATH} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                  f"Content-Type: text/xml; charset=utf-8\r\nContent-Length: {declared}\r\n\r\n").encode() + first)
    return conn


def _read_answer(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def test_slow_and_stalled_bodies_do_not_block_the_gateway(base_url):
    """More stalled uploads than worker threads: the gateway still answers everyone else."""
    body = sts().encode()
    stalled = [_open_slowly(base_url, len(body), body[:50]) for _ in range(12)]
    try:
        assert health_problems(base_url) == []
        quick = send(base_url, Case("quick", body, frozenset({"00910"})))
        assert problems_with_answer(Case("quick", body, frozenset({"00910"})), quick) == []
        slow = stalled[0]
        for offset in range(50, len(body), 200):  # the rest, a little at a time
            time.sleep(0.02)
            slow.sendall(body[offset:offset + 200])
        answer = _read_answer(slow)
        assert answer.startswith(b"HTTP/1.1 500") and b"00910" in answer
        stalled[1].close()  # a client that gives up half-way leaves nothing behind
    finally:
        for conn in stalled:
            conn.close()
    assert health_problems(base_url) == []


def test_an_error_inside_spyne_still_answers_with_a_bipro_fault():
    """The guard's last resort: whatever escapes the SOAP framework becomes Meldung 00932."""

    def stumbling(environ, start_response):
        raise AttributeError("'NoneType' object has no attribute 'startswith'")

    guard = SoapGuard(stumbling, wsdl_path=None, max_request_bytes=MEGABYTE, operations={})
    with served(guard) as url:
        response = requests.post(url + STS_PATH, data=sts().encode(), timeout=TIMEOUT,
                                 headers={"Content-Type": "text/xml; charset=utf-8"})
    answer = Answer(response.status_code, response.headers.get("Content-Type", ""), response.content)
    assert problems_with_answer(Case("stumble", b"", frozenset({"00932"})), answer) == []
    assert b"startswith" not in response.content
