"""The one place link-check state changes: results, editors' overrides, check requests, history pruning.

Views, the admin, the API, tasks and the check_links command all call these.
"""

from __future__ import annotations

import logging
import random
import time
from contextlib import nullcontext
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attribution.history.record import credits_actor, ensure_baseline, record_changes
from attribution.lib.queue import enqueue_on_commit
from attribution.linkcheck import classify as c
from attribution.linkcheck.bulk import bulk_insert_history, bulk_write
from attribution.linkcheck.scheduler import Batch, LeaseKeeper, claim
from attribution.models import LinkCheck, SourceURL
from attribution.snapshots.sweep import wake_sweep

# The checker (aiohttp) is imported where links are checked, so the admin and the API, which record
# overrides and queue checks, do not load it at start-up.
if TYPE_CHECKING:
    from attribution.linkcheck.checker import CheckResult

logger = logging.getLogger(__name__)
CHECK_LINK_BATCH = "attribution.tasks.check_link_batch"
Status = SourceURL.Status
# A chunk smaller than LINKCHECK_RECORD_CHUNK_SIZE is recorded once its oldest result has waited this long,
# so a few slow pages at the end do not hold finished results back.
RECORD_MAX_WAIT_SECONDS = 1.0
STATE_FIELDS = [
    "status",
    "http_status",
    "final_url",
    "redirect_chain",
    "failure_kind",
    "consecutive_failures",
    "first_failure_at",
    "hard_failures",
    "first_hard_failure_at",
    "last_success_at",
    "last_checked_at",
    "became_dead_at",
    "became_redirected_at",
    "next_check_at",
    "lease_token",
    "lease_expires_at",
    "override",
    "override_status",
]


@transaction.atomic
def record_check_results(results: dict[int, CheckResult], *, token: str | None, actor=None, now=None) -> int:
    """Store check results (SourceURL id → result) in bulk, with one history row per URL checked.

    With ``token``, only rows still leased to that batch are written, and the
    lease is released in the same transaction: a batch delivered twice, or one
    whose lease expired and was handed to another worker, writes nothing.
    Without a token (the command, "check now" done inline) every row is written.
    Returns the number of URLs recorded.
    """
    now = now or timezone.now()
    rows = SourceURL.objects.filter(pk__in=list(results)).select_for_update()
    if token is not None:
        rows = rows.filter(lease_token=token)
    sources = list(rows.only("id", *STATE_FIELDS))
    history, lifted, newly_working = [], [], False
    for source in sources:
        result = results[source.pk]
        if result.outcome == c.DEFERRED:
            _defer(source, result, now)
            continue
        override, never_worked = source.override, source.last_success_at is None
        apply_result(source, result, now=now)
        history.append(_history_row(source, result, now))
        if source.override != override:
            lifted.append(source)
        newly_working |= never_worked and source.status in (Status.OK, Status.REDIRECTED)
    bulk_write(sources, STATE_FIELDS)
    if newly_working:
        wake_sweep()  # a source that works for the first time gets its snapshot now, not at the next sweep
    bulk_insert_history(history)
    # A different result lifts a "verified OK": an override change, so it goes on the source's record.
    record_changes(lifted, via="link check", reason="verified OK lifted: the result changed")
    return len(history)


def apply_result(source: SourceURL, result: CheckResult, *, now) -> None:
    """Move one SourceURL to the state a check result implies (in memory; the caller saves)."""
    previous, previous_kind = source.status, source.failure_kind
    source.last_checked_at = now
    source.http_status = result.http_status
    source.final_url = result.final_url
    source.redirect_chain = result.redirect_chain
    source.failure_kind = result.failure_kind
    if result.outcome in (c.OK, c.REDIRECTED, c.BLOCKED):
        _reset_failures(source)
        if result.outcome != c.BLOCKED:
            source.last_success_at = now
        source.status = result.outcome
    elif result.outcome == c.INVALID:
        _reset_failures(source)
        source.status = Status.INVALID
    else:
        _count_failure(source, result, previous, previous_kind, now)
    if source.status == Status.REDIRECTED and previous != Status.REDIRECTED:
        source.became_redirected_at = now
    if source.status == Status.DEAD and previous != Status.DEAD:
        source.became_dead_at = now
    # "Verified OK" holds until the checker sees something different.
    if source.override == SourceURL.Override.VERIFIED_OK and source.status != source.override_status:
        source.override, source.override_status = "", ""
    source.next_check_at = now + _cadence(source.status)
    source.lease_token, source.lease_expires_at = "", None


