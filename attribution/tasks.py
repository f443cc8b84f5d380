"""Celery tasks: thin wrappers that take ids and call one service each.

The database is the real queue (SourceURL.next_check_at and its lease), so a
lost message only delays work until the next tick or the lease's end.
"""

from importlib import import_module

from celery import shared_task
from celery.signals import worker_init
from django.db import transaction

from attribution import outbox
from attribution.feeds import sync as feed_sync
from attribution.linkcheck import digest, scheduler, services


@worker_init.connect
def load_the_checker(**kwargs) -> None:
    """Import the checker (aiohttp) in the worker's main process before its pool forks: warm before the tick.

    The services import it lazily, so the web side never loads it; without this each pool process would
    pay for it in its first batch, while that batch's hosts wait.
    """
    import_module("attribution.linkcheck.streaming")


@shared_task
def linkcheck_tick() -> int:
    """Claim due URLs in leased batches and send them round-robin to LINKCHECK_QUEUES. Returns the batch count."""
    batches = scheduler.claim_due_batches()
    for batch, queue in zip(batches, scheduler.queues_for(batches), strict=True):
        transaction.on_commit(lambda b=batch, q=queue: check_link_batch.apply_async((b.token, b.source_ids), queue=q))
    return len(batches)


# acks_late: a batch is idempotent (results are written only for rows still
# leased to its token, in one transaction), so running it again after a
# worker crash is safe, and acking late means the crash does not lose it.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_link_batch(token: str, source_ids: list[int]) -> int:
    return services.run_batch(token, source_ids)


@shared_task
def send_linkcheck_digest() -> int:
    return digest.send_digest()


@shared_task
def prune_link_history() -> int:
    return services.prune_history()


# Not acks_late: the row claim stops two senders at once, but a message
# redelivered after a worker died mid-send could still send twice; the sweep
# covers lost messages instead. No broker retries either: the row's backoff
# and the sweep are the one retry policy.
@shared_task(ignore_result=True)
def send_outbox_email(email_id: int) -> str:
    return outbox.deliver(email_id)


@shared_task(ignore_result=True)
def send_due_outbox_emails() -> dict:
    return outbox.send_due()


# Not acks_late and no retries: the beat job runs every minute and the feed's
# next_sync_at (with its lease) is the real queue, so a lost message only delays a sync.
@shared_task(ignore_result=True)
def sync_due_feeds() -> int:
    return feed_sync.sync_due_feeds()
