"""API throttles that count per client address, also behind a reverse proxy.

DRF's own `get_ident` trusts X-Forwarded-For from anyone (or a proxy count);
ours believes it only from the proxies in QINGQIAN_TRUSTED_PROXIES, like the
sign-in lockout and the audit log. Every throttle of the API derives from here.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from qingqian.core.client_address import client_address


class ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)


class TokenThrottle(ClientAddressMixin, AnonRateThrottle):
    """Token requests per client address (QINGQIAN_API_TOKEN_RATE, e.g. "20/min")."""

    def get_rate(self):
        return settings.QINGQIAN_API_TOKEN_RATE
