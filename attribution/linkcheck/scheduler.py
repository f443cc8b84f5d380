"""Claiming due URLs in leased batches.

A claim is a conditional UPDATE that moves ``next_check_at`` to the end of the
lease and stamps a token. Two schedulers racing for the same rows cannot both
win (the second UPDATE no longer matches ``next_check_at <= now``), and if the
worker holding a batch dies, its URLs fall due again when the lease ends and
the next tick hands them to someone else. Recording a result requires the
token, so a late or repeated batch cannot write twice.

Each host has at most one batch in flight, across every worker: a tick packs
whole hosts into batches, gives a host at most one batch, and leaves a host
whose batch is still running alone. The per-host limits a batch enforces are
therefore limits on the whole deployment, not on each worker process, however
many queues (LINKCHECK_QUEUES) carry the batches. A batch releases its rows
chunk by chunk as it records them, so a host is free again once the last of
its URLs in the batch is recorded, not when the whole batch ends.

The tick's cost depends on how many URLs are due (bounded by the batch size and
batches per tick), never on how many exist: a look-up of hosts with a batch in
flight, one indexed range scan with a LIMIT, one UPDATE and one SELECT per
batch, and one UPDATE for the URLs it postponed.
"""

import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from attribution.lib.sql import in_chunks
from attribution.models import SourceURL


@dataclass(frozen=True)
class Batch:
    token: str
    source_ids: list[int]


def claim_due_batches(*, now=None, batch_size: int | None = None, max_batches: int | None = None) -> list[Batch]:
    """Claim up to ``max_batches`` batches of due URLs, oldest due first. Returns the batches this caller won."""
    now = now or timezone.now()
    batch_size = batch_size or settings.LINKCHECK_BATCH_SIZE
    max_batches = max_batches or settings.LINKCHECK_MAX_BATCHES_PER_TICK
    due = SourceURL.objects.filter(next_check_at__lte=now).order_by("next_check_at")
    if connection.features.has_select_for_update_skip_locked:
        # Concurrent ticks on PostgreSQL skip each other's rows instead of
        # queueing behind them; the conditional UPDATE is still the guard.
        due = due.select_for_update(skip_locked=True)
    batches = []
    with transaction.atomic():
        busy = set(SourceURL.objects.filter(lease_expires_at__gt=now).values_list("host", flat=True).distinct())
        # A window wider than one tick's worth (bounded, so the cost stays independent of the table's size)
        # finds other hosts when the oldest due URLs belong to a few.
        window = list(due.values_list("id", "host")[: batch_size * max_batches * 4])
        packed, postponed = pack_by_host(window, busy=busy, batch_size=batch_size, max_batches=max_batches)
        for ids in packed:
            batch = claim(ids, now=now, only_due=True)
            if batch.source_ids:
                batches.append(batch)
        if postponed:
            # Moved behind the URLs due now, so one big host's backlog cannot fill every tick's window.
            SourceURL.objects.filter(pk__in=postponed, next_check_at__lte=now).update(
                # Until the next tick: sooner would only have the next tick find the host busy again.
                next_check_at=now + timedelta(seconds=settings.LINKCHECK_TICK_SECONDS)
            )
    return batches


def pack_by_host(
    window: list[tuple[int, str]], *, busy: set[str], batch_size: int, max_batches: int
) -> tuple[list[list[int]], list[int]]:
    """Pack due URLs (id, host), oldest due first, into batches of whole hosts.

    A host gets at most one batch per tick (its oldest ``batch_size`` URLs),
    and a host in ``busy`` gets none. Returns the batches, and the URLs
    postponed because their host is busy or already has its batch; URLs left
    over when the tick is full are not postponed, only left for the next tick.
    """
    hosts: dict[str, list[int]] = {}
    for pk, host in window:
        hosts.setdefault(host, []).append(pk)
    batches: list[list[int]] = []
    current: list[int] = []
    postponed: list[int] = []
    for host, ids in hosts.items():
        if host in busy:
            postponed += ids
            continue
        if len(batches) == max_batches:
            continue  # the tick is full: due for the next one, not postponed
        share, rest = ids[:batch_size], ids[batch_size:]
        if current and len(current) + len(share) > batch_size:
            batches.append(current)
            current = []
            if len(batches) == max_batches:
                continue
        current += share
        postponed += rest
    if current:
        batches.append(current)
    return batches, postponed


