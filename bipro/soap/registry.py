"""Every BiPRO service of the gateway, by its endpoint path."""

from __future__ import annotations

from bipro.core.gateway import Gateway


def soap_applications(gateway: Gateway) -> dict:
    """Map each endpoint path to its WSGI application."""
    services: dict = {}
    return services
