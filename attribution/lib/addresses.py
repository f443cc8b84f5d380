"""Which URLs the SSRF guard lets Citewatch fetch: parsing and vetting a URL, with no HTTP client.

Apart from attribution/lib/guard.py (which re-exports all of it) so that code which only vets a URL,
such as a moved-link target, does not import aiohttp; the guard's resolver and body reads live there.
"""

import functools
import ipaddress
import socket

from yarl import URL

ALLOWED_SCHEMES = {"http", "https"}
# RFC 6761: names under .invalid never resolve; answering without a lookup keeps
# tests and misconfigured sources from waiting on DNS.
NEVER_RESOLVES = (".invalid",)


def _(message: str) -> str:
    # Translated when a URL is refused rather than imported at start-up: the link checker reads settings
    # without setting Django up, and django.utils.translation (with its autoreloader) is ~5 ms of that.
    from django.utils.translation import gettext

    return gettext(message)


class RefusedURL(Exception):
    """A URL the guard will not fetch. ``kind`` is a SourceURL.FailureKind value."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@functools.lru_cache(maxsize=4096)
def parse_ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host spells as a literal, including legacy IPv4 forms (``127.1``, ``0x7f000001``), else None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host) and host[0].isdigit():
        try:
            # inet_aton accepts the shorthand, decimal and hex spellings browsers and libc do.
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified or address.is_link_local
    )


def check_url(url: str, *, allow_private: bool) -> URL:
    """Parse and vet a URL before fetching it. Returns it without its fragment; raises RefusedURL."""
    try:
        parsed = URL(url.strip())
        host = parsed.host
    except (ValueError, TypeError, UnicodeError):
        raise RefusedURL("bad_url", _("The address cannot be parsed.")) from None
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise RefusedURL("bad_url", _("Only http and https links can be checked."))
    if not host:
        raise RefusedURL("bad_url", _("The address has no host."))
    if parsed.user is not None or parsed.password is not None:
        raise RefusedURL("bad_url", _("Addresses with a user name or password are not fetched."))
    try:
        parsed.port  # noqa: B018 - raises on an out-of-range port
    except ValueError:
        raise RefusedURL("bad_url", _("The port is not valid.")) from None
    refusal, canonical = _vet_host(host, allow_private)
    if refusal == "private_address":
        raise RefusedURL("private_address", _("%(host)s is not a public address.") % {"host": host})
    if refusal == "dns":
        raise RefusedURL("dns", _("%(host)s never resolves (reserved name).") % {"host": host})
    if canonical != host:
        # Fetch the canonical spelling ("127.1" → "127.0.0.1") that the guard judged.
        parsed = parsed.with_host(canonical)
    return parsed.with_fragment(None)


@functools.lru_cache(maxsize=4096)
def _vet_host(host: str, allow_private: bool) -> tuple[str, str]:
    """What the guard says of a host name as written: (the refusal kind or "", the spelling to fetch).

    Cached per host (a run checks many URLs on few hosts): the answer depends on the name alone. Names
    are still resolved, and their answers vetted, by ``guard.GuardedResolver`` at every connection.
    """
    literal = parse_ip_literal(host)
    if literal is not None and not allow_private and not is_public_address(literal):
        return "private_address", host
    if host.rstrip(".").lower().endswith(NEVER_RESOLVES):
        return "dns", host
    return "", host if literal is None else str(literal)
