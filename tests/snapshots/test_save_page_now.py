"""Save Page Now against a local SPN2 stand-in: sent once, polled, recorded; 429/5xx retried later without stopping the rest."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from attribution.models import SourceURL
from attribution.snapshots import save_page_now
from attribution.snapshots.archive_submissions import ArchiveSubmission
from attribution.snapshots.save_page_now import save_page_now_sweep
from attribution.snapshots.save_page_now_tasks import save_page_now_sweep as sweep_task
from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory
from tests.linkcheck.factories import DeadSourceFactory, OkSourceFactory
from tests.snapshots.spn_standin import TIMESTAMP, spn_fixture, spn_server_fixture  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
Status = ArchiveSubmission.Status
T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def sweep_at(moment: dt.datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        return save_page_now_sweep()


def submission(source) -> ArchiveSubmission:
    return ArchiveSubmission.objects.get(source_url=source)


def test_nothing_is_sent_while_it_is_off(spn, settings):
    settings.SNAPSHOTS_SAVE_PAGE_NOW_ENABLED = False
    OkSourceFactory()
    assert save_page_now_sweep() == {}
    assert spn.calls == [] and not ArchiveSubmission.objects.exists()


def test_a_working_source_is_saved_polled_until_done_and_its_copy_recorded(spn, client):
    source = OkSourceFactory(url_as_cited="https://wire.example/cranes")
    spn.pending_polls[source.url] = 1

    assert sweep_at(T0) == {"queued": 1, "submitted": 1}
    (call,) = spn.calls
    assert (call.method, call.url, call.authorization) == ("POST", source.url, "LOW newsroom-key:newsroom-secret")
    assert sweep_at(T0 + dt.timedelta(seconds=30)) == {"queued": 0}  # not due for a poll yet
    assert sweep_at(T0 + dt.timedelta(seconds=61)) == {"queued": 0, "pending": 1}
    done_at = T0 + dt.timedelta(seconds=122)
    assert sweep_at(done_at) == {"queued": 0, "archived": 1}

    source.refresh_from_db()
    assert source.archive_url == spn.url(f"/web/{TIMESTAMP}/{source.url}")
    assert source.archive_checked_at == done_at
    saved = submission(source)
    assert (saved.status, saved.archived_at, saved.job_id) == (Status.ARCHIVED, done_at, "spn2-0001")
    # Idempotent: an archived source is never sent or polled again.
    calls = len(spn.calls)
    assert sweep_at(done_at + dt.timedelta(hours=1)) == {"queued": 0}
    assert len(spn.calls) == calls == 3  # one send, two polls
    # And the public page now gives readers the copy (Robust Links).
    article = ArticleFactory()
    CitationFactory(article=article, source_url=source, position=1)
    assert f'data-versionurl="{source.archive_url}"' in client.get(article.get_absolute_url()).content.decode()


def test_429_and_5xx_wait_with_backoff_and_never_stop_the_others(spn):
    busy = OkSourceFactory(url_as_cited="https://wire.example/busy")
    broken = OkSourceFactory(url_as_cited="https://wire.example/archive-down")
    fine = OkSourceFactory(url_as_cited="https://wire.example/fine")
    spn.post_answers[busy.url] = [429, "ok"]
    spn.post_answers[broken.url] = [503, "ok"]

    assert sweep_at(T0) == {"queued": 3, "retry": 2, "submitted": 1}
    for source, error in ((busy, "HTTP 429"), (broken, "HTTP 503")):
        waiting = submission(source)
        assert (waiting.status, waiting.attempts, waiting.last_error) == (Status.QUEUED, 1, error)
        assert waiting.next_attempt_at == T0 + dt.timedelta(minutes=5)
    # A minute later only the fine one's job is polled; the others wait out their backoff.
    assert sweep_at(T0 + dt.timedelta(minutes=1, seconds=1)) == {"queued": 0, "archived": 1}
    assert sorted(spn.saves()) == sorted([busy.url, broken.url, fine.url])
    assert sweep_at(T0 + dt.timedelta(minutes=5)) == {"queued": 0, "submitted": 2}
    assert sweep_at(T0 + dt.timedelta(minutes=6, seconds=1)) == {"queued": 0, "archived": 2}
    assert set(SourceURL.objects.exclude(archive_url="").values_list("pk", flat=True)) == {busy.pk, broken.pk, fine.pk}


def test_a_page_the_archive_cannot_save_is_recorded_once_and_left_alone(spn):
    source = OkSourceFactory(url_as_cited="https://wire.example/blocked")
    spn.post_answers[source.url] = ["error:blocked-url"]

    assert sweep_at(T0) == {"queued": 1, "failed": 1}
    failed = submission(source)
    assert (failed.status, failed.attempts) == (Status.FAILED, 1)
    assert failed.last_error == "error:blocked-url: Cannot save."
    sweep_at(T0 + dt.timedelta(days=2))
    assert spn.saves() == [source.url]


def test_a_job_that_ends_in_a_transient_error_is_sent_again_later(spn):
    source = OkSourceFactory(url_as_cited="https://wire.example/flaky")
    spn.job_errors[source.url] = "error:service-unavailable"

    sweep_at(T0)
    assert sweep_at(T0 + dt.timedelta(seconds=61)) == {"queued": 0, "retry": 1}
    retried = submission(source)
    assert (retried.status, retried.job_id, retried.attempts) == (Status.QUEUED, "", 1)
    assert retried.last_error.startswith("error:service-unavailable")
    del spn.job_errors[source.url]
    sweep_at(T0 + dt.timedelta(minutes=7))
    sweep_at(T0 + dt.timedelta(minutes=8, seconds=1))
    assert submission(source).status == Status.ARCHIVED and spn.saves() == [source.url, source.url]


def test_it_gives_up_after_the_last_attempt(spn, settings):
    settings.SNAPSHOTS_SAVE_PAGE_NOW_MAX_ATTEMPTS = 2
    source = OkSourceFactory(url_as_cited="https://wire.example/always-down")
    spn.post_answers[source.url] = [503]

    sweep_at(T0)
    assert sweep_at(T0 + dt.timedelta(minutes=5)) == {"queued": 0, "failed": 1}
    assert (submission(source).status, submission(source).attempts) == (Status.FAILED, 2)
    sweep_at(T0 + dt.timedelta(days=1))
    assert len(spn.saves()) == 2


def test_the_rate_limit_counts_every_send_of_the_last_minute(spn, settings):
    settings.SNAPSHOTS_SAVE_PAGE_NOW_PER_MINUTE = 2
    for n in range(5):
        OkSourceFactory(url_as_cited=f"https://wire.example/story-{n}")

    assert sweep_at(T0)["submitted"] == 2
    assert "submitted" not in sweep_at(T0 + dt.timedelta(seconds=30))
    later = sweep_at(T0 + dt.timedelta(seconds=61))
    assert (later["submitted"], later["archived"]) == (2, 2)
    assert len(spn.saves()) == 4


def test_a_claimed_row_is_not_handed_out_twice(spn):
    OkSourceFactory()
    with time_machine.travel(T0, tick=False):
        save_page_now.queue_new_sources(now=T0)
        assert len(save_page_now.claim_due(now=T0)) == 1
        # A second sweep at the same moment (another worker) finds nothing due.
        assert save_page_now.claim_due(now=T0) == []


def test_only_working_sources_without_a_copy_are_queued(spn):
    OkSourceFactory(url_as_cited="https://wire.example/has-copy", archive_url="https://web.archive.org/web/2024/x")
    DeadSourceFactory(url_as_cited="https://wire.example/dead")
    SourceURLFactory(url_as_cited="https://wire.example/unchecked")
    OkSourceFactory(url_as_cited="https://wire.example/broken", is_valid=False)
    wanted = OkSourceFactory(url_as_cited="https://wire.example/new")

    assert save_page_now.queue_new_sources(now=T0) == 1
    assert list(ArchiveSubmission.objects.values_list("source_url", flat=True)) == [wanted.pk]
    assert save_page_now.queue_new_sources(now=T0) == 0


def test_the_archive_is_reached_only_through_the_guard(spn, settings):
    settings.LINKCHECK_ALLOW_PRIVATE_HOSTS = False
    source = OkSourceFactory()

    assert sweep_at(T0) == {"queued": 1, "retry": 1}
    assert spn.calls == []
    assert "not a public address" in submission(source).last_error


def test_the_beat_task_runs_the_sweep(spn):
    source = OkSourceFactory()
    assert django_settings.CELERY_BEAT_SCHEDULE["snapshots-save-page-now"]["task"] == sweep_task.name
    sweep_task.delay()
    assert submission(source).status == Status.SUBMITTED


def _settings_part(monkeypatch, env: dict) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = Path(django_settings.BASE_DIR) / "config" / "settings_parts" / "save_page_now.py"
    namespace = {"CELERY_BEAT_SCHEDULE": {}, "CELERY_TASK_ROUTES": {}, "CELERY_IMPORTS": ()}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    return namespace


def test_switching_it_on_without_the_newsrooms_keys_stops_start_up(monkeypatch):
    monkeypatch.delenv("SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SNAPSHOTS_SAVE_PAGE_NOW_ACCESS_KEY"):
        _settings_part(monkeypatch, {"SNAPSHOTS_SAVE_PAGE_NOW_ENABLED": "true"})


def test_editors_see_why_a_source_was_not_archived_in_the_admin(spn, admin_client):
    source = OkSourceFactory(url_as_cited="https://wire.example/blocked")
    spn.post_answers[source.url] = ["error:blocked-url"]
    sweep_at(T0)

    page = admin_client.get("/admin/attribution/archivesubmission/")
    assert page.status_code == 200
    assert "error:blocked-url" in page.content.decode() and source.url in page.content.decode()
    assert admin_client.get("/admin/attribution/archivesubmission/add/").status_code == 403
    # The record of what went to the Internet Archive cannot be deleted by hand, even by a superuser.
    record = submission(source)
    delete = admin_client.post(f"/admin/attribution/archivesubmission/{record.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert ArchiveSubmission.objects.filter(pk=record.pk).exists()
