"""Site-wide odds and ends outside any app: /favicon.ico."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request):
    """Browsers (and feed readers) ask for /favicon.ico whatever the page says: point them at the static file."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
