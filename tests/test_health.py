"""GET /health and GET /health/ready over HTTP report the database."""

import json
import urllib.error
import urllib.request

from alembic.script import ScriptDirectory

from bipro.config import Settings
from bipro.gateway import Gateway
from bipro.wsgi import GatewayApplication
from store.migrate import alembic_config, head_revision, upgrade
from tests.support.databases import fresh_database
from tests.support.gateways import test_settings as gateway_settings
from tests.support.server import served


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


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


def one_before_head() -> str:
    """The migration before the newest, read from the migrations (the chain grows)."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return scripts.get_revision(head_revision()).down_revision


def test_ready_on_a_fully_migrated_database(base_url):
    assert get_json(f"{base_url}/health/ready") == (200, {"status": "ready"})


def test_not_ready_one_migration_behind(backend, tmp_path):
    behind = one_before_head()
    with fresh_database(backend, tmp_path) as url:
        gateway = Gateway.from_settings(gateway_settings(tmp_path / "instance", url))
        try:
            upgrade(gateway.db.engine, behind)
            with served(GatewayApplication(gateway)) as base:
                status, body = get_json(f"{base}/health/ready")
                assert status == 503
                assert body["status"] == "not ready"
                assert f"Migration {behind}, die neueste ist {head_revision()}" in body["reason"]
                assert get_json(f"{base}/health")[0] == 200  # /health only asks whether the database answers
                upgrade(gateway.db.engine)
                assert get_json(f"{base}/health/ready") == (200, {"status": "ready"})
        finally:
            gateway.db.dispose()


def test_not_ready_without_schema_or_database(tmp_path):
    empty = Gateway.from_settings(gateway_settings(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}"))
    gone = Gateway.from_settings(gateway_settings(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none"))
    for gateway, reason in ((empty, "noch kein Schema"), (gone, "nicht erreichbar")):
        with served(GatewayApplication(gateway)) as base:
            status, body = get_json(f"{base}/health/ready")
        assert status == 503 and reason in body["reason"], body
        gateway.db.dispose()
