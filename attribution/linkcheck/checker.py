"""Check many URLs at once and say what each one is: ok, moved, blocked, failing, or invalid.

Everything here is asyncio and aiohttp with no database access; the scheduler
and services feed it URLs and store what it returns. ``check_urls`` is the
synchronous entry point for tasks and commands.
"""

import asyncio
import logging
import re
import socket
import ssl
import time
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import aiohttp
from django.conf import settings
from yarl import URL

from attribution.lib.gc_threshold import FewerCollections
from attribution.lib.guard import GuardedResolver, PrivateAddressError, RefusedURL, check_url
from attribution.lib.html_title import page_title
from attribution.linkcheck import classify as c
from attribution.linkcheck.fetch import Budget, Response, request
from attribution.linkcheck.headfirst import REDIRECT_STATUSES, HeadFirst
from attribution.linkcheck.hosts import HostGates, HostPaused

logger = logging.getLogger(__name__)
_NETLOC = re.compile(r"//([^/?#]*)")
# After a 403 we ask once more the way a browser would, so a site that only
# turns away unknown clients is reported as "blocked", not dead, and a site
# that lets browsers in is reported as working.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-GB,en;q=0.9",
}


# Slotted: one is made per URL, and a run keeps thousands.
@dataclass(slots=True)
class CheckResult:
    url: str
    outcome: str
    http_status: int | None = None
    final_url: str = ""
    redirect_chain: list[dict] = field(default_factory=list)
    failure_kind: str = ""
    elapsed_ms: int = 0
    detail: str = ""
    # For a deferred check: seconds until the host said we may come back.
    retry_in_seconds: float | None = None
    # What the check cost: requests sent and body bytes read (redirects and retries included).
    requests: int = 0
    bytes_read: int = 0


@dataclass(frozen=True)
class CheckerConfig:
    allow_private: bool
    connect_timeout: float
    total_timeout: float
    max_body_bytes: int
    max_redirects: int
    per_host_concurrency: int
    per_host_interval: float
    max_retry_after: float
    user_agent: str
    private_hosts_allowed: frozenset = frozenset()
    # "always": one GET per URL, every HTML page's title read; "auto"/"never": HEAD first (headfirst.py).
    read_titles: str = "always"

    @classmethod
    def from_settings(cls, **overrides) -> "CheckerConfig":
        values = {
            "allow_private": settings.LINKCHECK_ALLOW_PRIVATE_HOSTS,
            "connect_timeout": settings.LINKCHECK_CONNECT_TIMEOUT,
            "total_timeout": settings.LINKCHECK_TOTAL_TIMEOUT,
            "max_body_bytes": settings.LINKCHECK_MAX_BODY_BYTES,
            "max_redirects": settings.LINKCHECK_MAX_REDIRECTS,
            "per_host_concurrency": settings.LINKCHECK_PER_HOST_CONCURRENCY,
            "per_host_interval": settings.LINKCHECK_PER_HOST_INTERVAL_MS / 1000,
            "max_retry_after": settings.LINKCHECK_MAX_RETRY_AFTER_SECONDS,
            "user_agent": settings.LINKCHECK_USER_AGENT,
            "private_hosts_allowed": frozenset(settings.LINKCHECK_PRIVATE_HOSTS_ALLOWED),
            "read_titles": settings.LINKCHECK_READ_TITLES,
        }
        return cls(**(values | overrides))


class _TooManyRedirects(Exception):
    pass


