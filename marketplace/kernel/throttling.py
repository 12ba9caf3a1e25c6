"""DRF's throttles, counting the visitor (marketplace.kernel.client_address.client_ip) rather than whatever address
or header reached the server: behind the deployment's trusted proxies each visitor has its own budget, and a
client cannot escape its budget by writing X-Forwarded-For itself. settings.REST_FRAMEWORK["NUM_PROXIES"] is
set from the same setting, so DRF's own reading of the header agrees."""

from __future__ import annotations

from rest_framework import throttling
from rest_framework.request import Request

from marketplace.kernel.client_address import client_ip


class ClientAddressMixin:
    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass
