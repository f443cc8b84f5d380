"""What snapshots may cost: SNAPSHOTS_RETENTION_DAYS for drift snapshots, SNAPSHOTS_STORAGE_BUDGET_BYTES for all.

Only drift snapshots are ever deleted here. The citation-time ("first")
snapshot is the record of what we cited and stays as long as its source does;
an editor's manual snapshot stays too. When the budget is spent and no drift
snapshot is left to prune, no new snapshot is taken until there is room: the
log says so, and so does the admin (``budget_status``).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone

from attribution.snapshots.models import SourceSnapshot

logger = logging.getLogger(__name__)

PRUNE_CHUNK = 200


def storage_used() -> int:
    """Bytes all snapshots take: their WARC files plus their extracted text."""
    total = SourceSnapshot.objects.aggregate(total=Sum(F("warc_bytes") + F("text_bytes")))["total"]
    return total or 0


def budget() -> int:
    """SNAPSHOTS_STORAGE_BUDGET_BYTES, or 0 for no budget."""
    return settings.SNAPSHOTS_STORAGE_BUDGET_BYTES


def make_room(*, now=None) -> bool:
    """True when a new snapshot may be stored: under budget, after pruning the oldest drift snapshots if needed.

    A new snapshot is admitted while the total is under the budget, so the
    total can pass it by at most one snapshot (the next prune brings it back).
    """
    if not budget():
        return True
    used = storage_used()
    if used < budget():
        return True
    used -= _prune_oldest_drift(used - budget() + 1)
    if used < budget():
        return True
    logger.warning(
        "snapshot storage is full: %d bytes used of SNAPSHOTS_STORAGE_BUDGET_BYTES=%d, and no drift snapshot "
        "is left to prune; no new snapshot is taken until there is room",
        used,
        budget(),
    )
    return False


def prune(*, now=None) -> dict:
    """Delete drift snapshots past SNAPSHOTS_RETENTION_DAYS, then the oldest ones while over budget. Idempotent.

    Returns counts for the job's log: ``{"expired", "over_budget", "used", "budget"}``.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.SNAPSHOTS_RETENTION_DAYS)
    expired = SourceSnapshot.objects.filter(reason=SourceSnapshot.Reason.DRIFT, taken_at__lt=cutoff)
    expired_count = delete_snapshots(expired.order_by("taken_at", "pk"))
    freed_count = 0
    used = storage_used()
    if budget() and used > budget():
        before = SourceSnapshot.objects.count()
        used -= _prune_oldest_drift(used - budget())
        freed_count = before - SourceSnapshot.objects.count()
    return {"expired": expired_count, "over_budget": freed_count, "used": used, "budget": budget()}


def _prune_oldest_drift(at_least: int) -> int:
    """Delete the oldest drift snapshots until ``at_least`` bytes are freed (or none is left). Returns bytes freed."""
    freed = 0
    drift = SourceSnapshot.objects.filter(reason=SourceSnapshot.Reason.DRIFT).order_by("taken_at", "pk")
    while freed < at_least:
        chunk = list(drift.values_list("pk", "warc_bytes", "text_bytes")[:PRUNE_CHUNK])
        if not chunk:
            break
        doomed = []
        for pk, warc_bytes, text_bytes in chunk:
            doomed.append(pk)
            freed += warc_bytes + text_bytes
            if freed >= at_least:
                break
        delete_snapshots(SourceSnapshot.objects.filter(pk__in=doomed))
    if freed:
        logger.info("pruned %d bytes of the oldest drift snapshots to stay within the storage budget", freed)
    return freed


def delete_snapshots(snapshots) -> int:
    """Delete these snapshots; their WARC files follow after commit (models._delete_warc_with_its_row).

    Returns how many were deleted.
    """
    _total, by_model = snapshots.delete()  # the total counts cascaded rows (copy overlap) too
    return by_model.get(SourceSnapshot._meta.label, 0)


def budget_status() -> dict:
    """For the admin: ``{"used", "budget", "full"}``; ``full`` means new snapshots are being refused."""
    used = storage_used()
    has_drift = SourceSnapshot.objects.filter(reason=SourceSnapshot.Reason.DRIFT).exists()
    return {"used": used, "budget": budget(), "full": bool(budget()) and used >= budget() and not has_drift}
