"""Fetching a cited page for a snapshot, through the link checker's guarded client.

The same guard as link checks: http(s) only, private addresses refused after
DNS and again at every redirect hop, a wall-clock timeout, and a bounded read.
A page longer than SNAPSHOTS_MAX_BYTES keeps its first SNAPSHOTS_MAX_BYTES
and is marked truncated; the rest is never read, so memory stays bounded
whatever the server sends. Everything here is free of database access.
"""

import asyncio

import aiohttp
from django.conf import settings
from django.utils.translation import gettext as _
from yarl import URL

from attribution.lib.guard import RefusedURL, check_url
from attribution.linkcheck.checker import CheckerConfig, LinkChecker
from attribution.snapshots.extract import document_kind
from attribution.snapshots.warc import Page, write_warc

# Callers (services, drift checks) take Page and write_warc from here, beside fetch_page.
__all__ = ["FetchError", "Page", "fetch_page", "read_prefix", "write_warc"]

REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


class FetchError(Exception):
    """The page could not be fetched (refused by the guard, timeout, connection error). ``str()`` says why."""


def fetch_page(url: str, *, documents_only: bool = True) -> Page:
    """GET ``url`` through the guard, following redirects. Raises FetchError; never reads past the size bound.

    Any HTTP status is returned (a 404 is a Page with status 404). With
    ``documents_only`` a response declared as neither HTML nor PDF has its
    body left unread (``body == b""``): a video costs nothing.
    """
    try:
        return asyncio.run(_fetch(url, documents_only=documents_only))
    except RefusedURL as refused:
        raise FetchError(_("refused: %(reason)s") % {"reason": refused}) from None
    except TimeoutError:
        raise FetchError(_("no answer within %(seconds)s seconds") % {"seconds": settings.SNAPSHOTS_TIMEOUT}) from None
    except (aiohttp.ClientError, OSError) as error:
        raise FetchError(_("could not connect: %(error)s") % {"error": error or type(error).__name__}) from None


def _config() -> CheckerConfig:
    return CheckerConfig.from_settings()


def _vet(url: str, config: CheckerConfig) -> URL:
    try:
        host = (URL(url.strip()).host or "").lower()
    except (ValueError, TypeError, UnicodeError):
        host = ""
    return check_url(url, allow_private=config.allow_private or host in config.private_hosts_allowed)


async def _fetch(url: str, *, documents_only: bool) -> Page:
    config = _config()
    async with LinkChecker(config).session() as session, asyncio.timeout(settings.SNAPSHOTS_TIMEOUT):
        target = _vet(url, config)
        for _hop in range(config.max_redirects + 1):
            async with session.get(target, allow_redirects=False) as response:
                if response.status in REDIRECTS and "Location" in response.headers:
                    target = _vet(str(target.join(URL(response.headers["Location"]))), config)
                    continue
                return await _page(url, response, documents_only=documents_only)
    raise FetchError(_("more than %(max)d redirects") % {"max": config.max_redirects})


async def _page(url: str, response: aiohttp.ClientResponse, *, documents_only: bool) -> Page:
    content_type = response.content_type.lower() if "Content-Type" in response.headers else ""
    body, truncated = b"", False
    if not documents_only or document_kind(content_type) or content_type in ("", "application/octet-stream"):
        body, truncated = await read_prefix(response, limit=settings.SNAPSHOTS_MAX_BYTES)
    return Page(
        url=url,
        final_url=str(response.url),
        status=response.status,
        reason=response.reason or "",
        content_type=content_type,
        headers=list(response.headers.items()),
        body=body,
        truncated=truncated,
        request_headers=list(response.request_info.headers.items()),
    )


async def read_prefix(response: aiohttp.ClientResponse, *, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, and whether there was more. Reads at most ``limit + 1`` bytes."""
    body = bytearray()
    while len(body) <= limit:
        chunk = await response.content.read(min(CHUNK, limit + 1 - len(body)))
        if not chunk:
            return bytes(body), False
        body += chunk
    # One byte past the limit proves there was more; the rest stays on the wire (the connection is dropped).
    return bytes(body[:limit]), True
