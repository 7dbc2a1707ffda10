"""Metrics and structured logs of a served gateway, read as an operator would.

One ``python -m bipro serve`` process (waitress) with ``BIPRO_METRICS=1``,
a metrics token, ``BIPRO_LOG_FORMAT=json`` and 127.0.0.1 as its trusted
proxy answers a known sequence of calls; /metrics must show the exact
counts and every line the process wrote must be one JSON object. The same
sequence under gunicorn with three workers (heavy) must sum to the same
counts whichever worker answers the scrape.
"""

from __future__ import annotations

import io
import json
import logging
import os
import warnings
from pathlib import Path

import pytest
import requests
from werkzeug.test import Client

from bipro.config import ConfigError, Settings
from bipro.gateway import Gateway
from bipro.observability import context, logs, metrics
from bipro.observability.boundary import ObservedRequests, mark_trusted_peer
from bipro.wsgi import GatewayApplication
from tests.support.observed import assert_counts, run_sequence
from tests.support.processes import GatewayProcess, gateway_env, prepared_database

METRICS_TOKEN = "Scrape-Geheim-1234"
REQUEST_FIELDS = {"time", "request_id", "door", "service", "operation", "login", "vermittlernummer",
                  "status", "meldung", "duration_ms", "bytes"}


def observed_env(tmp_path_factory, name: str, **extra: str) -> dict[str, str]:
    folder = tmp_path_factory.mktemp(name)
    env = gateway_env(folder, f"sqlite:///{folder / 'bipro.db'}", BIPRO_METRICS="1",
                      BIPRO_LOCKOUT_THRESHOLD="2", **extra)
    prepared_database(env)
    return env


@pytest.fixture(scope="module")
def waitress_run(tmp_path_factory):
    """The gateway process after the known sequence: (process, sequence, output lines)."""
    env = observed_env(tmp_path_factory, "waitress", BIPRO_METRICS_TOKEN=METRICS_TOKEN,
                       BIPRO_LOG_FORMAT="json")
    with GatewayProcess(env, "--trusted-proxy", "127.0.0.1") as process:
        done = run_sequence(process.base_url)
        yield process, done


def test_metrics_count_the_known_sequence_under_waitress(waitress_run):
    process, done = waitress_run
    assert_counts(process.base_url, done.expected(), METRICS_TOKEN)


def test_metrics_ask_for_the_bearer_token(waitress_run):
    process, _done = waitress_run
    assert requests.get(process.base_url + "/metrics", timeout=10).status_code == 401
    wrong = requests.get(process.base_url + "/metrics", timeout=10,
                         headers={"Authorization": "Bearer falsch"})
    assert wrong.status_code == 401 and "bipro_" not in wrong.text


