"""Login lockout (django-axes) that also tolerates authenticate() calls made without a request."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out user name and address before any password is checked.

    Every login that comes over HTTP (the admin's login form, the API's Basic auth) passes its
    request and is counted. A call without one (Django's test client ``login()``, a shell) has no
    client address to count against; axes would raise, so it is let through to ModelBackend unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials):
    """The user name attempts are counted under, cut to the 255 characters axes can store.

    The admin form already refuses longer names, but API Basic auth hands authenticate() whatever
    the header holds; stored whole it would fail on PostgreSQL (a 500) instead of counting.
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return username[:255] if isinstance(username, str) else username
