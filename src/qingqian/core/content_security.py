"""The Content-Security-Policy header (django-csp), its usual text built once.

django-csp builds the policy's text anew for every response, although it is
the same for every response that neither used the request's nonce nor changed
the policy with django-csp's decorators: nearly all of them, every API answer
included. That text is built once, when the middleware is made; django-csp
itself still answers the others (the pages whose inline <style> carries the
nonce, a view that changes the policy, the debug pages it leaves alone).
"""

from __future__ import annotations

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

# What django-csp's decorators leave on a response whose policy they change.
POLICY_CHANGES = ("_csp_config", "_csp_update", "_csp_replace")
POLICY_CHANGES += tuple(f"{change}_ro" for change in POLICY_CHANGES)
# django-csp leaves these to Django's debug pages when DEBUG is on.
DEBUG_PAGE_STATUSES = (404, 500)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.usual_policy = build_policy() if _only_one_policy() else None

    def process_response(self, request, response):
        if not self._takes_usual_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = self.usual_policy
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _takes_usual_policy(self, request, response) -> bool:
        if not self.usual_policy or getattr(request, "_csp_nonce", None) is not None:
            return False
        if settings.DEBUG and response.status_code in DEBUG_PAGE_STATUSES:
            return False
        return not any(hasattr(response, change) for change in POLICY_CHANGES)


def _only_one_policy() -> bool:
    """One enforced policy for every path: no report-only policy, no excluded
    prefixes (the settings django-csp would otherwise read per response)."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    return bool(policy) and not report_only and not policy.get("EXCLUDE_URL_PREFIXES")
