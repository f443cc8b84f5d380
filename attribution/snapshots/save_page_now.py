"""Save Page Now: ask the Wayback Machine to archive each working source, and keep the copy's address.

Off unless SNAPSHOTS_SAVE_PAGE_NOW_ENABLED. The SPN2 API takes ``POST <url>`` with the page's
address and the newsroom's key ("Authorization: LOW key:secret"), answers with a job id, and
reports at ``<url>/status/<job_id>`` when the capture is done; the copy's replay address is then
stored as SourceURL.archive_url, which public pages give as the Robust Links ``data-versionurl``.

The ArchiveSubmission table is the queue. A periodic sweep adds working sources that have no
archived copy (newest first), sends those due at most SNAPSHOTS_SAVE_PAGE_NOW_PER_MINUTE a
minute (counted in the database, so across every worker), polls the jobs sent earlier, and
records each outcome on its own: a 429, a 5xx or a timeout on one source waits with backoff and
never stops the others. Every request goes through the guarded client (attribution/lib/guard.py).
"""

import asyncio
import datetime as dt
import json
import logging
import re
from dataclasses import dataclass

import aiohttp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from yarl import URL

from attribution.lib.guard import BodyTooLarge, RefusedURL, check_url, read_body
from attribution.linkcheck.checker import LinkChecker
from attribution.models import SourceURL
from attribution.snapshots.archive_submissions import ArchiveSubmission

logger = logging.getLogger(__name__)
Status = ArchiveSubmission.Status
# SPN2 answers in a few hundred bytes; anything past this is not an answer.
MAX_ANSWER_BYTES = 64 * 1024
# Sources added to the queue per sweep, and jobs polled per sweep (polls are cheap for the archive).
QUEUE_BATCH = 500
POLL_BATCH = 50
FIRST_BACKOFF = dt.timedelta(minutes=5)
# A job still pending after this many polls is sent again: SPN2 drops jobs it cannot finish.
MAX_POLLS = 30
# SPN2 errors that say the page itself cannot be saved: recorded once, never retried. Every other
# error (session limits, timeouts, the archive's own failures) is retried with backoff.
PERMANENT_ERRORS = {
    "error:bad-request",
    "error:blocked",
    "error:blocked-url",
    "error:filesize-limit",
    "error:invalid-host-resolution",
    "error:invalid-url-syntax",
    "error:method-not-allowed",
    "error:no-access",
    "error:not-found",
    "error:unauthorized",
}
_TIMESTAMP = re.compile(r"^\d{14}$")


@dataclass(frozen=True)
class Outcome:
    """What one call to the archive said, for one submission."""

    kind: str  # "submitted", "pending", "archived", "retry" (count an attempt, send again later) or "failed"
    job_id: str = ""
    archive_url: str = ""
    detail: str = ""


def save_page_now_sweep(*, now=None, resolver=None) -> dict[str, int]:
    """Queue new working sources, send and poll those due, record every outcome. Returns counts by outcome.

    Idempotent and safe to run from two workers at once: each row is claimed with a conditional
    UPDATE before anything is sent. Does nothing (returns {}) unless SNAPSHOTS_SAVE_PAGE_NOW_ENABLED.
    """
    if not settings.SNAPSHOTS_SAVE_PAGE_NOW_ENABLED:
        return {}
    now = now or timezone.now()
    counts = {"queued": queue_new_sources(now=now)}
    claimed = claim_due(now=now)
    if not claimed:
        return counts
    outcomes = asyncio.run(_ask_all(claimed, resolver))
    for submission in claimed:
        recorded = record_outcome(submission, outcomes[submission.pk], now=now)
        if recorded:
            counts[recorded] = counts.get(recorded, 0) + 1
    return counts


def queue_new_sources(*, now) -> int:
    """Add a queued submission for working sources with no archived copy and none yet. Returns how many."""
    eligible = SourceURL.objects.filter(
        status__in=[SourceURL.Status.OK, SourceURL.Status.REDIRECTED],
        is_valid=True,
        archive_url="",
        archive_submission__isnull=True,
    ).order_by("-created_at", "-pk")  # the newest citations first; older ones follow at the rate limit
    ids = list(eligible.values_list("pk", flat=True)[:QUEUE_BATCH])
    created = ArchiveSubmission.objects.bulk_create(
        [ArchiveSubmission(source_url_id=pk, next_attempt_at=now) for pk in ids], ignore_conflicts=True
    )
    return len(created)


