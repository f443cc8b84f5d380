"""A link check that finds a source working for the first time asks for its snapshot at once (with a broker)."""

import pytest

from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import CheckResult
from attribution.linkcheck.services import record_check_results
from attribution.snapshots import sweep
from tests.attribution.factories import SourceURLFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def woken(settings, monkeypatch):
    settings.SNAPSHOTS_ENABLED = True
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(sweep, "enqueue_on_commit", lambda name, *args, **kwargs: sent.append(name))
    return sent


def test_the_first_working_check_wakes_the_snapshot_sweep(woken):
    source = SourceURLFactory()
    record_check_results({source.pk: CheckResult(source.url, c.OK, http_status=200)}, token=None)
    assert woken == ["attribution.snapshots.tasks.sweep_first_snapshots"]


def test_a_source_that_worked_before_or_fails_wakes_nothing(woken):
    source, broken = SourceURLFactory(), SourceURLFactory()
    record_check_results({source.pk: CheckResult(source.url, c.OK, http_status=200)}, token=None)
    woken.clear()
    results = {
        source.pk: CheckResult(source.url, c.OK, http_status=200),
        broken.pk: CheckResult(broken.url, c.HARD_FAILURE, http_status=404, failure_kind="http_4xx"),
    }
    record_check_results(results, token=None)
    assert woken == []
