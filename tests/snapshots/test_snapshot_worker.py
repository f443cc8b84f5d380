"""A real Celery worker on Redis with PostgreSQL: the sweep sends the snapshot to its own queue, which
only a snapshots worker takes, so link-check workers never wait behind whole-page fetches.

Under CI=true these fail (never skip) when Redis or PostgreSQL is missing.
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

from attribution.snapshots.models import SourceSnapshot

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.postgres,
]
ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS_REDIS_DB = 8


@pytest.fixture
def broker(redis_url, postgres, monkeypatch):
    url = redis_url.rsplit("/", 1)[0] + f"/{SNAPSHOTS_REDIS_DB}"
    monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery prefers the environment's URL to broker=...
    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def start_worker(broker, settings):
    started: list[subprocess.Popen] = []

    def start(queues: str) -> str:
        db = connection.settings_dict
        env = os.environ | {
            "CELERY_BROKER_URL": broker,
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "DB_CONN_MAX_AGE": "0",
            "LINKCHECK_ALLOW_PRIVATE_HOSTS": "true",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        name = f"snapshots-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "--pool", "solo"]
            + ["--without-mingle", "--without-gossip", "-n", name, "-l", "WARNING"],
            cwd=ROOT,
            env=env,
        )
        started.append(worker)
        # Redis drops a message sent to a queue nobody has bound yet: wait until the worker answers.
        with Celery(broker=broker, set_as_current=False) as control:
            wait_for(lambda: control.control.ping(destination=[name], timeout=0.5), what=f"worker {name}")
        return name

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()


def wait_for(predicate, seconds: float = 60, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)  # polling a real worker, not standing in for time
    pytest.fail(f"timed out waiting for {what}")


def queue_length(broker: str, queue: str) -> int:
    return redis.Redis.from_url(broker).llen(queue)


def test_the_sweep_sends_snapshots_to_their_own_queue_and_a_snapshots_worker_takes_them(
    site, working_source, broker, start_worker
):
    source = working_source("/article")
    start_worker("celery,linkcheck")  # what link checks and periodic jobs run on

    with Celery(broker=broker, set_as_current=False) as app:
        app.send_task("attribution.snapshots.tasks.sweep_first_snapshots")  # what beat sends
    wait_for(lambda: queue_length(broker, "snapshots") == 1, what="the snapshot task on the snapshots queue")
    assert not SourceSnapshot.objects.exists()  # the link-check worker never took it

    start_worker("snapshots")
    wait_for(lambda: SourceSnapshot.objects.filter(source_url=source).exists(), what="the first snapshot")
    snapshot = SourceSnapshot.objects.get(source_url=source)
    assert snapshot.reason == "first" and snapshot.warc.storage.exists(snapshot.warc.name)