def claim_due(*, now) -> list[ArchiveSubmission]:
    """The due jobs to poll and, within the minute's rate budget, the due sources to send; each one claimed."""
    sent_lately = ArchiveSubmission.objects.filter(submitted_at__gt=now - dt.timedelta(minutes=1)).count()
    budget = max(0, settings.SNAPSHOTS_SAVE_PAGE_NOW_PER_MINUTE - sent_lately)
    due = ArchiveSubmission.objects.filter(next_attempt_at__lte=now).select_related("source_url")
    polls = list(due.filter(status=Status.SUBMITTED).order_by("next_attempt_at", "pk")[:POLL_BATCH])
    sends = list(due.filter(status=Status.QUEUED).order_by("next_attempt_at", "pk")[:budget]) if budget else []
    return [submission for submission in polls + sends if _claim(submission, now)]


def _claim(submission: ArchiveSubmission, now) -> bool:
    # Moving next_attempt_at past the call's timeout is the claim: another sweep no longer sees it due,
    # and a worker that dies mid-call leaves a row that becomes due again by itself.
    lease_until = now + dt.timedelta(seconds=2 * settings.SNAPSHOTS_SAVE_PAGE_NOW_TIMEOUT + 60)
    changes = {"next_attempt_at": lease_until}
    if submission.status == Status.QUEUED:
        changes["submitted_at"] = now  # counted by the rate limit from now on
    claimed = ArchiveSubmission.objects.filter(
        pk=submission.pk, status=submission.status, next_attempt_at=submission.next_attempt_at
    ).update(**changes)
    for name, value in changes.items():
        setattr(submission, name, value)
    return claimed == 1


@transaction.atomic
def record_outcome(submission: ArchiveSubmission, outcome: Outcome, *, now) -> str:
    """Store one outcome on the claimed submission (and the copy on its source).

    Returns what was recorded: "submitted", "pending", "archived", "retry" or "failed" (a retry past
    SNAPSHOTS_SAVE_PAGE_NOW_MAX_ATTEMPTS is a failure); "" if another worker's claim replaced ours.
    """
    changes = _changes(submission, outcome, now)
    mine = ArchiveSubmission.objects.filter(
        pk=submission.pk, status=submission.status, next_attempt_at=submission.next_attempt_at
    )
    if mine.update(**changes) != 1:
        return ""
    new_status = changes.get("status", submission.status)
    if new_status == Status.ARCHIVED:
        SourceURL.objects.filter(pk=submission.source_url_id).update(
            archive_url=outcome.archive_url, archive_checked_at=now
        )
    if new_status == Status.FAILED:
        return "failed"
    return "retry" if new_status == Status.QUEUED else outcome.kind


def _changes(submission: ArchiveSubmission, outcome: Outcome, now) -> dict:
    poll_later = now + dt.timedelta(seconds=settings.SNAPSHOTS_SAVE_PAGE_NOW_POLL_SECONDS)
    if outcome.kind == "submitted":
        return {"status": Status.SUBMITTED, "job_id": outcome.job_id, "next_attempt_at": poll_later, "last_error": ""}
    if outcome.kind == "archived":
        return {"status": Status.ARCHIVED, "archived_at": now, "next_attempt_at": now, "last_error": ""}
    waited = now - (submission.submitted_at or now)
    if outcome.kind == "pending" and waited < MAX_POLLS * dt.timedelta(
        seconds=settings.SNAPSHOTS_SAVE_PAGE_NOW_POLL_SECONDS
    ):
        return {"next_attempt_at": poll_later, "last_error": outcome.detail[:300]}
    detail = outcome.detail or f"capture still pending after {waited}; sending it again"
    attempts = submission.attempts + 1
    if outcome.kind == "failed" or attempts >= settings.SNAPSHOTS_SAVE_PAGE_NOW_MAX_ATTEMPTS:
        logger.warning("save page now gave up on %s: %s", submission.source_url.url, detail)
        return {"status": Status.FAILED, "attempts": attempts, "next_attempt_at": now, "last_error": detail[:300]}
    ceiling = dt.timedelta(hours=settings.SNAPSHOTS_SAVE_PAGE_NOW_MAX_BACKOFF_HOURS)
    backoff = min(FIRST_BACKOFF * 2 ** (attempts - 1), ceiling)
    return {
        "status": Status.QUEUED,
        "job_id": "",
        "attempts": attempts,
        "next_attempt_at": now + backoff,
        "last_error": detail[:300],
    }