def test_every_log_line_is_one_json_object_with_the_request_fields(waitress_run):
    process, done = waitress_run
    # One more request, whose line shows that every line before it is written.
    requests.get(process.base_url + "/kunden", headers={"X-Request-ID": "letzte-zeile"}, timeout=10)
    process.wait_for_output('"request_id": "letzte-zeile"', timeout=10)
    lines = [line for line in process.output.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # fails on any line that is not JSON
    requests_logged = [e for e in entries if e["logger"] == "bipro.request"]
    assert len(requests_logged) >= 17  # the sequence's 16 calls and the one above
    for entry in requests_logged:
        assert REQUEST_FIELDS <= entry.keys(), entry
        assert isinstance(entry["duration_ms"], float) and isinstance(entry["bytes"], int)
    listed = [e for e in requests_logged if e["operation"] == "listShipments" and e["status"] == 200]
    assert listed and listed[0]["login"] == "demo" and listed[0]["vermittlernummer"] == "100100"
    assert listed[0]["door"] == "soap" and listed[0]["service"] == "430_Transfer"
    assert listed[0]["meldung"] == "04000" and listed[0]["bytes"] > 0
    faults = [e for e in requests_logged if e["meldung"] == "00965"]
    assert len(faults) == 1 and faults[0]["status"] == 500
    pages = [e for e in requests_logged if e["operation"] == "customers.index" and e["login"]]
    assert pages and pages[0]["door"] == "portal" and pages[0]["vermittlernummer"] == "100100"
    # Application lines written during a call carry that call's request id.
    audit = [e for e in entries if e["logger"] == "bipro.audit" and "token_issued" in e["message"]]
    assert len(audit) == 1 and audit[0]["request_id"] in {e["request_id"] for e in requests_logged}
    assert audit[0]["prozess_id"] == audit[0]["request_id"]


def test_without_a_proxy_id_a_soap_calls_request_id_is_its_prozess_id(waitress_run):
    _process, done = waitress_run
    assert len(done.prozess_ids) == 2
    for request_id, prozess_id in done.prozess_ids:
        assert len(request_id) == 32 and request_id == prozess_id


def test_the_trusted_proxys_request_id_is_kept_and_returned(waitress_run):
    process, _done = waitress_run
    answer = requests.get(process.base_url + "/login", headers={"X-Request-ID": "nginx-4711-abc"},
                          timeout=10)
    assert answer.headers["X-Request-ID"] == "nginx-4711-abc"
    odd = requests.get(process.base_url + "/login", headers={"X-Request-ID": "zwei worte"}, timeout=10)
    assert odd.headers["X-Request-ID"] != "zwei worte" and len(odd.headers["X-Request-ID"]) == 32


@pytest.mark.heavy
def test_metrics_sum_over_three_gunicorn_workers(tmp_path_factory):
    # Which worker accepts a connection is the kernel's choice: a run in which one
    # worker happened to answer every call proves nothing about the sum, so it is
    # run again on a fresh gateway (rarely needed, never more than three times).
    for _run in range(3):
        env = observed_env(tmp_path_factory, "gunicorn", BIPRO_LOG_FORMAT="json")
        with GatewayProcess(env, "--workers", "3", "--threads", "2") as process:
            done = run_sequence(process.base_url)
            # Every scrape, whichever worker answers it, shows the sum of all three.
            for attempt in range(6):  # the first may wait for the last request to be counted
                assert_counts(process.base_url, done.expected(), timeout=5 if attempt == 0 else 0)
            entries = [json.loads(line) for line in process.output.splitlines() if line.strip()]
            workers = {e["pid"] for e in entries if e["logger"] == "bipro.request"}
            [folder] = [e["message"].split(" in ", 1)[1] for e in entries if "Metrik-Werte" in e["message"]]
            assert list(Path(folder).glob("*.db")), "the workers write their values there"
        assert process.process.returncode == 0, process.output[-3000:]
        assert not Path(folder).exists(), "serve removes the folder when it stops"
        if len(workers) >= 2:
            break
    assert len(workers) >= 2, "the calls should have been spread over the workers"


@pytest.mark.heavy
def test_gunicorn_stopped_while_its_workers_boot_ends_cleanly(tmp_path_factory):
    # A stop right after the start reaches workers still building their
    # gateways: each must finish booting and leave, and the server end with 0.
    env = observed_env(tmp_path_factory, "gunicorn-early-stop")
    process = GatewayProcess(env, "--workers", "3", "--threads", "2")
    process.wait_for_output("Booting worker", timeout=60)
    code = process.stop()
    folder = process.output.split("Metrik-Werte der Worker in ", 1)[1].split()[0]
    assert code == 0, process.output[-3000:]
    assert "Worker failed to boot" not in process.output and not Path(folder).exists()


# --- without a server: the boundary, the settings, the text format ---------------------

def _echo_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _call(app, remote_addr: str, request_id: str) -> dict:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(headers)

    body = app({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "REMOTE_ADDR": remote_addr,
                "HTTP_X_REQUEST_ID": request_id}, start_response)
    list(body)
    body.close()
    return seen


def test_an_x_request_id_counts_only_from_the_trusted_proxy():
    app = mark_trusted_peer(ObservedRequests(_echo_app), "10.1.2.3")
    assert _call(app, "10.1.2.3", "vom-proxy-1")["X-Request-ID"] == "vom-proxy-1"
    made_here = _call(app, "10.9.9.9", "vom-angreifer")["X-Request-ID"]
    assert made_here != "vom-angreifer" and len(made_here) == 32
    unmarked = ObservedRequests(_echo_app)  # served without serve's marking (tests, embedding)
    assert _call(unmarked, "10.1.2.3", "vom-proxy-1")["X-Request-ID"] != "vom-proxy-1"


def test_metrics_are_off_unless_asked_for(tmp_path):
    off = Settings.from_env({"BIPRO_INSTANCE_PATH": str(tmp_path)})
    on = Settings.from_env({"BIPRO_INSTANCE_PATH": str(tmp_path), "BIPRO_METRICS": "1",
                            "BIPRO_METRICS_TOKEN": "t", "BIPRO_LOG_FORMAT": "JSON"})
    assert (off.metrics, off.metrics_token, off.log_format) == (False, "", "text")
    assert (on.metrics, on.metrics_token, on.log_format) == (True, "t", "json")
    with pytest.raises(ConfigError, match="BIPRO_LOG_FORMAT"):
        Settings.from_env({"BIPRO_INSTANCE_PATH": str(tmp_path), "BIPRO_LOG_FORMAT": "xml"})
    answer = Client(GatewayApplication(Gateway.from_settings(off))).get("/metrics")
    assert answer.status_code == 404 and b"bipro_" not in answer.data


def test_the_text_format_is_readable_and_carries_the_request_id():
    stream = io.StringIO()
    root_level = logging.getLogger().level
    logs.configure("text", stream=stream)
    try:
        context.begin("abc123")
        logging.getLogger("bipro.soap").warning("etwas ist passiert")
        context.end()
        logging.getLogger("bipro.soap").warning("ohne Anfrage")
    finally:
        logs.remove()
        logging.getLogger().setLevel(root_level)
    first, second = stream.getvalue().splitlines()
    assert first.endswith("WARNING bipro.soap [abc123] etwas ist passiert")
    assert second.endswith("WARNING bipro.soap [-] ohne Anfrage")


def test_a_worker_leaving_through_the_metrics_block_keeps_the_folder():
    # gunicorn forks its workers inside multiprocess_dir(); a worker that ends
    # unwinds through the same block and must not take the others' values.
    def fork_inside() -> tuple[Path, int, int, bool]:
        with metrics.multiprocess_dir():
            folder = Path(os.environ[metrics.MULTIPROC_ENV])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # fork beside pytest's threads
                child = os.fork()
            if child == 0:
                return folder, child, 0, False  # the worker leaves the block
            _, status = os.waitpid(child, 0)
            return folder, child, status, folder.exists()

    folder, child, status, kept = fork_inside()
    if child == 0:
        os._exit(0)
    assert status == 0 and kept, "the worker's exit removed the folder"
    assert not folder.exists(), "the process that made the folder removes it"
    assert metrics.MULTIPROC_ENV not in os.environ
