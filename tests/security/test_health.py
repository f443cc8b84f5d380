"""/healthz and /readyz, as a load balancer sees them."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from attribution.management.commands.serve import run_periodic_jobs_forever
from config import health

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would make pytest-django fail the test.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_a_load_balancer_probing_by_ip_over_http_is_neither_refused_nor_redirected(client, settings):
    settings.ALLOWED_HOSTS = ["citewatch.example"]
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    # Every other page still gets both protections.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    assert client.get("/", HTTP_HOST="citewatch.example").status_code == 301


@pytest.fixture
def beat_ticked(db):
    """A schedule row as django-celery-beat leaves it: rewritten when beat started, stamped when it sent a job."""

    def tick(sent=timedelta(seconds=30), started=timedelta(hours=1)):
        every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period=IntervalSchedule.SECONDS)
        row, _ = PeriodicTask.objects.get_or_create(
            name="linkcheck-tick", defaults={"task": "attribution.tasks.linkcheck_tick", "interval": every_minute}
        )
        now = timezone.now()
        # update() rather than save(): date_changed is auto_now.
        PeriodicTask.objects.filter(pk=row.pk).update(
            last_run_at=now - sent if sent is not None else None, date_changed=now - started
        )

    return tick


def test_readyz_is_200_when_database_broker_and_beat_answer(client, settings, redis_url, beat_ticked):
    settings.CELERY_BROKER_URL = redis_url
    beat_ticked()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "broker": "ok", "beat": "ok"},
    }


def test_a_dead_broker_is_a_503_naming_the_broker(client, settings, beat_ticked):
    settings.CELERY_BROKER_URL = DEAD_BROKER
    beat_ticked()

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("fail")
    assert "127.0.0.1" not in body["checks"]["broker"]  # the public body names the part, not the address


def test_a_stale_beat_is_a_503_naming_the_beat(client, settings, redis_url, beat_ticked):
    settings.CELERY_BROKER_URL = redis_url
    settings.HEALTH_BEAT_MAX_AGE_SECONDS = 600
    beat_ticked(sent=timedelta(hours=2), started=timedelta(hours=3))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["beat"]
    assert "limit 600 s" in response.json()["checks"]["beat"]


def test_a_beat_that_just_started_and_has_not_saved_a_run_yet_is_ready(client, settings, redis_url, beat_ticked):
    settings.CELERY_BROKER_URL = redis_url
    beat_ticked(sent=None, started=timedelta(seconds=10))

    assert client.get("/readyz").status_code == 200


def test_a_beat_that_never_ran_is_a_503(client, settings, redis_url, db):
    settings.CELERY_BROKER_URL = redis_url

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["beat"] == "fail: no periodic job has run yet"


def test_without_a_broker_the_in_process_scheduler_of_serve_counts_as_the_beat(client, settings, db, monkeypatch):
    settings.CELERY_BROKER_URL = "memory://"
    monkeypatch.setattr(health, "_last_embedded_tick", None)
    assert client.get("/readyz").status_code == 503

    stop = threading.Event()
    stop.set()  # one pass: the scheduler records its start, then returns
    run_periodic_jobs_forever(stop)
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "not configured (tasks run in-process)"


def test_a_stalled_in_process_scheduler_is_a_503(client, settings, db, monkeypatch):
    settings.CELERY_BROKER_URL = "memory://"
    monkeypatch.setattr(health, "_last_embedded_tick", timezone.now() - timedelta(hours=1))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["beat"]
