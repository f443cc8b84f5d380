"""Snapshot tasks: thin, taking ids, each calling one service.

The database is the queue (sources that work with no first snapshot,
SnapshotAttempt), so a lost message only delays a snapshot until the sweep's
claim ends. Routed to the ``snapshots`` queue (config/settings_parts/snapshots.py),
so a slow or large page never waits in line with link-check batches.
"""

from celery import shared_task

from attribution.snapshots import retention, services, sweep


# acks_late: taking a first snapshot is idempotent (an existing one is returned, and a race is settled by
# the one-first-per-source constraint), so a redelivery after a worker crash only finishes the job.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def take_first_snapshot(source_id: int) -> bool:
    """Take a source's citation-time snapshot unless it has one. Returns whether it has one now."""
    return services.take_first_snapshot(source_id) is not None


@shared_task(ignore_result=True)
def sweep_first_snapshots() -> int:
    """Send sources that work and have no first snapshot yet to the snapshots queue. Returns how many were sent."""
    return sweep.sweep_first_snapshots()


@shared_task(ignore_result=True)
def prune_snapshots() -> dict:
    """Delete drift snapshots past SNAPSHOTS_RETENTION_DAYS, then the oldest while over the storage budget."""
    return retention.prune()