async def _ask_all(submissions: list[ArchiveSubmission], resolver) -> dict[int, Outcome]:
    checker = LinkChecker(resolver=resolver)
    allow_private = checker.config.allow_private
    outcomes: dict[int, Outcome] = {}
    async with checker.session() as session:
        # One at a time: the archive asks for gentle clients, and the rate limit keeps a sweep short.
        for submission in submissions:
            try:
                if submission.status == Status.SUBMITTED:
                    outcomes[submission.pk] = await _poll(session, submission.job_id, allow_private)
                else:
                    outcomes[submission.pk] = await _submit(session, submission.source_url.url, allow_private)
            except Exception as exc:  # one source's surprise must not fail the rest
                logger.exception("save page now failed for %s", submission.source_url.url)
                outcomes[submission.pk] = Outcome("retry", detail=f"unexpected error: {exc!r}"[:300])
    return outcomes


async def _submit(session: aiohttp.ClientSession, url: str, allow_private: bool) -> Outcome:
    status, answer = await _call(session, "POST", settings.SNAPSHOTS_SAVE_PAGE_NOW_URL, allow_private, {"url": url})
    if status is None or status == 429 or status >= 500 or status in (401, 403):
        # Our key refused (401/403) is the newsroom's to fix, not the page's fault: retried like a 5xx.
        return Outcome("retry", detail=answer.get("detail", "") or f"HTTP {status}")
    if status != 200:
        return Outcome("failed", detail=f"HTTP {status}")
    if answer.get("job_id"):
        return Outcome("submitted", job_id=str(answer["job_id"])[:100])
    return _error(answer)


async def _poll(session: aiohttp.ClientSession, job_id: str, allow_private: bool) -> Outcome:
    status_url = f"{settings.SNAPSHOTS_SAVE_PAGE_NOW_URL}/status/{job_id}"
    status, answer = await _call(session, "GET", status_url, allow_private)
    if status != 200:
        return Outcome("pending", detail=answer.get("detail", "") or f"status check answered HTTP {status}")
    if answer.get("status") == "pending":
        return Outcome("pending")
    if answer.get("status") == "success":
        return _archived(answer)
    return _error(answer)


def _archived(answer: dict) -> Outcome:
    timestamp, original = str(answer.get("timestamp", "")), str(answer.get("original_url", ""))
    if not _TIMESTAMP.match(timestamp) or not original.startswith(("https://", "http://")):
        return Outcome("retry", detail=f"success without a usable timestamp or address: {answer!r}"[:300])
    # The replay address on the same archive the capture was asked of (web.archive.org in production).
    origin = URL(settings.SNAPSHOTS_SAVE_PAGE_NOW_URL).origin()
    return Outcome("archived", archive_url=f"{origin}/web/{timestamp}/{original}")


def _error(answer: dict) -> Outcome:
    code = str(answer.get("status_ext", "") or "error:unknown")
    detail = f"{code}: {answer.get('message', '')}".strip(": ")[:300]
    return Outcome("failed" if code in PERMANENT_ERRORS else "retry", detail=detail)


async def _call(session, method: str, url: str, allow_private: bool, form: dict | None = None):
    """(HTTP status, JSON object) of one call; (None, {"detail": why}) when it could not be made or read."""
    key, secret = settings.SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY, settings.SNAPSHOTS_SAVE_PAGE_NOW_SECRET_KEY
    headers = {"Accept": "application/json", "Authorization": f"LOW {key}:{secret}"}
    try:
        target = check_url(url, allow_private=allow_private)
        async with asyncio.timeout(settings.SNAPSHOTS_SAVE_PAGE_NOW_TIMEOUT):
            async with session.request(method, target, data=form, headers=headers, allow_redirects=False) as response:
                body = await read_body(response, limit=MAX_ANSWER_BYTES)
    except (RefusedURL, BodyTooLarge, aiohttp.ClientError, TimeoutError, OSError) as exc:
        return None, {"detail": f"{type(exc).__name__}: {exc}"[:300]}
    try:
        answer = json.loads(body)
    except ValueError:  # an HTML error page from a proxy in front of the archive
        answer = {}
    return response.status, answer if isinstance(answer, dict) else {}