def queues_for(batches: list[Batch]) -> list[str]:
    """The queue for each batch: LINKCHECK_QUEUES in turn, from a random start so one-batch ticks spread too.

    Any queue is safe for any batch: hosts are kept apart by the leases above, not by routing.
    """
    queues = settings.LINKCHECK_QUEUES
    start = int(batches[0].token[:8], 16) if batches else 0  # the token is random
    return [queues[(start + n) % len(queues)] for n in range(len(batches))]


def claim(source_ids: list[int], *, now=None, only_due: bool = False) -> Batch:
    """Lease these URLs to a new batch. Rows already leased to a live batch (or not due, with only_due) are skipped."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    expires = now + timedelta(seconds=settings.LINKCHECK_LEASE_SECONDS)
    # One UPDATE … RETURNING (PostgreSQL, and SQLite since 3.35) instead of an UPDATE and a SELECT of the
    # rows it stamped: the SELECT filtered thousands of ids by an unindexed token (25–140 ms a batch of 5,000).
    table = connection.ops.quote_name(SourceURL._meta.db_table)
    condition = "s.next_check_at <= %s" if only_due else "(s.lease_expires_at IS NULL OR s.lease_expires_at <= %s)"
    adapt = connection.ops.adapt_datetimefield_value
    stamp = f"UPDATE {table} AS s SET lease_token = %s, lease_expires_at = %s, next_check_at = %s"
    won = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Joined with the ids as one array. With "id = ANY(array)" beside the condition, PostgreSQL walked the
            # due rows by next_check_at and tested each one against the whole array: 0.35-0.44 s to claim 10,000
            # rows against 0.22-0.23 s joined, on 10,000 and on 1,000,000 sources (bench/README.md, "Fifth pass").
            cursor.execute(
                f"{stamp} FROM unnest(%s::bigint[]) AS claimed(id) WHERE s.id = claimed.id AND {condition} RETURNING s.id",
                [token, adapt(expires), adapt(expires), list(source_ids), adapt(now)],
            )
            won = [row[0] for row in cursor.fetchall()]
        else:
            for ids, params in in_chunks("s.id", list(source_ids)):
                cursor.execute(
                    f"{stamp} WHERE {ids} AND {condition} RETURNING id",
                    [token, adapt(expires), adapt(expires), *params, adapt(now)],
                )
                won += [row[0] for row in cursor.fetchall()]
    return Batch(token=token, source_ids=sorted(won))


class LeaseKeeper:
    """Extends a batch's lease while it runs, so a slow batch is not handed to a second worker mid-check.

    A thread renews the lease every third of its length; if the process dies,
    renewals stop and the lease runs out as usual.
    """

    def __init__(self, batch: Batch):
        self.batch = batch
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"lease-{batch.token[:8]}")

    def __enter__(self) -> "LeaseKeeper":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        self.thread.join()

    def extend(self) -> int:
        """Push the lease (and next_check_at) of rows still held by this batch. Returns how many."""
        until = timezone.now() + timedelta(seconds=settings.LINKCHECK_LEASE_SECONDS)
        held = SourceURL.objects.filter(pk__in=self.batch.source_ids, lease_token=self.batch.token)
        return held.update(lease_expires_at=until, next_check_at=until)

    def _run(self) -> None:
        try:
            while not self.stop.wait(settings.LINKCHECK_LEASE_SECONDS / 3):
                self.extend()
        finally:
            connection.close()  # this thread's own connection
