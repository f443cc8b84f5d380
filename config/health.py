"""Health endpoints for load balancers and orchestrators (README "Health checks").

- ``/healthz`` (liveness): the process answers. Touches neither the database nor the broker, so a
  database outage does not get every web process restarted.
- ``/readyz`` (readiness): the database answers; the broker answers (only when a real
  CELERY_BROKER_URL is configured); the periodic jobs ticked within HEALTH_BEAT_MAX_AGE_SECONDS.
  200 when all pass, else 503; the JSON body names each part and its result.

A middleware placed first answers both, before SecurityMiddleware and the Host check: a load
balancer probes a machine by its IP address over plain http, and an ALLOWED_HOSTS refusal or an
https redirect would say nothing about the process itself.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone

logger = logging.getLogger("citewatch.health")

# Embedded mode (no broker): `manage.py serve` runs the periodic jobs in a thread of the web
# process itself and records each tick here, where /readyz, served by that same process, reads it.
_last_embedded_tick: datetime | None = None


def record_embedded_tick(now: datetime | None = None) -> None:
    """Note that the in-process scheduler of `manage.py serve` is alive (called on every tick)."""
    global _last_embedded_tick
    _last_embedded_tick = now or timezone.now()


def configured_broker_url() -> str:
    """The real broker's URL, or "" when tasks run in-process (the memory:// stand-in)."""
    url = settings.CELERY_BROKER_URL or ""
    return "" if url.startswith("memory://") else url


def last_beat_tick() -> datetime | None:
    """When the scheduler last sent (or, embedded, ran) a periodic job; None if never."""
    if not configured_broker_url():
        return _last_embedded_tick
    from django_celery_beat.models import PeriodicTask

    # django-celery-beat's DatabaseScheduler saves last_run_at of the jobs it sent every few minutes,
    # and rewrites its schedule rows (date_changed) when it starts: a beat that has just started,
    # before its first save, has ticked too.
    latest = PeriodicTask.objects.filter(enabled=True).aggregate(sent=Max("last_run_at"), started=Max("date_changed"))
    return max(filter(None, latest.values()), default=None)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_broker() -> str:
    url = configured_broker_url()
    if not url:
        return "not configured (tasks run in-process)"
    timeout = settings.HEALTH_BROKER_TIMEOUT
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    from kombu import Connection

    # max_retries=0: one attempt, bounded by connect_timeout; never kombu's retry loop.
    with Connection(url, connect_timeout=timeout) as broker:
        broker.ensure_connection(max_retries=0, timeout=timeout)
    return "ok"


def check_beat() -> str:
    tick = last_beat_tick()
    if tick is None:
        raise RuntimeError("no periodic job has run yet")
    age = (timezone.now() - tick).total_seconds()
    if age > settings.HEALTH_BEAT_MAX_AGE_SECONDS:
        raise RuntimeError(f"last tick {int(age)} s ago (limit {settings.HEALTH_BEAT_MAX_AGE_SECONDS} s)")
    return "ok"


READINESS_CHECKS = {"database": check_database, "broker": check_broker, "beat": check_beat}


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request) -> JsonResponse:
    return _no_store(JsonResponse({"status": "ok"}))


def readyz(request) -> JsonResponse:
    """200 with every check "ok" (or not configured), else 503 naming the failed parts."""
    results, failed = {}, []
    for name, check in READINESS_CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:
            # The body is public: name the part and a short reason; the details go to the log.
            logger.warning("readiness check %s failed: %r", name, exc)
            reason = str(exc) if name == "beat" else type(exc).__name__
            results[name] = f"fail: {reason}"
            failed.append(name)
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": results}
    return _no_store(JsonResponse(body, status=503 if failed else 200))


_ENDPOINTS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz and /readyz itself; passes every other request on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = _ENDPOINTS.get(request.path_info.rstrip("/"))
        if endpoint is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return endpoint(request)
