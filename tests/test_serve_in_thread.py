"""The in-process server of tests and benchmarks stops at once, idle keep-alive connections and all."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlsplit

import pytest

from bipro.embedded_server import serve_in_thread


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hallo"]


def test_an_idle_keep_alive_connection_does_not_hold_up_the_teardown():
    before = set(threading.enumerate())
    with serve_in_thread(hello) as url:
        address = urlsplit(url)
        kept = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
        kept.request("GET", "/")
        assert kept.getresponse().read() == b"hallo"  # HTTP/1.1: the connection stays open
        started = time.monotonic()
    took = time.monotonic() - started
    assert took < 1.0, f"teardown took {took:.1f} s"
    assert set(threading.enumerate()) - before == set()  # loop and worker threads are gone
    with pytest.raises(OSError):
        http.client.HTTPConnection(address.hostname, address.port, timeout=2).request("GET", "/")


def test_a_server_nobody_called_stops_at_once():
    with serve_in_thread(hello):
        started = time.monotonic()
    assert time.monotonic() - started < 1.0
