"""Thin Celery tasks for copy overlap: ids in, one service call each (attribution/overlap/services.py).

Both are idempotent (only pairs without a current row are computed, and the write is an upsert), so
acks_late is safe: a task redelivered after a worker died computes what is still due, nothing twice.
No retries: the sweep is the one retry policy.
"""

from celery import shared_task

from attribution.overlap import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def compute_snapshot_overlaps(snapshot_id: int) -> int:
    """Compute the copy overlap of every article citing a new snapshot's source. Returns the pairs computed."""
    return services.compute_snapshot_overlaps(snapshot_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def compute_missing_overlaps() -> int:
    """Compute copy overlap for article × snapshot pairs with none or a stale one. Returns the pairs computed."""
    return services.compute_missing_overlaps()
