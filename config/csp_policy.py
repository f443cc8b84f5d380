"""The Content-Security-Policy middleware: django-csp's, with one narrow exception for DRF's browsable API."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware


class CitewatchCSPMiddleware(CSPMiddleware):
    """Sends CONTENT_SECURITY_POLICY (config/settings_parts/security.py) on every response.

    DRF's browsable API (/api/… opened in a browser) writes style="…" attributes and a <style>
    block for code highlighting into its own templates, so those pages alone may use inline
    styles. Its scripts are all files, so script-src stays as strict there as everywhere.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        renderer = getattr(response, "accepted_renderer", None)
        if getattr(renderer, "format", None) == "api":
            # No nonce here: a nonce in style-src would make browsers ignore 'unsafe-inline'.
            parts.replace = {**(parts.replace or {}), "style-src": [SELF, UNSAFE_INLINE]}
        return parts
