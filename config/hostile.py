"""Hostile requests get a 4xx that says what to fix, never a 500.

Two pieces, both site-wide:

- ``HostileInputMiddleware`` turns away, before any view or authentication
  runs, a request whose path, query parameters, Authorization header (or the
  Basic credentials it encodes) or session cookie hold NUL or another control
  character. None of these is ever typed by a person, and each would otherwise
  reach a database query (PostgreSQL refuses NUL: a 500).
- ``bad_request`` is Django's ``handler400``: the page for what Django itself
  refuses (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, broken
  multipart framing, an unknown Host), with a message saying which.

Both answer JSON (``{"detail": …}``) under /api/ and a short page in the site's
templates elsewhere. Request bodies are judged by the forms, the serializers
and the API's JSON parser (``config.parsers``), which know the fields.
"""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

from attribution.lib.hostile import unsafe_authorization, unsafe_in_line, unsafe_in_text

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Longest query parameter name echoed back in a message (the name is the caller's).
MAX_NAME_SHOWN = 40


def error_response(request, status: int, message: str):
    """``{"detail": message}`` under /api/, else the site's error page, with ``status``.

    The page is rendered without the request: nothing of a hostile request
    (its session, its user) is touched to draw it.
    """
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    html = render_to_string("400.html", {"status": status, "message": message})
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def _query_problem(request) -> str | None:
    for name, values in request.GET.lists():
        if unsafe_in_line(name):
            return _("A query parameter name contains a control character (such as NUL); remove it.")
        # Tab, LF and CR may come from a textarea in a GET form; other controls never do.
        if any(unsafe_in_text(value) for value in values):
            return _("The query parameter “%(name)s” contains a control character (such as NUL); remove it.") % {
                "name": name[:MAX_NAME_SHOWN]
            }
    return None


def _unauthorised(request, message: str):
    response = error_response(request, 401, message)
    if request.path_info.startswith(API_PREFIX):
        # What the API itself would ask for: its first authentication class's challenge, as DRF does.
        for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
            challenge = authentication().authenticate_header(request)
            if challenge:
                response["WWW-Authenticate"] = challenge
                break
    return response


class HostileInputMiddleware:
    """Answer 400 (401 for credentials) to control characters in the path, query, credentials or session cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # This answers before LocaleMiddleware: say it in the visitor's language (cookie or Accept-Language,
        # both checked against LANGUAGES), as the page they came from was.
        translation.activate(translation.get_language_from_request(request))
        if unsafe_in_line(request.path_info):
            return error_response(
                request, 400, _("The address contains a control character (such as NUL); remove it and try again.")
            )
        problem = _query_problem(request)
        if problem:
            return error_response(request, 400, problem)
        if unsafe_authorization(request.META.get("HTTP_AUTHORIZATION", "")):
            return _unauthorised(
                request,
                _(
                    "The Authorization header, or the user name or password it carries, contains a control "
                    "character (such as NUL). Send the credentials without it."
                ),
            )
        if unsafe_in_line(request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")):
            return error_response(
                request, 400, _("Your session cookie is damaged. Clear this site's cookies and sign in again.")
            )
        return self.get_response(request)


def _explain(exception) -> tuple[int, str]:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return 413, _("The request body is larger than the %(limit)s bytes accepted here; send less.") % {
            "limit": limit
        }
    if isinstance(exception, TooManyFieldsSent):
        return 400, _("The request has more than %(limit)s fields; send fewer.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, TooManyFilesSent):
        return 400, _("The request has too many files; send fewer.")
    if isinstance(exception, MultiPartParserError):
        return 400, _(
            "The multipart body could not be read: check the boundary in the Content-Type header and the "
            "body's framing, or send the fields URL-encoded."
        )
    if isinstance(exception, DisallowedHost):
        return 400, _("This site does not answer to the host name in the request.")
    return 400, _("The request could not be understood; check the address, its query parameters and the body.")


def bad_request(request, exception=None):
    """Django's handler400: what Django refused, said plainly (413 for a body over the limit)."""
    status, message = _explain(exception)
    logger.info("refused a request to %r: %s", request.path_info[:200], message)
    return error_response(request, status, message)
