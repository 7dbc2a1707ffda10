"""Deterministic demo portfolios for the ``demo`` command and the tests."""
