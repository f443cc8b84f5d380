"""SourceURLs in each check state, for the scheduler, services, admin and API tests."""

import datetime as dt

import factory
from django.utils import timezone

from attribution.models import SourceURL
from tests.attribution.factories import SourceURLFactory


class DueSourceFactory(SourceURLFactory):
    """A URL never checked, due now (as after an import)."""

    next_check_at = factory.LazyFunction(timezone.now)


class OkSourceFactory(SourceURLFactory):
    status = SourceURL.Status.OK
    http_status = 200
    last_checked_at = factory.LazyFunction(timezone.now)
    last_success_at = factory.LazyFunction(timezone.now)
    next_check_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class DeadSourceFactory(SourceURLFactory):
    status = SourceURL.Status.DEAD
    http_status = 404
    failure_kind = "http_4xx"
    consecutive_failures = 3
    hard_failures = 3
    first_failure_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=4))
    first_hard_failure_at = factory.SelfAttribute("first_failure_at")
    became_dead_at = factory.LazyFunction(timezone.now)
    last_checked_at = factory.LazyFunction(timezone.now)
    next_check_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class FailingSourceFactory(SourceURLFactory):
    status = SourceURL.Status.FAILING
    http_status = 503
    failure_kind = "http_5xx"
    consecutive_failures = 2
    first_failure_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    last_checked_at = factory.LazyFunction(timezone.now)
    next_check_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
