"""What a response means for a link: soft 404s, bot walls, and the outcome a check reports.

Reading a page's title is ``attribution.lib.html_title``; judging it is here.
"""

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from yarl import URL

from attribution.lib.domains import bare_host, is_homepage_path

# Outcomes a check reports; services.record_check_results turns them into a status.
OK, REDIRECTED, BLOCKED, HARD_FAILURE, SOFT_FAILURE, RATE_LIMITED, INVALID, DEFERRED = (
    "ok",
    "redirected",
    "blocked",
    "hard_failure",
    "soft_failure",
    "rate_limited",
    "invalid",
    "deferred",
)
# Failure kinds that count towards the dead rule; everything else can be a
# passing outage and leaves a link "failing".
HARD_KINDS = {"http_4xx", "dns", "soft_404", "refused"}
HARD_STATUSES = {404, 410}
BLOCKING_STATUSES = {401, 402, 403, 999}
PERMANENT_REDIRECTS = {301, 308}

_NOT_FOUND_PATH = re.compile(
    r"(?:^|[/_.-])(?:404|not[-_]?found|page[-_]?not[-_]?found|error[-_]?404)(?:$|[/_.?-])", re.I
)
_NOT_FOUND_TITLE = re.compile(
    r"\b(?:404|page not found|not found|no longer available|does(?: not|n['’]t) exist|page (?:is )?missing)\b", re.I
)


def same_site(a: URL, b: URL) -> bool:
    return bare_host(a.host) == bare_host(b.host)


def is_deep_link(url: URL) -> bool:
    return not is_homepage_path(url.path) or bool(url.query_string)


def is_soft_404_redirect(original: URL, final: URL) -> bool:
    """A deep link sent to the site's front page, or to a URL that says "not found"."""
    if not is_deep_link(original) or original.with_fragment(None) == final.with_fragment(None):
        return False
    if same_site(original, final) and not is_deep_link(final):
        return True
    return bool(_NOT_FOUND_PATH.search(final.path)) and not _NOT_FOUND_PATH.search(original.path)


def title_says_not_found(title: str) -> bool:
    return bool(_NOT_FOUND_TITLE.search(title))


def is_bot_wall(status: int, headers) -> bool:
    """Cloudflare and friends: a challenge page, whatever the status code says."""
    return headers.get("cf-mitigated", "").lower() == "challenge" or (
        status in (403, 503) and "challenge" in headers.get("server-timing", "").lower()
    )


def failure_kind_for_status(status: int) -> str:
    return "http_5xx" if status >= 500 else "http_4xx"


def retry_after_seconds(value: str | None, default: float = 60.0, *, now: datetime | None = None) -> float:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; missing or garbage counts as ``default``."""
    if not value:
        return default
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