class LinkChecker:
    """Checks URLs through one guarded aiohttp session. ``resolver`` replaces DNS (tests, benchmarks)."""

    def __init__(
        self, config: CheckerConfig | None = None, *, resolver=None, ssl_context: ssl.SSLContext | None = None
    ):
        self.config = config or CheckerConfig.from_settings()
        self.resolver = resolver
        self.ssl_context = ssl_context
        self._head_first: HeadFirst | None = None

    async def check_all(self, urls: list[str], *, failing: Iterable[str] = (), on_done=None) -> dict[str, CheckResult]:
        """Check each distinct URL once (fragments ignored). Returns results keyed by the URLs as given.

        ``failing`` holds URLs already failing: this check may be the one that
        makes them dead, so (HEAD first) a "not found" from HEAD is always confirmed by GET.
        ``on_done(url, result)``, if given, is called as each distinct URL's check is done (progress bars).
        """
        # Inline rather than per-URL calls: on 50,000 URLs this runs before the first request is sent.
        distinct = {url: url.split("#", 1)[0] if "#" in url else url for url in urls}
        failing = frozenset(_without_fragment(url) for url in failing)
        gates = HostGates(
            concurrency=self.config.per_host_concurrency,
            interval=self.config.per_host_interval,
            max_wait=self.config.max_retry_after,
        )
        self._head_first = None
        if self.config.read_titles != "always":
            self._head_first = HeadFirst(
                read_titles=self.config.read_titles, total_timeout=self.config.total_timeout, request=self._request
            )
        # One queue per host, worked by as many coroutines as the host may have requests in flight:
        # a few hundred tasks instead of one per URL, each starting its next check the moment it is free.
        queues: dict[str, deque[str]] = defaultdict(deque)
        hosts: dict[str, str] = {}  # a URL's netloc as written → its queue's host (a run sees few)
        for url in dict.fromkeys(distinct.values()):  # in the order given, each once
            netloc = url.partition("//")[2].partition("/")[0]
            host = hosts.get(netloc)
            if host is None:
                host = hosts[netloc] = _host_of(url)
            queues[host].append(url)
        by_target: dict[str, CheckResult] = {}

        async def work(session, queue: deque[str]) -> None:
            while queue:
                url = queue.popleft()
                result = by_target[url] = await self.check_one(session, gates, url, confirm_not_found=url in failing)
                if on_done:
                    on_done(url, result)

        async with self.session() as session:
            # Every host's first worker, then every host's second...: the first requests (new connections) take
            # the loop ~60 ms on the bench's 200, and started host by host, all of the last host's workers would
            # start that late and the run end with them. Interleaved, each host has early and late workers.
            await asyncio.gather(
                *(
                    work(session, queue)
                    for slot in range(self.config.per_host_concurrency)
                    for queue in queues.values()
                    if slot < len(queue)
                )
            )
            if self._head_first:
                await self._head_first.close()
        return {url: by_target[target] for url, target in distinct.items()}

    def session(self) -> aiohttp.ClientSession:
        """The guarded session: every outbound request of link checks and archive lookups goes through one."""
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(
                allow_private=self.config.allow_private,
                base=self.resolver,
                private_hosts_allowed=self.config.private_hosts_allowed,
            ),
            # Per-host gates bound concurrency; the batch size bounds the total.
            limit=0,
            ttl_dns_cache=300,
            ssl=self.ssl_context if self.ssl_context is not None else True,
        )
        return aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.config.connect_timeout),
            headers={"User-Agent": self.config.user_agent},
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def check_one(self, session, gates: HostGates, url: str, *, confirm_not_found: bool = False) -> CheckResult:
        started = time.monotonic()
        budget = Budget(self.config.total_timeout)
        try:
            target = check_url(url, allow_private=self.config.allow_private)
            result = await self._follow(session, gates, target, budget, confirm_not_found)
        except RefusedURL as refused:
            outcome = c.HARD_FAILURE if refused.kind == "dns" else c.INVALID
            result = CheckResult(url, outcome, failure_kind=refused.kind, detail=str(refused))
        except HostPaused as paused:
            result = CheckResult(url, c.DEFERRED, detail=str(paused), retry_in_seconds=paused.until - time.monotonic())
        except _TooManyRedirects as loop:
            result = CheckResult(url, c.SOFT_FAILURE, failure_kind="too_many_redirects", detail=str(loop))
        except (TimeoutError, aiohttp.ServerTimeoutError):
            result = CheckResult(url, c.SOFT_FAILURE, failure_kind="timeout", detail="timed out")
        except (aiohttp.ClientError, OSError) as error:
            result = _connection_failure(url, error)
        except Exception as error:  # one odd server must not sink the whole batch
            logger.warning("unexpected error checking %s", url, exc_info=True)
            result = CheckResult(
                url, c.SOFT_FAILURE, failure_kind="other", detail=f"{type(error).__name__}: {error}"[:300]
            )
        result.elapsed_ms = int((time.monotonic() - started) * 1000)
        result.requests, result.bytes_read = budget.requests, budget.bytes_read
        return result

    async def _follow(self, session, gates: HostGates, url: URL, budget: Budget, confirm_not_found: bool):
        chain: list[dict] = []
        seen = None  # the addresses visited, made at the first redirect
        current = url
        for _hop in range(self.config.max_redirects + 1):
            if self._head_first is None:  # one GET (the default), without a coroutine of its own per request
                response = await self._request(session, gates, current, "GET", budget)
            else:
                response = await self._fetch_head_first(session, gates, current, budget, confirm_not_found)
            if response.status in (401, 403) and not c.is_bot_wall(response.status, response.headers):
                response = await self._request(session, gates, current, "GET", budget, headers=BROWSER_HEADERS)
            location = response.headers.get("Location") if response.status in REDIRECT_STATUSES else None
            if not location:
                return _classify(url, response, chain)
            chain.append({"url": str(current), "status": response.status})
            seen = seen or {str(url)}
            # The guard runs again on every hop: a public page may redirect inward.
            current = check_url(str(current.join(URL(location))), allow_private=self.config.allow_private)
            if str(current) in seen:
                raise _TooManyRedirects(f"redirect loop back to {current}")
            seen.add(str(current))
        raise _TooManyRedirects(f"more than {self.config.max_redirects} redirects")

    async def _fetch_head_first(self, session, gates, url: URL, budget: Budget, confirm_not_found: bool) -> Response:
        """HEAD, then GET when HEAD leaves doubt. (``_follow`` asks a 401/403 again as a browser.)"""
        response = await self._request(session, gates, url, "HEAD", budget)
        if await self._head_first.head_is_enough(session, gates, url, response, confirm_not_found):
            return response
        return await self._request(session, gates, url, "GET", budget)

    def _request(self, session, gates, url: URL, method: str, budget: Budget, headers=None):
        return request(session, gates, url, method, budget, max_body_bytes=self.config.max_body_bytes, headers=headers)


