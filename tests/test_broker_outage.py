"""A broker outage never stalls the web tier: publishing makes one bounded attempt, then gives up.

The publish runs in a fresh process configured the way a web worker is (a
real CELERY_BROKER_URL, so tasks are not run in-process), pointed at a local
port that accepts each connection and closes it at once: a broker that is
down. kombu's default policy reconnects for several seconds, so the count of
connections the port saw tells one attempt from a retry loop without timing
anything.
"""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PUBLISH = """
import django
django.setup()
import config.celery
from django.conf import settings
from attribution.lib.queue import enqueue
print("eager", settings.CELERY_TASK_ALWAYS_EAGER)
print("published", enqueue("attribution.tasks.send_outbox_email", 1))
print("then", enqueue("attribution.tasks.send_outbox_email", 2))
"""

# A web process as gunicorn starts one: the WSGI app and nothing else, so nothing imports config.celery
# by hand. Django's set-up must create the Celery app (config/project.py) before a view sends a task.
PUBLISH_FROM_WEB = """
import config.wsgi
from attribution.lib.queue import enqueue
print("published", enqueue("attribution.tasks.send_outbox_email", 1))
from celery import current_app
print("app", current_app.main)
"""


@pytest.fixture
def dead_broker():
    """A port that accepts and drops every connection; yields (port, connection counter)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    seen = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            seen.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def publish_against(port: int, code: str = PUBLISH, **env) -> str:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_publishing_with_the_broker_down_makes_one_attempt_and_reports_failure(dead_broker):
    port, connections = dead_broker
    output = publish_against(port, CELERY_PUBLISH_PAUSE_SECONDS="0")
    assert "eager False" in output  # a real broker URL: the publish really goes over the network
    assert "published False" in output
    assert "then False" in output
    assert len(connections) == 2  # one attempt per publish, no retries


def test_after_a_failed_publish_the_process_leaves_the_broker_alone_for_a_while(dead_broker):
    port, connections = dead_broker
    output = publish_against(port)
    assert "published False" in output
    assert "then False" in output
    assert len(connections) == 1  # the second publish did not even connect


def test_a_web_process_publishes_through_the_configured_broker(dead_broker):
    port, connections = dead_broker
    output = publish_against(port, PUBLISH_FROM_WEB)
    assert "app citewatch" in output
    assert "published False" in output
    # Celery's fallback app reads CELERY_BROKER_URL too, but none of our settings: it retried (3 connections).
    assert len(connections) == 1


def test_the_publish_connect_timeout_is_bounded_and_configurable():
    from django.conf import settings

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] == 0
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] <= 1
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1
