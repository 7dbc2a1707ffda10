"""Shared pytest setup."""

import pytest

from bipro import compat


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
