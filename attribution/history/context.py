"""Who is changing attribution records, and through what: set by the entry point, read when history is written.

The entry point knows (the API view, the import command, the request
workflow); the service writing the row does not, and should not take a
``via=`` argument on every function. So the caller opens ``recording(...)``
and everything written inside it carries that label and user. The innermost
label wins: a request's action run from the admin is "request #12", not "admin".
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from simple_history.models import HistoricalRecords

# The longest "through what" label kept; import file paths are cut to this.
MAX_VIA = 500


@dataclass(frozen=True)
class Recording:
    user: object = None
    via: str = ""


# Recording is frozen, so sharing one default instance is safe.
_current: ContextVar[Recording] = ContextVar("attribution_history", default=Recording())  # noqa: B039


@contextmanager
def recording(*, via: str = "", user=None):
    """Label every history row written inside: ``via`` ("api", "command", "request #12") and ``user``.

    Unset values are inherited from an enclosing ``recording``; an anonymous
    user counts as none.
    """
    outer = _current.get()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    token = _current.set(Recording(user=user if user is not None else outer.user, via=via or outer.via))
    try:
        yield
    finally:
        _current.reset(token)


def _request():
    """The request being served, as simple-history's middleware recorded it (None outside a request)."""
    return getattr(HistoricalRecords.context, "request", None)


def current_user(instance=None, request=None, **kwargs):
    """The user to credit (simple-history's ``get_user`` hook): the recording's, else the signed-in one, else None."""
    user = _current.get().user
    if user is not None:
        return user
    request = request or _request()
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def current_via(default: str = "") -> str:
    """The recording's label; inside a request without one, "admin" or "api" by the path; else ``default``."""
    via = _current.get().via
    if via:
        return via[:MAX_VIA]
    request = _request()
    path = getattr(request, "path", "")
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith("/api/"):
        return "api"
    return default or ("web" if request is not None else "")
