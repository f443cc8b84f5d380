"""What snapshots may cost: drift snapshots expire and make room; the citation-time snapshot is always kept."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from attribution.snapshots import retention, services, sweep
from attribution.snapshots.models import SourceSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(site, working_source, django_capture_on_commit_callbacks):
    """A source with its first snapshot and two drift snapshots, a month apart; files deleted on commit."""
    source = working_source("/article")
    start = timezone.now() - dt.timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.take_snapshot(source, reason="first", now=start)
        old = services.take_snapshot(source, reason="drift", now=start + dt.timedelta(days=30))
        new = services.take_snapshot(source, reason="drift", now=start + dt.timedelta(days=60))
    return source, first, old, new


def exists(snapshot) -> bool:
    return snapshot.warc.storage.exists(snapshot.warc.name)


def test_drift_snapshots_past_retention_go_with_their_files_and_the_first_stays(
    kept, settings, django_capture_on_commit_callbacks
):
    source, first, old, new = kept
    settings.SNAPSHOTS_RETENTION_DAYS = 45  # the old drift snapshot (60 days) is past it; the newer (30 days) not

    with django_capture_on_commit_callbacks(execute=True):
        result = retention.prune()

    assert result["expired"] == 1
    assert set(SourceSnapshot.objects.values_list("pk", flat=True)) == {first.pk, new.pk}
    assert not exists(old) and exists(new) and exists(first)

    settings.SNAPSHOTS_RETENTION_DAYS = 1
    with django_capture_on_commit_callbacks(execute=True):
        retention.prune()
    assert list(SourceSnapshot.objects.values_list("pk", flat=True)) == [first.pk]  # first: kept whatever its age


def test_over_budget_the_oldest_drift_snapshot_makes_room_first(kept, settings, django_capture_on_commit_callbacks):
    source, first, old, new = kept
    settings.SNAPSHOTS_STORAGE_BUDGET_BYTES = retention.storage_used()  # full: the next one needs room

    with django_capture_on_commit_callbacks(execute=True):
        newest = services.take_snapshot(source, reason="drift")

    assert newest is not None
    assert set(SourceSnapshot.objects.values_list("pk", flat=True)) == {first.pk, new.pk, newest.pk}
    assert not exists(old)


def test_when_only_first_snapshots_are_left_no_new_snapshot_is_taken_and_the_log_says_so(
    kept, settings, working_source, caplog, django_capture_on_commit_callbacks
):
    source, first, old, new = kept
    settings.SNAPSHOTS_STORAGE_BUDGET_BYTES = first.warc_bytes + first.text_bytes  # room for the first alone
    waiting = working_source("/report.pdf")

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        assert services.take_snapshot(source, reason="drift") is None
        assert sweep.sweep_first_snapshots() == 0

    assert list(SourceSnapshot.objects.values_list("pk", flat=True)) == [first.pk]  # both drift ones pruned
    assert exists(first) and not waiting.snapshots.exists()
    assert "snapshot storage is full" in caplog.text
    assert retention.budget_status()["full"]


def test_the_daily_prune_brings_storage_back_under_budget(kept, settings, django_capture_on_commit_callbacks):
    source, first, old, new = kept
    settings.SNAPSHOTS_STORAGE_BUDGET_BYTES = retention.storage_used() - 1

    with django_capture_on_commit_callbacks(execute=True):
        result = retention.prune()

    assert result["over_budget"] == 1 and result["used"] <= settings.SNAPSHOTS_STORAGE_BUDGET_BYTES
    assert set(SourceSnapshot.objects.values_list("pk", flat=True)) == {first.pk, new.pk}


def test_no_budget_means_no_limit(kept, settings):
    settings.SNAPSHOTS_STORAGE_BUDGET_BYTES = 0

    assert retention.make_room()
    assert not retention.budget_status()["full"]


def test_deleting_a_source_deletes_its_snapshot_files(kept, django_capture_on_commit_callbacks):
    source, first, old, new = kept

    with django_capture_on_commit_callbacks(execute=True):
        source.delete()

    assert not SourceSnapshot.objects.exists()
    assert not any(exists(s) for s in (first, old, new))
