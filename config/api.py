"""API-wide behaviour shared by every app's endpoints."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import serializers
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, plus Django ValidationErrors raised by services.

    Services validate with Django's ValidationError so that forms, admin and
    API share one set of rules; here they become a 400 keyed by field instead
    of a 500.
    """
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)


def not_found(request, exception=None):
    """Django's handler404: JSON under /api/ (as every other API answer, and as the schema says), else the page.

    A path no API route matches (``/api/sources/1.5/``) never reaches DRF, so without this a JSON
    client would get the site's HTML 404.
    """
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _("No API endpoint or object at this address.")}, status=404)
    return page_not_found(request, exception)
