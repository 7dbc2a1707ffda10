"""Shared fixtures: fresh databases per module, demo gateways, a served gateway."""

from __future__ import annotations

import pytest

from bipro import compat
from bipro.wsgi import GatewayApplication
from tests.support.clock import clock_from_environment
from tests.support.databases import backends, fresh_database
from tests.support.gateways import demo_gateway, empty_gateway_in
from tests.support.server import served

# Fixture libraries shared by all modules: the portal (app, client, auth,
# clients), the lists (demo) and the browser (browser, page, portal_url).
pytest_plugins = ["tests.support.portal", "tests.support.lists", "tests.support.browser"]


SHIFTED_CLOCK = pytest.StashKey()


def pytest_configure(config):
    """Shift the clock before anything is collected when BIPRO_TEST_CLOCK asks for it."""
    clock = clock_from_environment()
    if clock is not None:
        clock.start()
        config.stash[SHIFTED_CLOCK] = clock


def pytest_unconfigure(config):
    clock = config.stash.get(SHIFTED_CLOCK, None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    clock = config.stash.get(SHIFTED_CLOCK, None)
    return f"clock shifted to {clock.target:%Y-%m-%d %H:%M} UTC" if clock is not None else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The longest modules first (heavy ones, then browser ones), each module still in one piece.

    Worker processes take whole modules from this order (``scripts/test`` turns
    off xdist's reordering by test count); a long module picked up last would
    leave the other workers idle while it runs alone.
    """
    heavy = {item.module.__name__ for item in items if item.get_closest_marker("heavy")}

    def weight(item) -> int:
        name = item.module.__name__
        return 0 if name in heavy else 1 if name.endswith("_browser") else 2

    items.sort(key=weight)  # stable: the order within and between the other modules stays


@pytest.fixture(scope="module", params=backends())
def backend(request) -> str:
    """Each module using this runs once per database the test run has."""
    return request.param


@pytest.fixture(scope="module")
def database_url(backend, tmp_path_factory):
    with fresh_database(backend, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="module")
def gateway(database_url, tmp_path_factory):
    """A gateway on a fresh database with the demo portfolio, shared by one module."""
    gw = demo_gateway(tmp_path_factory.mktemp("instance"), database_url)
    yield gw
    gw.db.dispose()


@pytest.fixture(scope="module")
def sqlite_gateway(tmp_path_factory):
    """Like ``gateway`` but always SQLite, for modules that need one backend only."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("db")) as url:
        gw = demo_gateway(tmp_path_factory.mktemp("instance"), url)
        yield gw
        gw.db.dispose()


@pytest.fixture(scope="module")
def base_url(gateway):
    """The gateway served over real HTTP (one server per test module)."""
    with served(GatewayApplication(gateway)) as url:
        yield url


# pytest resets warning filters around collection and around each test and
# puts its own ``-W``/``filterwarnings`` entries first, which would undo the
# Spyne filters set when ``bipro`` was imported. Re-applying them inside those
# phases keeps ``-W error`` strict for our code and quiet for Spyne's.
@pytest.hookimpl(wrapper=True)
def pytest_collection(session):
    compat.install()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    compat.install()
    return (yield)


@pytest.fixture(scope="module")
def empty_gateway(backend, tmp_path_factory):
    """A gateway on a fresh, migrated database without demo data (imports start from nothing)."""
    with empty_gateway_in(backend, tmp_path_factory.mktemp("empty")) as gateway:
        yield gateway
