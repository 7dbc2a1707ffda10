"""The one WSGI application: portal at /, BiPRO services under /bipro/, document intake under
/intake/, /health and /health/ready."""

from __future__ import annotations

from bipro.config import Settings
from bipro.core.gateway import Gateway
from bipro.health import health_app, readiness_app


class GatewayApplication:
    """Routes a request to the health check, a SOAP service, the document intake or the portal."""

    def __init__(self, gateway: Gateway) -> None:
        from bipro.intake_api import PREFIX as INTAKE_PREFIX, create_intake_app
        from bipro.soap.registry import SCHEMA_PREFIX, schema_application, soap_applications
        from portal import create_app

        self.gateway = gateway
        self.portal = create_app(gateway)
        self.health = health_app(gateway)
        self.readiness = readiness_app(gateway)
        self.services = soap_applications(gateway)
        self.schemas = schema_application()
        self.schema_prefix = SCHEMA_PREFIX
        self.intake = create_intake_app(gateway)
        self.intake_prefix = INTAKE_PREFIX

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/health":
            return self.health(environ, start_response)
        if path == "/health/ready":
            return self.readiness(environ, start_response)
        if path.startswith(self.schema_prefix):
            return self.schemas(environ, start_response)
        if path.startswith(self.intake_prefix):
            return self.intake(environ, start_response)
        if path.startswith("/bipro/"):
            service = self.services.get(path.rstrip("/"))
            if service is not None:
                return service(environ, start_response)
        return self.portal(environ, start_response)


def create_application(settings: Settings | None = None) -> GatewayApplication:
    """Factory for WSGI servers (``gunicorn 'bipro.wsgi:create_application()'``)."""
    return GatewayApplication(Gateway.from_settings(settings or Settings.from_env()))
