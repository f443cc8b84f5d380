"""One request of a link check, and how much of its answer is read.

By default (``LINKCHECK_READ_TITLES=always``) a URL costs one GET, and what is
read of the answer is bounded:

- a 2xx HTML page: its first bytes, up to the ``</title>`` (or the ``<body>``,
  or ``LINKCHECK_MAX_BODY_BYTES``), since a title saying "Page not found" is a
  soft 404 on any site;
- then the rest of the body only if it is small (at most ``DRAIN_BYTES``):
  reading it leaves the connection free for the host's next URL, which costs
  less than a new TCP (and TLS) handshake. A longer rest is not read and the
  connection is closed; a body that announces itself as small is read whole
  in one go;
- anything else (a redirect, a 404, a PDF): the headers, and the body only to
  drain a small one in the same way.
"""

import asyncio
import time

import aiohttp
from yarl import URL

from attribution.lib.html_title import has_title_end
from attribution.linkcheck import classify as c
from attribution.linkcheck.hosts import HostGates

# A rest of the body up to this long is read (and dropped) to keep the connection: on a real network
# 64 KB takes less time than the one or two round trips of a new connection. The verdict is known by
# then, so a rest that is slow to come is not waited for longer than a new connection would cost.
DRAIN_BYTES = 64 * 1024
DRAIN_SECONDS = 0.25
MAX_PAUSE_SECONDS = 24 * 3600


class Response:
    """What a check keeps of one answer (a slotted class: one is made per request)."""

    __slots__ = ("body", "headers", "status", "url")

    def __init__(self, status: int, headers, url: URL, body: bytes = b""):
        # aiohttp's case-insensitive headers: "location" is as valid as "Location".
        self.status, self.headers, self.url, self.body = status, headers, url, body


class Budget:
    """What one check spends: time talking to servers (bounded), requests and body bytes read (counted).

    Waiting politely for a host's turn is not counted as time.
    """

    __slots__ = ("bytes_read", "remaining", "requests")

    def __init__(self, seconds: float):
        self.remaining = seconds
        self.requests = self.bytes_read = 0

    def spend(self, seconds: float) -> None:
        self.remaining -= seconds


class _Deadline:
    """``with _Deadline(seconds)``: what ``asyncio.timeout`` does (cancel the task, raise TimeoutError), and no more.

    It runs for every request; ``asyncio.timeout``'s state machine and async context manager cost
    about twice as much, which was a measurable share of the checker's CPU per request.
    """

    __slots__ = ("_cancelling", "_expired", "_handle", "_task", "when")

    def __init__(self, seconds: float):
        task = self._task = asyncio.current_task()
        loop = task.get_loop()
        self.when = loop.time() + seconds  # on the loop's clock, like ``asyncio.timeout``'s ``when()``
        self._cancelling = task.cancelling()
        self._expired = False
        self._handle = loop.call_at(self.when, self._expire)

    def _expire(self) -> None:
        self._expired = True
        self._task.cancel()

    def __enter__(self) -> "_Deadline":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self._handle.cancel()
        # As asyncio.timeout: only a cancellation of our own becomes TimeoutError; anyone else's stays one.
        if self._expired and self._task.uncancel() <= self._cancelling and exc_type is asyncio.CancelledError:
            raise TimeoutError from exc


def is_html(headers) -> bool:
    content_type = headers.get("Content-Type", "").lower()
    return not content_type or "html" in content_type


async def request(
    session: aiohttp.ClientSession,
    gates: HostGates,
    url: URL,
    method: str,
    budget: Budget,
    *,
    max_body_bytes: int,
    headers=None,
) -> Response:
    """One request within the host's politeness and the check's time budget; a 429/503 pauses the host."""
    async with gates.request(url.host):
        started = time.monotonic()
        try:
            if budget.remaining <= 0:
                raise TimeoutError
            budget.requests += 1
            # The whole exchange, body included, is under the budget: a
            # slow-drip server is cut off, however steadily it trickles.
            with _Deadline(budget.remaining) as deadline:
                async with session.request(method, url, allow_redirects=False, headers=headers) as raw:
                    response = Response(raw.status, raw.headers, url)
                    if method == "GET":
                        budget.bytes_read += await _read(raw, response, max_body_bytes, deadline.when)
        finally:
            budget.spend(time.monotonic() - started)
    if response.status in (429, 503):
        retry = c.retry_after_seconds(response.headers.get("Retry-After"))
        gates.pause(url.host, min(retry, MAX_PAUSE_SECONDS))
    return response


async def _read(raw: aiohttp.ClientResponse, response: Response, max_body_bytes: int, deadline: float) -> int:
    """Read what the check needs of a GET's body (see the module's docstring) into ``response``; returns bytes read.

    ``deadline`` (the loop's clock) is the check's: a drain stops short of it, so it never turns a verdict
    already known into a timeout.
    """
    wanted = 200 <= raw.status < 300 and is_html(raw.headers)
    length = raw.content_length
    read = 0
    if wanted and length is not None and length <= DRAIN_BYTES:
        # Small and announced: read whole, and the connection is free again. Usually it has all arrived
        # with the headers, and taking it as it lies is cheaper than the awaits of a read.
        content = raw.content
        response.body = content.read_nowait(-1) if content.is_eof() else await raw.read()
        return len(response.body)
    if wanted:
        response.body = await _read_prefix(raw, max_body_bytes)
        read = len(response.body)
    if length is None or length - read <= DRAIN_BYTES:
        read += await _drain(raw, deadline)
    # Otherwise the unread rest makes aiohttp close the connection on release rather than reuse it.
    return read


async def _read_prefix(raw: aiohttp.ClientResponse, max_body_bytes: int) -> bytes:
    """At most ``max_body_bytes`` of the body, stopping once the page title has arrived."""
    body = bytearray()
    while len(body) < max_body_bytes:
        chunk = await raw.content.read(min(65536, max_body_bytes - len(body)))
        if not chunk:
            break
        body += chunk
        if has_title_end(bytes(body)):
            break
    return bytes(body)


async def _drain(raw: aiohttp.ClientResponse, deadline: float) -> int:
    """Read and drop what is left, up to DRAIN_BYTES (one more tells it was longer) and DRAIN_SECONDS.

    Returns how many bytes that was. A rest that has not ended by then is left, with its connection.
    """
    content = raw.content
    if content.is_eof():  # it has all arrived: take it as it lies
        return len(content.read_nowait(-1))
    loop = asyncio.get_running_loop()
    # A margin before the check's own deadline, so that this one, not the check's, is the one that fires.
    until = min(loop.time() + DRAIN_SECONDS, deadline - 0.05)
    drained = 0
    if until <= loop.time():
        return drained
    try:
        async with asyncio.timeout_at(until):
            while drained <= DRAIN_BYTES:
                chunk = await content.read(DRAIN_BYTES + 1 - drained)
                if not chunk:
                    break
                drained += len(chunk)
    except TimeoutError:
        pass  # the verdict does not depend on the rest
    return drained
