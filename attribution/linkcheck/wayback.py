"""Archived copies from the Wayback Machine availability API, for sources that are dead or failing.

Off unless LINKCHECK_WAYBACK_ENABLED; LINKCHECK_WAYBACK_URL points at the API
(tests point it at a local stand-in). Requests go through the same guarded
session as link checks.
"""

import asyncio
import json
import logging

import aiohttp
from django.conf import settings

from attribution.lib.guard import BodyTooLarge, RefusedURL, check_url, read_body
from attribution.linkcheck.checker import LinkChecker

logger = logging.getLogger(__name__)
# The availability API answers in well under 1 KB; anything past this is not an answer worth reading.
MAX_ANSWER_BYTES = 64 * 1024


def archived_copies(urls: dict[int, str], *, resolver=None) -> dict[int, str]:
    """For each id → URL, the closest archived snapshot URL, or "" if the archive has none.

    An id is left out when the lookup itself failed, so it is tried again next time.
    """
    if not urls:
        return {}
    return asyncio.run(_lookup_all(urls, resolver))


async def _lookup_all(urls: dict[int, str], resolver) -> dict[int, str]:
    checker = LinkChecker(resolver=resolver)
    found: dict[int, str] = {}
    async with checker.session() as session:
        semaphore = asyncio.Semaphore(2)  # one service; be gentle with it

        async def lookup(pk: int, url: str) -> None:
            async with semaphore:
                snapshot = await _lookup(session, url, checker.config.allow_private)
            if snapshot is not None:
                found[pk] = snapshot

        await asyncio.gather(*(lookup(pk, url) for pk, url in urls.items()))
    return found


async def _lookup(session: aiohttp.ClientSession, url: str, allow_private: bool) -> str | None:
    try:
        api = check_url(settings.LINKCHECK_WAYBACK_URL, allow_private=allow_private).with_query(url=url)
        async with asyncio.timeout(settings.LINKCHECK_TOTAL_TIMEOUT):
            async with session.get(api, allow_redirects=False) as response:
                if response.status != 200:
                    return None
                data = json.loads(await read_body(response, limit=MAX_ANSWER_BYTES))
    except BodyTooLarge as too_large:
        logger.warning("wayback lookup failed for %s: %s", url, too_large)
        return None
    except (RefusedURL, aiohttp.ClientError, TimeoutError, ValueError, OSError):
        # ValueError: the answer is not JSON (json.JSONDecodeError and UnicodeDecodeError are ValueErrors).
        logger.warning("wayback lookup failed for %s", url, exc_info=True)
        return None
    closest = (data.get("archived_snapshots") or {}).get("closest") or {} if isinstance(data, dict) else {}
    snapshot = closest.get("url", "") if closest.get("available") else ""
    return snapshot if snapshot.startswith(("https://", "http://")) else ""
