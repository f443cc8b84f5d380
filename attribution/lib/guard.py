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

import ipaddress
import socket

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver

# URL vetting lives apart, free of aiohttp; re-exported so every fetcher imports the guard alone.
from attribution.lib.addresses import (  # noqa: F401
    ALLOWED_SCHEMES,
    NEVER_RESOLVES,
    RefusedURL,
    check_url,
    is_public_address,
    parse_ip_literal,
)


class BodyTooLarge(ValueError):
    """A response body longer than its caller's bound; the rest was never read."""


class PrivateAddressError(OSError):
    """Raised by the resolver; an OSError so aiohttp hands it back inside its connector error."""


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
