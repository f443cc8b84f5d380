"""Real Celery workers on Redis with PostgreSQL: the path production takes, end to end.

The tick is sent to the broker exactly as beat sends it; the worker claims,
checks against the local server and writes rows the test then reads. Under
CI=true these fail (never skip) when Redis or PostgreSQL is missing.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from attribution.models import LinkCheck, SourceURL
from tests.linkcheck.factories import DueSourceFactory

# serialized_rollback like the other transactional tests: a plain flush would re-create content types
# that a later serialized test then inserts again.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.postgres,
]
ROOT = Path(__file__).resolve().parents[2]
LINKCHECK_REDIS_DB = 14


@pytest.fixture
def broker(redis_url, postgres, monkeypatch):
    url = redis_url.rsplit("/", 1)[0] + f"/{LINKCHECK_REDIS_DB}"
    # Celery reads CELERY_BROKER_URL from the environment in preference to
    # Celery(broker=...), so this process must export the URL the worker uses.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def start_worker(broker):
    started: list[subprocess.Popen] = []

    def start(queues: str = "celery,linkcheck", **settings) -> subprocess.Popen:
        db = connection.settings_dict
        env = os.environ | {
            "CELERY_BROKER_URL": broker,
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "DB_CONN_MAX_AGE": "0",
            "LINKCHECK_ALLOW_PRIVATE_HOSTS": "true",
            "LINKCHECK_PER_HOST_INTERVAL_MS": "0",
        }
        env |= {key: str(value) for key, value in settings.items()}
        name = f"linkcheck-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "--pool", "solo"]
            + ["--without-mingle", "--without-gossip", "-n", name, "-l", "WARNING"],
            cwd=ROOT,
            env=env,
        )
        started.append(worker)
        # Redis drops a message sent to a queue nobody has bound yet (the broker
        # was just flushed), so wait until this worker answers before ticking.
        with Celery(broker=broker, set_as_current=False) as control:
            wait_for(lambda: control.control.ping(destination=[name], timeout=0.5), what=f"worker {name} to start")
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()


def send_tick(broker: str) -> None:
    """What beat does every minute."""
    with Celery(broker=broker, set_as_current=False) as app:
        app.send_task("attribution.tasks.linkcheck_tick")


def wait_for(predicate, seconds: float = 60, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)  # polling a real worker, not standing in for time
    pytest.fail(f"timed out waiting for {what}")


def test_beat_tick_to_worker_to_rows_in_postgresql(server, broker, start_worker):
    ok = DueSourceFactory(url_as_cited=server.url("/story"))
    gone = DueSourceFactory(url_as_cited=server.url("/gone"))
    moved = DueSourceFactory(url_as_cited=server.url("/moved-301"))
    start_worker()
    send_tick(broker)
    wait_for(lambda: LinkCheck.objects.count() == 3, what="three checks recorded")
    statuses = dict(SourceURL.objects.values_list("id", "status"))
    assert statuses == {ok.pk: "ok", gone.pk: "failing", moved.pk: "redirected"}
    assert not SourceURL.objects.exclude(lease_token="").exists()


def test_a_killed_worker_batch_completes_after_the_lease_expires(server, broker, start_worker, settings):
    server.slow_seconds = 1.5
    sources = [DueSourceFactory(url_as_cited=server.url(f"/slow-story?part={n}")) for n in range(4)]
    first = start_worker(LINKCHECK_LEASE_SECONDS=4)
    send_tick(broker)
    wait_for(lambda: server.requests_for("/slow-story"), what="the worker to start the batch")
    first.kill()  # SIGKILL mid-batch: no chance to record or release anything
    first.wait(10)
    assert LinkCheck.objects.count() == 0
    leased = SourceURL.objects.exclude(lease_token="")
    assert leased.count() == 4

    server.slow_seconds = 0
    start_worker(LINKCHECK_LEASE_SECONDS=4)
    # Beat keeps ticking; ticks inside the lease claim nothing, the first after it re-claims the batch.
    deadline = time.monotonic() + 60
    while LinkCheck.objects.count() < 4 and time.monotonic() < deadline:
        send_tick(broker)
        time.sleep(1)
    send_tick(broker)  # one more: a finished batch must not be checked again
    time.sleep(1)
    assert sorted(LinkCheck.objects.values_list("source_url_id", flat=True)) == sorted(s.pk for s in sources)
    assert set(SourceURL.objects.values_list("status", flat=True)) == {"ok"}
