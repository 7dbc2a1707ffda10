"""GET /health over HTTP reports the database."""

import json
import urllib.error
import urllib.request

from bipro.config import Settings
from bipro.core.gateway import Gateway
from bipro.wsgi import GatewayApplication
from tests.support.server import served


def test_health_ok(base_url):
    with urllib.request.urlopen(f"{base_url}/health") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/json"
        assert json.load(resp)["database"] == "ok"


def test_health_reports_unreachable_database(tmp_path):
    settings = Settings(instance_path=tmp_path, secret_key="x",
                        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    gateway = Gateway.from_settings(settings)
    with served(GatewayApplication(gateway)) as url:
        try:
            urllib.request.urlopen(f"{url}/health")
            raise AssertionError("expected 503")
        except urllib.error.HTTPError as err:
            assert err.code == 503
            assert json.load(err)["database"] == "unreachable"


def test_health_reports_the_pool_on_postgresql(base_url, backend):
    with urllib.request.urlopen(f"{base_url}/health") as resp:
        body = json.load(resp)
    assert body["backend"] == backend
    if backend == "postgresql":
        pool = body["pool"]
        assert pool["size"] >= 1
        assert pool["in_use"] + pool["idle"] >= 1  # the health check's own connection was pooled
    else:
        assert "pool" not in body  # SQLite: one file, no server connections to count
