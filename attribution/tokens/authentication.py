"""``Authorization: Bearer <token>`` (or ``Token <token>``) for the API.

This class reads every Authorization header first, so a header it cannot
read is a clear 401 (with what to send instead), never a 500 and never a
silent fall back to an anonymous request. A Basic header passes on to DRF's
BasicAuthentication only when ``API_BASIC_AUTH`` turns it on.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from attribution.tokens.services import TokenRefused, authenticate_token

KEYWORDS = {"bearer", "token"}
HOW_TO = "Authorization: Bearer <token>"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.strip():
            return None
        # WSGI hands headers over as latin-1 text; a token is plain ASCII, so anything else is a mangled header.
        if not (header.isascii() and header.isprintable()):
            raise exceptions.AuthenticationFailed(
                _("The Authorization header holds control or non-ASCII characters; send %(how)s.") % {"how": HOW_TO}
            )
        scheme, _space, credentials = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "basic":
            if settings.API_BASIC_AUTH:
                return None  # BasicAuthentication's to judge.
            raise exceptions.AuthenticationFailed(
                _("Password (Basic) authentication is turned off for the API; send %(how)s.") % {"how": HOW_TO}
            )
        if scheme not in KEYWORDS:
            raise exceptions.AuthenticationFailed(
                _("Unsupported Authorization scheme; send %(how)s.") % {"how": HOW_TO}
            )
        credentials = credentials.strip()
        if not credentials or " " in credentials:
            raise exceptions.AuthenticationFailed(_("Send exactly one token: %(how)s.") % {"how": HOW_TO})
        try:
            record = authenticate_token(credentials)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(refused.message) from None
        return record.owner, record

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request without credentials, naming the scheme to use.
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema (and the Swagger UI's Authorize button) describes the token."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (cw_…), made in the admin or with manage.py create_api_token.",
        }
