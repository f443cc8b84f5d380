"""A real Celery worker on Redis with PostgreSQL: the sweep sends the snapshot to its own queue, which
only a snapshots worker takes, so link-check workers never wait behind whole-page fetches.

Under CI=true these fail (never skip) when Redis or PostgreSQL is missing.
"""

import pytest
import redis
from celery import Celery

from attribution.snapshots.models import SourceSnapshot

# The worker and broker fixtures the link-check worker tests use (Redis db 14, the test's PostgreSQL database).
from tests.linkcheck.test_celery_worker import broker, start_worker, wait_for  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.postgres,
]


def queue_length(broker_url: str, queue: str) -> int:
    return redis.Redis.from_url(broker_url).llen(queue)


def test_the_sweep_sends_snapshots_to_their_own_queue_and_a_snapshots_worker_takes_them(
    site,
    working_source,
    broker,  # noqa: F811  (the fixture imported above)
    start_worker,  # noqa: F811
    settings,
):
    source = working_source("/article")
    # Snapshot files land where this test can look for them.
    start_worker("celery,linkcheck", MEDIA_ROOT=settings.MEDIA_ROOT)  # what link checks and periodic jobs run on

    with Celery(broker=broker, set_as_current=False) as app:
        app.send_task("attribution.snapshots.tasks.sweep_first_snapshots")  # what beat sends
    wait_for(lambda: queue_length(broker, "snapshots") == 1, what="the snapshot task on the snapshots queue")
    assert not SourceSnapshot.objects.exists()  # the link-check worker never took it

    start_worker("snapshots", MEDIA_ROOT=settings.MEDIA_ROOT)
    wait_for(lambda: SourceSnapshot.objects.filter(source_url=source).exists(), what="the first snapshot")
    snapshot = SourceSnapshot.objects.get(source_url=source)
    assert snapshot.reason == "first" and snapshot.warc.storage.exists(snapshot.warc.name)