def _reset_failures(source: SourceURL) -> None:
    source.consecutive_failures, source.first_failure_at = 0, None
    source.hard_failures, source.first_hard_failure_at = 0, None


def _count_failure(source: SourceURL, result: CheckResult, previous: str, previous_kind: str, now) -> None:
    source.consecutive_failures += 1
    source.first_failure_at = source.first_failure_at or now
    if result.outcome == c.RATE_LIMITED:
        # A 429 on two checks in a row means the site will not let us verify: blocked, never dead.
        again = previous_kind == "rate_limited" and previous in (Status.FAILING, Status.BLOCKED)
        source.status = Status.BLOCKED if again else (Status.DEAD if previous == Status.DEAD else Status.FAILING)
        return
    if result.outcome == c.HARD_FAILURE:
        source.hard_failures += 1
        source.first_hard_failure_at = source.first_hard_failure_at or now
    if previous == Status.DEAD or is_dead(source, now=now):
        # Only a success brings a dead link back; an outage on top of it changes nothing.
        source.status = Status.DEAD
    else:
        source.status = Status.FAILING


def is_dead(source: SourceURL, *, now) -> bool:
    """The dead rule: enough consecutive hard failures, spread over long enough (both from settings)."""
    span = timedelta(hours=settings.LINKCHECK_DEAD_AFTER_HOURS)
    return (
        source.hard_failures >= settings.LINKCHECK_DEAD_AFTER_FAILURES
        and source.first_hard_failure_at is not None
        and now - source.first_hard_failure_at >= span
    )


def _cadence(status: str) -> timedelta:
    hours = {
        Status.FAILING: settings.LINKCHECK_FAILING_INTERVAL_HOURS,
        Status.DEAD: settings.LINKCHECK_DEAD_INTERVAL_HOURS,
        Status.INVALID: settings.LINKCHECK_DEAD_INTERVAL_HOURS,
    }.get(status, settings.LINKCHECK_OK_INTERVAL_HOURS)
    # Jitter spreads the URLs of one big import over time instead of re-checking them all in the same minute.
    jitter = settings.LINKCHECK_JITTER_PERCENT / 100
    return timedelta(hours=hours * (1 + random.uniform(-jitter, jitter)))


def _defer(source: SourceURL, result: CheckResult, now) -> None:
    """The host asked for a pause longer than a run may wait: come back then, no verdict and no history."""
    source.next_check_at = now + timedelta(seconds=max(60.0, result.retry_in_seconds or 0))
    source.lease_token, source.lease_expires_at = "", None


def _history_row(source: SourceURL, result: CheckResult, now) -> LinkCheck:
    return LinkCheck(
        source_url_id=source.pk,
        checked_at=now,
        status=source.status,
        http_status=result.http_status,
        elapsed_ms=result.elapsed_ms,
        final_url=result.final_url,
        failure_kind=result.failure_kind,
        detail=result.detail[:300],
    )


@credits_actor
@transaction.atomic
def set_override(source: SourceURL, override: str, *, actor) -> None:
    """Record an editor's verdict: "ignore" (stop flagging it), "verified_ok" (until the result changes) or "".

    The change goes on the source's history, credited to ``actor``.
    """
    if override not in SourceURL.Override.values:
        raise ValueError(f"unknown override {override!r}")
    ensure_baseline([source])
    SourceURL.objects.filter(pk=source.pk).update(
        override=override,
        override_status=source.status if override == SourceURL.Override.VERIFIED_OK else "",
        override_by=actor if override else None,
        override_at=timezone.now() if override else None,
    )
    source.refresh_from_db()
    record_changes([source], via="service")  # update() sends no signal


