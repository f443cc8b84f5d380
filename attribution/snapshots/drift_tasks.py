"""Thin Celery tasks of drift checks: the tick claims due sources, a batch task compares them.

``check_drift_batch`` runs on its own ``drift`` queue (CELERY_TASK_ROUTES in
config/settings_parts/drift.py), served by its own worker, so re-reading old
sources never delays a link-check batch. The database is the real queue
(``next_drift_check_at`` and its lease): a lost message only delays a check
until the lease ends and the next tick claims the source again.
"""

import datetime as dt

from celery import shared_task

from attribution.lib.queue import enqueue_on_commit
from attribution.snapshots import drift

BATCH_TASK = "attribution.snapshots.drift_tasks.check_drift_batch"


@shared_task(ignore_result=True)
def drift_tick() -> int:
    """Claim sources due a drift check and send each batch to the drift queue; returns the sources claimed."""
    batches = drift.claim_due_batches()
    for batch in batches:
        enqueue_on_commit(BATCH_TASK, batch.source_ids, batch.lease_until.isoformat())
    return sum(len(batch.source_ids) for batch in batches)


# acks_late: a batch is idempotent (a source is written only while it still holds this batch's
# lease, and recording moves the lease on), so running it again after a worker crash is safe.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def check_drift_batch(source_ids: list[int], lease_until: str) -> int:
    """Compare each source of a claimed batch with its citation-time snapshot; returns how many were compared."""
    return drift.run_batch(source_ids, dt.datetime.fromisoformat(lease_until))
