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
# A title says "not found" when one of its parts (split where sites join the page's name and their own:
# " | ", " - ", " — ", ": "...) is nothing but an error page's words. Now that every page's title is read,
# a search anywhere in it would make "Missing hikers not found after three days" a dead link.
_TITLE_PARTS = re.compile(r"\s+[-–—|:·•»]\s+|\s*[|·•»]\s*|:\s+")
_NOT_FOUND_PART = re.compile(
    r"(?:(?:oops|sorry|whoops|uh[- ]oh|error)\b[!,.:]*\s*)*(?:"
    r"(?:error\s*)?(?:http\s*)?404(?:\s*error)?(?:\s*[-:–—]?\s*(?:the\s+)?(?:page|file)?\s*not\s+found)?"
    r"|(?:the\s+|this\s+)?(?:page|file|article|story|content|document|url|resource)?\s*(?:was\s+|is\s+)?not\s+found"
    r"|(?:the\s+|this\s+)?(?:page|article|story|content|link)(?:\s+you\s+(?:were\s+looking\s+for|requested))?\s+"
    r"(?:is\s+)?(?:no\s+longer\s+available|missing|does(?:\s+not|n['’]t)\s+exist|(?:could\s+not|cannot|can['’]t)\s+be\s+found)"
    r"|(?:page\s+)?no\s+longer\s+available"
    r")[\s!.]*",
    re.IGNORECASE,
)
# Every alternative of _NOT_FOUND_PART ends in one of these words, so a title without any of them has no
# part that says "not found". One search of the title (same flag, so the same letters match) spares the
# split and the matches for almost every page, now that every page's title is judged.
_NOT_FOUND_WORDS = re.compile(r"404|found|available|missing|exist", re.IGNORECASE)


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
    """Whether a page's title is an error page's ("Page not found | Gazette"), not a headline that says "not found"."""
    if not _NOT_FOUND_WORDS.search(title):
        return False
    return any(_NOT_FOUND_PART.fullmatch(part) for part in _TITLE_PARTS.split(title.strip()) if part)


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
