"""Scale-out with real Celery workers on Redis and PostgreSQL (issue 14): two queues, chunks, a crash.

Like test_celery_worker.py, the tick goes through the broker as beat sends it,
and the workers check against the local server. Under CI=true these fail
(never skip) when Redis or PostgreSQL is missing.
"""

import time

import pytest
import redis

from attribution.models import LinkCheck, SourceURL
from tests.linkcheck.factories import DueSourceFactory
from tests.linkcheck.test_celery_worker import send_tick, start_worker, wait_for  # noqa: F401  (start_worker: fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.postgres,
]
PIPELINE_REDIS_DB = 4
TWO_QUEUES = {"LINKCHECK_QUEUES": "linkcheck,linkcheck-2"}


@pytest.fixture
def broker(redis_url, postgres, monkeypatch):
    """Redis DB 4 for these tests (test_celery_worker.py uses 14), flushed before and after."""
    url = redis_url.rsplit("/", 1)[0] + f"/{PIPELINE_REDIS_DB}"
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def workers(start_worker):  # noqa: F811  (the fixture imported above)
    """Starts a real Celery worker: ``workers(queues="linkcheck-2", LINKCHECK_...=...)``."""
    return start_worker


def test_a_host_is_never_checked_by_two_workers_at_once(server, broker, workers):
    """Two workers on two queues, ticks every 0.2 s: a host's next batch waits until its running one is done."""
    # A batch (4 URLs, 2 at a time) takes about 2 s, longer than LINKCHECK_TICK_SECONDS below: the host's
    # other URLs fall due again while its batch is still running, and the other worker soon has nothing to
    # do (the second host's two pages are quick), so only the busy-host rule keeps the host to one batch.
    server.slow_seconds = 1.0
    busy = [DueSourceFactory(url_as_cited=server.url(f"/slow-story?tag=pipeline-ip&n={n}")) for n in range(8)]
    quick = [DueSourceFactory(url_as_cited=f"http://localhost:{server.port}/story?n={n}") for n in range(2)]
    limits = {"LINKCHECK_PER_HOST_CONCURRENCY": 2, "LINKCHECK_BATCH_SIZE": 4, "LINKCHECK_MAX_BATCHES_PER_TICK": 2}
    limits["LINKCHECK_TICK_SECONDS"] = 1  # a host's URLs that wait for its running batch come back a second later
    workers(queues="celery,linkcheck", **TWO_QUEUES, **limits)
    workers(queues="linkcheck-2", **TWO_QUEUES, **limits)
    deadline = time.monotonic() + 120
    while LinkCheck.objects.count() < 10 and time.monotonic() < deadline:
        send_tick(broker)  # far more often than beat: every tick while the host's batch runs must leave it alone
        time.sleep(0.2)
    assert sorted(LinkCheck.objects.values_list("source_url_id", flat=True)) == sorted(s.pk for s in busy + quick)
    # Never more requests at once than one batch may make, though a second worker was free for most of the run.
    # (With the busy-host rule taken out of claim_due_batches this sees 4.)
    assert server.most_in_flight["pipeline-ip"] == 2


def test_the_tick_spreads_batches_over_the_queues(server, broker, workers):
    """With only the first queue served, one of two batches waits in the second until a worker takes it."""
    DueSourceFactory(url_as_cited=server.url("/story?spread"))
    DueSourceFactory(url_as_cited=f"http://localhost:{server.port}/story?spread")
    workers(queues="celery,linkcheck", **TWO_QUEUES, LINKCHECK_BATCH_SIZE=1)
    send_tick(broker)
    wait_for(lambda: LinkCheck.objects.count() == 1, what="the first queue's batch")
    waiting = redis.Redis.from_url(broker)
    wait_for(lambda: waiting.llen("linkcheck-2") == 1, what="a batch waiting on the second queue")
    time.sleep(1)  # real time: nothing else takes it
    assert LinkCheck.objects.count() == 1
    workers(queues="linkcheck-2", **TWO_QUEUES)
    wait_for(lambda: LinkCheck.objects.count() == 2, what="the second queue's batch")


def test_a_worker_killed_mid_batch_keeps_its_recorded_chunks(server, broker, workers):
    """Chunks are recorded while slow pages are still out; after a SIGKILL only those slow ones are checked again."""
    server.slow_seconds = 6  # long enough to kill the worker mid-batch, short enough for the server to stop
    fast = [DueSourceFactory(url_as_cited=server.url(f"/story?crash={n}")) for n in range(4)]
    slow = [DueSourceFactory(url_as_cited=server.url(f"/slow-story?crash={n}")) for n in range(2)]
    chunked = {"LINKCHECK_RECORD_CHUNK_SIZE": 2, "LINKCHECK_LEASE_SECONDS": 4, "LINKCHECK_TOTAL_TIMEOUT": 20}
    first = workers(**chunked)
    send_tick(broker)
    # The fast pages are recorded while the slow ones are still being answered: streamed, not at the end.
    wait_for(lambda: LinkCheck.objects.count() == 4, what="the fast pages' chunks")
    first.kill()
    first.wait(10)
    assert set(LinkCheck.objects.values_list("source_url_id", flat=True)) == {s.pk for s in fast}
    assert set(SourceURL.objects.exclude(lease_token="").values_list("id", flat=True)) == {s.pk for s in slow}

    server.slow_seconds = 0
    workers(**chunked)
    deadline = time.monotonic() + 60
    while LinkCheck.objects.count() < 6 and time.monotonic() < deadline:
        send_tick(broker)  # ticks inside the lease claim nothing; the first after it re-claims the slow pages
        time.sleep(1)
    send_tick(broker)
    time.sleep(1)
    per_source = list(LinkCheck.objects.values_list("source_url_id", flat=True))
    assert sorted(per_source) == sorted(s.pk for s in fast + slow)  # each exactly once
