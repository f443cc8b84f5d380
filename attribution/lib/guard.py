"""The SSRF guard: which URLs Citewatch may fetch, and which addresses it may connect to.

Every outbound request of the link checker and of archive lookups goes through
the session ``LinkChecker.session`` (``attribution.linkcheck.checker``) builds,
whose resolver refuses non-public addresses after DNS resolution, so a host
name that resolves to 127.0.0.1 is caught as surely as the literal. IP
literals skip the resolver inside aiohttp, so ``check_url`` refuses them up
front, in every spelling (``127.1``, ``2130706433``, ``0x7f000001``,
``[::1]``...). Both run again at every redirect hop, and ``read_body`` bounds
what a whole-body read may take.
"""

import functools
import ipaddress
import socket

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver
from django.utils.translation import gettext as _
from yarl import URL

ALLOWED_SCHEMES = {"http", "https"}
# RFC 6761: names under .invalid never resolve; answering without a lookup keeps
# tests and misconfigured sources from waiting on DNS.
NEVER_RESOLVES = (".invalid",)


class RefusedURL(Exception):
    """A URL the guard will not fetch. ``kind`` is a SourceURL.FailureKind value."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class BodyTooLarge(ValueError):
    """A response body longer than its caller's bound; the rest was never read."""


class PrivateAddressError(OSError):
    """Raised by the resolver; an OSError so aiohttp hands it back inside its connector error."""


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
    literal = parse_ip_literal(host)
    if literal is not None and not allow_private and not is_public_address(literal):
        raise RefusedURL("private_address", _("%(host)s is not a public address.") % {"host": host})
    if literal is not None and str(literal) != host:
        # Fetch the canonical spelling ("127.1" → "127.0.0.1") that the guard judged.
        parsed = parsed.with_host(str(literal))
    if host.rstrip(".").lower().endswith(NEVER_RESOLVES):
        raise RefusedURL("dns", _("%(host)s never resolves (reserved name).") % {"host": host})
    return parsed.with_fragment(None)


class GuardedResolver(AbstractResolver):
    """Resolves with ``base`` (the system resolver by default), then refuses any non-public answer.

    If a name has any private address among its answers the whole name is
    refused: connecting to "the public one" would let DNS pick the target.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        base: AbstractResolver | None = None,
        private_hosts_allowed: frozenset = frozenset(),
    ):
        self.allow_private = allow_private
        # Named hosts an intranet deployment trusts even though they resolve privately.
        self.private_hosts_allowed = frozenset(h.lower() for h in private_hosts_allowed)
        self.base = base or ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        answers = await self.base.resolve(host, port, family)
        if not self.allow_private and host.lower().rstrip(".") not in self.private_hosts_allowed:
            for answer in answers:
                if not is_public_address(ipaddress.ip_address(answer["host"])):
                    raise PrivateAddressError(f"{host} resolves to {answer['host']}, which is not a public address")
        return answers

    async def close(self) -> None:
        await self.base.close()


async def read_body(response: aiohttp.ClientResponse, *, limit: int) -> bytes:
    """The whole body of ``response``, or BodyTooLarge as soon as it passes ``limit`` bytes.

    For answers a caller must read whole (JSON): at most ``limit + 1`` bytes
    are read, so a server sending without end costs a bounded amount of memory.
    """
    if (response.content_length or 0) > limit:
        raise BodyTooLarge(f"{response.url} announces {response.content_length} bytes, more than {limit}")
    body = bytearray()
    while chunk := await response.content.read(limit + 1 - len(body)):
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge(f"{response.url} sent more than {limit} bytes")
    return bytes(body)
