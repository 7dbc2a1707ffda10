"""The one WSGI application: portal at /, BiPRO services under /bipro/, document intake under
/intake/, /health, /health/ready and /metrics."""

from __future__ import annotations

from bipro.config import Settings
from bipro.gateway import Gateway
from bipro.health import health_app, readiness_app
from bipro.observability import context, metrics
from bipro.observability.boundary import ObservedRequests, enter_soap

METRICS_PATH = "/metrics"


class GatewayApplication:
    """Routes a request to the health check, the metrics, a SOAP service, the document intake
    or the portal.

    Every request but the health check and the metrics passes the observed
    boundary: a request id, a log line, its metrics.
    """

    def __init__(self, gateway: Gateway) -> None:
        from bipro.intake_api import PREFIX as INTAKE_PREFIX
        from bipro.intake_api import create_intake_app
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
        self.metrics = None
        if gateway.settings.metrics:
            metrics.install()
            self.metrics = metrics.metrics_app(gateway)
        self.observed = ObservedRequests(self.route, on_finish=self._pool_metrics)

    def serving_at(self, base_url: str) -> None:
        """Tell the gateway where it listens: the base of WSDL addresses and portal links,
        unless BIPRO_PUBLIC_URL names one."""
        self.gateway.settings = self.gateway.settings.served_at(base_url)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/health":
            return self.health(environ, start_response)
        if path == "/health/ready":
            return self.readiness(environ, start_response)
        if path == METRICS_PATH and self.metrics is not None:
            return self.metrics(environ, start_response)
        return self.observed(environ, start_response)

    def route(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.schema_prefix):
            context.update(door=context.SOAP, service="schemas", operation="xsd")
            return self.schemas(environ, start_response)
        if path.startswith(self.intake_prefix):
            context.update(door=context.INTAKE, service="intake")
            return self.intake(environ, start_response)
        if path.startswith("/bipro/"):
            key = path.rstrip("/")
            service = self.services.get(key)
            if service is not None:
                enter_soap(key.split("/")[2])  # "430_Transfer"
                method = environ.get("REQUEST_METHOD", "")
                if method != "POST":  # the WSDL, or a refusal; a POST names its operation later
                    context.update(operation=method)
                return service(environ, start_response)
        context.update(door=context.PORTAL)
        return self.portal(environ, start_response)

    def _pool_metrics(self) -> None:
        if self.metrics is not None:
            metrics.record_pool(self.gateway.db.pool_status())


def create_application(settings: Settings | None = None) -> GatewayApplication:
    """Factory for WSGI servers (``gunicorn 'bipro.wsgi:create_application()'``)."""
    return GatewayApplication(Gateway.from_settings(settings or Settings.from_env()))
