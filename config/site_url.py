"""Where absolute links (mail, digests) point: SITE_URL when it is set, else where ``manage.py serve`` listens.

Settings are read before a command knows its ``--addr`` and ``--port``, so the
default SITE_URL (http://127.0.0.1:8000) would stay in every link under
``make run PORT=8200``. ``serve`` calls ``follow_served_address`` to fix that.
"""

import os
from collections.abc import MutableMapping

DEFAULT_PORT = "8000"
# A wildcard listen address is not somewhere a reader can go: links use this machine's loopback.
_WILDCARDS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1"}
# Settings whose default is built from SITE_URL (config/settings_parts/), with the variable that sets each.
DERIVED = ("TAKEDOWNS_STATUS_URL_BASE", "LINKCHECK_CONTACT_URL", "LINKCHECK_USER_AGENT")


def served_url(addr: str, port: str | int) -> str:
    """The http URL of ``serve --addr ADDR --port PORT``."""
    host = _WILDCARDS.get(addr.strip(), addr.strip().strip("[]"))
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def decide_site_url(environ: MutableMapping[str, str], addr: str, port: str | int) -> str:
    """SITE_URL from the environment when set (not blank), else the address ``serve`` listens on."""
    explicit = environ.get("SITE_URL", "").strip()
    return explicit.rstrip("/") if explicit else served_url(addr, port)


def follow_served_address(settings, addr: str, port: str | int, environ: MutableMapping[str, str] | None = None) -> str:
    """Point SITE_URL, and the settings that default to it, at the served address unless SITE_URL is set.

    Also writes SITE_URL into ``environ`` (the process environment by default),
    so the Celery worker and beat that ``serve`` starts render the same links.
    Returns the SITE_URL in force.
    """
    environ = os.environ if environ is None else environ
    url = decide_site_url(environ, addr, port)
    if environ.get("SITE_URL", "").strip():
        return url
    previous = settings.SITE_URL
    settings.SITE_URL = url
    for name in DERIVED:
        value = getattr(settings, name, None)
        if isinstance(value, str) and not environ.get(name, "").strip():
            setattr(settings, name, value.replace(previous, url))
    environ["SITE_URL"] = url
    return url
