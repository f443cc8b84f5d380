"""Feed requests through the link checker's guarded client: SSRF guard, timeouts, bounded reads.

A CMS often sits on the newsroom's private network, which the guard refuses;
FEEDS_ALLOWED_PRIVATE_HOSTS names the hosts (names or IP literals) a feed may
reach there. Nothing else is lifted: a redirect to any other private address
is refused at that hop, as for link checks.

Everything here is asyncio with no database access; ``sync`` runs it with
``asyncio.run`` and writes the results afterwards.
"""

import asyncio
from dataclasses import dataclass

import aiohttp
from django.conf import settings
from django.utils.translation import gettext as _
from multidict import CIMultiDict
from yarl import URL

from attribution.lib.guard import BodyTooLarge, RefusedURL, check_url, read_body
from attribution.linkcheck.checker import CheckerConfig, LinkChecker

REDIRECTS = {301, 302, 303, 307, 308}
MAX_FEED_REDIRECTS = 5


class FeedError(Exception):
    """A feed that could not be read this time. ``str()`` is what editors see as the feed's last error."""


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 (not modified since the validators we sent)
    body: bytes
    headers: CIMultiDict
    url: str


def allowed_private_hosts() -> frozenset[str]:
    return frozenset(h.strip().strip("[]").lower() for h in settings.FEEDS_ALLOWED_PRIVATE_HOSTS if h.strip())


def vet_feed_url(url: str) -> URL:
    """The URL as the guard passes it, private hosts allowed only if listed. Raises RefusedURL."""
    try:
        host = (URL(url.strip()).host or "").lower()
    except (ValueError, TypeError, UnicodeError):
        host = ""
    return check_url(url, allow_private=host in allowed_private_hosts())


def feed_session(resolver=None) -> aiohttp.ClientSession:
    """The link checker's guarded session, trusting only the feed allow-list's private hosts."""
    config = CheckerConfig.from_settings(allow_private=False, private_hosts_allowed=allowed_private_hosts())
    return LinkChecker(config, resolver=resolver).session()


async def get(session: aiohttp.ClientSession, url: str, *, headers: dict | None = None) -> Fetched:
    """GET ``url``, following redirects with the guard at every hop. Raises FeedError on any failure.

    A 200 or 304 is returned; any other status is a FeedError naming it.
    """
    try:
        async with asyncio.timeout(settings.FEEDS_TIMEOUT):
            return await _follow(session, url, headers or {})
    except RefusedURL as refused:
        raise FeedError(_("refused: %(reason)s") % {"reason": refused}) from None
    except TimeoutError:
        raise FeedError(_("no answer within %(seconds)s seconds") % {"seconds": settings.FEEDS_TIMEOUT}) from None
    except BodyTooLarge:
        raise FeedError(
            _("the answer is larger than FEEDS_MAX_BYTES (%(limit)d bytes)") % {"limit": settings.FEEDS_MAX_BYTES}
        ) from None
    except (aiohttp.ClientError, OSError) as error:
        raise FeedError(_("could not connect: %(error)s") % {"error": error or type(error).__name__}) from None


async def _follow(session: aiohttp.ClientSession, url: str, headers: dict) -> Fetched:
    target = vet_feed_url(url)
    for _hop in range(MAX_FEED_REDIRECTS + 1):
        async with session.get(target, headers=headers, allow_redirects=False) as response:
            if response.status in REDIRECTS and "Location" in response.headers:
                target = vet_feed_url(str(target.join(URL(response.headers["Location"]))))
                continue
            if response.status not in (200, 304):
                raise FeedError(_("the server answered HTTP %(status)d") % {"status": response.status})
            body = b"" if response.status == 304 else await read_body(response, limit=settings.FEEDS_MAX_BYTES)
            return Fetched(response.status, body, CIMultiDict(response.headers), str(response.url))
    raise FeedError(_("more than %(max)d redirects") % {"max": MAX_FEED_REDIRECTS})


def feed_url_problem(url: str) -> str:
    """Why a feed may not have this address (for forms and the API), or "" if the guard would fetch it."""
    try:
        vet_feed_url(url)
    except RefusedURL as refused:
        if refused.kind == "private_address":
            return _("%(reason)s Add the host to FEEDS_ALLOWED_PRIVATE_HOSTS if the CMS is on a private network.") % {
                "reason": refused
            }
        return str(refused)
    return ""