@credits_actor
@transaction.atomic
def request_check(source_ids: list[int], *, actor=None) -> list[int]:
    """Check these URLs as soon as a worker is free. Returns the ids queued (ones already being checked are not).

    The batch is sent after commit. Should the broker refuse it, the claim's
    lease runs out and the next tick checks the URLs: a lost message only delays.
    """
    batch = claim(list(source_ids))
    if batch.source_ids and actor is not None:
        # Who asked for a check goes on each source's record (no field changes).
        record_changes(list(SourceURL.objects.filter(pk__in=batch.source_ids)), via="service", reason="check requested")
    if batch.source_ids:
        # By name: tasks import this module, so importing them here would be a cycle.
        enqueue_on_commit(CHECK_LINK_BATCH, batch.token, batch.source_ids)
    return batch.source_ids


def prune_history(*, now=None, chunk: int = 5000) -> int:
    """Delete check history older than LINKCHECK_HISTORY_DAYS, in chunks so no one transaction grows large."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.LINKCHECK_HISTORY_DAYS)
    deleted = 0
    while True:
        ids = list(LinkCheck.objects.filter(checked_at__lt=cutoff).values_list("id", flat=True)[:chunk])
        if not ids:
            return deleted
        deleted += LinkCheck.objects.filter(pk__in=ids).delete()[0]


def run_batch(token: str | None, source_ids: list[int], *, checker_options: dict | None = None) -> int:
    """Check a claimed batch and record the results. Idempotent: rows no longer leased to ``token`` are skipped.

    Results are recorded in chunks of LINKCHECK_RECORD_CHUNK_SIZE while the
    rest are still being checked, each chunk in its own transaction that also
    releases those rows' lease. A worker that dies mid-batch keeps what it
    recorded; the rest stay leased until the lease ends and are checked again.
    Returns the number of URLs recorded.
    """
    rows = SourceURL.objects.filter(pk__in=source_ids)
    if token is not None:
        rows = rows.filter(lease_token=token)
    rows = list(rows.order_by("id").values_list("id", "url", "status"))
    if not rows:
        return 0
    urls = {pk: url for pk, url, _status in rows}
    # For these, this check may be the one that makes them dead: the checker confirms a HEAD "not found".
    failing = frozenset(url for _pk, url, status in rows if status in (Status.FAILING, Status.DEAD))
    options = {"failing": failing, **(checker_options or {})}
    started = time.monotonic()
    with LeaseKeeper(Batch(token, list(urls))) if token is not None else nullcontext():
        recorded, recording, last = _check_and_record(urls, token, options)
    logger.info(
        "link batch %s: %d URLs checked and recorded in %.2fs (recording %.2fs, of which %.2fs after the last check)",
        token,
        len(urls),
        time.monotonic() - started,
        recording,
        last,
    )
    if settings.LINKCHECK_WAYBACK_ENABLED:
        from attribution.linkcheck.wayback import archived_copies

        record_archives(archived_copies(_needing_archive(urls)))
    return recorded


def _check_and_record(urls: dict[int, str], token: str | None, options: dict) -> tuple[int, float, float]:
    """Record each chunk as it is checked. Returns URLs recorded, seconds spent recording, and on the last chunk."""
    from attribution.linkcheck.streaming import check_in_chunks

    recorded, recording, last = 0, 0.0, 0.0
    chunk_size = settings.LINKCHECK_RECORD_CHUNK_SIZE
    for chunk in check_in_chunks(urls, chunk_size=chunk_size, max_wait=RECORD_MAX_WAIT_SECONDS, **options):
        began = time.monotonic()
        recorded += record_check_results(chunk, token=token)
        last = time.monotonic() - began
        recording += last
    return recorded, recording, last


def _needing_archive(urls: dict[int, str]) -> dict[int, str]:
    broken = SourceURL.objects.filter(
        pk__in=list(urls), status__in=[Status.DEAD, Status.FAILING], archive_url="", archive_checked_at__isnull=True
    )
    return dict(broken.values_list("id", "url"))


def record_archives(archives: dict[int, str]) -> None:
    """Store Wayback copies found (id → archive URL, "" when there is none) so each URL is looked up once."""
    now = timezone.now()
    for pk, archive_url in archives.items():
        SourceURL.objects.filter(pk=pk).update(archive_url=archive_url, archive_checked_at=now)
