"""Two workers at once, on PostgreSQL (each thread has its own connection): one first snapshot, one claim each."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from attribution.snapshots import services, sweep
from attribution.snapshots.models import SourceSnapshot
from tests.conftest import require_service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the race tests")


def at_once(work, count: int = 2) -> list:
    """Run ``work()`` in ``count`` threads released together; return their results."""
    gate, results = threading.Barrier(count), [None] * count

    def run(index):
        gate.wait()
        try:
            results[index] = work()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_workers_taking_the_same_first_snapshot_keep_one_row_and_one_file(site, working_source):
    source = working_source("/article")

    results = at_once(lambda: services.take_first_snapshot(source.pk))

    assert results[0] is not None and results[0].pk == results[1].pk
    snapshot = SourceSnapshot.objects.get(source_url=source)
    _dirs, files = snapshot.warc.storage.listdir(f"snapshots/{source.pk}")
    assert files == [snapshot.warc.name.rsplit("/", 1)[1]]


def test_two_sweeps_at_once_claim_each_source_once(site, working_source):
    ids = [working_source(f"/article?n={n}").pk for n in range(20)]
    now = timezone.now()

    first, second = at_once(lambda: sweep.claim(ids, now=now))

    assert sorted(first + second) == ids and not set(first) & set(second)
