"""The first-snapshot queue: the database says which sources still need their citation-time snapshot.

A source needs one when a link check says it works (OK, or moved permanently)
and it has no "first" snapshot, unless an editor ignores it or its attempts
gave up (SnapshotAttempt.next_attempt_at empty). The beat job sends each
claimed source to the ``snapshots`` queue, apart from link checks; a lost
message only delays it until the claim's lease ends.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from attribution.lib.queue import enqueue_on_commit
from attribution.models import SourceURL
from attribution.snapshots import retention
from attribution.snapshots.models import SnapshotAttempt, SourceSnapshot

logger = logging.getLogger(__name__)

TAKE_FIRST_SNAPSHOT = "attribution.snapshots.tasks.take_first_snapshot"
# A claimed source is not sent again for this long: longer than a fetch may take, short enough that a lost message
# costs little.
CLAIM_SECONDS = 30 * 60
WORKING = (SourceURL.Status.OK, SourceURL.Status.REDIRECTED)


def needing_first_snapshot(*, now):
    """Sources that work, have no first snapshot and are due (never tried, or their retry time passed)."""
    has_first = SourceSnapshot.objects.filter(source_url=OuterRef("pk"), reason=SourceSnapshot.Reason.FIRST)
    return (
        SourceURL.objects.filter(status__in=WORKING, is_valid=True)
        .exclude(override=SourceURL.Override.IGNORE)
        .filter(Q(snapshot_attempt__isnull=True) | Q(snapshot_attempt__next_attempt_at__lte=now))
        .filter(~Exists(has_first))
    )


def sweep_first_snapshots(*, now=None) -> int:
    """Claim up to SNAPSHOTS_SWEEP_BATCH sources needing a first snapshot and send each to its task. Idempotent.

    Returns how many were sent. Sends nothing while SNAPSHOTS_ENABLED is off or
    the storage budget is spent (said in the log).
    """
    now = now or timezone.now()
    if not settings.SNAPSHOTS_ENABLED:
        return 0
    if not retention.make_room(now=now):
        return 0
    candidates = list(
        needing_first_snapshot(now=now).order_by("pk").values_list("pk", flat=True)[: settings.SNAPSHOTS_SWEEP_BATCH]
    )
    claimed = claim(candidates, now=now)
    for source_id in claimed:
        enqueue_on_commit(TAKE_FIRST_SNAPSHOT, source_id)
    if claimed:
        logger.info("sent %d sources for their first snapshot", len(claimed))
    return len(claimed)


def claim(source_ids: list[int], *, now) -> list[int]:
    """The ids this sweep won: each attempt's next_attempt_at moved past the claim with a conditional UPDATE."""
    SnapshotAttempt.objects.bulk_create(
        [SnapshotAttempt(source_url_id=pk, next_attempt_at=now) for pk in source_ids], ignore_conflicts=True
    )
    until = now + dt.timedelta(seconds=CLAIM_SECONDS)
    return [
        pk
        for pk in source_ids
        if SnapshotAttempt.objects.filter(pk=pk, next_attempt_at__lte=now).update(next_attempt_at=until) == 1
    ]


def wake_sweep() -> None:
    """Ask for a sweep now (after commit) instead of at the next beat: for a link check that found new sources work.

    Only with a broker: without one the sweep would fetch pages inside the link
    check that asked, and the periodic sweep comes within minutes anyway.
    """
    if settings.SNAPSHOTS_ENABLED and not settings.CELERY_TASK_ALWAYS_EAGER:
        enqueue_on_commit("attribution.snapshots.tasks.sweep_first_snapshots")