def _host_of(url: str) -> str:
    """The host (and port) a URL's check is queued under: a cheap grouping, as the gates enforce politeness."""
    netloc = _NETLOC.search(url)
    return netloc.group(1).rpartition("@")[2].lower() if netloc else ""


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def _classify(original: URL, response: Response, chain: list[dict]) -> CheckResult:
    status = response.status
    spelled = str(original)
    final_url = spelled if response.url is original else str(response.url)
    result = CheckResult(spelled, c.OK, http_status=status, final_url=final_url, redirect_chain=chain)
    if 200 <= status < 300:
        # The header's charset, when it names one, says how to read the title's bytes.
        title = page_title(response.body, content_type=response.headers.get("Content-Type")) if response.body else ""
        if (chain and c.is_soft_404_redirect(original, response.url)) or c.title_says_not_found(title):
            result.outcome, result.failure_kind = c.HARD_FAILURE, "soft_404"
            result.detail = title or f"redirected to {response.url}"
        elif chain and chain[0]["status"] in c.PERMANENT_REDIRECTS:
            result.outcome = c.REDIRECTED
    elif c.is_bot_wall(status, response.headers) or status in c.BLOCKING_STATUSES:
        result.outcome, result.failure_kind = c.BLOCKED, "bot_wall"
    elif status == 429:
        result.outcome, result.failure_kind = c.RATE_LIMITED, "rate_limited"
    elif status in c.HARD_STATUSES:
        result.outcome, result.failure_kind = c.HARD_FAILURE, "http_4xx"
    else:
        result.outcome, result.failure_kind = c.SOFT_FAILURE, c.failure_kind_for_status(status)
    return result


def _connection_failure(url: str, error: Exception) -> CheckResult:
    os_error = getattr(error, "os_error", None)
    if isinstance(os_error, PrivateAddressError):
        return CheckResult(url, c.INVALID, failure_kind="private_address", detail=str(os_error))
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        # Only "no such name" is a hard failure; a resolver that timed out says nothing about the link.
        hard = isinstance(os_error, socket.gaierror) and os_error.errno in (socket.EAI_NONAME, socket.EAI_NODATA)
        return CheckResult(url, c.HARD_FAILURE if hard else c.SOFT_FAILURE, failure_kind="dns", detail=str(os_error))
    if isinstance(error, aiohttp.ClientSSLError | ssl.SSLError):
        return CheckResult(url, c.SOFT_FAILURE, failure_kind="tls", detail=str(error)[:300])
    if isinstance(os_error, ConnectionRefusedError) or isinstance(error, ConnectionRefusedError):
        return CheckResult(url, c.HARD_FAILURE, failure_kind="refused", detail=str(error)[:300])
    if isinstance(error, aiohttp.ClientResponseError) and "bytes" in str(error.message):
        return CheckResult(url, c.SOFT_FAILURE, failure_kind="too_large", detail=str(error)[:300])
    return CheckResult(url, c.SOFT_FAILURE, failure_kind="other", detail=f"{type(error).__name__}: {error}"[:300])


def check_urls(
    urls: list[str],
    *,
    failing: Iterable[str] = (),
    config: CheckerConfig | None = None,
    resolver=None,
    ssl_context=None,
    on_done=None,
):
    """Check URLs synchronously (for tasks and commands). Returns ``{url: CheckResult}``; never raises for a bad URL.

    ``failing``: the URLs among them that are already failing (see ``LinkChecker.check_all``).
    """
    checker = LinkChecker(config, resolver=resolver, ssl_context=ssl_context)
    # Each result keeps a few container objects: a collection every ~130 URLs cost 10-12 % of the CPU.
    with FewerCollections():
        return asyncio.run(checker.check_all(list(urls), failing=failing, on_done=on_done))
