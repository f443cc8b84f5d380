"""CI must exercise the production stack, not quietly fall back to SQLite or in-process tasks."""

import os

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.mark.django_db
@pytest.mark.skipif(not IN_CI, reason="checks CI's own configuration")
def test_ci_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.skipif(not IN_CI, reason="checks CI's own configuration")
def test_ci_has_a_reachable_redis_broker(redis_url):
    assert os.environ["CELERY_BROKER_URL"].startswith("redis://")
