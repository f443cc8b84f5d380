"""Taking and keeping snapshots: one function per change, used by the tasks, the admin and the drift checks.

``take_snapshot`` fetches, extracts and stores; ``store_snapshot`` stores a
page already fetched (drift checks fetch once and keep the page only when it
drifted). Storing refuses when the storage budget is spent, after pruning the
oldest drift snapshots (attribution/snapshots/retention.py): the citation-time
snapshot is never deleted to make room.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attribution.models import SourceURL
from attribution.snapshots import retention
from attribution.snapshots.capture import FetchError, Page, fetch_page, write_warc
from attribution.snapshots.extract import Extracted, extract
from attribution.snapshots.models import SnapshotAttempt, SourceSnapshot

logger = logging.getLogger(__name__)

Reason = SourceSnapshot.Reason
# A source "works" for a first snapshot: checked OK, or moved permanently to a page that answers.
WORKING = (SourceURL.Status.OK, SourceURL.Status.REDIRECTED)


@dataclass(frozen=True)
class Capture:
    """What one attempt came to. ``final``: trying again would not change it (not a document, or taken)."""

    snapshot: SourceSnapshot | None
    outcome: str
    final: bool = False
    counts: bool = True  # an attempt that counts towards SNAPSHOTS_MAX_ATTEMPTS (a full budget does not)


def store_snapshot(
    source: SourceURL, page: Page, extracted: Extracted, *, reason: str, now=None
) -> SourceSnapshot | None:
    """Write ``page`` as a WARC file and save its snapshot row. Returns it, or None when the budget is spent.

    Idempotent for ``reason="first"``: a source that has its citation-time
    snapshot gets that one back, and no second file is written (a race between
    two workers is settled by the unique constraint; the loser's file is deleted).
    """
    now = now or timezone.now()
    if reason == Reason.FIRST and (existing := first_snapshot(source)) is not None:
        return existing
    if not retention.make_room(now=now):
        logger.warning("snapshot of %s not taken: SNAPSHOTS_STORAGE_BUDGET_BYTES is spent", source.url)
        return None
    snapshot = SourceSnapshot(
        source_url=source,
        taken_at=now,
        reason=reason,
        fetched_url=page.final_url,
        http_status=page.status,
        content_type=page.content_type[:100],
        title=extracted.title,
        text=extracted.text,
        text_hash=extracted.text_hash,
        body_bytes=len(page.body),
        truncated=page.truncated,
        text_bytes=len(extracted.text.encode()),
    )
    with write_warc(page, taken_at=now) as warc:
        # Saved before the row: a row never points at a missing file. If the row fails, the file goes.
        snapshot.warc.save("snapshot.warc.gz", File(warc), save=False)
    snapshot.warc_bytes = snapshot.warc.size
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError:
        snapshot.warc.storage.delete(snapshot.warc.name)
        if reason == Reason.FIRST and (existing := first_snapshot(source)) is not None:
            return existing
        raise
    return snapshot


def take_snapshot(source: SourceURL, *, reason: str, now=None) -> SourceSnapshot | None:
    """Fetch, extract and store. None when the page is not HTML or PDF, not 2xx, unreachable, or over budget.

    Idempotent for ``reason="first"`` (see store_snapshot). Never raises on a page's fault.
    """
    return capture(source, reason=reason, now=now).snapshot


def capture(source: SourceURL, *, reason: str, now=None) -> Capture:
    """take_snapshot, saying what happened: the first-snapshot queue records it on the source's attempt."""
    now = now or timezone.now()
    if reason == Reason.FIRST and (existing := first_snapshot(source)) is not None:
        return Capture(existing, _("taken"), final=True)
    try:
        page = fetch_page(source.url)
    except FetchError as error:
        return Capture(None, str(error)[:300])
    if not 200 <= page.status < 300:
        return Capture(None, _("HTTP %(status)d") % {"status": page.status})
    if not page.kind:
        media = page.content_type or _("no content type")
        return Capture(None, _("not HTML or PDF (%(type)s)") % {"type": media[:100]}, final=True)
    snapshot = store_snapshot(
        source, page, extract(page.body, page.content_type, page.final_url), reason=reason, now=now
    )
    if snapshot is None:
        return Capture(None, _("storage budget spent"), counts=False)
    return Capture(snapshot, _("taken"), final=True)


def take_first_snapshot(source_id: int, *, now=None) -> SourceSnapshot | None:
    """The citation-time snapshot of a source, taken now if it has none. Idempotent; the queue task's service.

    Records the attempt: a page that failed is tried again after
    SNAPSHOTS_RETRY_HOURS, at most SNAPSHOTS_MAX_ATTEMPTS times; a page that is
    neither HTML nor PDF is not tried again. Returns None when nothing was kept.
    """
    now = now or timezone.now()
    source = SourceURL.objects.filter(pk=source_id).first()
    if source is None or not settings.SNAPSHOTS_ENABLED:
        return None
    if (existing := first_snapshot(source)) is not None:
        return existing
    if source.status not in WORKING:
        # Not working (any more): the sweep offers it again once a check says it works.
        _record_attempt(source, Capture(None, _("not checked OK"), counts=False), now=now)
        return None
    try:
        result = capture(source, reason=Reason.FIRST, now=now)
    except Exception as error:
        # A bug or a storage outage: counted like any failed attempt, so the sweep gives up in the end
        # instead of sending the source for ever, and the task still fails loudly for the operator.
        _record_attempt(source, Capture(None, _("error: %(error)s") % {"error": type(error).__name__}), now=now)
        raise
    _record_attempt(source, result, now=now)
    return result.snapshot


def _record_attempt(source: SourceURL, result: Capture, *, now) -> None:
    attempt, _created = SnapshotAttempt.objects.get_or_create(source_url=source)
    attempts = attempt.attempts + (1 if result.counts else 0)
    gives_up = result.final or attempts >= settings.SNAPSHOTS_MAX_ATTEMPTS
    retry_at = now + dt.timedelta(hours=settings.SNAPSHOTS_RETRY_HOURS)
    SnapshotAttempt.objects.filter(pk=attempt.pk).update(
        attempts=attempts,
        last_attempt_at=now,
        next_attempt_at=None if gives_up else retry_at,
        outcome=result.outcome[:300],
    )
    if not result.snapshot:
        logger.info("no snapshot of %s: %s", source.url, result.outcome)


def first_snapshot(source: SourceURL) -> SourceSnapshot | None:
    """The snapshot taken when the source was first cited, or None."""
    return SourceSnapshot.objects.filter(source_url=source, reason=Reason.FIRST).first()
