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
    """``with _Deadline.start(seconds) as deadline``: what ``asyncio.timeout`` does (cancel the task, raise
    TimeoutError), and no more.

    It runs for every request. ``asyncio.timeout``'s state machine and async context manager cost about
    twice a bare timer, and a timer per request (made, pushed on the loop's heap, cancelled) was itself a
    measurable share of the checker's CPU. So each task keeps one ``_Deadline`` and at most one timer for
    all its requests: a timer that fires before the current request's deadline moves on to it, and one left
    by a finished request does nothing. A task's deadlines mostly grow (each request starts later), so its
    timer is set about once per deadline's length, not once per request.
    """

    __slots__ = ("_armed", "_cancelling", "_expired", "_handle", "_handle_when", "_loop", "_task", "when")

    def __init__(self, task: asyncio.Task):
        self._task, self._loop = task, task.get_loop()
        self._handle: asyncio.TimerHandle | None = None
        self._handle_when = self.when = 0.0  # on the loop's clock, like ``asyncio.timeout``'s ``when()``
        self._armed = self._expired = False
        self._cancelling = 0

    @classmethod
    def start(cls, seconds: float) -> "_Deadline":
        """The current task's deadline, set ``seconds`` from now."""
        task = asyncio.current_task()
        deadline = _DEADLINES.get(task)
        if deadline is None:
            deadline = _DEADLINES[task] = cls(task)
            task.add_done_callback(_forget_deadline)
        deadline.when = when = deadline._loop.time() + seconds
        deadline._cancelling = task.cancelling()
        deadline._armed, deadline._expired = True, False
        if deadline._handle is None or deadline._handle_when > when:
            if deadline._handle is not None:
                deadline._handle.cancel()
            deadline._schedule(when)
        return deadline

    def _schedule(self, when: float) -> None:
        self._handle_when = when
        self._handle = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._handle = None
        if not self._armed:
            return  # the request it was set for is over
        if self.when > self._handle_when:
            self._schedule(self.when)  # set for an earlier request: the current one may run on
        else:
            self._expired = True
            self._task.cancel()

    def __enter__(self) -> "_Deadline":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self._armed = False
        # As asyncio.timeout: only a cancellation of our own becomes TimeoutError; anyone else's stays one.
        if self._expired and self._task.uncancel() <= self._cancelling and exc_type is asyncio.CancelledError:
            raise TimeoutError from exc


# Each task's _Deadline, while the task lives (tasks of any thread's loop: keys never collide).
_DEADLINES: dict[asyncio.Task, _Deadline] = {}


def _forget_deadline(task: asyncio.Task) -> None:
    deadline = _DEADLINES.pop(task, None)
    if deadline is not None and deadline._handle is not None:
        deadline._handle.cancel()


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
    host = url.host
    gate = gates.enter_now(host) or await gates.enter(host)
    started = time.monotonic()
    try:
        if budget.remaining <= 0:
            raise TimeoutError
        budget.requests += 1
        # The whole exchange, body included, is under the budget: a
        # slow-drip server is cut off, however steadily it trickles.
        with _Deadline.start(budget.remaining) as deadline:
            # Awaited and released by hand rather than ``async with``: the same calls (release, then
            # wait_for_close), without the four coroutines of aiohttp's two context managers per request.
            raw = await session.request(method, url, allow_redirects=False, headers=headers)
            try:
                response = Response(raw.status, raw.headers, url)
                if method == "GET":
                    read = _take_arrived(raw, response)
                    if read is None:
                        read = await _read(raw, response, max_body_bytes, deadline.when)
                    budget.bytes_read += read
            finally:
                raw.release()
                await raw.wait_for_close()
    finally:
        budget.spend(time.monotonic() - started)
        gates.leave(gate)
    if response.status in (429, 503):
        retry = c.retry_after_seconds(response.headers.get("Retry-After"))
        gates.pause(host, min(retry, MAX_PAUSE_SECONDS))
    return response


def _take_arrived(raw: aiohttp.ClientResponse, response: Response) -> int | None:
    """What ``_read`` would read, when the body is small, announced and has all arrived with the headers
    (most answers): taken as it lies, with no coroutine. None when ``_read`` has to wait for it.
    """
    length = raw.content_length
    if length is None or length > DRAIN_BYTES or not raw.content.is_eof():
        return None
    body = raw.content.read_nowait(-1)
    if 200 <= raw.status < 300 and is_html(raw.headers):
        response.body = body  # a page: its title is read; anything else is drained, as ``_drain`` would
    return len(body)


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
