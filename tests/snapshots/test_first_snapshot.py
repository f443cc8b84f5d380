"""The citation-time snapshot: taken once per working source, from the sweep (the database is the queue)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from attribution.models import SourceURL
from attribution.snapshots import services, sweep
from attribution.snapshots.models import SnapshotAttempt, SourceSnapshot
from tests.linkcheck.factories import DeadSourceFactory, DueSourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    """The beat job as it runs: claims, then (after commit) the tasks, in-process as without a broker."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return sweep.sweep_first_snapshots(**kwargs)

    return run


def test_a_working_source_gets_its_first_snapshot_from_the_sweep(site, working_source, run_sweep):
    source = working_source("/article")

    assert run_sweep() == 1

    snapshot = SourceSnapshot.objects.get(source_url=source)
    assert snapshot.reason == "first" and "Cranes return" in snapshot.title
    assert SnapshotAttempt.objects.get(source_url=source).outcome == "taken"


def test_a_source_with_a_first_snapshot_never_gets_a_second(site, working_source, run_sweep):
    source = working_source("/article")
    first = services.take_first_snapshot(source.pk)
    site.requests.clear()

    assert run_sweep() == 0
    assert services.take_first_snapshot(source.pk) == first
    assert services.take_snapshot(source, reason="first") == first
    assert SourceSnapshot.objects.filter(source_url=source).count() == 1
    assert site.requests == []  # nothing fetched again


def test_two_workers_racing_for_the_first_snapshot_keep_one(site, working_source, monkeypatch):
    """The other worker saves between our check and our insert: the constraint keeps one, our file goes."""
    source = working_source("/article")
    theirs = services.take_snapshot(source, reason="first")
    checks = iter([None])  # our worker's check ran before theirs committed
    monkeypatch.setattr(services, "first_snapshot", lambda s: next(checks, theirs))
    storage = theirs.warc.storage
    files_before = set(storage.listdir(f"snapshots/{source.pk}")[1])

    ours = services.take_snapshot(source, reason="first")

    assert ours == theirs
    assert SourceSnapshot.objects.filter(source_url=source).count() == 1
    assert set(storage.listdir(f"snapshots/{source.pk}")[1]) == files_before


def test_only_sources_that_work_are_swept(site, working_source, run_sweep):
    DueSourceFactory(url_as_cited=site.url("/article?not-checked-yet"))
    DeadSourceFactory(url_as_cited=site.url("/article?dead"))
    working_source("/article?ignored", override=SourceURL.Override.IGNORE)
    moved = working_source("/moved", status=SourceURL.Status.REDIRECTED)

    assert run_sweep() == 1
    assert list(SourceSnapshot.objects.values_list("source_url", flat=True)) == [moved.pk]


def test_a_page_that_is_not_a_document_is_tried_once(site, working_source, run_sweep):
    source = working_source("/logo.png")

    assert run_sweep() == 1
    attempt = SnapshotAttempt.objects.get(source_url=source)
    assert attempt.outcome == "not HTML or PDF (image/png)" and attempt.next_attempt_at is None
    assert run_sweep(now=timezone.now() + dt.timedelta(days=400)) == 0


def test_a_failed_page_is_retried_later_and_given_up_after_the_last_attempt(
    site, working_source, run_sweep, settings, time_machine
):
    settings.SNAPSHOTS_MAX_ATTEMPTS = 2
    source = working_source("/missing")
    time_machine.move_to(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False)

    assert run_sweep() == 1
    attempt = SnapshotAttempt.objects.get(source_url=source)
    assert (attempt.attempts, attempt.outcome) == (1, "HTTP 404")
    assert attempt.next_attempt_at == timezone.now() + dt.timedelta(hours=settings.SNAPSHOTS_RETRY_HOURS)
    assert run_sweep() == 0  # not due yet

    time_machine.move_to(dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC), tick=False)
    assert run_sweep() == 1
    attempt.refresh_from_db()
    assert attempt.attempts == 2 and attempt.next_attempt_at is None  # given up
    time_machine.move_to(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), tick=False)
    assert run_sweep() == 0


def test_a_lost_task_message_only_delays_the_snapshot(site, working_source):
    source = working_source("/article")
    now = timezone.now()

    # Claimed, but the message never reaches a worker (no on-commit execution here).
    assert sweep.sweep_first_snapshots(now=now) == 1
    assert sweep.claim([source.pk], now=now) == []  # a second sweep does not send it twice
    later = now + dt.timedelta(seconds=sweep.CLAIM_SECONDS + 1)
    assert sweep.claim([source.pk], now=later) == [source.pk]


def test_nothing_is_swept_while_snapshots_are_off(site, working_source, run_sweep, settings):
    settings.SNAPSHOTS_ENABLED = False
    working_source("/article")

    assert run_sweep() == 0
    assert SourceSnapshot.objects.count() == 0


def test_the_sweep_cost_does_not_grow_with_sources_already_done(site, working_source, django_assert_max_num_queries):
    for n in range(5):
        services.take_first_snapshot(working_source(f"/article?n={n}").pk)

    with django_assert_max_num_queries(3):
        assert sweep.sweep_first_snapshots() == 0


def test_the_jobs_are_registered_and_the_task_has_its_own_queue(settings, capsys):
    call_command("run_job", "--list")
    listed = capsys.readouterr().out

    assert "snapshots-sweep\tattribution.snapshots.tasks.sweep_first_snapshots" in listed
    assert "snapshots-prune\tattribution.snapshots.tasks.prune_snapshots" in listed
    assert settings.CELERY_TASK_ROUTES["attribution.snapshots.tasks.take_first_snapshot"] == {"queue": "snapshots"}
