"""Watching the running gateway: request ids, structured logs and Prometheus metrics.

Everything here sits at the boundary (the WSGI application and the
adapters); the core only announces events through ``bipro.core.events``.
"""
